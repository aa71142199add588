// Segment documents as PutTraceSegments receives them: validation, assembly of independent subsegments into
// their parents, and the facts (./xray-traces.ts) a stored trace reduces to.
import {
  type AnnotationScalar,
  type HttpFacts,
  type NodeFacts,
  type ServiceRef,
  TRACE_ID,
  type TraceFacts,
  traceIdTime,
} from "./xray-traces";

/** A segment or subsegment document, as JSON. Only the fields X-Ray reads are typed. */
export interface SegmentDocument {
  trace_id?: string;
  id: string;
  name: string;
  start_time: number;
  end_time?: number;
  in_progress?: boolean;
  type?: string;
  parent_id?: string;
  origin?: string;
  namespace?: string;
  fault?: boolean;
  error?: boolean;
  throttle?: boolean;
  http?: {
    request?: { method?: string; url?: string; user_agent?: string; client_ip?: string; x_forwarded_for?: boolean };
    response?: { status?: number; content_length?: number };
  };
  annotations?: Record<string, unknown>;
  sql?: Record<string, unknown>;
  aws?: Record<string, unknown>;
  subsegments?: SegmentDocument[];
  [field: string]: unknown;
}

/** A document PutTraceSegments accepted, as sent. */
export interface StoredPiece {
  id: string;
  /** The JSON text as sent, so the state stays plain JSON. */
  document: string;
}

export type Validation =
  | { readonly ok: true; readonly traceId: string; readonly id: string; readonly document: SegmentDocument }
  | { readonly ok: false; readonly id?: string; readonly code: string; readonly message: string };

const SEGMENT_ID = /^[0-9a-f]{16}$/;

/** Checks a document the way X-Ray does before it accepts it. */
export function validateDocument(text: string): Validation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, code: "InvalidSegment", message: "The segment document is not valid JSON." };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { ok: false, code: "InvalidSegment", message: "The segment document is not a JSON object." };
  }
  const doc = parsed as Record<string, unknown>;
  const id = typeof doc.id === "string" ? doc.id : undefined;
  const fail = (code: string, message: string): Validation => ({ ok: false, ...(id ? { id } : {}), code, message });
  if (!id || !SEGMENT_ID.test(id)) return fail("InvalidSegmentId", "The segment id must be 16 hexadecimal digits.");
  if (typeof doc.trace_id !== "string" || !TRACE_ID.test(doc.trace_id)) {
    return fail("InvalidTraceId", "The trace_id must look like 1-5759e988-bd862e3fe1be46a994272793.");
  }
  if (typeof doc.name !== "string" || doc.name === "" || doc.name.length > 200) {
    return fail("InvalidName", "The segment name must be 1 to 200 characters.");
  }
  if (typeof doc.start_time !== "number" || !Number.isFinite(doc.start_time)) {
    return fail("MissingStartTime", "The segment needs a start_time in epoch seconds.");
  }
  if (doc.in_progress !== true && typeof doc.end_time !== "number") {
    return fail("MissingEndTime", "The segment needs an end_time, or in_progress set to true.");
  }
  if (typeof doc.end_time === "number" && doc.end_time < doc.start_time) {
    return fail("InvalidEndTime", "The segment's end_time is before its start_time.");
  }
  if (doc.type === "subsegment" && (typeof doc.parent_id !== "string" || !SEGMENT_ID.test(doc.parent_id))) {
    return fail("MissingParentId", "An independent subsegment needs the parent_id of its parent.");
  }
  return { ok: true, traceId: doc.trace_id, id, document: doc as SegmentDocument };
}

/** Adds or replaces (by id: an in-progress segment completed later) a document of a trace. */
export function storePiece(pieces: StoredPiece[], piece: StoredPiece): void {
  const index = pieces.findIndex((p) => p.id === piece.id);
  if (index === -1) pieces.push(piece);
  else pieces[index] = piece;
}

export interface Assembled {
  readonly segments: readonly SegmentDocument[];
  /** Independent subsegments whose parent has not arrived. */
  readonly orphans: readonly SegmentDocument[];
}

/** The trace's segments with every independent subsegment nested under its parent, as BatchGetTraces shows them. */
export function assemble(pieces: readonly StoredPiece[]): Assembled {
  const documents = pieces.map((piece) => JSON.parse(piece.document) as SegmentDocument);
  const byId = new Map<string, SegmentDocument>();
  for (const doc of documents) for (const each of descendants(doc, true)) byId.set(each.id, each);
  const segments = documents.filter((doc) => doc.type !== "subsegment");
  const independent = documents.filter((doc) => doc.type === "subsegment");
  const placed = new Set<SegmentDocument>();
  for (const sub of independent) {
    const parent = sub.parent_id === undefined ? undefined : byId.get(sub.parent_id);
    if (!parent || parent === sub || descendants(sub).includes(parent)) continue;
    parent.subsegments = [...(parent.subsegments ?? []).filter((s) => s.id !== sub.id), sub];
    placed.add(sub);
  }
  // A subsegment under a parent that is itself an orphan stays with that orphan.
  const reachable = new Set(segments.flatMap((doc) => descendants(doc, true)));
  for (const sub of placed) {
    if (!reachable.has(sub)) continue;
    delete sub.type;
    delete sub.trace_id;
    delete sub.parent_id;
  }
  return {
    segments,
    orphans: independent.filter((sub) => !placed.has(sub)),
  };
}

function allIds(doc: SegmentDocument): string[] {
  return [doc.id, ...(doc.subsegments ?? []).flatMap(allIds)];
}

/** What X-Ray derives from a stored trace's documents. */
export function documentFacts(traceId: string, pieces: readonly StoredPiece[], revision: number): TraceFacts {
  const { segments, orphans } = assemble(pieces);
  const nodes: NodeFacts[] = [];
  const ownerOf = new Map<string, ServiceRef>();
  for (const segment of segments) {
    for (const id of allIds(segment)) ownerOf.set(id, segmentService(segment));
  }
  // A subsegment that another segment names as its parent is a traced call, not an inferred node.
  const tracedParents = new Set(segments.map((segment) => segment.parent_id).filter((id) => id !== undefined));
  const ordered = [...segments].sort((a, b) => a.start_time - b.start_time);
  for (const segment of ordered) {
    const service = segmentService(segment);
    const caller = segment.parent_id ? ownerOf.get(segment.parent_id) : undefined;
    nodes.push({ ...nodeOf(segment, service), ...(caller ? { caller } : {}), inferred: false });
    for (const sub of descendants(segment)) {
      if ((sub.namespace !== "remote" && sub.namespace !== "aws") || tracedParents.has(sub.id)) continue;
      nodes.push({ ...nodeOf(sub, inferredService(sub)), annotations: {}, caller: service, inferred: true });
    }
  }
  const rootSegment = ordered.find((segment) => !segment.parent_id) ?? ordered[0];
  const starts = [...segments, ...orphans].map((doc) => doc.start_time);
  const ends = [...segments, ...orphans].map((doc) => doc.end_time ?? doc.start_time);
  const start = Math.min(...starts);
  const root =
    nodes.find((node) => rootSegment && node.start === rootSegment.start_time && !node.inferred) ??
    placeholderRoot(start);
  const partial =
    orphans.length > 0 || [...segments, ...orphans].some((doc) => descendants(doc, true).some((d) => d.in_progress));
  return {
    id: traceId,
    idTime: traceIdTime(traceId) ?? Math.floor(start),
    start,
    end: Math.max(...ends),
    root,
    nodes: nodes.length > 0 ? nodes : [root],
    partial,
    revision,
  };
}

function placeholderRoot(start: number): NodeFacts {
  return {
    service: { name: "unknown" },
    start,
    end: start,
    fault: false,
    error: false,
    throttle: false,
    annotations: {},
    inferred: false,
  };
}

function segmentService(segment: SegmentDocument): ServiceRef {
  return { name: segment.name, ...(segment.origin ? { type: segment.origin } : {}) };
}

/** X-Ray's node for a downstream call: SQL databases, AWS services by name, other remote hosts. */
function inferredService(sub: SegmentDocument): ServiceRef {
  if (sub.sql) return { name: sub.name, type: "Database::SQL" };
  if (sub.namespace === "aws") return { name: sub.name, type: `AWS::${sub.name}` };
  return { name: sub.name, type: "remote" };
}

function nodeOf(doc: SegmentDocument, service: ServiceRef): Omit<NodeFacts, "inferred"> {
  const request = doc.http?.request;
  const status = doc.http?.response?.status;
  const http: HttpFacts | undefined = doc.http
    ? {
        ...(typeof request?.url === "string" ? { url: request.url } : {}),
        ...(typeof request?.method === "string" ? { method: request.method } : {}),
        ...(typeof status === "number" ? { status } : {}),
        ...(typeof request?.user_agent === "string" ? { userAgent: request.user_agent } : {}),
        ...(typeof request?.client_ip === "string" ? { clientIp: request.client_ip } : {}),
      }
    : undefined;
  return {
    service,
    start: doc.start_time,
    end: doc.end_time ?? doc.start_time,
    fault: doc.fault === true || (typeof status === "number" && status >= 500),
    error: doc.error === true || (typeof status === "number" && status >= 400 && status < 500),
    throttle: doc.throttle === true || status === 429,
    ...(http ? { http } : {}),
    annotations: scalarAnnotations(doc),
  };
}

/** A segment's annotations with its subsegments' (X-Ray indexes both under the segment's service). */
function scalarAnnotations(doc: SegmentDocument): Record<string, AnnotationScalar> {
  const out: Record<string, AnnotationScalar> = {};
  for (const each of descendants(doc, true)) {
    for (const [key, value] of Object.entries(each.annotations ?? {})) {
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") out[key] = value;
    }
  }
  return out;
}

function descendants(doc: SegmentDocument, includeSelf = false): SegmentDocument[] {
  const below = (doc.subsegments ?? []).flatMap((sub) => descendants(sub, true));
  return includeSelf ? [doc, ...below] : below;
}
