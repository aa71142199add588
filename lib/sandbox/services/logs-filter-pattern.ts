// CloudWatch Logs filter patterns (FilterLogEvents' `filterPattern`), compiled to a predicate over a message:
// terms and quoted phrases (all must match), `-term` exclusions, `?a ?b` alternatives, `%regex%`, JSON patterns
// (`{ $.status = 500 && $.latency > 3000 }`) and space-delimited patterns (`[ip, user, ..., status=5*, bytes>0]`).

export class FilterPatternError extends Error {
  override name = "FilterPatternError";
}

export type MessagePredicate = (message: string) => boolean;

export function compileFilterPattern(pattern: string | undefined): MessagePredicate {
  const text = (pattern ?? "").trim();
  if (text === "" || text === '""') return () => true;
  if (text.startsWith("{")) return jsonPattern(text);
  if (text.startsWith("[")) return delimitedPattern(text);
  if (text.length > 1 && text.startsWith("%") && text.endsWith("%")) {
    const regex = toRegex(text.slice(1, -1));
    return (message) => regex.test(message);
  }
  return termPattern(text);
}

function toRegex(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch {
    throw new FilterPatternError(`Invalid regular expression in filter pattern: ${source}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Terms

function termPattern(text: string): MessagePredicate {
  const required: string[] = [];
  const excluded: string[] = [];
  const alternatives: string[] = [];
  const term = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (const match of text.matchAll(term)) {
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : (match[3] ?? "");
    if (match[1] === "-") excluded.push(value);
    else if (match[1] === "?") alternatives.push(value);
    else required.push(value);
  }
  return (message) =>
    required.every((t) => message.includes(t)) &&
    !excluded.some((t) => message.includes(t)) &&
    (alternatives.length === 0 || alternatives.some((t) => message.includes(t)));
}

// ---------------------------------------------------------------------------------------------------------------
// JSON: { $.a = "b" && ($.c > 3 || $.d NOT EXISTS) }

type JsonNode =
  | { kind: "and" | "or"; left: JsonNode; right: JsonNode }
  | { kind: "test"; path: string[]; op: string; value: string | number | null; quoted: boolean };

function jsonPattern(text: string): MessagePredicate {
  if (!text.endsWith("}")) throw new FilterPatternError("Invalid JSON filter pattern: missing '}'");
  const tokens = [
    ...text.slice(1, -1).matchAll(/\s*(&&|\|\||\(|\)|!=|<=|>=|=|<|>|"(?:[^"\\]|\\.)*"|[^\s()&|=!<>"]+)/g),
  ].map((m) => m[1] as string);
  let i = 0;
  const peek = () => tokens[i];
  const take = () => {
    const token = tokens[i++];
    if (token === undefined) throw new FilterPatternError("Invalid JSON filter pattern: unexpected end");
    return token;
  };
  const or = (): JsonNode => {
    let left = and();
    while (peek() === "||") {
      i++;
      left = { kind: "or", left, right: and() };
    }
    return left;
  };
  const and = (): JsonNode => {
    let left = primary();
    while (peek() === "&&") {
      i++;
      left = { kind: "and", left, right: primary() };
    }
    return left;
  };
  const primary = (): JsonNode => {
    if (peek() === "(") {
      i++;
      const inner = or();
      if (take() !== ")") throw new FilterPatternError("Invalid JSON filter pattern: missing ')'");
      return inner;
    }
    const selector = take();
    if (!selector.startsWith("$")) throw new FilterPatternError(`Invalid JSON selector: ${selector}`);
    const path = selector
      .slice(1)
      .replace(/\[(\d+)\]/g, ".$1")
      .split(".")
      .filter((part) => part !== "");
    const op = take();
    if (op.toUpperCase() === "IS") {
      const what = take().toUpperCase();
      if (!["NULL", "TRUE", "FALSE"].includes(what)) throw new FilterPatternError(`Invalid JSON test: IS ${what}`);
      return { kind: "test", path, op: `IS ${what}`, value: null, quoted: false };
    }
    if (op.toUpperCase() === "NOT") {
      if (take().toUpperCase() !== "EXISTS") throw new FilterPatternError("Invalid JSON test: expected NOT EXISTS");
      return { kind: "test", path, op: "NOT EXISTS", value: null, quoted: false };
    }
    if (!["=", "!=", "<", "<=", ">", ">="].includes(op)) throw new FilterPatternError(`Invalid JSON operator: ${op}`);
    const raw = take();
    const quoted = raw.startsWith('"');
    const value = quoted ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw;
    const number = Number(value);
    return { kind: "test", path, op, value: !quoted && value !== "" && !Number.isNaN(number) ? number : value, quoted };
  };
  const tree = or();
  if (i !== tokens.length) throw new FilterPatternError(`Invalid JSON filter pattern near ${tokens[i]}`);
  return (message) => {
    if (!message.trimStart().startsWith("{")) return false;
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return false;
    }
    return evaluateJson(tree, parsed);
  };
}

function lookup(node: unknown, path: readonly string[]): { found: boolean; value: unknown } {
  let current = node;
  for (const part of path) {
    if (current === null || typeof current !== "object") return { found: false, value: undefined };
    if (!(part in (current as Record<string, unknown>))) return { found: false, value: undefined };
    current = (current as Record<string, unknown>)[part];
  }
  return { found: true, value: current };
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "s");
}

function evaluateJson(node: JsonNode, document: unknown): boolean {
  if (node.kind === "and") return evaluateJson(node.left, document) && evaluateJson(node.right, document);
  if (node.kind !== "test") return evaluateJson(node.left, document) || evaluateJson(node.right, document);
  const { found, value } = lookup(document, node.path);
  switch (node.op) {
    case "NOT EXISTS":
      return !found;
    case "IS NULL":
      return found && value === null;
    case "IS TRUE":
      return value === true;
    case "IS FALSE":
      return value === false;
    default:
      break;
  }
  if (!found || value === null || typeof value === "object") return false;
  if (typeof node.value === "number") {
    const x = typeof value === "number" ? value : Number.NaN;
    return compareNumbers(node.op, x, node.value);
  }
  const actual = String(value);
  const expected = node.value ?? "";
  if (node.op === "=") return expected.includes("*") ? wildcard(expected).test(actual) : actual === expected;
  if (node.op === "!=") return expected.includes("*") ? !wildcard(expected).test(actual) : actual !== expected;
  return false;
}

function compareNumbers(op: string, x: number, y: number): boolean {
  if (Number.isNaN(x)) return op === "!=";
  switch (op) {
    case "=":
      return x === y;
    case "!=":
      return x !== y;
    case "<":
      return x < y;
    case "<=":
      return x <= y;
    case ">":
      return x > y;
    default:
      return x >= y;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Space-delimited: [ip, user, ..., status=5*, bytes>1000]

interface Column {
  name: string;
  op?: string;
  value?: string;
}

function delimitedPattern(text: string): MessagePredicate {
  if (!text.endsWith("]")) throw new FilterPatternError("Invalid space-delimited filter pattern: missing ']'");
  const columns: Column[] = text
    .slice(1, -1)
    .split(",")
    .map((part) => part.trim())
    .map((part) => {
      const match = /^([^=!<>]+?)\s*(!=|<=|>=|=|<|>)\s*(.+)$/.exec(part);
      if (!match) return { name: part };
      return {
        name: match[1] as string,
        op: match[2] as string,
        value: (match[3] as string).replace(/^"(.*)"$/, "$1"),
      };
    });
  const ellipsis = columns.findIndex((column) => column.name === "...");
  return (message) => {
    const words = splitWords(message);
    let assigned: (string | undefined)[];
    if (ellipsis < 0) {
      if (words.length !== columns.length) return false;
      assigned = words;
    } else {
      const before = ellipsis;
      const after = columns.length - ellipsis - 1;
      if (words.length < before + after) return false;
      assigned = [...words.slice(0, before), undefined, ...words.slice(words.length - after)];
    }
    return columns.every((column, i) => {
      if (!column.op || column.value === undefined) return true;
      const word = assigned[i];
      if (word === undefined) return false;
      const expected = Number(column.value);
      if (!Number.isNaN(expected) && column.value.trim() !== "" && !column.value.includes("*")) {
        return compareNumbers(column.op, Number(word), expected);
      }
      const matches = wildcard(column.value).test(word);
      return column.op === "=" ? matches : column.op === "!=" ? !matches : false;
    });
  };
}

/** Words of a message: runs of non-space, with "…" and […] kept whole (their delimiters dropped). */
function splitWords(message: string): string[] {
  return [...message.matchAll(/"([^"]*)"|\[([^\]]*)\]|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
}
