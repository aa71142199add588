// X-Ray: segments put by PutTraceSegments are stored as sent; the traces of the sandbox's own traced tasks are
// generated on demand from the telemetry model (./xray-generated.ts). Both are read through their facts
// (./xray-traces.ts): summaries, filter expressions (./xray-filter.ts) and service graphs (./xray-graph.ts).
import type { Segment, Trace, TraceSummary, UnprocessedTraceSegment } from "@aws-sdk/client-xray";
import { AwsError, type RequestContext, type ServiceDefinition } from "../service";
import type { SandboxState } from "../state";
import { noise } from "../telemetry/model";
import { assemble, documentFacts, type StoredPiece, storePiece, validateDocument } from "./xray-documents";
import { type Filter, FilterSyntaxError, matchesFilter, parseFilter } from "./xray-filter";
import { generatedTrace, generatedTraces, type TimeRangeType } from "./xray-generated";
import { serviceGraph } from "./xray-graph";
import { summarize, type TraceFacts, traceDuration } from "./xray-traces";

export interface StoredTrace {
  /** Segments and independent subsegments, in the order they arrived; a document sent again replaces its id. */
  pieces: StoredPiece[];
  /** Bumped each time the trace gains or changes a document. */
  revision: number;
}

export interface XRayState {
  /** By trace id. */
  traces: Record<string, StoredTrace>;
}

export function emptyXRayState(): XRayState {
  return { traces: {} };
}

type Input = Record<string, unknown>;

/** GetTraceSummaries answers at most this many summaries a page. */
export const SUMMARIES_PAGE_SIZE = 100;
const MAX_RANGE_MS = 24 * 3_600_000;
const MAX_BATCH = 5;
const DEFAULT_SAMPLE_RATE = 0.1;

function invalidRequest(message: string): AwsError {
  return new AwsError("InvalidRequestException", message);
}

/** A state from a file written before X-Ray kept anything has no `traces` yet. */
function storedTraces(state: SandboxState): Record<string, StoredTrace> {
  if (!state.xray.traces) state.xray.traces = {};
  return state.xray.traces;
}

function timeRange(input: Input, limitMs?: number): { start: Date; end: Date } {
  const start = input.StartTime;
  const end = input.EndTime;
  if (!(start instanceof Date) || !(end instanceof Date)) {
    throw invalidRequest("StartTime and EndTime are required.");
  }
  if (end.getTime() < start.getTime()) throw invalidRequest("EndTime must be after StartTime.");
  if (limitMs !== undefined && end.getTime() - start.getTime() > limitMs) {
    throw invalidRequest("Time range between StartTime and EndTime must be at most 24 hours.");
  }
  return { start, end };
}

function rangeTypeOf(input: Input): TimeRangeType {
  const value = input.TimeRangeType ?? "TraceId";
  if (value === "TraceId" || value === "Event" || value === "Service") return value;
  throw invalidRequest(`Invalid TimeRangeType ${String(value)}: expected TraceId, Event or Service.`);
}

function filterOf(input: Input): Filter | undefined {
  const expression = input.FilterExpression;
  if (typeof expression !== "string" || expression.trim() === "") return undefined;
  try {
    return parseFilter(expression);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw invalidRequest(error.message);
    throw error;
  }
}

function storedFacts(traceId: string, stored: StoredTrace): TraceFacts | undefined {
  return stored.pieces.length > 0 ? documentFacts(traceId, stored.pieces, stored.revision) : undefined;
}

/** Every trace, stored or generated, whose time by `rangeType` lies in [start, end], oldest first. */
function tracesIn(context: RequestContext, start: Date, end: Date, rangeType: TimeRangeType): TraceFacts[] {
  const generated = generatedTraces(context.state, start, end, context.now, rangeType);
  const stored = Object.entries(storedTraces(context.state))
    .map(([id, trace]) => storedFacts(id, trace))
    .filter((facts): facts is TraceFacts => facts !== undefined)
    .filter((facts) => {
      const at = rangeType === "TraceId" ? facts.idTime * 1000 : facts.start * 1000;
      return at >= start.getTime() && at <= end.getTime();
    });
  const storedIds = new Set(stored.map((facts) => facts.id));
  return [...generated.filter((facts) => !storedIds.has(facts.id)), ...stored].sort(
    (a, b) => a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

function sampled(input: Input, traces: TraceFacts[]): TraceFacts[] {
  if (input.Sampling !== true) return traces;
  const strategy = input.SamplingStrategy as { Name?: string; Value?: number } | undefined;
  const rate = typeof strategy?.Value === "number" ? Math.min(1, Math.max(0, strategy.Value)) : DEFAULT_SAMPLE_RATE;
  return traces.filter((trace) => noise("sample", trace.id) < rate);
}

function pageStart(token: unknown): number {
  if (token === undefined || token === "") return 0;
  const decoded = typeof token === "string" ? Buffer.from(token, "base64").toString("utf8") : "";
  const match = /^summaries:(\d+)$/.exec(decoded);
  if (!match) throw invalidRequest("The NextToken is not valid.");
  return Number(match[1]);
}

function pageToken(offset: number): string {
  return Buffer.from(`summaries:${offset}`, "utf8").toString("base64");
}

/** A trace's documents: the generated one (if a task served it) and what was put, by segment id. */
function tracePieces(context: RequestContext, id: string) {
  const generated = generatedTrace(context.state, id, context.now);
  const stored = storedTraces(context.state)[id];
  const pieces: StoredPiece[] = (generated?.documents ?? []).map((doc) => ({
    id: doc.id,
    document: JSON.stringify(doc),
  }));
  for (const piece of stored?.pieces ?? []) storePiece(pieces, piece);
  const facts = stored ? documentFacts(id, pieces, stored.revision) : generated?.facts;
  return { pieces, facts };
}

/** A trace as BatchGetTraces shows it: independent subsegments nested under their parents. */
function traceDocuments(context: RequestContext, id: string): Trace | undefined {
  const { pieces, facts } = tracePieces(context, id);
  if (pieces.length === 0) return undefined;
  const { segments, orphans } = assemble(pieces);
  const documents: Segment[] = [...segments, ...orphans].map((doc) => ({ Id: doc.id, Document: JSON.stringify(doc) }));
  return { Id: id, Duration: facts ? traceDuration(facts) : 0, LimitExceeded: false, Segments: documents };
}

function traceIds(input: Input): string[] {
  const ids = input.TraceIds;
  if (!Array.isArray(ids) || ids.length === 0) throw invalidRequest("TraceIds must list at least one trace id.");
  return ids.filter((id): id is string => typeof id === "string");
}

export const xrayService: ServiceDefinition = {
  signingName: "xray",
  protocol: "restJson1",
  handlers: {
    PutTraceSegments(input, context) {
      const documents = input.TraceSegmentDocuments;
      if (!Array.isArray(documents)) throw invalidRequest("TraceSegmentDocuments is required.");
      const unprocessed: UnprocessedTraceSegment[] = [];
      const traces = storedTraces(context.state);
      for (const text of documents) {
        const checked = validateDocument(typeof text === "string" ? text : "");
        if (!checked.ok) {
          unprocessed.push({
            ...(checked.id ? { Id: checked.id } : {}),
            ErrorCode: checked.code,
            Message: checked.message,
          });
          continue;
        }
        const trace = traces[checked.traceId] ?? { pieces: [], revision: 0 };
        storePiece(trace.pieces, { id: checked.id, document: JSON.stringify(checked.document) });
        trace.revision++;
        traces[checked.traceId] = trace;
      }
      if (unprocessed.length < documents.length) context.changed();
      return { UnprocessedTraceSegments: unprocessed };
    },

    GetTraceSummaries(input, context) {
      const { start, end } = timeRange(input, MAX_RANGE_MS);
      const rangeType = rangeTypeOf(input);
      const filter = filterOf(input);
      const offset = pageStart(input.NextToken);
      const scanned = sampled(input, tracesIn(context, start, end, rangeType));
      const matching = filter ? scanned.filter((trace) => matchesFilter(filter, trace)) : scanned;
      const page = matching.slice(offset, offset + SUMMARIES_PAGE_SIZE);
      const summaries: TraceSummary[] = page.map(summarize);
      const next = offset + SUMMARIES_PAGE_SIZE;
      return {
        TraceSummaries: summaries,
        ApproximateTime: new Date(Math.min(end.getTime(), context.now.getTime())),
        TracesProcessedCount: scanned.length,
        ...(next < matching.length ? { NextToken: pageToken(next) } : {}),
      };
    },

    BatchGetTraces(input, context) {
      const ids = traceIds(input);
      if (ids.length > MAX_BATCH) throw invalidRequest(`TraceIds can list at most ${MAX_BATCH} trace ids.`);
      const traces: Trace[] = [];
      const unprocessed: string[] = [];
      for (const id of ids) {
        const trace = traceDocuments(context, id);
        if (trace) traces.push(trace);
        else unprocessed.push(id);
      }
      return { Traces: traces, UnprocessedTraceIds: unprocessed };
    },

    GetServiceGraph(input, context) {
      const { start, end } = timeRange(input);
      const traces = tracesIn(context, start, end, "Event");
      return {
        StartTime: start,
        EndTime: end,
        Services: serviceGraph(traces, start, end),
        ContainsOldGroupVersions: false,
      };
    },

    GetTraceGraph(input, context) {
      const facts = traceIds(input)
        .map((id) => tracePieces(context, id).facts)
        .filter((trace): trace is TraceFacts => trace !== undefined);
      return { Services: serviceGraph(facts) };
    },
  },
};
