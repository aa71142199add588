// Traces the sandbox's tasks send through their collector sidecar, generated on demand from the telemetry model:
// one trace per request a traced task served, its app segment as long as the request's latency, with an SQL
// subsegment for the query and an S3 one for uploads. Load balancers send no segments, so traces start at the app.
// Facts come straight from the requests; documents are built only for the traces BatchGetTraces asks for.
import type { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { SandboxState } from "../state";
import {
  appContainer,
  MINUTE_MS,
  minutes,
  noise,
  noiseHex,
  type Request,
  requestsInMinute,
  type TaskLife,
  taskLives,
  tracingEnabled,
} from "../telemetry/model";
import type { SegmentDocument } from "./xray-documents";
import { type NodeFacts, type ServiceRef, type TraceFacts, traceIdTime } from "./xray-traces";

/** What decides which traces a time range holds (GetTraceSummaries' TimeRangeType). */
export type TimeRangeType = "TraceId" | "Event" | "Service";

/** A traced task and what its traces say about it, worked out once per call. */
interface TracedTask {
  readonly life: TaskLife;
  readonly service: ServiceRef;
  readonly container: string;
  readonly host: string;
  readonly region: string;
  readonly account: string;
  readonly db?: { readonly host: string; readonly port: string; readonly user?: string };
  readonly bucket?: string;
}

/** Millisecond offsets of a request's calls, shared by its facts and its documents. */
interface Timeline {
  readonly sql?: { readonly start: number; readonly end: number };
  readonly s3?: { readonly start: number; readonly end: number };
}

const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "okhttp/4.12.0",
];

function tracedTasks(state: SandboxState): TracedTask[] {
  return taskLives(state)
    .filter((life) => tracingEnabled(state, life))
    .map((life) => {
      const environment = new Map(
        (appContainer(life)?.environment ?? []).map((pair) => [pair.name ?? "", pair.value ?? ""] as const),
      );
      const dbHost = environment.get("DB_HOST");
      const bucket = environment.get("UPLOAD_BUCKET");
      const user = environment.get("DB_USER");
      return {
        life,
        service: { name: life.service ?? life.family, type: "AWS::ECS::Container", accountId: state.account },
        container: appContainer(life)?.name ?? life.family,
        host: hostOf(state, life),
        region: state.region,
        account: state.account,
        ...(dbHost
          ? { db: { host: dbHost, port: environment.get("DB_PORT") ?? "3306", ...(user ? { user } : {}) } }
          : {}),
        ...(bucket ? { bucket } : {}),
      };
    });
}

/** The Host the app sees: its load balancer's DNS name when a service puts it behind one, else its own address. */
function hostOf(state: SandboxState, life: TaskLife): string {
  const service = state.ecs.services[life.cluster]?.find((s) => s.serviceName === life.service);
  const targetGroupArn = service?.loadBalancers?.[0]?.targetGroupArn;
  const forwards = (actions: readonly Action[] | undefined) =>
    targetGroupArn !== undefined &&
    (actions ?? []).some(
      (action) =>
        action.TargetGroupArn === targetGroupArn ||
        action.ForwardConfig?.TargetGroups?.some((group) => group.TargetGroupArn === targetGroupArn),
    );
  const loadBalancerArn =
    state.elbv2.targetGroups.find((t) => t.TargetGroupArn === targetGroupArn)?.LoadBalancerArns?.[0] ??
    state.elbv2.listeners.find((listener) => forwards(listener.DefaultActions))?.LoadBalancerArn;
  const dns = state.elbv2.loadBalancers.find((lb) => lb.LoadBalancerArn === loadBalancerArn)?.DNSName;
  return dns ?? life.privateIp ?? "localhost";
}

function traceId(request: Request): string {
  return `1-${Math.floor(request.at.getTime() / 1000)
    .toString(16)
    .padStart(8, "0")}-${request.id}`;
}

function timeline(task: TracedTask, request: Request): Timeline {
  const s3Ms =
    task.bucket && request.method === "POST"
      ? Math.min(20 + Math.round(noise("s3", request.id) * 30), request.latencyMs - (request.sqlMs ?? 0) - 2)
      : 0;
  const sqlMs = task.db && request.sqlMs ? Math.min(request.sqlMs, request.latencyMs - 2) : 0;
  const spare = Math.max(0, request.latencyMs - sqlMs - Math.max(0, s3Ms));
  const sqlStart = Math.round(spare * (0.05 + 0.15 * noise("sql-at", request.id)));
  const s3Start = request.latencyMs - s3Ms - Math.round(Math.min(5, spare * 0.02));
  return {
    ...(sqlMs > 0 ? { sql: { start: sqlStart, end: sqlStart + sqlMs } } : {}),
    ...(s3Ms > 0 ? { s3: { start: s3Start, end: s3Start + s3Ms } } : {}),
  };
}

function url(task: TracedTask, request: Request): string {
  return `http://${task.host}${request.path}`;
}

function userAgent(request: Request): string {
  return USER_AGENTS[Math.floor(noise("ua", request.id) * USER_AGENTS.length)] ?? "";
}

function factsOf(task: TracedTask, request: Request): TraceFacts {
  const start = request.at.getTime();
  const end = start + request.latencyMs;
  const calls = timeline(task, request);
  const root: NodeFacts = {
    service: task.service,
    start: start / 1000,
    end: end / 1000,
    fault: request.status >= 500,
    error: request.status >= 400 && request.status < 500 && request.status !== 429,
    throttle: request.status === 429,
    http: {
      url: url(task, request),
      method: request.method,
      status: request.status,
      userAgent: userAgent(request),
      clientIp: request.clientIp,
    },
    annotations: { route: `${request.method} ${request.path}` },
    inferred: false,
  };
  const downstream = (service: ServiceRef, span: { start: number; end: number }): NodeFacts => ({
    service,
    start: (start + span.start) / 1000,
    end: (start + span.end) / 1000,
    fault: false,
    error: false,
    throttle: false,
    annotations: {},
    caller: task.service,
    inferred: true,
  });
  const nodes = [root];
  if (calls.sql && task.db) nodes.push(downstream({ name: task.db.host, type: "Database::SQL" }, calls.sql));
  if (calls.s3) nodes.push(downstream({ name: "S3", type: "AWS::S3" }, calls.s3));
  const id = traceId(request);
  return {
    id,
    idTime: traceIdTime(id) ?? Math.floor(start / 1000),
    start: start / 1000,
    end: end / 1000,
    root,
    nodes,
    partial: false,
    revision: 1,
  };
}

/** Every generated trace whose time (by `rangeType`) lies in [from, to] and that had ended by `now`. */
export function generatedTraces(
  state: SandboxState,
  from: Date,
  to: Date,
  now: Date,
  rangeType: TimeRangeType,
): TraceFacts[] {
  const tasks = tracedTasks(state);
  if (tasks.length === 0) return [];
  const first = Math.floor(from.getTime() / MINUTE_MS) * MINUTE_MS;
  const out: TraceFacts[] = [];
  for (const minute of minutes(state, new Date(first), new Date(to.getTime() + 1), now)) {
    for (const task of tasks) {
      for (const request of requestsInMinute(state, task.life, minute)) {
        if (request.at.getTime() + request.latencyMs > now.getTime()) continue;
        const at = rangeType === "TraceId" ? Math.floor(request.at.getTime() / 1000) * 1000 : request.at.getTime();
        if (at < from.getTime() || at > to.getTime()) continue;
        out.push(factsOf(task, request));
      }
    }
  }
  return out;
}

/** A generated trace by id: its facts and its one segment document, or undefined when no task served it. */
export function generatedTrace(
  state: SandboxState,
  id: string,
  now: Date,
): { facts: TraceFacts; documents: SegmentDocument[] } | undefined {
  const time = traceIdTime(id);
  if (time === undefined) return undefined;
  const minute = Math.floor((time * 1000) / MINUTE_MS) * MINUTE_MS;
  const requestId = id.slice(11);
  const tasks = tracedTasks(state);
  for (const start of minutes(state, new Date(minute), new Date(minute + 1), now)) {
    for (const task of tasks) {
      const request = requestsInMinute(state, task.life, start).find((r) => r.id === requestId);
      if (!request || traceId(request) !== id) continue;
      if (request.at.getTime() + request.latencyMs > now.getTime()) return undefined;
      return { facts: factsOf(task, request), documents: [segmentDocument(task, request)] };
    }
  }
  return undefined;
}

/** The app's segment as the collector exports it, with its calls as subsegments. */
function segmentDocument(task: TracedTask, request: Request): SegmentDocument {
  const start = request.at.getTime();
  const calls = timeline(task, request);
  const life = task.life;
  const subsegments: SegmentDocument[] = [];
  if (calls.sql && task.db) {
    const table = request.path.split("/").filter(Boolean).pop() ?? "items";
    subsegments.push({
      id: noiseHex(16, "sql-segment", request.id),
      name: task.db.host,
      start_time: (start + calls.sql.start) / 1000,
      end_time: (start + calls.sql.end) / 1000,
      namespace: "remote",
      sql: {
        url: `jdbc:mysql://${task.db.host}:${task.db.port}/app`,
        sanitized_query:
          request.method === "POST"
            ? `INSERT INTO ${table} (owner_id, payload, created_at) VALUES (?, ?, ?)`
            : `SELECT id, title, updated_at FROM ${table} WHERE owner_id = ? ORDER BY updated_at DESC LIMIT ?`,
        database_type: "MySQL",
        database_version: "8.0.mysql_aurora.3.08.0",
        driver_version: "MySQL Connector/J 9.1.0",
        ...(task.db.user ? { user: task.db.user } : {}),
      },
    });
  }
  if (calls.s3 && task.bucket) {
    subsegments.push({
      id: noiseHex(16, "s3-segment", request.id),
      name: "S3",
      start_time: (start + calls.s3.start) / 1000,
      end_time: (start + calls.s3.end) / 1000,
      namespace: "aws",
      http: { response: { status: 200 } },
      aws: {
        operation: "PutObject",
        region: task.region,
        bucket_name: task.bucket,
        request_id: noiseHex(16, "s3-request", request.id).toUpperCase(),
        retries: 0,
      },
    });
  }
  return {
    id: noiseHex(16, "segment", request.id),
    name: task.service.name,
    start_time: start / 1000,
    trace_id: traceId(request),
    end_time: (start + request.latencyMs) / 1000,
    origin: "AWS::ECS::Container",
    ...(request.status >= 500 ? { fault: true } : request.status >= 400 ? { error: true } : {}),
    http: {
      request: {
        url: url(task, request),
        method: request.method,
        user_agent: userAgent(request),
        client_ip: request.clientIp,
        x_forwarded_for: true,
      },
      response: { status: request.status, content_length: 64 + Math.floor(noise("bytes", request.id) * 2000) },
    },
    aws: {
      account_id: task.account,
      ecs: {
        container: task.container,
        container_id: `${life.taskId}-${noiseHex(10, "container", life.taskId)}`,
        task_arn: life.taskArn,
        task_family: life.family,
        cluster_arn: `arn:aws:ecs:${task.region}:${task.account}:cluster/${life.cluster}`,
        launch_type: "fargate",
      },
      xray: { auto_instrumentation: false, sdk: "opentelemetry for java", sdk_version: "1.44.1" },
    },
    annotations: { route: `${request.method} ${request.path}` },
    subsegments,
  };
}
