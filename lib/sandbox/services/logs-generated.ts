// Log streams the telemetry model writes, generated on demand and never stored: the awslogs streams of task
// containers (the app's access log, one line per request) and Container Insights performance events.
//
// Access-log line (the app container of a task with an awslogs logConfiguration):
//   10.0.1.23 - - [28/Nov/2026:00:01:02 +0000] "POST /something" 200 4750ms req=5f3a0c1b2d4e6f708192a3b4
// — client IP, time, "METHOD PATH", status, latency in ms, request id (the random part of the request's X-Ray trace
// id). `parse @message '"* *" * *ms' as method, path, status, latency` reads it. Other awslogs containers (the
// collector sidecar) write one start-up line. Performance events are one JSON `"Type":"Task"` document per running
// task per minute while Container Insights is on, in the stream `FargateTelemetry-<task id>`.

import type { SandboxState } from "../state";
import {
  appContainer,
  insightsAt,
  logDestinations,
  MINUTE_MS,
  minutes,
  noise,
  requestsInMinute,
  runningAt,
  type TaskLife,
  taskCpuPercent,
  taskLives,
  taskMemoryPercent,
} from "../telemetry/model";

export interface LogEvent {
  readonly timestamp: number;
  readonly ingestionTime: number;
  readonly message: string;
}

/** A stream whose events come from the model. Event ranges are [from, to) in ms. */
export interface GeneratedStream {
  readonly name: string;
  readonly creationTime: number;
  ascending(from: number, to: number): Iterable<LogEvent>;
  descending(from: number, to: number): Iterable<LogEvent>;
  /** About how many bytes its events take, without generating them. */
  approximateBytes(): number;
}

export const PERFORMANCE_GROUP = /^\/aws\/ecs\/containerinsights\/(.+)\/performance$/;

export function performanceGroupName(cluster: string): string {
  return `/aws/ecs/containerinsights/${cluster}/performance`;
}

const ACCESS_LINE_BYTES = 100;
const PERFORMANCE_EVENT_BYTES = 520;

/**
 * The generated streams of a log group that exists: `floor` is the earliest time an event may have (the group's
 * creation, its retention), `now` the request's time — nothing after it is ever produced.
 */
export function generatedStreams(state: SandboxState, group: string, floor: number, now: Date): GeneratedStream[] {
  const performance = PERFORMANCE_GROUP.exec(group);
  if (performance) {
    const cluster = performance[1] as string;
    return taskLives(state, { cluster })
      .filter((life) => life.stoppedAt === undefined || life.stoppedAt.getTime() > floor)
      .filter((life) => life.startedAt.getTime() <= now.getTime())
      .map((life) => performanceStream(state, life, floor, now));
  }
  const streams: GeneratedStream[] = [];
  for (const life of taskLives(state)) {
    if (life.startedAt.getTime() > now.getTime()) continue;
    if (life.stoppedAt && life.stoppedAt.getTime() <= floor) continue;
    const app = appContainer(life)?.name;
    for (const destination of logDestinations(life)) {
      if (destination.group !== group) continue;
      streams.push(
        destination.container === app
          ? accessLogStream(state, life, destination.stream, floor, now)
          : startupStream(state, life, destination.stream, floor, now),
      );
    }
  }
  return streams;
}

/** Minutes in [from, to) bounded by the floor, the task's life and the clock; oldest first. */
function lifeMinutes(state: SandboxState, life: TaskLife, floor: number, from: number, to: number, now: Date): Date[] {
  const start = Math.max(from, floor, life.startedAt.getTime());
  const end = Math.min(to, life.stoppedAt?.getTime() ?? Number.POSITIVE_INFINITY, now.getTime() + 1);
  if (start >= end) return [];
  return minutes(state, new Date(Math.floor(start / MINUTE_MS) * MINUTE_MS), new Date(end), now);
}

/** Ingestion lags the event by a fraction of a second (varying, but a pure function of the time). */
function ingestedAt(timestamp: number): number {
  return timestamp + 150 + (timestamp % 617);
}

function accessLogStream(state: SandboxState, life: TaskLife, name: string, floor: number, now: Date): GeneratedStream {
  const nowMs = now.getTime();
  function* events(from: number, to: number, reverse: boolean): Generator<LogEvent> {
    const low = Math.max(from, floor);
    const list = lifeMinutes(state, life, floor, from, to, now);
    if (reverse) list.reverse();
    for (const minute of list) {
      const requests = requestsInMinute(state, life, minute);
      if (reverse) requests.reverse();
      for (const request of requests) {
        const timestamp = request.at.getTime();
        if (timestamp < low || timestamp >= to) continue;
        const ingestionTime = ingestedAt(timestamp);
        if (ingestionTime > nowMs) continue;
        const message = `${request.clientIp} - - [${clfTime(timestamp)}] "${request.method} ${request.path}" ${request.status} ${request.latencyMs}ms req=${request.id}`;
        yield { timestamp, ingestionTime, message };
      }
    }
  }
  const creationTime = Math.max(life.startedAt.getTime(), floor);
  return {
    name,
    creationTime,
    ascending: (from, to) => events(from, to, false),
    descending: (from, to) => events(from, to, true),
    approximateBytes() {
      const workload = state.telemetry.workloads.find((w) => w.cluster === life.cluster && w.service === life.service);
      const count = lifeMinutes(state, life, floor, creationTime, nowMs, now).length;
      return count * (workload?.requestsPerMinutePerTask ?? 0) * ACCESS_LINE_BYTES;
    },
  };
}

function startupStream(state: SandboxState, life: TaskLife, name: string, floor: number, now: Date): GeneratedStream {
  const started = life.startedAt.getTime();
  const since = state.telemetry.since?.getTime() ?? Number.NEGATIVE_INFINITY;
  const timestamp = started + 2000;
  const event: LogEvent = {
    timestamp,
    ingestionTime: ingestedAt(timestamp),
    message: `${new Date(timestamp).toISOString()}\tinfo\tservice/service.go:266\tEverything is ready. Begin running and processing data.`,
  };
  const visible = timestamp >= floor && timestamp >= since && event.ingestionTime <= now.getTime();
  const events = (from: number, to: number) => (visible && timestamp >= from && timestamp < to ? [event] : []);
  return {
    name,
    creationTime: Math.max(started, floor),
    ascending: events,
    descending: events,
    approximateBytes: () => (visible ? event.message.length : 0),
  };
}

function performanceStream(state: SandboxState, life: TaskLife, floor: number, now: Date): GeneratedStream {
  const nowMs = now.getTime();
  const definition = life.taskDefinition;
  const cpuReserved = Number(definition?.cpu) || 256;
  const memoryReserved = Number(definition?.memory) || 512;
  function* events(from: number, to: number, reverse: boolean): Generator<LogEvent> {
    const list = lifeMinutes(state, life, floor, from, to, now);
    if (reverse) list.reverse();
    for (const minute of list) {
      const timestamp = minute.getTime();
      if (timestamp < from || timestamp < floor || timestamp >= to || !runningAt(life, minute)) continue;
      if (insightsAt(state, life.cluster, minute) === "disabled") continue;
      const ingestionTime = ingestedAt(timestamp) + 1000;
      if (ingestionTime > nowMs) continue;
      const cpu = (taskCpuPercent(state, life, minute) * cpuReserved) / 100;
      const memory = Math.round((taskMemoryPercent(state, life, minute) * memoryReserved) / 100);
      const document = {
        Version: "0",
        Type: "Task",
        TaskId: life.taskId,
        TaskDefinitionFamily: life.family,
        TaskDefinitionRevision: String(definition?.revision ?? ""),
        ...(life.service ? { ServiceName: life.service } : {}),
        ClusterName: life.cluster,
        AccountID: state.account,
        Region: state.region,
        KnownStatus: "RUNNING",
        LaunchType: "FARGATE",
        CreatedAt: life.startedAt.getTime(),
        StartedAt: life.startedAt.getTime(),
        Timestamp: timestamp,
        CpuUtilized: Math.round(cpu * 1000) / 1000,
        CpuReserved: cpuReserved,
        MemoryUtilized: memory,
        MemoryReserved: memoryReserved,
        StorageReadBytes: 0,
        StorageWriteBytes: Math.round(noise("disk", life.taskId, timestamp) * 4096),
        NetworkRxBytes: Math.round(800 + noise("rx", life.taskId, timestamp) * 400),
        NetworkTxBytes: Math.round(1500 + noise("tx", life.taskId, timestamp) * 800),
      };
      yield { timestamp, ingestionTime, message: JSON.stringify(document) };
    }
  }
  return {
    name: `FargateTelemetry-${life.taskId}`,
    creationTime: Math.max(life.startedAt.getTime(), floor),
    ascending: (from, to) => events(from, to, false),
    descending: (from, to) => events(from, to, true),
    approximateBytes: () =>
      lifeMinutes(state, life, floor, floor, nowMs, now).filter(
        (m) => insightsAt(state, life.cluster, m) !== "disabled",
      ).length * PERFORMANCE_EVENT_BYTES,
  };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Common Log Format time: `28/Nov/2026:00:01:02 +0000`. */
function clfTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
