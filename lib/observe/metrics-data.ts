// One GetMetricData call (followed through its pages) for many series, turned into plain `Series`: the period is
// chosen so that no series carries more points than the chart has pixels, and CloudWatch aggregates on its side.
import { GetMetricDataCommand, type MetricDataQuery, type MetricDataResult } from "@aws-sdk/client-cloudwatch";
import type { Aws } from "../aws/index";
import { choosePeriod, type Point, type Series } from "./series";

/** Points a series may carry when the caller does not say: about a chart's width in pixels. */
export const DEFAULT_MAX_POINTS = 600;

export interface MetricWindow {
  readonly from: Date;
  readonly to: Date;
  /** No series returned has more points than this. Default 600. */
  readonly maxPoints?: number;
}

/** One series to ask for: a metric and a statistic, or an expression (SEARCH) that may yield several series. */
export type MetricRequest =
  | {
      readonly key: string;
      readonly label: string;
      readonly unit: string;
      readonly namespace: string;
      readonly metricName: string;
      readonly dimensions: Readonly<Record<string, string>>;
      /** "Average", "Sum", "p99", … */
      readonly stat: string;
      /** Multiplies every value (seconds → milliseconds: 1000). */
      readonly scale?: number;
    }
  | {
      readonly key: string;
      /** The label CloudWatch gives each result, dynamic labels allowed (`${PROP('Dim.TaskId')}`). */
      readonly label: string;
      readonly unit: string;
      /** Built from the period: `(period) => SEARCH('…', 'Average', period)`. */
      readonly expression: (periodSeconds: number) => string;
      readonly scale?: number;
    };

/** A series as returned: which request it answers, the label CloudWatch gave it, and its points. */
export interface FetchedSeries extends Series {
  /** The request's key: several results share it when an expression matched several metrics. */
  readonly request: string;
}

export interface FetchedMetrics {
  readonly periodSeconds: number;
  readonly series: readonly FetchedSeries[];
}

/** Where no series would exceed `maxPoints`, the window starts on a period boundary inside [from, to]. */
export function windowOf(window: MetricWindow): { start: Date; end: Date; periodSeconds: number; maxPoints: number } {
  const maxPoints = Math.max(1, Math.floor(window.maxPoints ?? DEFAULT_MAX_POINTS));
  const from = window.from.getTime();
  const to = window.to.getTime();
  if (!(to > from)) throw new RangeError(`the time range must end after it starts: ${window.from.toISOString()} …`);
  const periodSeconds = choosePeriod(to - from, maxPoints);
  const periodMs = periodSeconds * 1000;
  // Rounding the start up keeps ceil((end − start) / period) ≤ maxPoints; CloudWatch would round it down.
  const start = Math.ceil(from / periodMs) * periodMs;
  return { start: new Date(Math.min(start, to - periodMs)), end: window.to, periodSeconds, maxPoints };
}

/** Asks for every request in one GetMetricData call (paged by CloudWatch only), oldest point first. */
export async function fetchMetrics(
  aws: Aws,
  window: MetricWindow,
  requests: readonly MetricRequest[],
): Promise<FetchedMetrics> {
  const { start, end, periodSeconds, maxPoints } = windowOf(window);
  const ids = requests.map((_, i) => `m${i}`);
  const queries: MetricDataQuery[] = requests.map((request, i) =>
    "expression" in request
      ? { Id: ids[i], Expression: request.expression(periodSeconds), Label: request.label, ReturnData: true }
      : {
          Id: ids[i],
          Label: request.label,
          ReturnData: true,
          MetricStat: {
            Metric: {
              Namespace: request.namespace,
              MetricName: request.metricName,
              Dimensions: Object.entries(request.dimensions).map(([Name, Value]) => ({ Name, Value })),
            },
            Period: periodSeconds,
            Stat: request.stat,
          },
        },
  );
  const results: MetricDataResult[] = [];
  let token: string | undefined;
  do {
    const page = await aws.cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        ScanBy: "TimestampAscending",
        MetricDataQueries: queries,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    results.push(...(page.MetricDataResults ?? []));
    token = page.NextToken;
  } while (token);

  // Pages repeat a result's Id (and Label, for SEARCH) with the next stretch of its points.
  const merged = new Map<string, { request: MetricRequest; label: string; points: Point[] }>();
  for (const result of results) {
    const request = requests[ids.indexOf(result.Id ?? "")];
    if (!request) continue;
    const label = result.Label ?? request.label;
    const id = `${result.Id}\n${label}`;
    const entry = merged.get(id) ?? { request, label, points: [] };
    merged.set(id, entry);
    const scale = request.scale ?? 1;
    (result.Timestamps ?? []).forEach((timestamp, i) => {
      const value = result.Values?.[i];
      if (value !== undefined) entry.points.push({ time: new Date(timestamp).getTime(), value: value * scale });
    });
  }
  const series = [...merged.values()].map(({ request, label, points }): FetchedSeries => {
    const sorted = points.sort((a, b) => a.time - b.time);
    return {
      request: request.key,
      key: "expression" in request ? label : request.key,
      label,
      unit: request.unit,
      // CloudWatch already aggregated by the period; keeping the newest maxPoints is only a guard.
      points: sorted.slice(Math.max(0, sorted.length - maxPoints)),
    };
  });
  return { periodSeconds, series };
}
