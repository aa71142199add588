// Chart specs built from plain data. A chart function never fetches: it only describes what to draw.
import type { VegaLiteSpec } from "./vega";

export interface Bar {
  label: string;
  value: number;
  /** Drawn in the warning colour: the outlier the reader should look at. */
  emphasis?: boolean;
}

export interface BarChartOptions {
  title: string;
  /** Axis title of the values, e.g. "CPU %". */
  unit: string;
  /** A reference line across the bars, e.g. the service average. */
  rule?: { value: number; label: string };
  width?: number;
}

const EMPHASIS = "#d62728";
const NORMAL = "#4c78a8";

export function barChart(bars: readonly Bar[], options: BarChartOptions): VegaLiteSpec {
  const values = bars.map((bar) => ({ label: bar.label, value: bar.value, emphasis: bar.emphasis === true }));
  const barsLayer = {
    mark: { type: "bar" as const },
    encoding: {
      x: { field: "label", type: "nominal" as const, sort: null, title: null, axis: { labelAngle: 0 } },
      y: { field: "value", type: "quantitative" as const, title: options.unit },
      color: {
        field: "emphasis",
        type: "nominal" as const,
        scale: { domain: [false, true], range: [NORMAL, EMPHASIS] },
        legend: null,
      },
      tooltip: [{ field: "label" }, { field: "value", title: options.unit }],
    },
  };
  const layers: NonNullable<Extract<VegaLiteSpec, { layer: unknown }>["layer"]> = [barsLayer];
  if (options.rule !== undefined) {
    const rule = { value: options.rule.value, text: `${options.rule.label} ${options.rule.value}` };
    layers.push(
      {
        data: { values: [rule] },
        mark: { type: "rule", strokeDash: [4, 4] },
        encoding: { y: { field: "value", type: "quantitative" } },
      },
      {
        data: { values: [rule] },
        mark: { type: "text", align: "left", dx: 4, dy: -6, x: 0 },
        encoding: { y: { field: "value", type: "quantitative" }, text: { field: "text" } },
      },
    );
  }
  return {
    title: options.title,
    width: options.width ?? 360,
    height: 200,
    data: { values },
    layer: layers,
  };
}
