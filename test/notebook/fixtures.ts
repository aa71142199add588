// Notebooks built in tests: a list of cell sources becomes an nbformat 4 notebook on the tslab kernel.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { codeCell, formatNotebook, type Notebook } from "../../lib/notebook/ipynb";

export type CellSpec = string | { source: string; tags?: string[]; markdown?: boolean };

export function notebookOf(cells: readonly CellSpec[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
    cells: cells.map((cell, index) => {
      const spec = typeof cell === "string" ? { source: cell } : cell;
      if (spec.markdown) return { cell_type: "markdown", id: `md${index}`, metadata: {}, source: spec.source };
      return codeCell(spec.source, { id: `c${index}`, tags: spec.tags ?? [] });
    }),
  };
}

/** Writes the notebook into a fresh directory whose name has a space, as a user's path might. */
export function writeTempNotebook(cells: readonly CellSpec[], name = "test.ipynb"): string {
  const dir = mkdtempSync(join(tmpdir(), "ecs takeover test-"));
  const path = join(dir, name);
  writeFileSync(path, formatNotebook(notebookOf(cells)));
  return path;
}
