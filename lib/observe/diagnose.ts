// "POST /something takes 5 s — where?": the three pillars side by side, and what they say together. Every claim in
// a diagnosis carries the evidence it came from, so a person can check it (and a postmortem can quote it).
import type { Aws } from "../aws/index";
import { logGroupsOf, runInsightsQuery, slowRequests } from "./logs";
import { type TaskMetrics, taskLabel, taskMetrics } from "./metrics";
import { findTraces, getTrace } from "./traces";
import { type SpanTree, spanTree, type WhereTimeWent, whereTimeWent } from "./traces-tree";

export interface DiagnoseOptions {
  readonly cluster: string;
  readonly service: string;
  /** The endpoint's path, e.g. "/something". */
  readonly path: string;
  readonly since: Date;
  /** Default: now on the service's clock. */
  readonly until?: Date;
  /** What counts as slow; default 1,000 ms. */
  readonly slowMs?: number;
}

/** Where a claim comes from: which pillar, and exactly what was read. */
export interface Evidence {
  readonly pillar: "metrics" | "logs" | "traces";
  readonly source: string;
}

export interface HotTask {
  readonly taskId: string;
  readonly label: string;
  /** The recent level (mean of the last points) and the peak over the window. */
  readonly cpuPercent: number;
  readonly peakCpuPercent: number;
  readonly memoryPercent?: number;
}

export interface SlowLine {
  readonly timestamp: string;
  readonly taskId: string;
  readonly method: string;
  readonly path: string;
  readonly status: string;
  readonly latencyMs: number;
  readonly requestId: string;
}

/** A pillar that could not speak, and why (never a silent gap). */
export interface Unavailable {
  readonly status: "unavailable";
  readonly reason: string;
  /** The change that would make it available (a fix id of lib/checks), when there is one. */
  readonly fix?: string;
}

export interface Diagnosis {
  readonly endpoint: string;
  readonly window: { readonly from: string; readonly to: string };
  readonly metrics:
    | {
        readonly status: "found";
        readonly hot: readonly HotTask[];
        readonly others: readonly HotTask[];
        readonly evidence: Evidence;
      }
    | Unavailable;
  readonly logs:
    | {
        readonly status: "found";
        readonly byTask: readonly { readonly taskId: string; readonly count: number; readonly maxLatencyMs: number }[];
        readonly lines: readonly SlowLine[];
        readonly evidence: Evidence;
      }
    | Unavailable;
  readonly traces:
    | {
        readonly status: "found";
        readonly traceId: string;
        readonly durationMs: number;
        readonly taskId?: string;
        readonly where: WhereTimeWent;
        readonly tree: SpanTree;
        readonly evidence: Evidence;
      }
    | Unavailable;
  /** What the pillars say, in sentences a person reads, each ending with its evidence. */
  readonly findings: readonly string[];
}

export async function diagnoseSlowEndpoint(aws: Aws, options: DiagnoseOptions): Promise<Diagnosis> {
  const until = options.until ?? (await aws.serviceNow());
  const slowMs = options.slowMs ?? 1000;
  const window = { from: options.since, to: until };
  const ref = { cluster: options.cluster, service: options.service };
  const [metrics, logs, traces] = await Promise.all([
    readMetrics(aws, { ...ref, ...window }),
    readLogs(aws, ref, window, slowMs, options.path),
    readTraces(aws, window, slowMs, options.path),
  ]);
  const diagnosis = {
    endpoint: options.path,
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    metrics,
    logs,
    traces,
  };
  return { ...diagnosis, findings: conclude(diagnosis, slowMs) };
}

async function readMetrics(
  aws: Aws,
  query: { cluster: string; service: string; from: Date; to: Date },
): Promise<Diagnosis["metrics"]> {
  let cpu: TaskMetrics;
  try {
    cpu = await taskMetrics(aws, { ...query, metric: "cpu" });
  } catch (error) {
    return { status: "unavailable", reason: messageOf(error) };
  }
  if (cpu.status !== "per-task") return { status: "unavailable", reason: cpu.message, fix: cpu.fixId };
  const memory = await taskMetrics(aws, { ...query, metric: "memory" }).catch(() => undefined);
  const memoryOf = (taskId: string) =>
    memory?.status === "per-task" ? memory.series.find((s) => s.taskId === taskId)?.recent : undefined;
  const tasks = cpu.series.map((series) => ({
    taskId: series.taskId,
    label: series.label,
    cpuPercent: round(series.recent),
    peakCpuPercent: round(series.peak),
    ...(memoryOf(series.taskId) === undefined ? {} : { memoryPercent: round(memoryOf(series.taskId) as number) }),
    emphasis: series.emphasis === true,
  }));
  const strip = ({ emphasis: _, ...task }: (typeof tasks)[number]) => task;
  return {
    status: "found",
    hot: tasks.filter((task) => task.emphasis).map(strip),
    others: tasks.filter((task) => !task.emphasis).map(strip),
    evidence: {
      pillar: "metrics",
      source: `${cpu.source === "performance-logs" ? "Container Insights performance log events" : "ECS/ContainerInsights TaskCpuUtilization by TaskId"}, ${cpu.periodSeconds} s period, ${query.from.toISOString()} – ${query.to.toISOString()}`,
    },
  };
}

async function readLogs(
  aws: Aws,
  ref: { cluster: string; service: string },
  window: { from: Date; to: Date },
  slowMs: number,
  path: string,
): Promise<Diagnosis["logs"]> {
  try {
    const { destinations } = await logGroupsOf(aws, ref);
    const groups = [...new Set(destinations.map((destination) => destination.logGroup))];
    if (groups.length === 0) {
      return {
        status: "unavailable",
        reason: "no container of the service logs to CloudWatch Logs",
        fix: "logging-missing",
      };
    }
    const query = slowRequests(slowMs, path);
    const result = await runInsightsQuery(aws, { logGroups: groups, query, ...window });
    const lines: SlowLine[] = result.rows.map((row) => ({
      timestamp: row["@timestamp"] ?? "",
      taskId: row.taskId ?? "",
      method: row.method ?? "",
      path: row.path ?? "",
      status: row.status ?? "",
      latencyMs: Number(row.latency ?? 0),
      requestId: row.requestId ?? "",
    }));
    const byTask = new Map<string, { count: number; maxLatencyMs: number }>();
    for (const line of lines) {
      const entry = byTask.get(line.taskId) ?? { count: 0, maxLatencyMs: 0 };
      byTask.set(line.taskId, { count: entry.count + 1, maxLatencyMs: Math.max(entry.maxLatencyMs, line.latencyMs) });
    }
    return {
      status: "found",
      byTask: [...byTask.entries()].map(([taskId, entry]) => ({ taskId, ...entry })).sort((a, b) => b.count - a.count),
      lines,
      evidence: {
        pillar: "logs",
        source: `Logs Insights over ${groups.join(", ")} (query ${result.queryId}): ${query.replace(/\n/g, " ")}`,
      },
    };
  } catch (error) {
    return { status: "unavailable", reason: messageOf(error) };
  }
}

async function readTraces(
  aws: Aws,
  window: { from: Date; to: Date },
  slowMs: number,
  path: string,
): Promise<Diagnosis["traces"]> {
  const filter = `responsetime > ${slowMs / 1000} AND http.url CONTAINS ${JSON.stringify(path)}`;
  try {
    const summaries = await findTraces(aws, { filter, from: window.from, to: window.to });
    const slowest = [...summaries].sort((a, b) => b.durationMs - a.durationMs)[0];
    if (!slowest) {
      return {
        status: "unavailable",
        reason: `no trace matched ${filter} (is a tracing sidecar running?)`,
        fix: "tracing-missing",
      };
    }
    const trace = await getTrace(aws, slowest.id);
    if (!trace) return { status: "unavailable", reason: `X-Ray did not return trace ${slowest.id}` };
    const tree = spanTree(trace);
    return {
      status: "found",
      traceId: slowest.id,
      durationMs: tree.durationMs,
      ...(tree.root.ecsTaskId ? { taskId: tree.root.ecsTaskId } : {}),
      where: whereTimeWent(tree),
      tree,
      evidence: {
        pillar: "traces",
        source: `X-Ray trace ${slowest.id}, the slowest of ${summaries.length} matching ${filter}`,
      },
    };
  } catch (error) {
    return { status: "unavailable", reason: messageOf(error) };
  }
}

function conclude(diagnosis: Omit<Diagnosis, "findings">, slowMs: number): string[] {
  const findings: string[] = [];
  const { metrics, logs, traces } = diagnosis;
  const cite = (evidence: Evidence) => ` [${evidence.pillar}: ${evidence.source}]`;
  if (metrics.status === "found" && metrics.hot.length > 0) {
    const others = metrics.others.map((task) => `${task.label} ${task.cpuPercent} %`).join(", ");
    for (const task of metrics.hot) {
      findings.push(
        `${task.label} runs at ${task.cpuPercent} % CPU (peak ${task.peakCpuPercent} %) while the others run at ${others || "—"}: an average over the service hides it.${cite(metrics.evidence)}`,
      );
    }
  } else if (metrics.status === "found") {
    findings.push(`No task stands out by CPU.${cite(metrics.evidence)}`);
  } else {
    findings.push(`Per-task metrics are not available: ${metrics.reason}`);
  }
  if (logs.status === "found" && logs.lines.length > 0) {
    const total = logs.lines.length;
    const [top] = logs.byTask;
    const share = top ? top.count / total : 0;
    findings.push(
      `${total} ${diagnosis.endpoint} requests slower than ${slowMs} ms in the logs; ${top ? `${Math.round(share * 100)} % of them served by ${taskLabel(top.taskId)} (up to ${top.maxLatencyMs} ms)` : ""}.${cite(logs.evidence)}`,
    );
  } else if (logs.status === "found") {
    findings.push(`No ${diagnosis.endpoint} request slower than ${slowMs} ms in the logs.${cite(logs.evidence)}`);
  } else {
    findings.push(`Logs could not be searched: ${logs.reason}`);
  }
  if (traces.status === "found") {
    const downstream = traces.where.downstream
      .map((call) => `${call.name} (${call.namespace}) ${Math.round(call.ms)} ms, ${percent(call.share)}`)
      .join("; ");
    findings.push(
      `In the slowest trace (${Math.round(traces.durationMs)} ms${traces.taskId ? `, served by ${taskLabel(traces.taskId)}` : ""}), ${percent(traces.where.app.share)} of the time was spent in the app itself; downstream: ${downstream || "none"}.${cite(traces.evidence)}`,
    );
  } else {
    findings.push(`Traces could not be read: ${traces.reason}`);
  }
  return findings;
}

function percent(share: number): string {
  return `${share >= 0.1 ? Math.round(share * 100) : Math.round(share * 1000) / 10} %`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error);
}
