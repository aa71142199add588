// Per-task CPU and memory under plain Container Insights (`enabled`): no TaskId metrics exist, but the performance
// log events (`/aws/ecs/containerinsights/<cluster>/performance`, one `"Type":"Task"` document per task and minute)
// carry the numbers. One Logs Insights query turns them into one series per task, binned by the chosen period.
import { ListTasksCommand } from "@aws-sdk/client-ecs";
import type { Aws } from "../aws/index";
import { runInsightsQuery } from "./logs";
import { type MetricWindow, windowOf } from "./metrics-data";
import type { Point } from "./series";

export interface PerformanceQuery extends MetricWindow {
  readonly cluster: string;
  readonly service: string;
  readonly metric: "cpu" | "memory";
}

export interface PerformanceSeries {
  readonly periodSeconds: number;
  readonly series: readonly { readonly taskId: string; readonly unit: string; readonly points: readonly Point[] }[];
}

/** The service's running tasks' utilisation (percent of reservation) from the performance log events. */
export async function performanceTaskSeries(aws: Aws, query: PerformanceQuery): Promise<PerformanceSeries> {
  const { start, end, periodSeconds } = windowOf(query);
  const taskIds = await runningTaskIds(aws, query);
  if (taskIds.length === 0) return { periodSeconds, series: [] };
  const [used, reserved] =
    query.metric === "cpu" ? ["CpuUtilized", "CpuReserved"] : ["MemoryUtilized", "MemoryReserved"];
  const bin = `bin(${periodSeconds}s)`;
  const { rows } = await runInsightsQuery(aws, {
    logGroups: [`/aws/ecs/containerinsights/${query.cluster}/performance`],
    query: [
      `filter Type = "Task" and TaskId in [${taskIds.map((id) => `"${id}"`).join(", ")}]`,
      `stats avg(${used} * 100 / ${reserved}) as value by TaskId, ${bin}`,
    ].join("\n| "),
    from: start,
    to: end,
    limit: 10_000,
  });
  const byTask = new Map<string, Point[]>();
  for (const row of rows) {
    const taskId = row.TaskId;
    const time = Date.parse(`${(row[bin] ?? "").replace(" ", "T")}Z`);
    const value = Number(row.value);
    if (!taskId || Number.isNaN(time) || Number.isNaN(value)) continue;
    const points = byTask.get(taskId) ?? [];
    points.push({ time, value });
    byTask.set(taskId, points);
  }
  return {
    periodSeconds,
    series: [...byTask.entries()].map(([taskId, points]) => ({
      taskId,
      unit: "Percent",
      points: points.sort((a, b) => a.time - b.time),
    })),
  };
}

async function runningTaskIds(aws: Aws, query: PerformanceQuery): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await aws.ecs.send(
      new ListTasksCommand({ cluster: query.cluster, serviceName: query.service, ...(nextToken ? { nextToken } : {}) }),
    );
    ids.push(...(page.taskArns ?? []).map((arn) => arn.split("/").pop() ?? arn));
    nextToken = page.nextToken;
  } while (nextToken);
  return ids;
}
