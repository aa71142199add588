// The sandbox's telemetry model: what its services' generated metrics, logs and traces all follow. Nothing here is
// stored per data point: every value is a pure function of the state (tasks, their task definitions, settings over
// time, workloads, incidents) and of a time, through a seeded hash — so a range of any length costs only what is
// read, and the same scenario, clock and calls always give the same numbers.
//
// The unit is the request: each task serves, minute by minute, requests whose latencies make the ALB's metrics, the
// app's log lines and the traces agree with each other, as they do on AWS.
import type { ContainerDefinition, Task, TaskDefinition } from "@aws-sdk/client-ecs";
import { AWS_MANAGED_POLICIES } from "../services/iam-managed-policies";
import type { SandboxState } from "../state";

export type InsightsLevel = "disabled" | "enabled" | "enhanced";

export interface Endpoint {
  method: string;
  path: string;
  /** Share of the service's requests (weights are normalised). */
  weight: number;
  /** Typical total latency in the app, ms. */
  latencyMs: number;
  /** Typical time of its SQL query, ms (no SQL subsegment when absent). */
  sqlMs?: number;
}

/** How a service is used when nothing is wrong. */
export interface Workload {
  cluster: string;
  service: string;
  requestsPerMinutePerTask: number;
  /** Task CPU and memory utilisation, percent of what the task definition reserves. */
  cpuPercent: number;
  memoryPercent: number;
  endpoints: Endpoint[];
}

/** One task goes bad from `from` until it stops: its CPU pins and one endpoint slows down inside the app. */
export interface Incident {
  cluster: string;
  service: string;
  taskId: string;
  method: string;
  path: string;
  from: Date;
  cpuPercent: number;
  latencyMs: number;
  sqlMs: number;
}

/** A task ECS no longer lists (stopped more than an hour ago): its history stays, as CloudWatch's does. */
export interface RetiredTask {
  cluster: string;
  task: Task;
}

export interface TelemetryState {
  /** No telemetry exists before this time (a scenario's history starts some hours before its clock). */
  since?: Date;
  /** By cluster name: the Container Insights setting from each time on, oldest first. */
  insights: Record<string, { at: Date; value: InsightsLevel }[]>;
  workloads: Workload[];
  incidents: Incident[];
  retired: RetiredTask[];
}

export function emptyTelemetryState(): TelemetryState {
  return { insights: {}, workloads: [], incidents: [], retired: [] };
}

export const MINUTE_MS = 60_000;

// ---------------------------------------------------------------------------------------------------------------
// Deterministic noise

/** A number in [0, 1) that depends only on its parts (FNV-1a, then a murmur-style finaliser). */
export function noise(...parts: readonly (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    const text = `${part}|`;
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 2 ** 32;
}

/** `length` hex characters that depend only on the parts. */
export function noiseHex(length: number, ...parts: readonly (string | number)[]): string {
  let out = "";
  for (let i = 0; out.length < length; i++) {
    out += Math.floor(noise(...parts, i) * 2 ** 32)
      .toString(16)
      .padStart(8, "0");
  }
  return out.slice(0, length);
}

// ---------------------------------------------------------------------------------------------------------------
// Tasks over time

/** A task as telemetry sees it: where it ran, what it ran, and when. */
export interface TaskLife {
  cluster: string;
  /** The service that started it, if any. */
  service?: string;
  taskId: string;
  taskArn: string;
  family: string;
  taskDefinition?: TaskDefinition;
  startedAt: Date;
  /** Absent while it runs. */
  stoppedAt?: Date;
  privateIp?: string;
}

/** Every task that ever ran in a cluster (optionally of one service), running or not. */
export function taskLives(state: SandboxState, scope: { cluster?: string; service?: string } = {}): TaskLife[] {
  const current = Object.entries(state.ecs.tasks).flatMap(([cluster, tasks]) =>
    tasks.map((task) => ({ cluster, task })),
  );
  return [...state.telemetry.retired, ...current]
    .filter(({ cluster }) => scope.cluster === undefined || cluster === scope.cluster)
    .map(({ cluster, task }) => lifeOf(state, cluster, task))
    .filter((life): life is TaskLife => life !== undefined)
    .filter((life) => scope.service === undefined || life.service === scope.service);
}

function lifeOf(state: SandboxState, cluster: string, task: Task): TaskLife | undefined {
  const startedAt = task.startedAt;
  if (!task.taskArn || !startedAt) return undefined; // never ran
  const family = (task.taskDefinitionArn ?? "").split("/").pop()?.split(":")[0] ?? "";
  const revision = Number((task.taskDefinitionArn ?? "").split(":").pop());
  const taskDefinition = state.ecs.taskDefinitions[family]?.find((definition) => definition.revision === revision);
  const ip = task.attachments
    ?.flatMap((attachment) => attachment.details ?? [])
    .find((detail) => detail.name === "privateIPv4Address")?.value;
  return {
    cluster,
    ...(task.group?.startsWith("service:") ? { service: task.group.slice("service:".length) } : {}),
    taskId: task.taskArn.split("/").pop() ?? "",
    taskArn: task.taskArn,
    family,
    ...(taskDefinition ? { taskDefinition } : {}),
    startedAt,
    ...(task.stoppedAt ? { stoppedAt: task.stoppedAt } : task.stoppingAt ? { stoppedAt: task.stoppingAt } : {}),
    ...(ip ? { privateIp: ip } : {}),
  };
}

/** Keeps the history of a task that ECS stops listing; ECS calls it when it forgets a stopped task. */
export function retireTask(state: SandboxState, cluster: string, task: Task): void {
  state.telemetry.retired.push({ cluster, task });
}

export function runningAt(life: TaskLife, at: Date): boolean {
  return life.startedAt.getTime() <= at.getTime() && (life.stoppedAt === undefined || at < life.stoppedAt);
}

/** The starts of the whole minutes in [from, to) when telemetry exists and the clock has reached them. */
export function minutes(state: SandboxState, from: Date, to: Date, now: Date): Date[] {
  const since = state.telemetry.since?.getTime() ?? Number.NEGATIVE_INFINITY;
  const first = Math.ceil(Math.max(from.getTime(), since) / MINUTE_MS) * MINUTE_MS;
  const end = Math.min(to.getTime(), now.getTime());
  const out: Date[] = [];
  for (let t = first; t < end; t += MINUTE_MS) out.push(new Date(t));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Container Insights over time

/** Records a change of the setting (ECS's UpdateClusterSettings calls it; scenarios record the first value). */
export function recordInsights(state: SandboxState, cluster: string, value: InsightsLevel, at: Date): void {
  const history = state.telemetry.insights[cluster] ?? [];
  history.push({ at, value });
  state.telemetry.insights[cluster] = history;
}

export function insightsAt(state: SandboxState, cluster: string, at: Date): InsightsLevel {
  let level: InsightsLevel = "disabled";
  for (const change of state.telemetry.insights[cluster] ?? []) if (change.at <= at) level = change.value;
  return level;
}

// ---------------------------------------------------------------------------------------------------------------
// Load

function workloadOf(state: SandboxState, life: TaskLife): Workload | undefined {
  return state.telemetry.workloads.find((w) => w.cluster === life.cluster && w.service === life.service);
}

function incidentOf(state: SandboxState, life: TaskLife, at: Date): Incident | undefined {
  return state.telemetry.incidents.find(
    (incident) => incident.cluster === life.cluster && incident.taskId === life.taskId && incident.from <= at,
  );
}

/** Task CPU utilisation, percent of the task's reservation, for the minute starting at `minute`. */
export function taskCpuPercent(state: SandboxState, life: TaskLife, minute: Date): number {
  const incident = incidentOf(state, life, minute);
  if (incident) return Math.min(100, incident.cpuPercent + (noise("cpu", life.taskId, minute.getTime()) - 0.5) * 1.5);
  const base = workloadOf(state, life)?.cpuPercent ?? 5;
  return Math.max(0.5, base + (noise("cpu", life.taskId, minute.getTime()) - 0.5) * 6);
}

export function taskMemoryPercent(state: SandboxState, life: TaskLife, minute: Date): number {
  const base = workloadOf(state, life)?.memoryPercent ?? 20;
  return Math.max(1, base + (noise("mem", life.taskId, minute.getTime()) - 0.5) * 4);
}

/** One request a task served. */
export interface Request {
  /** 24 hex characters: the random part of its X-Ray trace id, and its request id in logs. */
  id: string;
  at: Date;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  sqlMs?: number;
  clientIp: string;
}

/** The requests a task served in the minute starting at `minute` (none while it was not running). */
export function requestsInMinute(state: SandboxState, life: TaskLife, minute: Date): Request[] {
  const workload = workloadOf(state, life);
  if (!workload || !runningAt(life, minute)) return [];
  const t = minute.getTime();
  const count = Math.round(workload.requestsPerMinutePerTask * (0.85 + 0.3 * noise("rate", life.taskId, t)));
  const totalWeight = workload.endpoints.reduce((sum, endpoint) => sum + endpoint.weight, 0);
  const requests: Request[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(t + Math.floor(((i + noise("at", life.taskId, t, i)) / count) * MINUTE_MS));
    if (life.stoppedAt && at >= life.stoppedAt) break;
    const endpoint = pickWeighted(workload.endpoints, noise("endpoint", life.taskId, t, i) * totalWeight);
    if (!endpoint) break;
    const jitter = 0.8 + 0.4 * noise("latency", life.taskId, t, i);
    const incident = incidentOf(state, life, at);
    const slow = incident && incident.method === endpoint.method && incident.path === endpoint.path;
    const latencyMs = Math.round(
      slow ? incident.latencyMs * (0.97 + 0.06 * noise("slow", t, i)) : endpoint.latencyMs * jitter,
    );
    const sqlMs = slow ? Math.round(incident.sqlMs * jitter) : endpoint.sqlMs && Math.round(endpoint.sqlMs * jitter);
    requests.push({
      id: noiseHex(24, "request", life.taskId, t, i),
      at,
      method: endpoint.method,
      path: endpoint.path,
      status: noise("status", life.taskId, t, i) < 0.002 ? 500 : 200,
      latencyMs,
      ...(sqlMs ? { sqlMs } : {}),
      clientIp: `10.0.${Math.floor(noise("ip", t, i) * 2)}.${10 + Math.floor(noise("ip4", t, i) * 200)}`,
    });
  }
  return requests;
}

/** The endpoint a point in [0, total weight) falls on. */
function pickWeighted(endpoints: readonly Endpoint[], point: number): Endpoint | undefined {
  let remaining = point;
  for (const endpoint of endpoints) {
    remaining -= endpoint.weight;
    if (remaining < 0) return endpoint;
  }
  return endpoints[0];
}

// ---------------------------------------------------------------------------------------------------------------
// Where logs and traces go

export interface LogDestination {
  container: string;
  group: string;
  stream: string;
}

/** The awslogs destinations of a task's containers: `<prefix>/<container>/<task-id>` in the configured group. */
export function logDestinations(life: TaskLife): LogDestination[] {
  return (life.taskDefinition?.containerDefinitions ?? []).flatMap((container) => {
    const log = container.logConfiguration;
    const group = log?.options?.["awslogs-group"];
    if (log?.logDriver !== "awslogs" || !group || !container.name) return [];
    const prefix = log.options?.["awslogs-stream-prefix"];
    const stream = prefix ? `${prefix}/${container.name}/${life.taskId}` : life.taskId;
    return [{ container: container.name, group, stream }];
  });
}

/** The container that serves requests: the first essential one with a port mapping. */
export function appContainer(life: TaskLife): ContainerDefinition | undefined {
  const containers = life.taskDefinition?.containerDefinitions ?? [];
  return containers.find((c) => c.essential !== false && (c.portMappings?.length ?? 0) > 0) ?? containers[0];
}

const TRACING_IMAGES = [/aws-otel-collector/, /aws-xray-daemon/];

/**
 * Traces reach X-Ray only when a collector sidecar runs beside the app and the task role may write them (its
 * policies allow xray:PutTraceSegments).
 */
export function tracingEnabled(state: SandboxState, life: TaskLife): boolean {
  const containers = life.taskDefinition?.containerDefinitions ?? [];
  if (!containers.some((c) => TRACING_IMAGES.some((image) => image.test(c.image ?? "")))) return false;
  const roleArn = life.taskDefinition?.taskRoleArn;
  return roleArn !== undefined && roleAllows(state, roleArn, "xray:PutTraceSegments");
}

/** Whether a role's policies (attached managed and inline) allow an action on any resource; Deny is ignored. */
export function roleAllows(state: SandboxState, roleArn: string, action: string): boolean {
  const role = state.iam.roles.find((r) => r.Arn === roleArn);
  if (!role) return false;
  const managed = role.attachedPolicyArns.map((arn) => managedDocument(state, arn));
  const inline = role.inlinePolicies.map((policy) => policy.PolicyDocument);
  return [...managed, ...inline].some((document) => documentAllows(document, action));
}

function managedDocument(state: SandboxState, arn: string): string | undefined {
  const policy = state.iam.policies.find((p) => p.Arn === arn);
  if (policy) return policy.versions.find((v) => v.VersionId === policy.DefaultVersionId)?.Document;
  return AWS_MANAGED_POLICIES.find((p) => p.Arn === arn)?.Document;
}

function documentAllows(document: string | undefined, action: string): boolean {
  if (!document) return false;
  let parsed: { Statement?: unknown };
  try {
    parsed = JSON.parse(decodeURIComponent(document));
  } catch {
    try {
      parsed = JSON.parse(document);
    } catch {
      return false;
    }
  }
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  return statements.some((statement: { Effect?: string; Action?: string | string[] }) => {
    if (statement?.Effect !== "Allow") return false;
    const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action ?? ""];
    return actions.some((pattern) => matches(pattern, action));
  });
}

function matches(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );
  return regex.test(action);
}
