// CloudWatch Logs: log groups, streams and events, filter patterns and Logs Insights queries. Events written with
// PutLogEvents (or a scenario's putEvents) are stored; the awslogs streams of tasks and Container Insights
// performance events are generated from the telemetry model when read (logs-generated.ts), so a group of any age
// costs only what a request reads.
import { AwsError, type RequestContext, type ServiceDefinition } from "../service";
import type { SandboxState } from "../state";
import { insightsAt, noise } from "../telemetry/model";
import { compileFilterPattern, FilterPatternError } from "./logs-filter-pattern";
import { generatedStreams, type LogEvent, performanceGroupName } from "./logs-generated";
import { type LogRecord, type ResultField, runQuery } from "./logs-insights-engine";
import { parseQuery, QuerySyntaxError } from "./logs-insights-parser";

/** Events of a stream, by column (three arrays rather than an object per event), ascending by timestamp. */
export interface StoredStream {
  name: string;
  creationTime: number;
  timestamps: number[];
  ingestionTimes: number[];
  messages: string[];
}

export interface StoredGroup {
  name: string;
  creationTime: number;
  retentionInDays?: number;
  tags?: Record<string, string>;
  streams: Record<string, StoredStream>;
}

export type QueryStatus = "Scheduled" | "Running" | "Complete" | "Failed" | "Cancelled";

export interface QueryRecord {
  queryId: string;
  queryString: string;
  logGroupNames: string[];
  /** ms */
  createTime: number;
  polls: number;
  cancelled: boolean;
  results: ResultField[][];
  statistics: { recordsMatched: number; recordsScanned: number; bytesScanned: number };
}

export interface LogsState {
  groups: Record<string, StoredGroup>;
  queries: QueryRecord[];
  /** When each deleted group went, so one Container Insights re-creates starts empty. */
  deleted: Record<string, number>;
}

export function emptyLogsState(): LogsState {
  return { groups: {}, queries: [], deleted: {} };
}

type Input = Record<string, unknown>;

const DAY_MS = 86_400_000;
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const MAX_EVENTS = 10_000;

// ---------------------------------------------------------------------------------------------------------------
// Builders (scenarios and handlers share them)

export function addLogGroup(
  state: SandboxState,
  spec: { name: string; retentionInDays?: number; createdAt: Date; tags?: Record<string, string> },
): StoredGroup {
  const group: StoredGroup = {
    name: spec.name,
    creationTime: spec.createdAt.getTime(),
    ...(spec.retentionInDays === undefined ? {} : { retentionInDays: spec.retentionInDays }),
    ...(spec.tags ? { tags: { ...spec.tags } } : {}),
    streams: {},
  };
  state.logs.groups[spec.name] = group;
  return group;
}

/** Stores events in a stream (created if missing) of an existing group, keeping the stream in time order. */
export function putEvents(
  state: SandboxState,
  group: string,
  stream: string,
  events: readonly { timestamp: number | Date; message: string; ingestionTime?: number | Date }[],
): StoredStream {
  const stored = state.logs.groups[group];
  if (!stored) throw new Error(`logs: log group ${group} does not exist`);
  const ms = (t: number | Date) => (t instanceof Date ? t.getTime() : t);
  const target = stored.streams[stream] ?? {
    name: stream,
    creationTime: events[0] ? ms(events[0].timestamp) : stored.creationTime,
    timestamps: [],
    ingestionTimes: [],
    messages: [],
  };
  stored.streams[stream] = target;
  const last = target.timestamps[target.timestamps.length - 1] ?? Number.NEGATIVE_INFINITY;
  const ordered = events.every(
    (e, i) => i === 0 || ms(e.timestamp) >= ms((events[i - 1] as { timestamp: number | Date }).timestamp),
  );
  if (ordered && (events.length === 0 || ms((events[0] as { timestamp: number | Date }).timestamp) >= last)) {
    for (const e of events) {
      target.timestamps.push(ms(e.timestamp));
      target.ingestionTimes.push(ms(e.ingestionTime ?? e.timestamp));
      target.messages.push(e.message);
    }
    return target;
  }
  const all = target.timestamps.map((t, i) => ({
    t,
    i: target.ingestionTimes[i] as number,
    m: target.messages[i] as string,
  }));
  for (const e of events) all.push({ t: ms(e.timestamp), i: ms(e.ingestionTime ?? e.timestamp), m: e.message });
  all.sort((a, b) => a.t - b.t);
  target.timestamps = all.map((e) => e.t);
  target.ingestionTimes = all.map((e) => e.i);
  target.messages = all.map((e) => e.m);
  return target;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors and inputs

function invalid(message: string): AwsError {
  return new AwsError("InvalidParameterException", message);
}
function groupNotFound(): AwsError {
  return new AwsError("ResourceNotFoundException", "The specified log group does not exist.");
}
function streamNotFound(): AwsError {
  return new AwsError("ResourceNotFoundException", "The specified log stream does not exist.");
}

function str(input: Input, name: string): string | undefined {
  const value = input[name];
  return typeof value === "string" ? value : undefined;
}
function num(input: Input, name: string): number | undefined {
  const value = input[name];
  if (typeof value === "number") return value;
  if (value instanceof Date) return value.getTime();
  return undefined;
}
function strings(input: Input, name: string): string[] | undefined {
  const value = input[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined;
}
function required(input: Input, name: string): string {
  const value = str(input, name);
  if (value === undefined || value === "") {
    throw invalid(
      `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** A group name from a name or an ARN (`arn:aws:logs:<region>:<account>:log-group:<name>[:*]`). */
function groupNameOf(identifier: string): string {
  const match = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(:\*)?$/.exec(identifier);
  return match ? (match[1] as string) : identifier;
}

function groupOf(context: RequestContext, input: Input): StoredGroup {
  const name = str(input, "logGroupName") ?? str(input, "logGroupIdentifier");
  if (!name) throw invalid("Either logGroupName or logGroupIdentifier must be specified.");
  const group = context.state.logs.groups[groupNameOf(name)];
  if (!group) throw groupNotFound();
  return group;
}

function groupArn(context: RequestContext, name: string): string {
  return `arn:aws:logs:${context.region}:${context.account}:log-group:${name}`;
}

function limitOf(input: Input, name: string, max: number, fallback = max): number {
  const value = num(input, name);
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw invalid(
      `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
    );
  }
  return value;
}

function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}
function decodeToken<T>(token: string, check: (value: unknown) => value is T): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (check(value)) return value;
  } catch {
    // fall through
  }
  throw invalid("The specified nextToken is invalid.");
}
const isNumber = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 0;

// ---------------------------------------------------------------------------------------------------------------
// Streams: stored and generated, seen the same way

interface StreamView {
  readonly name: string;
  readonly creationTime: number;
  ascending(from: number, to: number): Iterable<LogEvent>;
  descending(from: number, to: number): Iterable<LogEvent>;
  approximateBytes(): number;
}

/** The earliest event time a group shows: its creation for generated events, and its retention for all. */
function retentionFloor(group: StoredGroup, now: Date): number {
  return group.retentionInDays ? now.getTime() - group.retentionInDays * DAY_MS : Number.NEGATIVE_INFINITY;
}

function lowerBound(values: readonly number[], target: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function storedView(stream: StoredStream, floor: number, now: Date): StreamView {
  const nowMs = now.getTime();
  const event = (i: number): LogEvent => ({
    timestamp: stream.timestamps[i] as number,
    ingestionTime: stream.ingestionTimes[i] as number,
    message: stream.messages[i] as string,
  });
  return {
    name: stream.name,
    creationTime: stream.creationTime,
    *ascending(from, to) {
      const end = lowerBound(stream.timestamps, to);
      for (let i = lowerBound(stream.timestamps, Math.max(from, floor)); i < end; i++) {
        if ((stream.ingestionTimes[i] as number) <= nowMs) yield event(i);
      }
    },
    *descending(from, to) {
      const start = lowerBound(stream.timestamps, Math.max(from, floor));
      for (let i = lowerBound(stream.timestamps, to) - 1; i >= start; i--) {
        if ((stream.ingestionTimes[i] as number) <= nowMs) yield event(i);
      }
    },
    approximateBytes: () => stream.messages.reduce((sum, m) => sum + m.length + 26, 0),
  };
}

function* merge(sources: readonly Iterable<LogEvent>[], descending: boolean): Generator<LogEvent> {
  const iterators = sources.map((source) => source[Symbol.iterator]());
  const heads = iterators.map((it) => it.next());
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i] as IteratorResult<LogEvent>;
      if (head.done) continue;
      const current = heads[best]?.value as LogEvent | undefined;
      if (
        best < 0 ||
        !current ||
        (descending ? head.value.timestamp > current.timestamp : head.value.timestamp < current.timestamp)
      )
        best = i;
    }
    if (best < 0) return;
    const head = heads[best] as IteratorYieldResult<LogEvent>;
    yield head.value;
    heads[best] = (iterators[best] as Iterator<LogEvent>).next();
  }
}

/** Every stream of a group, by name: generated ones (merged with any stored events of the same name) and stored. */
function streamsOf(state: SandboxState, group: StoredGroup, now: Date): StreamView[] {
  const floor = retentionFloor(group, now);
  const generated = generatedStreams(state, group.name, Math.max(floor, group.creationTime), now);
  const byName = new Map<string, StreamView>();
  for (const stream of generated) byName.set(stream.name, stream);
  for (const stream of Object.values(group.streams)) {
    const stored = storedView(stream, floor, now);
    const other = byName.get(stream.name);
    byName.set(
      stream.name,
      other
        ? {
            name: stream.name,
            creationTime: Math.min(other.creationTime, stored.creationTime),
            ascending: (from, to) => merge([other.ascending(from, to), stored.ascending(from, to)], false),
            descending: (from, to) => merge([other.descending(from, to), stored.descending(from, to)], true),
            approximateBytes: () => other.approximateBytes() + stored.approximateBytes(),
          }
        : stored,
    );
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function first<T>(iterable: Iterable<T>): T | undefined {
  for (const item of iterable) return item;
  return undefined;
}

function findStream(context: RequestContext, group: StoredGroup, name: string): StreamView {
  const stream = streamsOf(context.state, group, context.now).find((s) => s.name === name);
  if (!stream) throw streamNotFound();
  return stream;
}

// ---------------------------------------------------------------------------------------------------------------
// Container Insights creates its performance group when it is turned on

function createInsightsGroups(context: RequestContext): void {
  const { state, now } = context;
  for (const [cluster, history] of Object.entries(state.telemetry.insights)) {
    const name = performanceGroupName(cluster);
    if (state.logs.groups[name] || insightsAt(state, cluster, now) === "disabled") continue;
    // The group appeared when the setting last went from disabled to on.
    let since = now.getTime();
    let level = "disabled";
    for (const change of history) {
      if (change.at > now) break;
      if (level === "disabled" && change.value !== "disabled") since = change.at.getTime();
      level = change.value;
    }
    addLogGroup(state, { name, createdAt: new Date(Math.max(since, state.logs.deleted[name] ?? 0)) });
    context.changed();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Handlers: groups

function describeGroup(context: RequestContext, group: StoredGroup) {
  const bytes = streamsOf(context.state, group, context.now).reduce((sum, s) => sum + s.approximateBytes(), 0);
  return {
    logGroupName: group.name,
    creationTime: group.creationTime,
    ...(group.retentionInDays ? { retentionInDays: group.retentionInDays } : {}),
    metricFilterCount: 0,
    arn: `${groupArn(context, group.name)}:*`,
    storedBytes: Math.round(bytes),
    logGroupClass: "STANDARD",
    logGroupArn: groupArn(context, group.name),
  };
}

function describeLogGroups(input: Input, context: RequestContext) {
  const prefix = str(input, "logGroupNamePrefix");
  const pattern = str(input, "logGroupNamePattern");
  if (prefix !== undefined && pattern !== undefined) {
    throw invalid("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
  }
  const limit = limitOf(input, "limit", 50);
  const token = str(input, "nextToken");
  const after = token ? decodeToken(token, (v): v is string => typeof v === "string") : undefined;
  const names = Object.keys(context.state.logs.groups)
    .filter((name) => prefix === undefined || name.startsWith(prefix))
    .filter((name) => pattern === undefined || name.toLowerCase().includes(pattern.toLowerCase()))
    .filter((name) => after === undefined || name > after)
    .sort();
  const page = names.slice(0, limit);
  const groups = context.state.logs.groups;
  return {
    logGroups: page.map((name) => describeGroup(context, groups[name] as StoredGroup)),
    ...(names.length > limit ? { nextToken: encodeToken(page[page.length - 1]) } : {}),
  };
}

function createLogGroup(input: Input, context: RequestContext) {
  const name = required(input, "logGroupName");
  if (!GROUP_NAME.test(name)) {
    throw invalid(
      `1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`,
    );
  }
  if (context.state.logs.groups[name]) {
    throw new AwsError("ResourceAlreadyExistsException", "The specified log group already exists");
  }
  const tags = input.tags as Record<string, string> | undefined;
  addLogGroup(context.state, { name, createdAt: context.now, ...(tags ? { tags } : {}) });
  context.changed();
  return {};
}

function deleteLogGroup(input: Input, context: RequestContext) {
  const group = groupOf(context, input);
  delete context.state.logs.groups[group.name];
  context.state.logs.deleted[group.name] = context.now.getTime();
  context.changed();
  return {};
}

function putRetentionPolicy(input: Input, context: RequestContext) {
  const group = groupOf(context, input);
  const days = num(input, "retentionInDays");
  if (days === undefined || !RETENTION_DAYS.includes(days)) {
    throw invalid(
      `1 validation error detected: Value '${String(days)}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(", ")}]`,
    );
  }
  group.retentionInDays = days;
  context.changed();
  return {};
}

function deleteRetentionPolicy(input: Input, context: RequestContext) {
  const group = groupOf(context, input);
  delete group.retentionInDays;
  context.changed();
  return {};
}

/** The tags a log group was created (or tagged) with, by its ARN (`arn:…:log-group:<name>`, no `:*`). */
function listTagsForResource(input: Input, context: RequestContext) {
  const arn = required(input, "resourceArn");
  const match = /^arn:[^:]+:logs:([^:]*):([^:]*):log-group:(.+)$/.exec(arn);
  const group = match && !arn.endsWith(":*") ? context.state.logs.groups[match[3] as string] : undefined;
  if (!group || match?.[1] !== context.region || match?.[2] !== context.account) throw groupNotFound();
  return { tags: { ...(group.tags ?? {}) } };
}

// ---------------------------------------------------------------------------------------------------------------
// Handlers: streams

function describeLogStreams(input: Input, context: RequestContext) {
  const group = groupOf(context, input);
  const prefix = str(input, "logStreamNamePrefix");
  const orderBy = str(input, "orderBy") ?? "LogStreamName";
  if (orderBy !== "LogStreamName" && orderBy !== "LastEventTime") {
    throw invalid(
      `1 validation error detected: Value '${orderBy}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]`,
    );
  }
  if (prefix !== undefined && orderBy === "LastEventTime") {
    throw invalid("Cannot order by LastEventTime with a logStreamNamePrefix.");
  }
  const descending = input.descending === true;
  const limit = limitOf(input, "limit", 50);
  const token = str(input, "nextToken");
  const offset = token ? decodeToken(token, isNumber) : 0;
  const end = context.now.getTime() + 1;
  const streams = streamsOf(context.state, group, context.now)
    .filter((stream) => prefix === undefined || stream.name.startsWith(prefix))
    .map((stream) => {
      const earliest = first(stream.ascending(Number.NEGATIVE_INFINITY, end));
      const latest = first(stream.descending(Number.NEGATIVE_INFINITY, end));
      return {
        logStreamName: stream.name,
        creationTime: stream.creationTime,
        ...(earliest ? { firstEventTimestamp: earliest.timestamp } : {}),
        ...(latest ? { lastEventTimestamp: latest.timestamp, lastIngestionTime: latest.ingestionTime } : {}),
        arn: `${groupArn(context, group.name)}:log-stream:${stream.name}`,
        storedBytes: 0,
      };
    });
  if (orderBy === "LastEventTime") {
    streams.sort(
      (a, b) =>
        (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0) || (a.logStreamName < b.logStreamName ? -1 : 1),
    );
  }
  if (descending) streams.reverse();
  const page = streams.slice(offset, offset + limit);
  return {
    logStreams: page,
    ...(offset + limit < streams.length ? { nextToken: encodeToken(offset + limit) } : {}),
  };
}

function createLogStream(input: Input, context: RequestContext) {
  const group = groupOf(context, input);
  const name = required(input, "logStreamName");
  if (/[:*]/.test(name) || name.length > 512) {
    throw invalid(
      `1 validation error detected: Value '${name}' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*`,
    );
  }
  if (streamsOf(context.state, group, context.now).some((s) => s.name === name)) {
    throw new AwsError("ResourceAlreadyExistsException", "The specified log stream already exists");
  }
  group.streams[name] = { name, creationTime: context.now.getTime(), timestamps: [], ingestionTimes: [], messages: [] };
  context.changed();
  return {};
}

function deleteLogStream(input: Input, context: RequestContext) {
  const group = groupOf(context, input);
  const name = required(input, "logStreamName");
  if (!group.streams[name]) throw streamNotFound();
  delete group.streams[name];
  context.changed();
  return {};
}

// ---------------------------------------------------------------------------------------------------------------
// Handlers: events

function putLogEvents(input: Input, context: RequestContext) {
  const group = groupOf(context, input);
  const name = required(input, "logStreamName");
  if (!group.streams[name]) {
    // A generated stream exists too: the first write gives it a stored part.
    findStream(context, group, name);
    group.streams[name] = {
      name,
      creationTime: context.now.getTime(),
      timestamps: [],
      ingestionTimes: [],
      messages: [],
    };
  }
  const events = (Array.isArray(input.logEvents) ? input.logEvents : []) as { timestamp?: number; message?: string }[];
  if (events.length === 0 || events.length > MAX_EVENTS) {
    throw invalid(
      `1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length between 1 and ${MAX_EVENTS}`,
    );
  }
  const times = events.map((e) => Number(e.timestamp));
  if (times.some((t, i) => Number.isNaN(t) || (i > 0 && t < (times[i - 1] as number)))) {
    throw invalid("Log events in a single PutLogEvents request must be in chronological order.");
  }
  if ((times[times.length - 1] as number) - (times[0] as number) > DAY_MS) {
    throw invalid("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
  }
  const now = context.now.getTime();
  const tooOld = now - 14 * DAY_MS;
  const expired = group.retentionInDays ? now - group.retentionInDays * DAY_MS : Number.NEGATIVE_INFINITY;
  const tooNew = now + 2 * 3_600_000;
  let tooOldEnd = -1;
  let expiredEnd = -1;
  let tooNewStart = -1;
  times.forEach((t, i) => {
    if (t < tooOld) tooOldEnd = i;
    if (t < expired) expiredEnd = i;
    if (t > tooNew && tooNewStart < 0) tooNewStart = i;
  });
  const firstKept = Math.max(tooOldEnd, expiredEnd) + 1;
  const endKept = tooNewStart < 0 ? events.length : tooNewStart;
  const kept = events
    .slice(firstKept, endKept)
    .map((e) => ({ timestamp: Number(e.timestamp), message: String(e.message ?? ""), ingestionTime: now }));
  if (kept.length > 0) putEvents(context.state, group.name, name, kept);
  context.changed();
  const rejected = {
    ...(tooNewStart >= 0 ? { tooNewLogEventStartIndex: tooNewStart } : {}),
    ...(tooOldEnd >= 0 ? { tooOldLogEventEndIndex: tooOldEnd } : {}),
    ...(expiredEnd >= 0 ? { expiredLogEventEndIndex: expiredEnd } : {}),
  };
  return {
    nextSequenceToken: String(now).padStart(56, "0"),
    ...(Object.keys(rejected).length > 0 ? { rejectedLogEventsInfo: rejected } : {}),
  };
}

/** A place between events: after every event older than `t`, and after the first `k` events at `t`. */
interface Cursor {
  t: number;
  k: number;
}

function cursorToken(direction: "f" | "b", cursor: Cursor): string {
  return `${direction}/${String(cursor.t).padStart(16, "0")}${String(cursor.k).padStart(8, "0")}`;
}

function parseCursor(token: string): { direction: "f" | "b"; cursor: Cursor } {
  const match = /^([fb])\/(\d{16})(\d{8})$/.exec(token);
  if (!match) throw invalid("The specified nextToken is invalid.");
  return { direction: match[1] as "f" | "b", cursor: { t: Number(match[2]), k: Number(match[3]) } };
}

/** Events grouped by equal timestamp, each group in ascending order, whichever way the source runs. */
function* byTimestamp(events: Iterable<LogEvent>, descending: boolean): Generator<LogEvent[]> {
  let group: LogEvent[] = [];
  for (const event of events) {
    if (group.length > 0 && (group[0] as LogEvent).timestamp !== event.timestamp) {
      yield descending ? group.reverse() : group;
      group = [];
    }
    group.push(event);
  }
  if (group.length > 0) yield descending ? group.reverse() : group;
}

function getLogEvents(input: Input, context: RequestContext) {
  const group = groupOf(context, input);
  const stream = findStream(context, group, required(input, "logStreamName"));
  const from = num(input, "startTime") ?? 0;
  const to = Math.min(num(input, "endTime") ?? Number.POSITIVE_INFINITY, context.now.getTime() + 1);
  const limit = limitOf(input, "limit", MAX_EVENTS);
  const token = str(input, "nextToken");
  const start = token
    ? parseCursor(token)
    : input.startFromHead === true
      ? { direction: "f" as const, cursor: { t: Math.max(from, 0), k: 0 } }
      : { direction: "b" as const, cursor: { t: Math.max(to, 0), k: 0 } };
  const { cursor } = start;
  const taken: LogEvent[] = [];
  let earliest: Cursor | undefined;
  let latest: Cursor | undefined;
  if (start.direction === "f") {
    outer: for (const same of byTimestamp(stream.ascending(Math.max(from, cursor.t), to), false)) {
      const t = (same[0] as LogEvent).timestamp;
      for (let i = t === cursor.t ? cursor.k : 0; i < same.length; i++) {
        earliest ??= { t, k: i };
        taken.push(same[i] as LogEvent);
        latest = { t, k: i + 1 };
        if (taken.length >= limit) break outer;
      }
    }
  } else {
    outer: for (const same of byTimestamp(stream.descending(from, Math.min(to, cursor.t + 1)), true)) {
      const t = (same[0] as LogEvent).timestamp;
      for (let i = (t === cursor.t ? Math.min(cursor.k, same.length) : same.length) - 1; i >= 0; i--) {
        latest ??= { t, k: i + 1 };
        taken.push(same[i] as LogEvent);
        earliest = { t, k: i };
        if (taken.length >= limit) break outer;
      }
    }
    taken.reverse();
  }
  return {
    events: taken.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
    // At either end the token given comes back, as AWS does: that is how a reader knows it has caught up.
    nextForwardToken: cursorToken("f", latest ?? cursor),
    nextBackwardToken: cursorToken("b", earliest ?? cursor),
  };
}

function eventId(stream: string, event: LogEvent, k: number): string {
  const hash = Math.floor(noise("event", stream, event.timestamp, k) * 1e15);
  return `${String(event.timestamp).padStart(20, "0")}${String(hash).padStart(16, "0")}${String(k).padStart(20, "0")}`;
}

function filterLogEvents(input: Input, context: RequestContext) {
  const group = groupOf(context, input);
  const names = strings(input, "logStreamNames");
  const prefix = str(input, "logStreamNamePrefix");
  if (names && prefix !== undefined) {
    throw invalid("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
  }
  let match: (message: string) => boolean;
  try {
    match = compileFilterPattern(str(input, "filterPattern"));
  } catch (error) {
    if (error instanceof FilterPatternError) throw invalid(error.message);
    throw error;
  }
  const from = num(input, "startTime") ?? 0;
  const to = Math.min((num(input, "endTime") ?? Number.POSITIVE_INFINITY) + 1, context.now.getTime() + 1);
  const limit = limitOf(input, "limit", MAX_EVENTS);
  const token = str(input, "nextToken");
  const cursor = token ? decodeToken(token, (v): v is Cursor => isCursor(v)) : { t: from, k: 0 };
  const streams = streamsOf(context.state, group, context.now).filter(
    (s) => (names === undefined || names.includes(s.name)) && (prefix === undefined || s.name.startsWith(prefix)),
  );
  if (names?.some((n) => !streams.some((s) => s.name === n))) throw streamNotFound();
  const sources = streams.map((stream) => tagged(stream.name, stream.ascending(Math.max(from, cursor.t), to)));
  const events: {
    logStreamName: string;
    timestamp: number;
    message: string;
    ingestionTime: number;
    eventId: string;
  }[] = [];
  let position: Cursor = cursor;
  let skip = cursor.k;
  let more = false;
  for (const event of merge(sources, false) as Generator<LogEvent & { stream: string }>) {
    if (!match(event.message)) continue;
    // The first `k` matches at the cursor's time were on earlier pages.
    if (event.timestamp === cursor.t && skip > 0) {
      skip--;
      continue;
    }
    if (events.length >= limit) {
      more = true;
      break;
    }
    const k = event.timestamp === position.t ? position.k : 0;
    events.push({
      logStreamName: event.stream,
      timestamp: event.timestamp,
      message: event.message,
      ingestionTime: event.ingestionTime,
      eventId: eventId(event.stream, event, k),
    });
    position = { t: event.timestamp, k: k + 1 };
  }
  return { events, searchedLogStreams: [], ...(more ? { nextToken: encodeToken(position) } : {}) };
}

function isCursor(value: unknown): value is Cursor {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Cursor).t === "number" &&
    isNumber((value as Cursor).k)
  );
}

function* tagged(stream: string, events: Iterable<LogEvent>): Generator<LogEvent & { stream: string }> {
  for (const event of events) yield { ...event, stream };
}

// ---------------------------------------------------------------------------------------------------------------
// Handlers: Logs Insights

/** Two polls to watch it run, or ten seconds of the clock, and a query is done. */
const COMPLETE_AFTER_MS = 10_000;

function queryGroups(input: Input, context: RequestContext): string[] {
  const single = str(input, "logGroupName");
  const names = strings(input, "logGroupNames");
  const identifiers = strings(input, "logGroupIdentifiers");
  const given = [single, names, identifiers].filter((v) => v !== undefined);
  if (given.length !== 1) {
    throw invalid("Exactly one of logGroupName, logGroupNames or logGroupIdentifiers must be specified.");
  }
  const list = single !== undefined ? [single] : (names ?? identifiers ?? []).map(groupNameOf);
  if (list.length === 0 || list.length > 50) {
    throw invalid(
      "1 validation error detected: Value at 'logGroupNames' failed to satisfy constraint: Member must have length between 1 and 50",
    );
  }
  for (const name of list) {
    if (!context.state.logs.groups[name]) {
      throw new AwsError(
        "ResourceNotFoundException",
        `Log group '${name}' does not exist for account ID '${context.account}'`,
      );
    }
  }
  return list;
}

/** Every event of the groups in [from, to), stream after stream, as Logs Insights records. */
function* recordsOf(
  context: RequestContext,
  groups: readonly string[],
  from: number,
  to: number,
): Generator<LogRecord> {
  for (const name of groups) {
    const group = context.state.logs.groups[name];
    if (!group) continue;
    const log = `${context.account}:${name}`;
    for (const stream of streamsOf(context.state, group, context.now)) {
      const logStream = stream.name;
      for (const event of stream.ascending(from, to)) {
        yield {
          timestamp: event.timestamp,
          ingestionTime: event.ingestionTime,
          message: event.message,
          logStream,
          log,
        };
      }
    }
  }
}

function pointer(record: LogRecord): string {
  const group = record.log.slice(record.log.indexOf(":") + 1);
  return encodeToken([group, record.logStream, record.timestamp, Math.floor(noise(record.message) * 1e9)]);
}

function startQuery(input: Input, context: RequestContext) {
  const groups = queryGroups(input, context);
  const queryString = required(input, "queryString");
  const startTime = num(input, "startTime");
  const endTime = num(input, "endTime");
  if (startTime === undefined || endTime === undefined) {
    throw invalid("1 validation error detected: startTime and endTime must not be null");
  }
  if (endTime < startTime) throw invalid("endTime must be greater than or equal to startTime");
  const limit = limitOf(input, "limit", 10_000);
  let commands: ReturnType<typeof parseQuery>;
  try {
    commands = parseQuery(queryString);
  } catch (error) {
    if (error instanceof QuerySyntaxError) throw new AwsError("MalformedQueryException", error.message);
    throw error;
  }
  let outcome: ReturnType<typeof runQuery>;
  try {
    // The records are read at the query's start: what the clock had reached then is what it sees.
    outcome = runQuery(commands, recordsOf(context, groups, startTime * 1000, endTime * 1000 + 1000), {
      limit,
      pointer,
    });
  } catch (error) {
    throw new AwsError("MalformedQueryException", error instanceof Error ? error.message : String(error));
  }
  const hex = context.hex(32);
  const queryId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  context.state.logs.queries.push({
    queryId,
    queryString,
    logGroupNames: groups,
    createTime: context.now.getTime(),
    polls: 0,
    cancelled: false,
    results: outcome.rows,
    statistics: {
      recordsMatched: outcome.recordsMatched,
      recordsScanned: outcome.recordsScanned,
      bytesScanned: outcome.bytesScanned,
    },
  });
  // Keep the last 100 queries, as the console's history does.
  if (context.state.logs.queries.length > 100) context.state.logs.queries.shift();
  context.changed();
  return { queryId };
}

function statusOf(query: QueryRecord, now: Date): QueryStatus {
  if (query.cancelled) return "Cancelled";
  if (query.polls > 2 || now.getTime() - query.createTime >= COMPLETE_AFTER_MS) return "Complete";
  return query.polls <= 1 ? "Scheduled" : "Running";
}

function findQuery(input: Input, context: RequestContext): QueryRecord {
  const id = required(input, "queryId");
  const query = context.state.logs.queries.find((q) => q.queryId === id);
  if (!query) throw new AwsError("ResourceNotFoundException", `Query ${id} does not exist.`);
  return query;
}

function getQueryResults(input: Input, context: RequestContext) {
  const query = findQuery(input, context);
  query.polls += 1;
  context.changed();
  const status = statusOf(query, context.now);
  const done = status === "Complete";
  return {
    results: done ? query.results : [],
    statistics: done ? query.statistics : { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 },
    status,
  };
}

function stopQuery(input: Input, context: RequestContext) {
  const query = findQuery(input, context);
  const status = statusOf(query, context.now);
  if (status === "Complete" || status === "Cancelled") return { success: false };
  query.cancelled = true;
  context.changed();
  return { success: true };
}

function describeQueries(input: Input, context: RequestContext) {
  const group = str(input, "logGroupName");
  const status = str(input, "status");
  const max = limitOf(input, "maxResults", 1000);
  const token = str(input, "nextToken");
  const offset = token ? decodeToken(token, isNumber) : 0;
  const all = [...context.state.logs.queries]
    .reverse()
    .filter((q) => group === undefined || q.logGroupNames.includes(group))
    .map((q) => ({
      queryId: q.queryId,
      queryString: q.queryString,
      status: statusOf(q, context.now),
      createTime: q.createTime,
      logGroupName: q.logGroupNames[0],
    }))
    .filter((q) => status === undefined || q.status === status);
  return {
    queries: all.slice(offset, offset + max),
    ...(offset + max < all.length ? { nextToken: encodeToken(offset + max) } : {}),
  };
}

function getLogRecord(input: Input, context: RequestContext) {
  const token = required(input, "logRecordPointer");
  const [group, stream, timestamp, hash] = decodeToken(
    token,
    (v): v is [string, string, number, number] => Array.isArray(v) && v.length === 4,
  );
  const stored = context.state.logs.groups[group];
  if (!stored) throw groupNotFound();
  const view = findStream(context, stored, stream);
  for (const event of view.ascending(timestamp, timestamp + 1)) {
    if (Math.floor(noise(event.message) * 1e9) !== hash) continue;
    return {
      logRecord: {
        "@timestamp": String(event.timestamp),
        "@message": event.message,
        "@logStream": stream,
        "@log": `${context.account}:${group}`,
        "@ingestionTime": String(event.ingestionTime),
      },
    };
  }
  throw invalid("The specified logRecordPointer is invalid.");
}

export const logsService: ServiceDefinition = {
  signingName: "logs",
  protocol: "awsJson1_1",
  tick: createInsightsGroups,
  handlers: {
    DescribeLogGroups: describeLogGroups,
    CreateLogGroup: createLogGroup,
    DeleteLogGroup: deleteLogGroup,
    PutRetentionPolicy: putRetentionPolicy,
    DeleteRetentionPolicy: deleteRetentionPolicy,
    ListTagsForResource: listTagsForResource,
    DescribeLogStreams: describeLogStreams,
    CreateLogStream: createLogStream,
    DeleteLogStream: deleteLogStream,
    PutLogEvents: putLogEvents,
    GetLogEvents: getLogEvents,
    FilterLogEvents: filterLogEvents,
    StartQuery: startQuery,
    GetQueryResults: getQueryResults,
    StopQuery: stopQuery,
    DescribeQueries: describeQueries,
    GetLogRecord: getLogRecord,
  },
};
