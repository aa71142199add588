// `ecs-takeover export NOTEBOOK.ipynb`: an executed notebook as Markdown (charts as SVG files beside it) and HTML.
import { mkdirSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import type { Command } from "commander";
import { UsageError } from "../errors";
import { writeFileAtomic } from "../files";
import { exportHtml, exportMarkdown } from "../notebook/export";
import { type Notebook, NotebookError, readNotebook } from "../notebook/ipynb";
import { displayPath } from "./display-path";

interface ExportFlags {
  md?: string;
  html?: string;
  code: boolean;
}

export function registerExportCommand(program: Command): void {
  program
    .command("export")
    .description("turn an executed notebook into Markdown (charts as SVG files beside it) and self-contained HTML")
    .argument("<notebook>", "the executed .ipynb")
    .option("--md <file.md>", "write Markdown here (default: NOTEBOOK.md when no --html is given)")
    .option("--html <file.html>", "write self-contained HTML here")
    .option("--no-code", "leave the code cells out")
    .action((path: string, flags: ExportFlags) => {
      let notebook: Notebook;
      try {
        notebook = readNotebook(path);
      } catch (error) {
        if (error instanceof NotebookError) throw new UsageError(error.message);
        throw error;
      }
      const md = flags.md ?? (flags.html ? undefined : join(dirname(path), `${basename(path, extname(path))}.md`));
      const written = writeExports(notebook, { md, html: flags.html, includeCode: flags.code });
      process.stdout.write(`wrote ${written.join(", ")}\n`);
    });
}

/** Writes the Markdown (with its SVG files) and/or the HTML; returns what it wrote. */
export function writeExports(
  notebook: Notebook,
  targets: { md?: string | undefined; html?: string | undefined; includeCode: boolean },
): string[] {
  const anchor = targets.md ?? targets.html ?? "notebook";
  const assetPrefix = `${basename(anchor, extname(anchor))}-files/chart`;
  const exported = exportMarkdown(notebook, { includeCode: targets.includeCode, assetPrefix });
  const written: string[] = [];
  if (targets.md) {
    writeFileAtomic(targets.md, exported.markdown);
    for (const asset of exported.assets) {
      const path = join(dirname(targets.md), asset.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileAtomic(path, asset.content);
    }
    written.push(displayPath(targets.md));
  }
  if (targets.html) {
    writeFileAtomic(targets.html, exportHtml(exported, basename(targets.html, extname(targets.html))));
    written.push(displayPath(targets.html));
  }
  return written;
}
