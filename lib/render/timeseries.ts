// Time-series charts: one line per task, container or statistic, the outlier emphasised, a threshold drawn across.
// A chart function never fetches: it takes the series observe/ returned and describes what to draw.
import type { Series } from "../observe/series";
import { decimate } from "./decimate";
import type { VegaLiteSpec } from "./vega";

export interface TimeSeriesOptions {
  title: string;
  /** Axis title of the values, e.g. "CPU %"; defaults to the unit of the first series. */
  unit?: string;
  /** Pixels; each series is decimated to at most this many points. */
  width?: number;
  height?: number;
  /** A dashed line across the chart, e.g. an alarm threshold or the service average. */
  rule?: { value: number; label: string };
  /** Fixed value axis, e.g. [0, 100] for a percentage; by default it fits the data and starts at zero. */
  yDomain?: [number, number];
}

const EMPHASIS = "#d62728";
/** Category colours without red, so the warning colour stays the outlier's alone. */
const PALETTE = ["#4c78a8", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#9d755d", "#bab0ac", "#17becf", "#8c564b"];
/** Percentiles from light to dark: the tail reads as the heaviest line. */
const PERCENTILE_PALETTE = ["#9ecae9", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"];
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * One line per series, coloured by label. When a series is marked `emphasis` it is drawn thick in the warning red
 * and the others thin and faded, so the eye goes to the outlier. Times are shown in UTC, as CloudWatch reports them.
 */
export function timeSeriesSpec(series: readonly Series[], options: TimeSeriesOptions): VegaLiteSpec {
  return lineChart(series, options, PALETTE);
}

/** Latency percentiles (p50, p90, p99, …) over time in milliseconds: light to dark as the percentile rises. */
export function percentileSpec(series: readonly Series[], options: TimeSeriesOptions): VegaLiteSpec {
  // Unrecognised labels sort last, keeping their order.
  const ordered = [...series].sort((a, b) => percentileOf(a) - percentileOf(b));
  const last = PERCENTILE_PALETTE.length - 1;
  const palette = ordered.map(
    (_, i) => PERCENTILE_PALETTE[Math.round((i * last) / Math.max(1, ordered.length - 1))] ?? "#08306b",
  );
  return lineChart(ordered, { ...options, unit: options.unit ?? "latency (ms)" }, palette);
}

function lineChart(series: readonly Series[], options: TimeSeriesOptions, palette: readonly string[]): VegaLiteSpec {
  const width = options.width ?? 600;
  const maxPoints = Math.max(2, Math.floor(width));
  const anyEmphasis = series.some((s) => s.emphasis === true);
  const values = series.flatMap((s) => {
    const emphasis = s.emphasis === true;
    return decimate(s.points, maxPoints).map((point) => ({
      time: point.time,
      value: point.value,
      series: s.label,
      emphasis,
    }));
  });
  const colours = series.map((s, i) => (s.emphasis === true ? EMPHASIS : (palette[i % palette.length] as string)));
  const unit = options.unit ?? series[0]?.unit ?? "";
  const span = timeSpan(values);

  const lines = {
    mark: { type: "line" as const, interpolate: "linear" as const, clip: true },
    encoding: {
      x: {
        field: "time",
        type: "temporal" as const,
        title: "time (UTC)",
        scale: { type: "utc" as const },
        axis: { format: timeFormat(span), labelOverlap: true },
      },
      y: {
        field: "value",
        type: "quantitative" as const,
        title: unit,
        ...(options.yDomain ? { scale: { domain: options.yDomain, zero: false } } : {}),
      },
      color: {
        field: "series",
        type: "nominal" as const,
        sort: series.map((s) => s.label),
        scale: { domain: series.map((s) => s.label), range: colours },
        title: null,
      },
      strokeWidth: anyEmphasis
        ? { condition: { test: "datum.emphasis", value: 3 }, value: 1.2 }
        : { value: 1.5 as number },
      opacity: anyEmphasis ? { condition: { test: "datum.emphasis", value: 1 }, value: 0.55 } : { value: 1 as number },
      tooltip: [
        { field: "series", type: "nominal" as const, title: "series" },
        {
          field: "time",
          type: "temporal" as const,
          // A UTC time unit makes vega-lite format the tooltip in UTC, like the axis.
          timeUnit: "utcyearmonthdatehoursminutesseconds" as const,
          title: "time (UTC)",
          format: "%Y-%m-%d %H:%M:%S",
        },
        { field: "value", type: "quantitative" as const, title: unit, format: ",.4~f" },
      ],
    },
  };
  const layers: NonNullable<Extract<VegaLiteSpec, { layer: unknown }>["layer"]> = [lines];
  if (options.rule !== undefined) {
    const rule = { value: options.rule.value, text: `${options.rule.label} ${options.rule.value}` };
    layers.push(
      {
        data: { values: [rule] },
        mark: { type: "rule", strokeDash: [4, 4], color: "#555555", clip: true },
        encoding: { y: { field: "value", type: "quantitative" } },
      },
      {
        data: { values: [rule] },
        mark: { type: "text", align: "left", dx: 4, dy: -6, x: 0, color: "#555555" },
        encoding: { y: { field: "value", type: "quantitative" }, text: { field: "text" } },
      },
    );
  }
  return {
    title: options.title,
    width,
    height: options.height ?? 220,
    data: { values },
    layer: layers,
  };
}

function timeSpan(values: readonly { time: number }[]): number {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const { time } of values) {
    if (time < start) start = time;
    if (time > end) end = time;
  }
  return end > start ? end - start : 0;
}

/** Labels as precise as the range needs: minutes within a day, dates beyond a few days. */
function timeFormat(spanMs: number): string {
  if (spanMs <= DAY_MS) return "%H:%M";
  if (spanMs <= 4 * DAY_MS) return "%b %d %H:%M";
  return "%b %d";
}

/** 50 for "p50" or a key "p99.9"; unknown labels sort last. */
function percentileOf(series: Series): number {
  const match = /p(\d+(?:\.\d+)?)/i.exec(series.key) ?? /p(\d+(?:\.\d+)?)/i.exec(series.label);
  return match ? Number(match[1]) : Number.MAX_VALUE;
}
