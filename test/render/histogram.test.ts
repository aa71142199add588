import { describe, expect, test } from "vitest";
import { latencyBins, latencyHistogramSpec, percentile } from "../../lib/render/histogram";
import { toSvg } from "../../lib/render/vega";

// A long tail: most requests near 50 ms, 2 % between 4 and 5 s (each of 4000, 4050, …, 4950 ms ten times).
const latencies = Array.from({ length: 10_000 }, (_, i) => (i % 50 === 0 ? 4000 + (i % 1000) : 40 + (i % 23)));

describe("latency histogram", () => {
  test("the bins count every value exactly once and cover the range", () => {
    for (const scale of ["linear", "log"] as const) {
      const bins = latencyBins(latencies, { bins: 20, scale });
      expect(bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(latencies.length);
      expect(bins[0]?.start).toBeLessThanOrEqual(40);
      expect(bins[bins.length - 1]?.end).toBeGreaterThanOrEqual(4900);
      for (let i = 1; i < bins.length; i++) expect(bins[i]?.start).toBe(bins[i - 1]?.end);
    }
  });

  test("values on a bin edge, equal values, zeros on a log scale and non-numbers are handled", () => {
    expect(latencyBins([0, 10, 20], { bins: 2 }).map((bin) => bin.count)).toEqual([1, 1, 1]);
    expect(latencyBins([7, 7, 7])).toEqual([{ start: 7, end: 8, count: 3 }]);
    const log = latencyBins([0, 1, 10, 100], { bins: 2, scale: "log" });
    expect(log.reduce((sum, bin) => sum + bin.count, 0)).toBe(4);
    expect(latencyBins([1, Number.NaN, 2]).reduce((sum, bin) => sum + bin.count, 0)).toBe(2);
    expect(latencyBins([])).toEqual([]);
  });

  test("the spec carries the bins, not the values, and a rule at the p99", () => {
    const spec = latencyHistogramSpec(latencies, { title: "GET /something", bins: 25 }) as unknown as {
      data: { values: { count: number }[] };
      layer: { mark: { type: string }; data?: { values: { value: number; text: string }[] } }[];
    };
    expect(spec.data.values.length).toBeLessThanOrEqual(30);
    expect(spec.data.values.reduce((sum, bin) => sum + bin.count, 0)).toBe(latencies.length);
    const p99 = percentile(latencies, 99);
    expect(p99).toBe(4450);
    const rule = spec.layer.find((layer) => layer.mark.type === "rule");
    expect(rule?.data?.values[0]).toEqual({ value: 4450, text: "p99 4450 ms" });
  });

  test("renders to SVG on linear and log scales, the tail past the p99 in the warning red", async () => {
    for (const scale of ["linear", "log"] as const) {
      const svg = await toSvg(latencyHistogramSpec(latencies, { title: "GET /something", scale }));
      expect(svg.startsWith("<svg")).toBe(true);
      for (const text of ["GET /something", "p99 4450 ms", "latency (ms)", "requests"]) expect(svg).toContain(text);
      expect(svg).toContain('fill="#d62728"');
      expect(svg).toContain('fill="#4c78a8"');
    }
  });

  test("no values, no rule", () => {
    const spec = latencyHistogramSpec([], { title: "empty" }) as unknown as { layer: unknown[] };
    expect(spec.layer).toHaveLength(1);
  });
});
