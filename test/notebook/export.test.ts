import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, test } from "vitest";
import { exportHtml, exportMarkdown } from "../../lib/notebook/export";
import { formatNotebook, type Notebook } from "../../lib/notebook/ipynb";
import { cli, expectOneLine } from "../cli/cli";
import { writeTempNotebook } from "./fixtures";

const CANARY = "mysupersecretpasswd";
const executed: Notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    { cell_type: "markdown", metadata: {}, source: ["# Triage\n", "\n", "Where did the time go?"] },
    {
      cell_type: "code",
      metadata: { tags: ["injected-parameters"] },
      source: 'cluster = "my-cluster";',
      execution_count: 1,
      outputs: [],
    },
    {
      cell_type: "code",
      metadata: {},
      source: "console.log(environment)",
      execution_count: 2,
      outputs: [
        {
          output_type: "stream",
          name: "stdout",
          text: [`[ { name: 'DB_PASSWD', value: '${CANARY}' } ]\n`, "DB_HOST=db.internal\n"],
        },
        {
          output_type: "display_data",
          data: {
            "image/svg+xml": ["<svg>", "<text>CPU</text></svg>"],
            "text/plain": ["[chart: CPU per task]"],
            "application/vnd.vegalite.v5+json": {},
          },
          metadata: {},
        },
        {
          output_type: "display_data",
          data: {
            "text/markdown": "| task | CPU |\n|---|---|\n| B | 99 |",
            "text/html": "<table></table>",
            "text/plain": "task CPU",
          },
          metadata: {},
        },
        { output_type: "error", ename: "Error", evalue: `password=${CANARY} rejected`, traceback: [] },
      ],
    },
  ],
};

describe("exportMarkdown", () => {
  const exported = exportMarkdown(executed, { assetPrefix: "triage-files/chart" });

  test("prose as written, code fenced (not the injected parameters), text fenced, tables as Markdown, charts as files", () => {
    expect(exported.markdown).toBe(
      [
        "# Triage\n\nWhere did the time go?",
        "```ts\nconsole.log(environment)\n```",
        "```text\n[ { name: 'DB_PASSWD', value: '«redacted»' } ]\nDB_HOST=db.internal\n```",
        "![CPU per task](triage-files/chart-1.svg)",
        "| task | CPU |\n|---|---|\n| B | 99 |",
        "```text\nError: «redacted» rejected\n```",
        "",
      ]
        .join("\n\n")
        .replace(/\n\n$/, "\n"),
    );
    expect(exported.assets).toEqual([{ path: "triage-files/chart-1.svg", content: "<svg><text>CPU</text></svg>" }]);
  });

  test("--no-code leaves the code out", () => {
    expect(exportMarkdown(executed, { assetPrefix: "x", includeCode: false }).markdown).not.toContain("```ts");
  });

  test("HTML is self-contained: charts inlined, nothing secret", () => {
    const html = exportHtml(exported, "triage <1>");
    expect(html).toContain("<title>triage &#60;1&#62;</title>");
    expect(html).toContain('src="data:image/svg+xml;base64,');
    expect(html).toContain("<h1>Triage</h1>");
    expect(html).not.toContain(CANARY);
  });
});

describe("ecs-takeover export", () => {
  test("writes Markdown with its charts beside it, and HTML", async () => {
    const path = writeTempNotebook(["1"], "triage.ipynb");
    writeFileSync(path, formatNotebook(executed));
    const result = await cli([
      "export",
      path,
      "--md",
      join(dirname(path), "out", "triage.md"),
      "--html",
      join(dirname(path), "triage.html"),
    ]);
    expect(result.code).toBe(0);
    const markdown = readFileSync(join(dirname(path), "out", "triage.md"), "utf8");
    expect(markdown).toContain("![CPU per task](triage-files/chart-1.svg)");
    expect(existsSync(join(dirname(path), "out", "triage-files", "chart-1.svg"))).toBe(true);
    expect(readFileSync(join(dirname(path), "triage.html"), "utf8")).not.toContain(CANARY);
    expect(markdown).not.toContain(CANARY);
  });

  test("a missing notebook is a usage error", async () => {
    const result = await cli(["export", "/nonexistent/x.ipynb"]);
    expect(result.code).toBe(2);
    expect(expectOneLine(result.stderr)).toMatch(/notebook not found/);
  });
});
