// Telemetry at scale: GetMetricData over 1,000 series × 1 day at 60 s on `large`, and a Logs Insights `stats`
// query over 1,000,000 log events.
import { CloudWatchClient, type MetricDataQuery, paginateGetMetricData } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand } from "@aws-sdk/client-cloudwatch-logs";
import { buildScenario } from "../../lib/sandbox/scenarios";
import { startSandbox } from "../../lib/sandbox/server";
import { addLogGroup, putEvents } from "../../lib/sandbox/services/logs";
import { clientConfig } from "../sandbox/client";
import { report, timed } from "./report";

const CLOCK = new Date("2026-11-28T00:00:00Z");
const DAY_MS = 86_400_000;

export async function benchTelemetry(): Promise<void> {
  await benchMetrics();
  await benchLogsInsights();
}

async function benchMetrics(): Promise<void> {
  const sandbox = await startSandbox({ scenario: "large", clock: CLOCK });
  try {
    const cloudwatch = new CloudWatchClient(clientConfig(sandbox.endpoint));
    const queries: MetricDataQuery[] = [];
    for (let c = 0; c < 20; c++) {
      for (let s = 0; s < 50; s++) {
        queries.push({
          Id: `m${c}_${s}`,
          MetricStat: {
            Metric: {
              Namespace: "AWS/ECS",
              MetricName: "CPUUtilization",
              Dimensions: [
                { Name: "ClusterName", Value: `cluster-${String(c).padStart(2, "0")}` },
                { Name: "ServiceName", Value: `service-${String(s).padStart(2, "0")}` },
              ],
            },
            Period: 60,
            Stat: "Average",
          },
        });
      }
    }
    let points = 0;
    const [ms] = await timed(async () => {
      // 500 queries per call is GetMetricData's limit; the paginator follows NextToken within each batch.
      for (let i = 0; i < queries.length; i += 500) {
        const input = {
          StartTime: new Date(CLOCK.getTime() - DAY_MS),
          EndTime: CLOCK,
          MetricDataQueries: queries.slice(i, i + 500),
        };
        for await (const page of paginateGetMetricData({ client: cloudwatch }, input)) {
          for (const result of page.MetricDataResults ?? []) points += result.Values?.length ?? 0;
        }
      }
    });
    report({
      name: "GetMetricData, 1,000 series × 1 day at 60 s (large), wall time",
      value: ms,
      unit: "ms",
      goal: "<= 20000",
    });
    report({
      name: "GetMetricData datapoints returned (1,000 × 1,440 expected)",
      value: points,
      unit: "points",
      goal: ">= 1440000",
    });
    report({
      name: "GetMetricData cost per datapoint",
      value: (ms * 1e6) / Math.max(points, 1),
      unit: "ns",
      goal: "<= 15000",
    });
  } finally {
    await sandbox.stop();
  }
}

async function benchLogsInsights(): Promise<void> {
  const EVENTS = 1_000_000;
  const STREAMS = 10;
  const state = buildScenario("inherited", CLOCK);
  const group = "/bench/app";
  addLogGroup(state, { name: group, createdAt: new Date(CLOCK.getTime() - 2 * DAY_MS) });
  const first = CLOCK.getTime() - DAY_MS;
  for (let s = 0; s < STREAMS; s++) {
    const events = Array.from({ length: EVENTS / STREAMS }, (_, i) => {
      const n = s * (EVENTS / STREAMS) + i;
      const path = ["/", "/items", "/something"][n % 3];
      return {
        timestamp: first + Math.floor((i * DAY_MS) / (EVENTS / STREAMS)),
        message: `10.0.0.${n % 250} - - "GET ${path}" 200 ${20 + (n % 400)}ms`,
      };
    });
    putEvents(state, group, `app/app/task-${s}`, events);
  }
  const sandbox = await startSandbox({ state, clock: CLOCK });
  try {
    const logs = new CloudWatchLogsClient(clientConfig(sandbox.endpoint));
    const heapBefore = settledHeap();
    let peak = heapBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 5);
    const [ms, rows] = await timed(async () => {
      const { queryId } = await logs.send(
        new StartQueryCommand({
          logGroupName: group,
          startTime: Math.floor(first / 1000) - 60,
          endTime: Math.floor(CLOCK.getTime() / 1000),
          queryString:
            "parse @message '\"* *\" * *ms' as method, path, status, latency | stats count(*), avg(latency), pct(latency, 99) by path, bin(1h)",
        }),
      );
      for (;;) {
        const results = await logs.send(new GetQueryResultsCommand({ queryId }));
        if (results.status === "Complete") return results.results?.length ?? 0;
        if (results.status !== "Running" && results.status !== "Scheduled") throw new Error(`query ${results.status}`);
      }
    });
    clearInterval(sampler);
    if (rows === 0) throw new Error("the Logs Insights bench query returned no rows");
    report({
      name: "Logs Insights parse + stats by bin over 1,000,000 events, per million",
      value: ms,
      unit: "ms",
      goal: "<= 10000",
    });
    report({
      name: "Logs Insights heap growth across that query (sampled, before GC), per million events",
      value: (peak - heapBefore) / 1024 / 1024,
      unit: "MiB",
      goal: "<= 512",
    });
  } finally {
    await sandbox.stop();
  }
}

function settledHeap(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}
