// Putting things in front of the reader of a notebook: one display per chart carrying several MIME types, and
// displays that update in place. Outside a notebook (the command line, tests) the text/plain part is printed.
import { randomUUID } from "node:crypto";
import * as jupyter from "tslab/dist/jupyter";
import { toSvg, type VegaLiteSpec } from "./vega";

/** MIME type → content: strings for text types, plain objects for JSON types. */
export type MimeBundle = Record<string, unknown>;

/** JupyterLab and VS Code render vega-lite v5 natively; vega-lite 6 reads v5 specs. */
export const VEGALITE_MIME = "application/vnd.vegalite.v5+json";
const VEGALITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** Shows one display; with `displayId`, `update: true` replaces an earlier display of that id. */
export function display(bundle: MimeBundle, options: { displayId?: string; update?: boolean } = {}): void {
  const write = jupyter.lastWriteDisplayData as typeof jupyter.lastWriteDisplayData | null;
  if (write == null || !inNotebook()) {
    if (!options.update) process.stdout.write(`${String(bundle["text/plain"] ?? "")}\n`);
    return;
  }
  const transient = options.displayId === undefined ? {} : { display_id: options.displayId };
  // tslab types data as strings; JSON MIME types travel as objects, which Jupyter expects.
  write({ data: bundle as Record<string, string>, metadata: {}, transient }, options.update ?? false);
}

/**
 * A chart as one display: interactive vega-lite for JupyterLab and VS Code, SVG for the classic Notebook, nbconvert
 * and exports, and a line of text for terminals.
 */
export async function chartBundle(spec: VegaLiteSpec): Promise<MimeBundle> {
  const withSchema = { $schema: VEGALITE_SCHEMA, ...spec } as VegaLiteSpec;
  return {
    [VEGALITE_MIME]: withSchema,
    "image/svg+xml": await toSvg(withSchema),
    "text/plain": `[chart${chartTitle(spec) ? `: ${chartTitle(spec)}` : ""}]`,
  };
}

/** Draws a vega-lite chart in the notebook. */
export async function show(spec: VegaLiteSpec): Promise<void> {
  display(await chartBundle(spec));
}

/** A line of progress that updates in place, e.g. while many services are discovered. */
export class Progress {
  private readonly displayId = randomUUID();
  private shown = false;

  constructor(
    private readonly label: string,
    private readonly total?: number,
  ) {}

  update(done: number, note = ""): void {
    this.render(done, note);
  }

  finish(summary: string): void {
    this.render(this.total ?? 0, summary, true);
  }

  private render(done: number, note: string, finished = false): void {
    const count = this.total === undefined ? `${done}` : `${done}/${this.total}`;
    const text = finished ? `${this.label}: ${note}` : `${this.label}: ${count}${note ? ` — ${note}` : ""}`;
    const percent = this.total ? Math.min(100, Math.round((done / this.total) * 100)) : finished ? 100 : 0;
    const bar = `<progress value="${percent}" max="100" style="width: 12em"></progress>`;
    const html = `<div>${finished ? "" : bar} ${escapeHtml(text)}</div>`;
    if (!inNotebook()) {
      if (finished) process.stdout.write(`${text}\n`); // no notebook: only the summary
      return;
    }
    display({ "text/html": html, "text/plain": text }, { displayId: this.displayId, update: this.shown });
    this.shown = true;
  }
}

/** True inside a running tslab kernel, which binds its display writer on every execute. */
export function inNotebook(): boolean {
  return (jupyter.lastWriteDisplayData as typeof jupyter.lastWriteDisplayData | null) != null;
}

export function progress(label: string, total?: number): Progress {
  return new Progress(label, total);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function chartTitle(spec: VegaLiteSpec): string {
  const title = (spec as { title?: unknown }).title;
  if (typeof title === "string") return title;
  if (typeof title === "object" && title !== null && typeof (title as { text?: unknown }).text === "string") {
    return (title as { text: string }).text;
  }
  return "";
}
