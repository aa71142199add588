import { describe, expect, test } from "vitest";
import { barChart } from "../../lib/render/charts";
import { chartBundle, VEGALITE_MIME } from "../../lib/render/display";
import { toSvg } from "../../lib/render/vega";

const cpu = barChart(
  [
    { label: "task A", value: 25 },
    { label: "task B", value: 99, emphasis: true },
    { label: "task C", value: 25 },
  ],
  { title: "CPU per task", unit: "CPU %", rule: { value: 50, label: "average" } },
);

describe("charts", () => {
  test("a bar chart renders to SVG in Node, the outlier in the emphasis colour", async () => {
    const svg = await toSvg(cpu);
    expect(svg.startsWith("<svg")).toBe(true);
    for (const label of ["task A", "task B", "task C", "CPU per task", "average 50"]) expect(svg).toContain(label);
    expect(svg.match(/fill="#d62728"/g)).toHaveLength(1);
    expect(svg.match(/fill="#4c78a8"/g)).toHaveLength(2);
  });

  test("a chart display carries vega-lite for JupyterLab, SVG for everything else, and a line of text", async () => {
    const bundle = await chartBundle(cpu);
    expect(Object.keys(bundle).sort()).toEqual(["application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"]);
    expect(bundle[VEGALITE_MIME]).toMatchObject({ $schema: "https://vega.github.io/schema/vega-lite/v5.json" });
    expect(bundle["text/plain"]).toBe("[chart: CPU per task]");
  });

  test("the spec carries its data inline", () => {
    expect(JSON.stringify(cpu)).not.toMatch(/"url"/);
    expect(cpu).toMatchObject({ data: { values: [{ label: "task A" }, { label: "task B" }, { label: "task C" }] } });
  });
});
