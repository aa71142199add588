// Tables of findings, log lines and diagnoses as HTML (notebooks), Markdown (exports) and aligned text (terminals).
// Values are shown exactly as given — they arrive already redacted — and only escaped for the format they go into.
import { escapeHtml, type MimeBundle } from "./display";

export type Cell = string | number | null;
export type Row = Readonly<Record<string, Cell>>;

export interface Column {
  key: string;
  /** The header; defaults to the key. */
  title?: string;
  /** Defaults to right for columns holding only numbers, left otherwise. */
  align?: "left" | "right" | "center";
}

export interface TableOptions {
  /** Which columns, in which order; defaults to every key, in the order the rows first use them. */
  columns?: readonly Column[];
}

export interface Table {
  html: string;
  markdown: string;
  text: string;
}

/** Shown for a missing value (null or an absent key), so it reads differently from an empty string. */
const MISSING = "—";

export function table(rows: readonly Row[], options: TableOptions = {}): Table {
  const columns = resolveColumns(rows, options.columns);
  const cells = rows.map((row) => columns.map((column) => show(row[column.key])));
  return {
    html: toHtml(columns, cells),
    markdown: toMarkdown(columns, cells),
    text: toText(columns, cells),
  };
}

/** A table as one notebook display: HTML for notebooks, Markdown for exports, aligned text for terminals. */
export function tableBundle(rows: readonly Row[], options: TableOptions = {}): MimeBundle {
  const { html, markdown, text } = table(rows, options);
  return { "text/html": html, "text/markdown": markdown, "text/plain": text };
}

type Resolved = Required<Column>;

function resolveColumns(rows: readonly Row[], columns: readonly Column[] | undefined): Resolved[] {
  const chosen: readonly Column[] = columns ?? keysInOrder(rows).map((key) => ({ key }));
  return chosen.map((column) => ({
    key: column.key,
    title: column.title ?? column.key,
    align: column.align ?? (numeric(rows, column.key) ? "right" : "left"),
  }));
}

function keysInOrder(rows: readonly Row[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
  return [...keys];
}

function numeric(rows: readonly Row[], key: string): boolean {
  let any = false;
  for (const row of rows) {
    const value = row[key];
    if (value === null || value === undefined) continue;
    if (typeof value !== "number") return false;
    any = true;
  }
  return any;
}

function show(value: Cell | undefined): string {
  return value === null || value === undefined ? MISSING : String(value);
}

function toHtml(columns: readonly Resolved[], cells: readonly string[][]): string {
  const style = (column: Resolved) => (column.align === "left" ? "" : ` style="text-align: ${column.align}"`);
  const head = columns.map((column) => `<th${style(column)}>${escapeHtml(column.title)}</th>`).join("");
  const body = cells
    .map(
      (row) =>
        `<tr>${row.map((cell, i) => `<td${style(columns[i] as Resolved)}>${escapeHtml(cell)}</td>`).join("")}</tr>`,
    )
    .join("\n");
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}${body ? "\n" : ""}</tbody>\n</table>`;
}

/**
 * GitHub-flavoured Markdown. Backslashes and pipes are escaped so a value never splits a cell, `<`, `>` and `&`
 * become entities so a value never becomes markup, and line breaks become spaces so a row stays one line.
 */
function toMarkdown(columns: readonly Resolved[], cells: readonly string[][]): string {
  const rule = { left: "---", right: "--:", center: ":-:" } as const;
  const line = (values: readonly string[]) => `| ${values.join(" | ")} |`;
  return [
    line(columns.map((column) => markdownCell(column.title))),
    line(columns.map((column) => rule[column.align])),
    ...cells.map((row) => line(row.map(markdownCell))),
  ].join("\n");
}

function markdownCell(text: string): string {
  return text
    .replace(/[\\|]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r?\n|\r/g, " ");
}

/** Columns padded to their widest cell, two spaces apart, a dashed line under the header. */
function toText(columns: readonly Resolved[], cells: readonly string[][]): string {
  const flat = (text: string) => text.replace(/\r?\n|\r/g, " ");
  const header = columns.map((column) => flat(column.title));
  const rows = cells.map((row) => row.map(flat));
  const widths = columns.map((_, i) =>
    Math.max(width(header[i] as string), ...rows.map((row) => width(row[i] as string))),
  );
  const pad = (text: string, i: number) => {
    const room = (widths[i] as number) - width(text);
    const align = (columns[i] as Resolved).align;
    if (align === "right") return " ".repeat(room) + text;
    if (align === "center") return " ".repeat(Math.floor(room / 2)) + text + " ".repeat(Math.ceil(room / 2));
    return text + " ".repeat(room);
  };
  const line = (values: readonly string[]) => values.map(pad).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Width in characters, counting code points so that an emoji or accented letter counts once. */
function width(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
