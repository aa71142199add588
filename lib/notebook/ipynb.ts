// The .ipynb model (nbformat 4): reading, writing and the few cell operations the runner and export need.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { writeFileAtomic } from "../files";
import { isRecord } from "../json";

/** Text in nbformat is a string or a list of lines; we read both and write lists. */
export type MultilineText = string | string[];

export type MimeBundle = Record<string, unknown>;

export type Output =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: MultilineText }
  | { output_type: "display_data"; data: MimeBundle; metadata: Record<string, unknown> }
  | {
      output_type: "execute_result";
      execution_count: number | null;
      data: MimeBundle;
      metadata: Record<string, unknown>;
    }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

export interface CellMetadata {
  tags?: string[];
  [key: string]: unknown;
}

export type Cell =
  | {
      cell_type: "code";
      id?: string;
      metadata: CellMetadata;
      source: MultilineText;
      execution_count: number | null;
      outputs: Output[];
    }
  | { cell_type: "markdown" | "raw"; id?: string; metadata: CellMetadata; source: MultilineText };

export type CodeCell = Extract<Cell, { cell_type: "code" }>;

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

/** A notebook that cannot be read: missing, not JSON, or not nbformat 4. */
export class NotebookError extends Error {
  override name = "NotebookError";
}

export function readNotebook(path: string): Notebook {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new NotebookError(code === "ENOENT" ? `notebook not found: ${path}` : `cannot read ${path} (${code})`);
  }
  return parseNotebook(text, path);
}

export function parseNotebook(text: string, path = "notebook"): Notebook {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new NotebookError(`${path} is not a notebook: it is not valid JSON`);
  }
  if (!isRecord(value) || value.nbformat !== 4 || !Array.isArray(value.cells)) {
    throw new NotebookError(`${path} is not a notebook in nbformat 4`);
  }
  value.cells.forEach((cell, index) => {
    if (!isRecord(cell) || !["code", "markdown", "raw"].includes(String(cell.cell_type))) {
      throw new NotebookError(`${path}: cell ${index + 1} is not a notebook cell`);
    }
    if (typeof cell.source !== "string" && !Array.isArray(cell.source)) {
      throw new NotebookError(`${path}: cell ${index + 1} has no source`);
    }
    cell.metadata = isRecord(cell.metadata) ? cell.metadata : {};
    if (cell.cell_type === "code" && !Array.isArray(cell.outputs)) cell.outputs = [];
  });
  return value as unknown as Notebook;
}

/** Serialises as Jupyter does (one-space indent, trailing newline), so committed notebooks diff cleanly. */
export function formatNotebook(notebook: Notebook): string {
  return `${JSON.stringify(notebook, null, 1)}\n`;
}

export function writeNotebook(path: string, notebook: Notebook): void {
  writeFileAtomic(path, formatNotebook(notebook));
}

export function sourceText(source: MultilineText): string {
  return Array.isArray(source) ? source.join("") : source;
}

/** Splits text into nbformat's list of lines, each keeping its newline. */
export function toLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

export function hasTag(cell: Cell, tag: string): boolean {
  return Array.isArray(cell.metadata.tags) && cell.metadata.tags.includes(tag);
}

export function codeCell(source: string, options: { id?: string; tags?: string[] } = {}): CodeCell {
  const tags = options.tags ?? [];
  return {
    cell_type: "code",
    id: options.id ?? randomUUID().slice(0, 8),
    metadata: tags.length > 0 ? { tags } : {},
    source: toLines(source),
    execution_count: null,
    outputs: [],
  };
}
