// Notebook parameters, papermill's way: `-p NAME=VALUE` becomes an `injected-parameters` cell placed right after
// the cell tagged `parameters`. Values are typed TypeScript literals, so tslab's type check rejects a wrong type
// against the notebook's `let NAME: type` declaration.
import { UsageError } from "../errors";
import { type Cell, codeCell, hasTag, type Notebook, sourceText } from "./ipynb";

export type ParameterValue = string | number | boolean | null | ParameterValue[] | { [key: string]: ParameterValue };

export interface Parameter {
  name: string;
  value: ParameterValue;
  /** The value as it was given on the command line. */
  text: string;
}

const NAME = /^[A-Za-z_$][\w$]*$/;

/** Parses `NAME=VALUE`: a number, `true`/`false`, JSON (object, array, quoted string, null), else a string. */
export function parseParameter(argument: string): Parameter {
  const separator = argument.indexOf("=");
  const name = separator < 0 ? argument : argument.slice(0, separator);
  if (separator < 0 || !NAME.test(name)) {
    throw new UsageError(`malformed parameter "${argument}": expected NAME=VALUE, e.g. -p cluster=my-cluster`);
  }
  const text = argument.slice(separator + 1);
  return { name, value: typeValue(text), text };
}

function typeValue(text: string): ParameterValue {
  const trimmed = text.trim();
  if (trimmed === "true" || trimmed === "false") return trimmed === "true";
  if (/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return Number(trimmed);
  if (/^[[{"]/.test(trimmed) || trimmed === "null") {
    try {
      return JSON.parse(trimmed) as ParameterValue;
    } catch {
      return text;
    }
  }
  return text;
}

export interface Declaration {
  /** `let` and `var` can be assigned, `const` cannot. */
  kind: "let" | "var" | "const";
  /** The type annotation as written, if any. */
  type?: string;
}

/** The names a parameters cell declares at the start of a line. */
export function declaredParameters(source: string): Map<string, Declaration> {
  const declared = new Map<string, Declaration>();
  const declaration = /^\s*(?:export\s+)?(let|var|const)\s+([A-Za-z_$][\w$]*)\s*(?::\s*([^=;]+?))?\s*(?:[=;]|$)/gm;
  for (const match of source.matchAll(declaration)) {
    const kind = match[1] as Declaration["kind"];
    declared.set(match[2] as string, match[3] === undefined ? { kind } : { kind, type: match[3].trim() });
  }
  return declared;
}

/**
 * Returns a copy of the notebook with the parameters cell followed by an `injected-parameters` cell. Refuses a
 * name the parameters cell does not declare with `let`, naming the ones it does.
 */
export function injectParameters(notebook: Notebook, parameters: readonly Parameter[]): Notebook {
  const cells = notebook.cells.filter((cell) => !hasTag(cell, "injected-parameters"));
  if (parameters.length === 0) return { ...notebook, cells };
  const index = cells.findIndex((cell) => cell.cell_type === "code" && hasTag(cell, "parameters"));
  if (index < 0) {
    throw new UsageError("this notebook has no cell tagged `parameters`, so it takes no -p parameters");
  }
  const declared = declaredParameters(sourceText((cells[index] as Cell).source));
  const assignments = parameters.map(({ name, value, text }) => {
    const declaration = declared.get(name);
    if (declaration === undefined) {
      const known = [...declared.keys()].join(", ") || "none";
      throw new UsageError(`unknown parameter "${name}": this notebook's parameters are ${known}`);
    }
    if (declaration.kind === "const") {
      throw new UsageError(`parameter "${name}" is declared with const: declare it with let to set it with -p`);
    }
    // A parameter declared as a string keeps the text as given: `-p account=012345` stays "012345".
    const typed = declaration.type === "string" && typeof value !== "string" ? text : value;
    return `${name} = ${JSON.stringify(typed)};`;
  });
  // tslab prints a cell's last expression; `void 0` keeps the assignments silent.
  const source = `${assignments.join("\n")}\nvoid 0;\n`;
  const injected = codeCell(source, { id: "injected-parameters", tags: ["injected-parameters"] });
  return { ...notebook, cells: [...cells.slice(0, index + 1), injected, ...cells.slice(index + 1)] };
}
