// X-Ray traces, read through lib/aws: summaries by filter expression over a time range, full traces in batches of
// five, and (from ./traces-tree) the span tree, critical path and where the time went.
import {
  BatchGetTracesCommand,
  GetTraceSummariesCommand,
  type TraceSummary as XRayTraceSummary,
} from "@aws-sdk/client-xray";
import type { Aws } from "../aws/client";
import { detectSecret } from "../inventory/secret-detection";
import { REDACTED, redactText } from "../render/redaction";
import type { SegmentDocument, Trace } from "./traces-tree";

export {
  criticalPath,
  depthFirst,
  type SegmentDocument,
  type Span,
  type SpanKind,
  type SpanNamespace,
  type SpanStatus,
  type SpanTree,
  spanTree,
  type TimeShare,
  type Trace,
  timeShares,
  type WhereTimeWent,
  whereTimeWent,
} from "./traces-tree";

/** X-Ray refuses GetTraceSummaries over more than 24 hours. */
const MAX_RANGE_MS = 24 * 3_600_000;
/** BatchGetTraces takes at most five ids. */
export const TRACES_PER_BATCH = 5;
const DEFAULT_LIMIT = 1000;

export type AnnotationValue = string | number | boolean;

export interface TraceSummary {
  readonly id: string;
  /** Epoch ms. */
  readonly start: number;
  readonly durationMs: number;
  readonly responseTimeMs: number;
  readonly http: { readonly method?: string; readonly url?: string; readonly status?: number };
  readonly fault: boolean;
  readonly error: boolean;
  readonly throttle: boolean;
  readonly partial: boolean;
  /** Annotation name → the values it took in the trace. */
  readonly annotations: Readonly<Record<string, readonly AnnotationValue[]>>;
  /** Every service the trace passed through, the entry point first. */
  readonly services: readonly string[];
}

export interface FindTracesOptions {
  /** An X-Ray filter expression, e.g. `responsetime > 3 AND http.url CONTAINS "/something"`. */
  filter?: string;
  from: Date;
  to: Date;
  /** At most this many summaries (default 1,000): paging stops there. */
  limit?: number;
  /** What places a trace in the range (X-Ray's TimeRangeType); default TraceId. */
  timeRangeType?: "TraceId" | "Event" | "Service";
}

/**
 * Trace summaries matching a filter expression, oldest window first, paging through GetTraceSummaries and splitting
 * a range longer than 24 hours into windows X-Ray accepts.
 */
export async function findTraces(aws: Aws, options: FindTracesOptions): Promise<TraceSummary[]> {
  const limit = options.limit ?? DEFAULT_LIMIT;
  const found = new Map<string, TraceSummary>();
  for (const [start, end] of windows(options.from.getTime(), options.to.getTime())) {
    let token: string | undefined;
    do {
      const page = await aws.xray.send(
        new GetTraceSummariesCommand({
          StartTime: new Date(start),
          EndTime: new Date(end),
          TimeRangeType: options.timeRangeType ?? "TraceId",
          ...(options.filter ? { FilterExpression: options.filter } : {}),
          ...(token ? { NextToken: token } : {}),
        }),
      );
      for (const summary of page.TraceSummaries ?? []) {
        const plain = summaryOf(summary);
        // Windows share their boundary instant: a trace there comes back twice.
        if (plain !== undefined && !found.has(plain.id)) found.set(plain.id, plain);
        if (found.size >= limit) return [...found.values()];
      }
      token = page.NextToken;
    } while (token);
  }
  return [...found.values()];
}

/** [from, to] cut into consecutive windows of at most 24 hours. */
function windows(from: number, to: number): [number, number][] {
  if (to < from) throw new Error("findTraces: `to` is before `from`.");
  const out: [number, number][] = [];
  for (let start = from; ; start += MAX_RANGE_MS) {
    const end = Math.min(to, start + MAX_RANGE_MS);
    out.push([start, end]);
    if (end >= to) return out;
  }
}

function summaryOf(summary: XRayTraceSummary): TraceSummary | undefined {
  if (!summary.Id) return undefined;
  const annotations: Record<string, AnnotationValue[]> = {};
  for (const [name, values] of Object.entries(summary.Annotations ?? {})) {
    annotations[name] = values
      .map((value) => {
        const v = value.AnnotationValue;
        return v?.StringValue === undefined ? (v?.NumberValue ?? v?.BooleanValue) : annotationText(name, v.StringValue);
      })
      .filter((value): value is AnnotationValue => value !== undefined);
  }
  const entry = summary.EntryPoint?.Name;
  const names = (summary.ServiceIds ?? []).map((service) => service.Name).filter((name): name is string => !!name);
  const services = [...new Set(entry ? [entry, ...names] : names)];
  const http = summary.Http;
  return {
    id: summary.Id,
    start: summary.StartTime?.getTime() ?? idTime(summary.Id),
    durationMs: seconds(summary.Duration),
    responseTimeMs: seconds(summary.ResponseTime),
    http: {
      ...(http?.HttpMethod ? { method: http.HttpMethod } : {}),
      ...(http?.HttpURL ? { url: http.HttpURL } : {}),
      ...(http?.HttpStatus === undefined ? {} : { status: http.HttpStatus }),
    },
    fault: summary.HasFault === true,
    error: summary.HasError === true,
    throttle: summary.HasThrottle === true,
    partial: summary.IsPartial === true,
    annotations,
    services,
  };
}

/** An annotation is the app's own text: masked when its name or value looks secret (DESIGN §2). */
function annotationText(name: string, value: string): string {
  return detectSecret(name, value).secret ? REDACTED : redactText(value);
}

/** A trace id's second field is its start, in hex epoch seconds. */
function idTime(id: string): number {
  const hex = /^1-([0-9a-f]{8})-/.exec(id)?.[1];
  return hex === undefined ? 0 : Number.parseInt(hex, 16) * 1000;
}

function seconds(value: number | undefined): number {
  return value === undefined ? 0 : Math.round(value * 1_000_000) / 1000;
}

/**
 * Full traces by id, BatchGetTraces five at a time (the batches in parallel; lib/aws bounds concurrency), in the
 * order asked. Ids X-Ray does not know (yet) are left out.
 */
export async function getTraces(aws: Aws, ids: readonly string[]): Promise<Trace[]> {
  const unique = [...new Set(ids)];
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += TRACES_PER_BATCH) batches.push(unique.slice(i, i + TRACES_PER_BATCH));
  const answers = await Promise.all(
    batches.map((batch) => aws.xray.send(new BatchGetTracesCommand({ TraceIds: batch }))),
  );
  const byId = new Map<string, Trace>();
  for (const answer of answers) {
    for (const trace of answer.Traces ?? []) {
      if (!trace.Id) continue;
      const segments = (trace.Segments ?? [])
        .map((segment) => parseDocument(segment.Document))
        .filter((doc): doc is SegmentDocument => doc !== undefined);
      byId.set(trace.Id, { id: trace.Id, durationMs: seconds(trace.Duration), segments });
    }
  }
  return unique.map((id) => byId.get(id)).filter((trace): trace is Trace => trace !== undefined);
}

/** One full trace, or undefined when X-Ray does not have it. */
export async function getTrace(aws: Aws, id: string): Promise<Trace | undefined> {
  return (await getTraces(aws, [id]))[0];
}

function parseDocument(document: string | undefined): SegmentDocument | undefined {
  if (!document) return undefined;
  try {
    const parsed: unknown = JSON.parse(document);
    const id = (parsed as { id?: unknown } | null)?.id;
    return typeof parsed === "object" && typeof id === "string" ? (parsed as SegmentDocument) : undefined;
  } catch {
    return undefined;
  }
}
