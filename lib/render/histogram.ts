// Latency histograms: how many requests took how long, with the p99 marked. Values are binned here, in TypeScript,
// so the spec carries one row per bin and not one per request.
import type { VegaLiteSpec } from "./vega";

export interface HistogramOptions {
  title: string;
  /** How many bins to aim for; the edges are rounded to readable numbers, so the count may differ a little. */
  bins?: number;
  width?: number;
  height?: number;
  /** "log" spaces the bins and the axis by powers of ten, so a long tail is not squeezed into the last bar. */
  scale?: "linear" | "log";
}

export interface Bin {
  /** Inclusive lower edge, ms. */
  readonly start: number;
  /** Exclusive upper edge, ms; the last bin also holds values equal to it. */
  readonly end: number;
  readonly count: number;
}

const NORMAL = "#4c78a8";
const EMPHASIS = "#d62728";

/**
 * Bins latencies into about `bins` bins between the smallest and the largest value. Every finite value lands in
 * exactly one bin; values that are not finite numbers are left out. On a log scale, values at or below zero count in
 * the first bin.
 */
export function latencyBins(
  valuesMs: readonly number[],
  options: { bins?: number; scale?: "linear" | "log" } = {},
): Bin[] {
  const values = valuesMs.filter(Number.isFinite);
  if (values.length === 0) return [];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const wanted = Math.max(1, Math.floor(options.bins ?? 30));
  const edges = options.scale === "log" ? logEdges(min, max, wanted) : linearEdges(min, max, wanted);
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const value of values) {
    const bin = binOf(edges, value);
    counts[bin] = (counts[bin] as number) + 1;
  }
  return counts.map((count, i) => ({ start: edges[i] as number, end: edges[i + 1] as number, count }));
}

/** The nearest-rank percentile (`p` in 0–100) of the finite values, or undefined when there are none. */
export function percentile(valuesMs: readonly number[], p: number): number | undefined {
  const sorted = valuesMs.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

/** A histogram of request latencies with a dashed rule at the p99. */
export function latencyHistogramSpec(valuesMs: readonly number[], options: HistogramOptions): VegaLiteSpec {
  const bins = latencyBins(valuesMs, options);
  const p99 = percentile(valuesMs, 99);
  const log = options.scale === "log";
  const values = bins.map((bin) => ({ ...bin, tail: p99 !== undefined && bin.end > p99 }));
  const bars = {
    mark: { type: "bar" as const },
    encoding: {
      x: {
        field: "start",
        type: "quantitative" as const,
        title: "latency (ms)",
        scale: log ? { type: "log" as const } : { zero: false },
      },
      x2: { field: "end" },
      y: { field: "count", type: "quantitative" as const, title: "requests" },
      // Bars between two x edges need their base given, or vega-lite draws them as thin ticks.
      y2: { datum: 0 },
      color: {
        field: "tail",
        type: "nominal" as const,
        scale: { domain: [false, true], range: [NORMAL, EMPHASIS] },
        legend: null,
      },
      tooltip: [
        { field: "start", type: "quantitative" as const, title: "from (ms)" },
        { field: "end", type: "quantitative" as const, title: "to (ms)" },
        { field: "count", type: "quantitative" as const, title: "requests" },
      ],
    },
  };
  const layers: NonNullable<Extract<VegaLiteSpec, { layer: unknown }>["layer"]> = [bars];
  if (p99 !== undefined) {
    const rule = { value: p99, text: `p99 ${formatMs(p99)} ms` };
    layers.push(
      {
        data: { values: [rule] },
        mark: { type: "rule", strokeDash: [4, 4], color: "#555555" },
        encoding: { x: { field: "value", type: "quantitative" } },
      },
      {
        data: { values: [rule] },
        mark: { type: "text", align: "left", baseline: "top", dx: 4, y: 0, color: "#555555" },
        encoding: { x: { field: "value", type: "quantitative" }, text: { field: "text" } },
      },
    );
  }
  return {
    title: options.title,
    width: options.width ?? 480,
    height: options.height ?? 200,
    data: { values },
    layer: layers,
  };
}

/** Edges at a round step (1, 2 or 5 × 10^k) covering [min, max]. */
function linearEdges(min: number, max: number, wanted: number): number[] {
  if (max === min) return [min, min + 1];
  const rough = (max - min) / wanted;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude;
  const first = Math.floor(min / step) * step;
  const count = Math.max(1, Math.ceil((max - first) / step + 1e-9));
  const edges = Array.from({ length: count + 1 }, (_, i) => round(first + i * step));
  if ((edges[edges.length - 1] as number) < max) edges.push(round(first + (count + 1) * step));
  return edges;
}

/** Edges spaced evenly in log10 from the smallest positive value to the largest. */
function logEdges(min: number, max: number, wanted: number): number[] {
  const low = min > 0 ? min : Math.min(1, max > 0 ? max : 1);
  const high = Math.max(max, low * 1.000001);
  const from = Math.log10(low);
  const to = Math.log10(high);
  const edges = Array.from({ length: wanted + 1 }, (_, i) => 10 ** (from + ((to - from) * i) / wanted));
  edges[0] = low;
  edges[wanted] = high;
  return edges;
}

/** The bin holding `value`: binary search over the edges; out-of-range values go to the nearest end bin. */
function binOf(edges: readonly number[], value: number): number {
  let lo = 0;
  let hi = edges.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (value >= (edges[mid] as number)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function round(value: number): number {
  return Number(value.toPrecision(12));
}

function formatMs(value: number): string {
  return value >= 100 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
}
