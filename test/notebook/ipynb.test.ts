import { describe, expect, test } from "vitest";
import { NotebookError, parseNotebook, readNotebook, toLines } from "../../lib/notebook/ipynb";

describe("reading notebooks", () => {
  test("a missing file is a NotebookError naming it", () => {
    expect(() => readNotebook("/nonexistent/x.ipynb")).toThrow(
      new NotebookError("notebook not found: /nonexistent/x.ipynb"),
    );
  });

  test.each([
    ["{", /not valid JSON/],
    ['{"nbformat":3,"cells":[]}', /nbformat 4/],
    ['{"nbformat":4,"cells":[{"cell_type":"code"}]}', /cell 1 has no source/],
    ['{"nbformat":4,"cells":[{"cell_type":"widget","source":""}]}', /cell 1 is not a notebook cell/],
  ])("%s is refused", (text, message) => {
    expect(() => parseNotebook(text, "x.ipynb")).toThrow(message);
  });

  test("fills in what nbformat lets writers leave out", () => {
    const notebook = parseNotebook(
      '{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[{"cell_type":"code","source":"1"}]}',
    );
    expect(notebook.cells[0]).toMatchObject({ metadata: {}, outputs: [] });
  });

  test("toLines keeps each newline with its line", () => {
    expect(toLines("a\nb\n")).toEqual(["a\n", "b\n"]);
    expect(toLines("a\n\nb")).toEqual(["a\n", "\n", "b"]);
    expect(toLines("")).toEqual([]);
  });
});
