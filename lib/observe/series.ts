// Time series as observe/ returns them and render/ draws them: plain data, one series per task, container or
// statistic, times in epoch milliseconds.

export interface Point {
  readonly time: number;
  readonly value: number;
}

export interface Series {
  /** What a person reads in the legend: "task B (1b2c3d4e)", "p99", "service average". */
  readonly label: string;
  /** A stable key: the task id, the statistic, the metric id. */
  readonly key: string;
  readonly unit: string;
  /** Oldest first. */
  readonly points: readonly Point[];
  /** The outlier a chart should draw in the warning colour. */
  readonly emphasis?: boolean;
}

/** The CloudWatch periods a chart may ask for: whole minutes, then AWS's coarser steps. */
const PERIODS = [60, 120, 300, 600, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400];

/**
 * The shortest standard period (seconds) that keeps a series over `rangeMs` within `maxPoints` — the chart's width
 * in pixels — so CloudWatch aggregates on its side and no chart ever receives more points than it can draw.
 */
export function choosePeriod(rangeMs: number, maxPoints: number): number {
  const needed = rangeMs / 1000 / Math.max(1, maxPoints);
  return PERIODS.find((period) => period >= needed) ?? Math.ceil(needed / 86_400) * 86_400;
}
