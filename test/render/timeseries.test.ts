import { describe, expect, test } from "vitest";
import type { Series } from "../../lib/observe/series";
import { percentileSpec, timeSeriesSpec } from "../../lib/render/timeseries";
import { toSvg } from "../../lib/render/vega";

const T0 = Date.UTC(2026, 10, 28);

function series(label: string, base: number, n: number, emphasis = false): Series {
  const points = Array.from({ length: n }, (_, i) => ({ time: T0 + i * 60_000, value: base + 5 * Math.sin(i / 20) }));
  return { label, key: label, unit: "CPU %", points, ...(emphasis ? { emphasis } : {}) };
}

type Row = { time: number; value: number; series: string; emphasis: boolean };

function rows(spec: object): Row[] {
  return (spec as { data: { values: Row[] } }).data.values;
}

function layers(spec: object): { mark: { type: string }; data?: { values: { value: number }[] } }[] {
  return (spec as { layer: { mark: { type: string }; data?: { values: { value: number }[] } }[] }).layer;
}

const cpu = timeSeriesSpec([series("task A", 25, 5000), series("task B", 95, 5000, true), series("task C", 30, 5000)], {
  title: "CPU per task",
  width: 300,
  rule: { value: 80, label: "alarm" },
});

describe("time-series charts", () => {
  test("one line per series, each decimated to at most the chart width", () => {
    const data = rows(cpu);
    const labels = [...new Set(data.map((row) => row.series))];
    expect(labels).toEqual(["task A", "task B", "task C"]);
    for (const label of labels) {
      const count = data.filter((row) => row.series === label).length;
      expect(count).toBeGreaterThan(0);
      expect(count).toBeLessThanOrEqual(300);
    }
    expect(layers(cpu)[0]?.mark.type).toBe("line");
  });

  test("the emphasised series is the warning red, the others are not", () => {
    const color = (
      layers(cpu)[0] as unknown as { encoding: { color: { scale: { domain: string[]; range: string[] } } } }
    ).encoding.color.scale;
    expect(color.domain).toEqual(["task A", "task B", "task C"]);
    expect(color.range[1]).toBe("#d62728");
    expect(color.range.filter((c) => c === "#d62728")).toHaveLength(1);
    expect(
      rows(cpu)
        .filter((row) => row.emphasis)
        .every((row) => row.series === "task B"),
    ).toBe(true);
  });

  test("the rule sits at its value with its label", () => {
    const rule = layers(cpu).find((layer) => layer.mark.type === "rule");
    expect(rule?.data?.values[0]?.value).toBe(80);
  });

  test("renders to SVG: three lines, the emphasised one thick and red, the rule labelled", async () => {
    const svg = await toSvg(cpu);
    expect(svg.startsWith("<svg")).toBe(true);
    const lines = svg.match(/<path[^>]*aria-roledescription="line mark"[^>]*>/g) ?? [];
    expect(lines).toHaveLength(3);
    const red = lines.filter((path) => path.includes('stroke="#d62728"'));
    expect(red).toHaveLength(1);
    expect(red[0]).toContain('stroke-width="3"');
    expect(red[0]).toContain("task B");
    for (const text of ["CPU per task", "alarm 80", "task A", "task B", "task C", "CPU %", "time (UTC)"]) {
      expect(svg).toContain(text);
    }
  });

  test("without an emphasised series no line is red", async () => {
    const svg = await toSvg(timeSeriesSpec([series("task A", 25, 100), series("task C", 30, 100)], { title: "CPU" }));
    expect(svg).not.toContain("#d62728");
  });

  test("a fixed value axis is passed to the scale", () => {
    const spec = timeSeriesSpec([series("task A", 25, 10)], { title: "CPU", yDomain: [0, 100] });
    expect(JSON.stringify(spec)).toContain('"domain":[0,100]');
  });

  test("percentiles are ordered p50, p90, p99 on a millisecond axis", async () => {
    const latency = (key: string, base: number): Series => ({ ...series(key, base, 200), key, unit: "Milliseconds" });
    const spec = percentileSpec([latency("p99", 900), latency("p50", 100), latency("p90", 400)], {
      title: "ALB latency",
    });
    expect([...new Set(rows(spec).map((row) => row.series))]).toEqual(["p50", "p90", "p99"]);
    const svg = await toSvg(spec);
    expect(svg).toContain("latency (ms)");
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(3);
  });
});
