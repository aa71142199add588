// What X-Ray knows about a trace without its documents: the services it touched, their times, status and
// annotations. Stored and generated traces both reduce to these facts; filters, summaries and service graphs read
// only them, so a range of thousands of traces never builds a segment document.
import type { AnnotationValue, ServiceId, TraceSummary, ValueWithServiceIds } from "@aws-sdk/client-xray";

export interface ServiceRef {
  readonly name: string;
  readonly type?: string;
  readonly accountId?: string;
}

export interface HttpFacts {
  readonly url?: string;
  readonly method?: string;
  readonly status?: number;
  readonly userAgent?: string;
  readonly clientIp?: string;
}

export type AnnotationScalar = string | number | boolean;

/** One node of the trace's graph: a segment, or a downstream call X-Ray infers from a subsegment. */
export interface NodeFacts {
  readonly service: ServiceRef;
  /** Epoch seconds. */
  readonly start: number;
  readonly end: number;
  readonly fault: boolean;
  readonly error: boolean;
  readonly throttle: boolean;
  readonly http?: HttpFacts;
  readonly annotations: Readonly<Record<string, AnnotationScalar>>;
  /** The node that called this one; absent for the entry point. */
  readonly caller?: ServiceRef;
  /** A remote or AWS call seen only from the caller's subsegment. */
  readonly inferred: boolean;
}

export interface TraceFacts {
  readonly id: string;
  /** Epoch seconds written in the trace id. */
  readonly idTime: number;
  readonly start: number;
  readonly end: number;
  /** The entry point: the first segment without a parent. */
  readonly root: NodeFacts;
  readonly nodes: readonly NodeFacts[];
  readonly partial: boolean;
  readonly revision: number;
}

export const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;

/** The epoch seconds in a trace id, or undefined when it is not one. */
export function traceIdTime(id: string): number | undefined {
  return TRACE_ID.test(id) ? Number.parseInt(id.slice(2, 10), 16) : undefined;
}

export function sameService(a: ServiceRef, b: ServiceRef): boolean {
  return a.name === b.name && (a.type ?? "") === (b.type ?? "");
}

export function serviceKey(ref: ServiceRef): string {
  return `${ref.type ?? ""}\u0000${ref.name}`;
}

export function serviceId(ref: ServiceRef): ServiceId {
  return {
    Name: ref.name,
    Names: [ref.name],
    ...(ref.accountId ? { AccountId: ref.accountId } : {}),
    ...(ref.type ? { Type: ref.type } : {}),
  };
}

/** Seconds, rounded to the microsecond X-Ray keeps. */
export function seconds(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export function traceDuration(trace: TraceFacts): number {
  return seconds(trace.end - trace.start);
}

export function responseTime(node: NodeFacts): number {
  return seconds(node.end - node.start);
}

function annotationValue(value: AnnotationScalar): AnnotationValue {
  if (typeof value === "number") return { NumberValue: value };
  if (typeof value === "boolean") return { BooleanValue: value };
  return { StringValue: value };
}

/** The trace's line in GetTraceSummaries. */
export function summarize(trace: TraceFacts): TraceSummary {
  const services: ServiceRef[] = [];
  for (const node of trace.nodes) {
    if (!services.some((known) => sameService(known, node.service))) services.push(node.service);
  }
  const annotations: Record<string, ValueWithServiceIds[]> = {};
  for (const node of trace.nodes) {
    for (const [key, value] of Object.entries(node.annotations)) {
      const values = annotations[key] ?? [];
      const existing = values.find((v) => sameScalar(v.AnnotationValue, value));
      if (existing) existing.ServiceIds?.push(serviceId(node.service));
      else values.push({ AnnotationValue: annotationValue(value), ServiceIds: [serviceId(node.service)] });
      annotations[key] = values;
    }
  }
  const http = trace.root.http;
  return {
    Id: trace.id,
    StartTime: new Date(Math.round(trace.start * 1000)),
    Duration: traceDuration(trace),
    ResponseTime: responseTime(trace.root),
    HasFault: trace.root.fault,
    HasError: trace.root.error,
    HasThrottle: trace.nodes.some((node) => node.throttle),
    IsPartial: trace.partial,
    ...(http
      ? {
          Http: {
            ...(http.url === undefined ? {} : { HttpURL: http.url }),
            ...(http.status === undefined ? {} : { HttpStatus: http.status }),
            ...(http.method === undefined ? {} : { HttpMethod: http.method }),
            ...(http.userAgent === undefined ? {} : { UserAgent: http.userAgent }),
            ...(http.clientIp === undefined ? {} : { ClientIp: http.clientIp }),
          },
        }
      : {}),
    Annotations: annotations,
    Users: [],
    ServiceIds: services.map(serviceId),
    EntryPoint: serviceId(trace.root.service),
    Revision: trace.revision,
  };
}

function sameScalar(value: AnnotationValue | undefined, scalar: AnnotationScalar): boolean {
  if (!value) return false;
  if (typeof scalar === "number") return value.NumberValue === scalar;
  if (typeof scalar === "boolean") return value.BooleanValue === scalar;
  return value.StringValue === scalar;
}
