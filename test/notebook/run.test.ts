// The headless runner against the real tslab kernel: no Python, no Jupyter.
import { describe, expect, test } from "vitest";
import type { CodeCell, Notebook, Output } from "../../lib/notebook/ipynb";
import { parseParameter } from "../../lib/notebook/parameters";
import { runNotebook } from "../../lib/notebook/run";
import { projectRoot } from "../../lib/project";
import { notebookOf } from "./fixtures";

const run = (notebook: Notebook, options: Partial<Parameters<typeof runNotebook>[1]> = {}) =>
  runNotebook(notebook, { root: projectRoot, timeoutMs: 30_000, ...options });

const codeCells = (notebook: Notebook) => notebook.cells.filter((cell): cell is CodeCell => cell.cell_type === "code");
const text = (outputs: Output[]) =>
  outputs.map((output) => (output.output_type === "stream" ? [output.text].flat().join("") : "")).join("");

describe("runNotebook", () => {
  test("executes code cells in order with execution counts, skipping markdown and empty cells", async () => {
    const result = await run(
      notebookOf([
        "const a: number = 41;",
        { source: "# prose", markdown: true },
        "   ",
        "console.log(a + 1)",
        "a * 2",
      ]),
    );
    expect(result.failure).toBeUndefined();
    const cells = codeCells(result.notebook);
    expect(cells.map((cell) => cell.execution_count)).toEqual([1, null, 2, 3]);
    expect(text(cells[2]?.outputs ?? [])).toBe("42\n");
    expect(text(cells[3]?.outputs ?? [])).toBe("82\n");
  });

  test("stops at a failing cell, keeps what ran, and reports tslab's real error text", async () => {
    const result = await run(notebookOf(["console.log('first')", 'throw new Error("boom")', "console.log('never')"]));
    expect(result.failure).toMatchObject({ label: "cell 2", reason: "error", message: "Error: boom", injected: false });
    const [first, second, third] = codeCells(result.notebook);
    expect(text(first?.outputs ?? [])).toBe("first\n");
    expect(second?.outputs.at(-1)).toEqual({
      output_type: "error",
      ename: "Error",
      evalue: "boom",
      traceback: ["Error: boom"],
    });
    expect(third?.outputs).toEqual([]);
    expect(third?.execution_count).toBeNull();
  });

  test("injected parameters reach typed declarations, and a wrong type fails with tslab's type error", async () => {
    const notebook = notebookOf([{ source: "let rows: number = 3;", tags: ["parameters"] }, "console.log(rows * 2)"]);
    const ok = await run(notebook, { parameters: [parseParameter("rows=5")] });
    expect(ok.failure).toBeUndefined();
    expect(text(codeCells(ok.notebook)[2]?.outputs ?? [])).toBe("10\n");

    const bad = await run(notebook, { parameters: [parseParameter("rows=abc")] });
    expect(bad.failure).toMatchObject({ label: "the injected parameters cell", injected: true, reason: "error" });
    expect(bad.failure?.message).toMatch(/Type 'string' is not assignable to type 'number'/);
  });

  test("passes its environment to the kernel, whose working directory is the repository root", async () => {
    const result = await run(notebookOf(["console.log(process.env.SANDBOX_PROBE, process.cwd())"]), {
      env: { SANDBOX_PROBE: "from-runner" },
    });
    expect(text(codeCells(result.notebook)[0]?.outputs ?? [])).toBe(`from-runner ${projectRoot}\n`);
  });

  test("interrupts a cell that runs past its timeout and names it", async () => {
    const started = Date.now();
    const result = await run(notebookOf(["1", "while (true) {}", "2"]), { timeoutMs: 1500 });
    expect(result.failure).toMatchObject({ label: "cell 2", reason: "timeout" });
    expect(result.failure?.message).toMatch(/timed out after 1.5 s/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  test("an updated display is saved in its final state only", async () => {
    const result = await run(
      notebookOf([
        'import { progress } from "./lib/render/display";\nconst p = progress("discovering services", 3);\nfor (let i = 1; i <= 3; i++) p.update(i, "service " + i);\np.finish("3 services found");',
      ]),
    );
    expect(result.failure).toBeUndefined();
    const outputs = codeCells(result.notebook)[0]?.outputs ?? [];
    expect(outputs).toHaveLength(1);
    expect(outputs[0]).toMatchObject({
      output_type: "display_data",
      data: { "text/plain": ["discovering services: 3 services found"] },
    });
  });

  test("delivers every line of a cell that prints far more than zeromq's 512 queued sends", async () => {
    const result = await run(notebookOf(["for (let i = 0; i < 20000; i++) console.log(i);", "console.log('after')"]));
    expect(result.failure).toBeUndefined();
    const lines = text(codeCells(result.notebook)[0]?.outputs ?? []).split("\n");
    expect(lines.filter((line) => line !== "")).toHaveLength(20000);
    expect(text(codeCells(result.notebook)[1]?.outputs ?? [])).toBe("after\n");
  });

  test("aborting kills the kernel and returns the notebook as far as it got", async () => {
    const controller = new AbortController();
    const result = await run(notebookOf(["console.log('ran')", "await new Promise(() => {})"]), {
      signal: controller.signal,
      // abort while the second cell hangs, however slowly the machine got there
      onCell: ({ index }) => {
        if (index === 1) setTimeout(() => controller.abort(), 500);
      },
    });
    expect(result.failure).toMatchObject({ label: "cell 2", reason: "interrupted" });
    expect(text(codeCells(result.notebook)[0]?.outputs ?? [])).toBe("ran\n");
  });
});
