import { describe, expect, test } from "vitest";
import { table, tableBundle } from "../../lib/render/tables";

const rows = [
  { task: "task A", cpu: 25, message: "ok" },
  { task: "task B <script>alert(1)</script>", cpu: 99.5, message: "a | b" },
  { task: "task C", cpu: null, message: "line one\nline two" },
];

describe("tables", () => {
  test("HTML escapes every value and header: no script survives", () => {
    const { html } = table(rows, { columns: [{ key: "task", title: "<b>Task</b>" }, { key: "cpu" }] });
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>");
    expect(html).toContain("task B &#60;script&#62;alert(1)&#60;/script&#62;");
    expect(html).toContain("&#60;b&#62;Task&#60;/b&#62;");
    expect(html.match(/<tr>/g)).toHaveLength(4);
    expect(html).toContain('<td style="text-align: right">99.5</td>');
  });

  test("Markdown escapes pipes and markup and keeps each row on one line", () => {
    const { markdown } = table(rows);
    const lines = markdown.split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe("| task | cpu | message |");
    expect(lines[1]).toBe("| --- | --: | --- |");
    expect(lines[3]).toBe("| task B &lt;script&gt;alert(1)&lt;/script&gt; | 99.5 | a \\| b |");
    expect(lines[4]).toBe("| task C | — | line one line two |");
    expect(markdown).not.toContain("<script>");
    // Every row has as many unescaped pipes as the header.
    const cellsIn = (line: string) => line.replace(/\\\|/g, "").split("|").length;
    for (const line of lines) expect(cellsIn(line)).toBe(cellsIn(lines[0] as string));
  });

  test("a backslash before a pipe cannot unescape it", () => {
    const { markdown } = table([{ path: "C:\\|x" }]);
    expect(markdown.split("\n")[2]).toBe("| C:\\\\\\|x |");
  });

  test("text aligns columns: text to the left, numbers to the right", () => {
    const { text } = table(
      [
        { name: "a", count: 5 },
        { name: "longer name", count: 12345 },
      ],
      {
        columns: [
          { key: "name", title: "Name" },
          { key: "count", title: "Count" },
        ],
      },
    );
    expect(text.split("\n")).toEqual([
      "Name         Count",
      "-----------  -----",
      "a                5",
      "longer name  12345",
    ]);
  });

  test("values pass through as given, including redaction markers", () => {
    const { text, html, markdown } = table([{ name: "DB_PASSWORD", value: "«redacted»" }]);
    for (const out of [text, html, markdown]) expect(out).toContain("«redacted»");
  });

  test("a table bundle carries HTML, Markdown and text", () => {
    const bundle = tableBundle(rows);
    expect(Object.keys(bundle).sort()).toEqual(["text/html", "text/markdown", "text/plain"]);
    expect(bundle["text/plain"]).toBe(table(rows).text);
  });

  test("an empty table still has its header", () => {
    const { html, markdown, text } = table([], { columns: [{ key: "task" }] });
    expect(html).toContain("<th>task</th>");
    expect(markdown).toBe("| task |\n| --- |");
    expect(text).toBe("task\n----");
  });
});
