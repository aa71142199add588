// The metrics of one ECS service: the service average (AWS/ECS), per task (Container Insights `enhanced`, TaskId
// dimension) — where one hot task shows that the average hides — and its load balancer's side of each request.
// Each function makes one GetMetricData call for all its series, with a period that keeps every series within
// the caller's `maxPoints`.
import { DescribeClustersCommand } from "@aws-sdk/client-ecs";
import { DescribeTargetGroupsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Aws } from "../aws/index";
import { findService, ServiceNotFoundError, type ServiceRef } from "./deployments";
import { fetchMetrics, type MetricRequest, type MetricWindow } from "./metrics-data";
import { performanceTaskSeries } from "./metrics-performance";
import type { Series } from "./series";

export { DEFAULT_MAX_POINTS } from "./metrics-data";

export interface MetricsQuery extends ServiceRef, MetricWindow {}

/** AWS/ECS CPUUtilization and MemoryUtilization of the service (the average over its tasks), in percent. */
export async function serviceMetrics(aws: Aws, query: MetricsQuery): Promise<Series[]> {
  const dimensions = { ClusterName: query.cluster, ServiceName: query.service };
  const { series } = await fetchMetrics(aws, query, [
    {
      key: "cpu",
      label: "service CPU (average)",
      unit: "Percent",
      namespace: "AWS/ECS",
      metricName: "CPUUtilization",
      dimensions,
      stat: "Average",
    },
    {
      key: "memory",
      label: "service memory (average)",
      unit: "Percent",
      namespace: "AWS/ECS",
      metricName: "MemoryUtilization",
      dimensions,
      stat: "Average",
    },
  ]);
  return [...series].sort((a, b) => a.key.localeCompare(b.key)).map(plainSeries);
}

export type InsightsLevel = "disabled" | "enabled" | "enhanced";

/** One task's utilisation over the range. */
export interface TaskSeries extends Series {
  readonly taskId: string;
  /** The mean of its last few points (up to 5): the level a person compares tasks by. */
  readonly recent: number;
  readonly peak: number;
}

export type TaskMetrics =
  | {
      readonly status: "per-task";
      /** Where the numbers came from: the TaskId metrics of `enhanced`, or the performance log events of `enabled`. */
      readonly source: "container-insights-enhanced" | "performance-logs";
      readonly periodSeconds: number;
      /** One series per task, by task id; the outlier has `emphasis: true`. */
      readonly series: readonly TaskSeries[];
      /** Said when the source is the fallback, or when no task had data in the range. */
      readonly note?: string;
    }
  | {
      readonly status: "insights-off" | "insights-enabled";
      readonly message: string;
      /** The change that gives per-task metrics, and the fix id that plans it. */
      readonly fix: string;
      readonly fixId: "container-insights-off";
    };

export interface TaskMetricsQuery extends MetricsQuery {
  readonly metric: "cpu" | "memory";
  /**
   * Under plain `enabled`, read per-task numbers from the performance log events (Logs Insights) instead of only
   * saying that the metrics need `enhanced`. Default false: a query costs seconds and money.
   */
  readonly performanceLogFallback?: boolean;
}

/** A task is the outlier when its recent level is over this multiple of the tasks' median… */
export const OUTLIER_RATIO = 1.5;
/** …and over this many percent. */
export const OUTLIER_MIN_PERCENT = 80;

const ENHANCE_FIX =
  "aws ecs update-cluster-settings --cluster {cluster} --settings name=containerInsights,value=enhanced (fix container-insights-off)";

/**
 * Per-task CPU or memory utilisation (percent of the task's reservation). Needs Container Insights `enhanced`;
 * when it is off, or only `enabled`, says so and names the fix instead of failing.
 */
export async function taskMetrics(aws: Aws, query: TaskMetricsQuery): Promise<TaskMetrics> {
  const level = await insightsLevel(aws, query);
  const fix = ENHANCE_FIX.replace("{cluster}", query.cluster);
  if (level === "disabled") {
    return {
      status: "insights-off",
      message: `Container Insights is off on cluster ${query.cluster}: only the service average (AWS/ECS) exists, which can hide one hot task. With enhanced observability every task gets its own CPU and memory metrics (TaskId dimension).`,
      fix,
      fixId: "container-insights-off",
    };
  }
  if (level === "enabled") {
    if (query.performanceLogFallback) {
      const fallback = await performanceTaskSeries(aws, query);
      return {
        status: "per-task",
        source: "performance-logs",
        periodSeconds: fallback.periodSeconds,
        series: markOutlier(fallback.series.map(withLevels)),
        note: `Container Insights is enabled but not enhanced on ${query.cluster}: these per-task numbers come from the performance log events (a Logs Insights query), not from metrics. ${fix}`,
      };
    }
    return {
      status: "insights-enabled",
      message: `Container Insights is enabled on cluster ${query.cluster}, but per-task metrics (TaskId dimension) need enhanced observability; only cluster- and service-level Container Insights metrics exist.`,
      fix,
      fixId: "container-insights-off",
    };
  }
  const metricName = query.metric === "cpu" ? "TaskCpuUtilization" : "TaskMemoryUtilization";
  const search = `{ECS/ContainerInsights,ClusterName,ServiceName,TaskId} MetricName="${metricName}" ClusterName="${quote(query.cluster)}" ServiceName="${quote(query.service)}"`;
  const { periodSeconds, series } = await fetchMetrics(aws, query, [
    {
      key: metricName,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudWatch's dynamic label, not a JS template.
      label: "${PROP('Dim.TaskId')}",
      unit: "Percent",
      expression: (period) => `SEARCH('${search}', 'Average', ${period})`,
    },
  ]);
  const tasks = series
    .filter((s) => s.points.length > 0)
    .map((s) => withLevels({ taskId: taskIdOf(s.label), unit: s.unit, points: s.points }));
  return {
    status: "per-task",
    source: "container-insights-enhanced",
    periodSeconds,
    series: markOutlier(tasks),
    ...(tasks.length === 0 ? { note: `no task of ${query.service} reported ${metricName} in the range` } : {}),
  };
}

/** The cluster's containerInsights setting (DescribeClusters include SETTINGS); "disabled" when unset. */
export async function insightsLevel(aws: Aws, ref: ServiceRef): Promise<InsightsLevel> {
  const { clusters } = await aws.ecs.send(
    new DescribeClustersCommand({ clusters: [ref.cluster], include: ["SETTINGS"] }),
  );
  const cluster = clusters?.find((c) => c.status !== "INACTIVE");
  if (!cluster) throw new ServiceNotFoundError(ref.cluster, ref.service, "cluster");
  const value = cluster.settings?.find((s) => s.name === "containerInsights")?.value;
  return value === "enabled" || value === "enhanced" ? value : "disabled";
}

export interface AlbMetrics {
  readonly status: "found";
  readonly loadBalancerArn: string;
  readonly targetGroupArn: string;
  /** The CloudWatch dimension values: "app/my-web-alb/…", "targetgroup/my-web-tg/…". */
  readonly loadBalancer: string;
  readonly targetGroup: string;
  readonly periodSeconds: number;
  /** TargetResponseTime average, p50, p90, p99 in milliseconds (keys "average", "p50", "p90", "p99"). */
  readonly latency: readonly Series[];
  /** RequestCount per period (Sum). */
  readonly requests: Series;
  /** HTTPCode_Target_5XX_Count per period (Sum). */
  readonly target5xx: Series;
}

export type AlbMetricsResult = AlbMetrics | { readonly status: "no-load-balancer"; readonly message: string };

/**
 * The load balancer's side of the service's requests: latency (the ALB sends no trace segments, so this is where
 * its time is seen), request count and target 5xx — for the service's first target group, in one call.
 */
export async function albMetrics(aws: Aws, query: MetricsQuery): Promise<AlbMetricsResult> {
  const service = await findService(aws, query);
  const targetGroupArn = service.loadBalancers?.find((lb) => lb.targetGroupArn)?.targetGroupArn;
  if (!targetGroupArn) {
    return { status: "no-load-balancer", message: `service ${query.service} is not behind a target group` };
  }
  const { TargetGroups } = await aws.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [targetGroupArn] }));
  const loadBalancerArn = TargetGroups?.[0]?.LoadBalancerArns?.[0];
  if (!loadBalancerArn) {
    return {
      status: "no-load-balancer",
      message: `target group ${targetGroupArn} of ${query.service} is not attached to a load balancer`,
    };
  }
  const targetGroup = targetGroupArn.slice(targetGroupArn.lastIndexOf(":") + 1);
  const loadBalancer = loadBalancerArn.split(":loadbalancer/")[1] ?? loadBalancerArn;
  const dimensions = { LoadBalancer: loadBalancer, TargetGroup: targetGroup };
  const metric = (key: string, metricName: string, stat: string, label: string, unit: string, scale?: number) =>
    ({
      key,
      label,
      unit,
      namespace: "AWS/ApplicationELB",
      metricName,
      dimensions,
      stat,
      ...(scale ? { scale } : {}),
    }) satisfies MetricRequest;
  const latencyKeys = ["average", "p50", "p90", "p99"] as const;
  const { periodSeconds, series } = await fetchMetrics(aws, query, [
    ...latencyKeys.map((key) =>
      metric(key, "TargetResponseTime", key === "average" ? "Average" : key, `latency ${key}`, "Milliseconds", 1000),
    ),
    metric("requests", "RequestCount", "Sum", "requests", "Count"),
    metric("target5xx", "HTTPCode_Target_5XX_Count", "Sum", "target 5xx", "Count"),
  ]);
  const byKey = (key: string, label: string, unit: string): Series =>
    plainSeries(series.find((s) => s.key === key) ?? { key, label, unit, points: [] });
  return {
    status: "found",
    loadBalancerArn,
    targetGroupArn,
    loadBalancer,
    targetGroup,
    periodSeconds,
    latency: latencyKeys.map((key) => byKey(key, `latency ${key}`, "Milliseconds")),
    requests: byKey("requests", "requests", "Count"),
    target5xx: byKey("target5xx", "target 5xx", "Count"),
  };
}

/** "task 1b2c3d4e": the first eight characters, as the console shortens task ids. */
export function taskLabel(taskId: string): string {
  return `task ${taskId.slice(0, 8)}`;
}

function withLevels(task: { taskId: string; unit: string; points: Series["points"] }): TaskSeries {
  const last = task.points.slice(-5);
  const recent = last.length ? last.reduce((sum, p) => sum + p.value, 0) / last.length : 0;
  const peak = task.points.reduce((max, p) => Math.max(max, p.value), 0);
  return {
    label: taskLabel(task.taskId),
    key: task.taskId,
    taskId: task.taskId,
    unit: task.unit,
    points: task.points,
    recent,
    peak,
  };
}

/** Emphasises the task whose recent level is over 1.5× the median and over 80 %: the one the average hides. */
function markOutlier(tasks: readonly TaskSeries[]): TaskSeries[] {
  const levels = tasks.map((t) => t.recent).sort((a, b) => a - b);
  const middle = Math.floor(levels.length / 2);
  const median = levels.length % 2 ? (levels[middle] ?? 0) : ((levels[middle - 1] ?? 0) + (levels[middle] ?? 0)) / 2;
  return [...tasks]
    .sort((a, b) => a.taskId.localeCompare(b.taskId))
    .map((t) =>
      tasks.length > 1 && t.recent > OUTLIER_RATIO * median && t.recent > OUTLIER_MIN_PERCENT
        ? { ...t, emphasis: true }
        : t,
    );
}

/** The TaskId a SEARCH result's label carries (the label is the dynamic `${PROP('Dim.TaskId')}`, or ends with it). */
function taskIdOf(label: string): string {
  return label.trim().split(/\s+/).pop() ?? label;
}

function plainSeries(series: Series): Series {
  return { label: series.label, key: series.key, unit: series.unit, points: series.points };
}

/** Escapes a value inside a SEARCH expression's double quotes, itself inside single quotes. */
function quote(value: string): string {
  return value.replace(/["'\\]/g, "\\$&");
}
