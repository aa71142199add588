// Chart cost against input size: a time series of 10,000 vs 1,000,000 input points (3 series) built and rendered to
// SVG. Decimation keeps the drawn points bounded by the chart width, so the cost should barely grow.
import type { Series } from "../../lib/observe/series";
import { timeSeriesSpec } from "../../lib/render/timeseries";
import { toSvg } from "../../lib/render/vega";
import { median, report, timed } from "./report";

const WIDTH = 600;
const RUNS = 7;
const T0 = Date.UTC(2026, 10, 28);

export async function benchCharts(): Promise<void> {
  const small = threeSeries(10_000);
  const large = threeSeries(1_000_000);
  await render(small); // loads vega and warms the JIT, so neither size pays for it

  // Alternate the sizes so that a slow moment of the machine falls on both, and collect garbage between runs.
  const smallTimes: number[] = [];
  const largeTimes: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    smallTimes.push(await timeOne(small));
    largeTimes.push(await timeOne(large));
  }
  const smallMs = median(smallTimes);
  const largeMs = median(largeTimes);
  report({ name: "time series chart, 3 × 10,000 points, build + SVG", value: smallMs, unit: "ms", goal: null });
  report({ name: "time series chart, 3 × 1,000,000 points, build + SVG", value: largeMs, unit: "ms", goal: null });
  report({
    name: "time series chart cost, 1,000,000 vs 10,000 input points",
    value: largeMs / smallMs,
    unit: "ratio",
    goal: "<= 1.5",
  });

  const spec = timeSeriesSpec(large, { title: "CPU per task", width: WIDTH });
  const rows = (spec as { data: { values: { series: string }[] } }).data.values;
  const perSeries = Math.max(...large.map((s) => rows.filter((row) => row.series === s.label).length));
  report({
    name: `points drawn per series (most), chart ${WIDTH} px wide`,
    value: perSeries,
    unit: "points",
    goal: null,
  });
  report({ name: "points drawn per series vs chart width", value: perSeries / WIDTH, unit: "ratio", goal: "<= 1" });
}

async function timeOne(series: readonly Series[]): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.(); // `npm run bench` runs with --expose-gc
  const [ms] = await timed(() => render(series));
  return ms;
}

function render(series: readonly Series[]): Promise<string> {
  return toSvg(
    timeSeriesSpec(series, { title: "CPU per task", unit: "CPU %", width: WIDTH, rule: { value: 80, label: "alarm" } }),
  );
}

/** Three tasks over the same range, one with a spike, sampled every second up to `n` points each. */
function threeSeries(n: number): Series[] {
  return ["task A", "task B", "task C"].map((label, s) => {
    const points = new Array<{ time: number; value: number }>(n);
    for (let i = 0; i < n; i++) {
      const noise = ((i * 2_654_435_761 + s) % 1000) / 100; // deterministic jitter, 0–10
      points[i] = { time: T0 + i * 1000, value: 30 + 20 * s + 10 * Math.sin(i / 5000) + noise };
    }
    return { label, key: label, unit: "CPU %", points, ...(s === 1 ? { emphasis: true } : {}) };
  });
}
