// An executed notebook as a document: Markdown (prose as written, code as fenced `ts` blocks or left out, tables as
// Markdown, charts as SVG files beside the document, text outputs fenced) and self-contained HTML. Everything that
// came out of a cell passes the redaction filter first.
import MarkdownIt from "markdown-it";
import { redactText } from "../render/redaction";
import { hasTag, type MimeBundle, type Notebook, type Output, sourceText } from "./ipynb";

export interface ExportOptions {
  /** Include code cells as fenced blocks (default true). */
  readonly includeCode?: boolean;
  /** How chart files are named and linked: `<assetPrefix>-<n>.svg`, relative to the Markdown file. */
  readonly assetPrefix: string;
}

export interface Asset {
  /** Relative to the Markdown file. */
  readonly path: string;
  readonly content: string;
}

export interface MarkdownExport {
  readonly markdown: string;
  readonly assets: readonly Asset[];
}

/** Pure: no files are read or written. */
export function exportMarkdown(notebook: Notebook, options: ExportOptions): MarkdownExport {
  const parts: string[] = [];
  const assets: Asset[] = [];
  for (const cell of notebook.cells) {
    if (cell.cell_type === "markdown") {
      parts.push(sourceText(cell.source).trim());
      continue;
    }
    if (cell.cell_type !== "code") continue;
    const code = sourceText(cell.source).trim();
    if ((options.includeCode ?? true) && code !== "" && !hasTag(cell, "injected-parameters")) {
      parts.push(fence("ts", code));
    }
    for (const output of cell.outputs) {
      const part = exportOutput(output, options.assetPrefix, assets);
      if (part !== "") parts.push(part);
    }
  }
  return { markdown: `${parts.filter((part) => part !== "").join("\n\n")}\n`, assets };
}

function exportOutput(output: Output, assetPrefix: string, assets: Asset[]): string {
  switch (output.output_type) {
    case "stream": {
      const text = redactText(joined(output.text)).trimEnd();
      return text === "" ? "" : fence("text", text);
    }
    case "error":
      return fence("text", redactText(`${output.ename}: ${output.evalue}`));
    case "display_data":
    case "execute_result":
      return exportBundle(output.data, assetPrefix, assets);
  }
}

/** Markdown when the display has it (tables), else its SVG as a file beside the document (charts), else its text. */
function exportBundle(data: MimeBundle, assetPrefix: string, assets: Asset[]): string {
  const markdown = data["text/markdown"];
  if (markdown !== undefined) return redactText(joined(markdown)).trim();
  const svg = data["image/svg+xml"];
  if (svg !== undefined) {
    const path = `${assetPrefix}-${assets.length + 1}.svg`;
    assets.push({ path, content: redactText(joined(svg)) });
    const title =
      joined(data["text/plain"] ?? "chart")
        .replace(/^\[chart:?\s*|\]$/g, "")
        .trim() || "chart";
    return `![${title.replace(/[[\]]/g, "")}](${path})`;
  }
  const plain = data["text/plain"];
  if (plain !== undefined) return fence("text", redactText(joined(plain)).trimEnd());
  return "";
}

/** Self-contained HTML: the Markdown rendered, charts inlined as data URIs. */
export function exportHtml(exported: MarkdownExport, title: string): string {
  const markdown = new MarkdownIt({ html: false, linkify: false });
  const inline = new Map(exported.assets.map((asset) => [asset.path, asset.content]));
  const defaultImage = markdown.renderer.rules.image;
  markdown.renderer.rules.image = (tokens, index, options, env, self) => {
    const token = tokens[index];
    const src = String(token?.attrGet("src") ?? "");
    const svg = inline.get(src);
    if (token && svg !== undefined)
      token.attrSet("src", `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`);
    return defaultImage ? defaultImage(tokens, index, options, env, self) : self.renderToken(tokens, index, options);
  };
  const body = markdown.render(exported.markdown);
  const escapedTitle = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapedTitle}</title>`,
    "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}",
    "pre{background:#f6f8fa;padding:.75rem;overflow:auto}table{border-collapse:collapse}",
    "td,th{border:1px solid #ccc;padding:.25rem .5rem}img{max-width:100%}</style>",
    "</head><body>",
    body,
    "</body></html>",
    "",
  ].join("\n");
}

function fence(language: string, text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const marker = "`".repeat(longest + 1);
  return `${marker}${language}\n${text}\n${marker}`;
}

function joined(value: unknown): string {
  return Array.isArray(value) ? value.join("") : typeof value === "string" ? value : JSON.stringify(value);
}
