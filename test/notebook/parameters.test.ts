import { describe, expect, test } from "vitest";
import { UsageError } from "../../lib/errors";
import { sourceText } from "../../lib/notebook/ipynb";
import { declaredParameters, injectParameters, parseParameter } from "../../lib/notebook/parameters";
import { notebookOf } from "./fixtures";

describe("parseParameter", () => {
  test.each([
    ["rows=5", 5],
    ["ratio=-0.25", -0.25],
    ["apply=true", true],
    ["apply=false", false],
    ['tags=["a","b"]', ["a", "b"]],
    ['filter={"x":1}', { x: 1 }],
    ["nothing=null", null],
    ["cluster=my-cluster", "my-cluster"],
    ["title=a=b", "a=b"],
    ["empty=", ""],
    ["broken={not json", "{not json"],
  ])("%s", (argument, value) => {
    expect(parseParameter(argument).value).toEqual(value);
  });

  test.each(["rows", "=5", "1abc=2", "a b=1"])("refuses %s as a usage error", (argument) => {
    expect(() => parseParameter(argument)).toThrow(UsageError);
  });
});

describe("injectParameters", () => {
  const notebook = notebookOf([
    "// intro",
    { source: 'let rows: number = 3;\nlet account: string = "1";\nconst fixed = 1;', tags: ["parameters"] },
    "rows",
  ]);

  test("inserts an injected-parameters cell right after the parameters cell", () => {
    const injected = injectParameters(notebook, [parseParameter("rows=5")]);
    expect(injected.cells.map((cell) => cell.metadata.tags ?? [])).toEqual([
      [],
      ["parameters"],
      ["injected-parameters"],
      [],
    ]);
    expect(sourceText((injected.cells[2] as { source: string[] }).source)).toBe("rows = 5;\nvoid 0;\n");
    expect(notebook.cells).toHaveLength(3);
  });

  test("keeps the text of a parameter declared as a string", () => {
    const injected = injectParameters(notebook, [parseParameter("account=012345")]);
    expect(sourceText((injected.cells[2] as { source: string[] }).source)).toContain('account = "012345";');
  });

  test("replaces an injected cell left from an earlier run instead of adding a second", () => {
    const once = injectParameters(notebook, [parseParameter("rows=5")]);
    const twice = injectParameters(once, [parseParameter("rows=6")]);
    expect(twice.cells.filter((cell) => cell.metadata.tags?.includes("injected-parameters"))).toHaveLength(1);
  });

  test("names the notebook's parameters when given an unknown one", () => {
    expect(() => injectParameters(notebook, [parseParameter("row=5")])).toThrow(
      /unknown parameter "row": this notebook's parameters are rows, account, fixed/,
    );
  });

  test("refuses to assign a const", () => {
    expect(() => injectParameters(notebook, [parseParameter("fixed=2")])).toThrow(/declared with const/);
  });

  test("refuses parameters for a notebook without a parameters cell", () => {
    expect(() => injectParameters(notebookOf(["1"]), [parseParameter("rows=5")])).toThrow(/no cell tagged/);
  });

  test("reads declarations with and without types", () => {
    const declared = declaredParameters(
      "let a: string = 'x';\nlet b = 2;\nexport let c: number;\n  var d: Record<string, number> = {};",
    );
    expect(Object.fromEntries(declared)).toEqual({
      a: { kind: "let", type: "string" },
      b: { kind: "let" },
      c: { kind: "let", type: "number" },
      d: { kind: "var", type: "Record<string, number>" },
    });
  });
});
