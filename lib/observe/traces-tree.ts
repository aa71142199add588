// A trace's segment documents as a tree of spans, and where its time went: the critical path, each span's self
// time, and the app-versus-downstream split the slow-endpoint diagnosis quotes. Pure: no fetching here.

/** A segment or subsegment document as X-Ray stores it (reference/observability.md §5). Fields are checked on read. */
export interface SegmentDocument {
  readonly id: string;
  readonly name?: string;
  readonly trace_id?: string;
  /** Independent subsegments, and segments called by another service, name their parent. */
  readonly parent_id?: string;
  readonly type?: string;
  readonly start_time?: number;
  readonly end_time?: number;
  readonly in_progress?: boolean;
  readonly origin?: string;
  readonly namespace?: string;
  readonly error?: boolean;
  readonly fault?: boolean;
  readonly throttle?: boolean;
  readonly http?: {
    readonly request?: { readonly method?: string; readonly url?: string };
    readonly response?: { readonly status?: number };
  };
  readonly sql?: { readonly url?: string; readonly sanitized_query?: string; readonly database_type?: string };
  readonly aws?: {
    readonly operation?: string;
    readonly ecs?: { readonly task_arn?: string };
    readonly [key: string]: unknown;
  };
  readonly annotations?: Readonly<Record<string, unknown>>;
  readonly subsegments?: readonly SegmentDocument[];
}

/** A full trace as BatchGetTraces returns it, documents parsed. */
export interface Trace {
  readonly id: string;
  /** X-Ray's duration of the whole trace, ms. */
  readonly durationMs: number;
  readonly segments: readonly SegmentDocument[];
}

export type SpanStatus = "ok" | "error" | "fault" | "throttle";
export type SpanKind = "segment" | "subsegment";
/** `remote`: a call to another system (SQL, HTTP); `aws`: an AWS SDK call; `local`: work inside the service. */
export type SpanNamespace = "remote" | "aws" | "local";

export interface Span {
  readonly id: string;
  readonly parentId?: string;
  readonly name: string;
  readonly kind: SpanKind;
  readonly namespace: SpanNamespace;
  /** The segment's service for its own work; the called system (DB host, AWS service) for remote and aws calls. */
  readonly service: string;
  /** Epoch milliseconds. */
  readonly start: number;
  readonly end: number;
  readonly durationMs: number;
  readonly status: SpanStatus;
  /** Still running when the trace was read: its end is the last end among its children. */
  readonly inProgress?: boolean;
  /** Its parent was not in the trace: attached to the root. */
  readonly orphan?: boolean;
  readonly sql?: { readonly query?: string; readonly url?: string; readonly databaseType?: string };
  readonly http?: { readonly method?: string; readonly url?: string; readonly status?: number };
  readonly awsOperation?: string;
  /** The ECS task that served it (from the segment's `aws.ecs.task_arn`), inherited by its subsegments. */
  readonly ecsTaskId?: string;
  /** In start order. */
  readonly children: readonly Span[];
}

export interface SpanTree {
  readonly traceId: string;
  readonly root: Span;
  /** Epoch ms: the earliest start and the latest end of any span. */
  readonly start: number;
  readonly end: number;
  readonly durationMs: number;
  readonly spanCount: number;
  /** Some span's parent was missing (or the trace had several roots): those spans hang from the root. */
  readonly partial: boolean;
}

interface Node {
  doc: SegmentDocument;
  kind: SpanKind;
  parentId: string | undefined;
  children: Node[];
  orphan: boolean;
}

/**
 * The spans of a trace as a tree: segments and their (nested or independent) subsegments, children in start order.
 * The root is the earliest segment without a parent — the app's segment, since load balancers send none.
 */
export function spanTree(trace: Trace): SpanTree {
  const nodes = new Map<string, Node>();
  const add = (doc: SegmentDocument, kind: SpanKind, parentId: string | undefined) => {
    const known = nodes.get(doc.id);
    // The same id twice (an independent subsegment also nested by its parent): keep the finished one.
    if (known === undefined || (known.doc.in_progress === true && doc.in_progress !== true)) {
      nodes.set(doc.id, { doc, kind, parentId, children: [], orphan: false });
    }
  };
  const pending: { doc: SegmentDocument; kind: SpanKind; parentId: string | undefined }[] = trace.segments
    .filter(isDocument)
    .map((doc) => ({
      doc,
      kind: doc.type === "subsegment" ? "subsegment" : "segment",
      parentId: text(doc.parent_id),
    }));
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    add(item.doc, item.kind, item.parentId);
    const subsegments = Array.isArray(item.doc.subsegments) ? item.doc.subsegments : [];
    for (const sub of subsegments) {
      if (isDocument(sub)) pending.push({ doc: sub, kind: "subsegment", parentId: item.doc.id });
    }
  }
  if (nodes.size === 0) throw new Error(`Trace ${trace.id} has no segment documents.`);

  breakCycles(nodes);
  const parentless = [...nodes.values()].filter((node) => node.parentId === undefined);
  const candidates = parentless.length > 0 ? parentless : [...nodes.values()];
  const rootNode = candidates.reduce((best, node) => {
    if (best.kind !== node.kind) return best.kind === "segment" ? best : node;
    return startOf(node.doc) < startOf(best.doc) ? node : best;
  });
  let partial = false;
  for (const node of nodes.values()) {
    if (node === rootNode) continue;
    const parent = node.parentId === undefined ? undefined : nodes.get(node.parentId);
    if (parent === undefined) {
      node.orphan = true;
      partial = true;
      rootNode.children.push(node);
    } else {
      parent.children.push(node);
    }
  }

  const root = freeze(rootNode);
  let start = root.start;
  let end = root.end;
  let spanCount = 0;
  for (const span of depthFirst(root)) {
    spanCount++;
    if (span.start < start) start = span.start;
    if (span.end > end) end = span.end;
  }
  return { traceId: trace.id, root, start, end, durationMs: round(end - start), spanCount, partial };
}

/** A parent chain that loops back on itself has no root: its first repeated link is cut, making an orphan. */
function breakCycles(nodes: Map<string, Node>): void {
  const settled = new Set<string>();
  for (const node of nodes.values()) {
    const path = new Set<string>();
    let current: Node | undefined = node;
    while (current !== undefined && !settled.has(current.doc.id)) {
      path.add(current.doc.id);
      const parentId: string | undefined = current.parentId;
      const parent: Node | undefined = parentId === undefined ? undefined : nodes.get(parentId);
      if (parent !== undefined && path.has(parent.doc.id)) {
        current.parentId = `${parent.doc.id} (cycle)`;
        break;
      }
      current = parent;
    }
    for (const id of path) settled.add(id);
  }
}

interface Context {
  service: string;
  ecsTaskId: string | undefined;
}

/** Mutable nodes to readonly spans, top-down for what is inherited, bottom-up for in-progress ends. */
function freeze(rootNode: Node): Span {
  // Iterative post-order: traces can nest deeper than the stack is comfortable with.
  type Frame = { node: Node; context: Context; children: Span[] | undefined };
  const results = new Map<Node, Span>();
  const stack: Frame[] = [{ node: rootNode, context: contextOf(rootNode, undefined), children: undefined }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    if (frame.children === undefined) {
      frame.children = [];
      for (const child of frame.node.children) {
        stack.push({ node: child, context: contextOf(child, frame.context), children: undefined });
      }
      continue;
    }
    stack.pop();
    const children = frame.node.children
      .map((child) => results.get(child))
      .filter((span): span is Span => span !== undefined)
      .sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const child of frame.node.children) results.delete(child);
    results.set(frame.node, spanOf(frame.node, frame.context, children));
  }
  return results.get(rootNode) as Span;
}

function contextOf(node: Node, parent: Context | undefined): Context {
  const doc = node.doc;
  const taskArn = text(doc.aws?.ecs?.task_arn);
  const ecsTaskId = taskArn === undefined ? parent?.ecsTaskId : taskArn.split("/").pop();
  const namespace = namespaceOf(doc);
  const name = text(doc.name) ?? doc.id;
  const service = node.kind === "segment" || namespace !== "local" || parent === undefined ? name : parent.service;
  return { service, ecsTaskId };
}

function spanOf(node: Node, context: Context, children: Span[]): Span {
  const doc = node.doc;
  const start = startOf(doc);
  const ended = num(doc.end_time);
  const lastChildEnd = children.reduce((latest, child) => Math.max(latest, child.end), start);
  const end = ended === undefined ? lastChildEnd : Math.max(start, round(ended * 1000));
  const namespace = namespaceOf(doc);
  const sql = sqlOf(doc);
  const http = httpOf(doc);
  const awsOperation = text(doc.aws?.operation);
  return {
    id: doc.id,
    ...(node.parentId === undefined ? {} : { parentId: node.parentId }),
    name: text(doc.name) ?? doc.id,
    kind: node.kind,
    namespace,
    service: context.service,
    start,
    end,
    durationMs: round(end - start),
    status: statusOf(doc),
    ...(ended === undefined || doc.in_progress === true ? { inProgress: true } : {}),
    ...(node.orphan ? { orphan: true } : {}),
    ...(sql === undefined ? {} : { sql }),
    ...(http === undefined ? {} : { http }),
    ...(awsOperation === undefined ? {} : { awsOperation }),
    ...(context.ecsTaskId === undefined ? {} : { ecsTaskId: context.ecsTaskId }),
    children,
  };
}

function statusOf(doc: SegmentDocument): SpanStatus {
  const status = num(doc.http?.response?.status);
  if (doc.fault === true || (status !== undefined && status >= 500)) return "fault";
  // A 429 is also flagged as an error: throttle is the more specific of the two.
  if (doc.throttle === true || status === 429) return "throttle";
  if (doc.error === true || (status !== undefined && status >= 400)) return "error";
  return "ok";
}

function namespaceOf(doc: SegmentDocument): SpanNamespace {
  return doc.namespace === "remote" || doc.namespace === "aws" ? doc.namespace : "local";
}

function sqlOf(doc: SegmentDocument): Span["sql"] {
  const sql = doc.sql;
  if (typeof sql !== "object" || sql === null) return undefined;
  const query = text(sql.sanitized_query);
  const url = text(sql.url);
  const databaseType = text(sql.database_type);
  return {
    ...(query === undefined ? {} : { query: sanitizeQuery(query) }),
    ...(url === undefined ? {} : { url: url.replace(/\/\/[^/@]*@/, "//") }),
    ...(databaseType === undefined ? {} : { databaseType }),
  };
}

/**
 * Literals out of a query, in case an SDK was set to record the raw one: strings and numbers become `?`.
 * Credentials out of a connection URL likewise (in sqlOf).
 */
export function sanitizeQuery(query: string): string {
  return query.replace(/'(?:[^']|'')*'/g, "?").replace(/(?<![\w.])-?\d+(?:\.\d+)?\b/g, "?");
}

function httpOf(doc: SegmentDocument): Span["http"] {
  const http = doc.http;
  if (typeof http !== "object" || http === null) return undefined;
  const method = text(http.request?.method);
  const url = text(http.request?.url);
  const status = num(http.response?.status);
  return {
    ...(method === undefined ? {} : { method }),
    ...(url === undefined ? {} : { url }),
    ...(status === undefined ? {} : { status }),
  };
}

function isDocument(value: unknown): value is SegmentDocument {
  return typeof value === "object" && value !== null && typeof (value as { id?: unknown }).id === "string";
}

function startOf(doc: SegmentDocument): number {
  const start = num(doc.start_time);
  return start === undefined ? Number.POSITIVE_INFINITY : round(start * 1000);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** Epoch seconds as floats carry binary noise: keep microseconds. */
function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Every span, parents before children, siblings in start order. */
export function* depthFirst(root: Span): Generator<Span> {
  const stack: Span[] = [root];
  for (let span = stack.pop(); span !== undefined; span = stack.pop()) {
    yield span;
    for (let i = span.children.length - 1; i >= 0; i--) stack.push(span.children[i] as Span);
  }
}

/** The chain that decides when the trace ends: from the root, each time to the child that finishes last. */
export function criticalPath(tree: SpanTree): Span[] {
  const path: Span[] = [tree.root];
  for (let span = tree.root; span.children.length > 0; ) {
    span = span.children.reduce((last, child) => (child.end >= last.end ? child : last));
    path.push(span);
  }
  return path;
}

export interface TimeShare {
  readonly id: string;
  readonly name: string;
  readonly durationMs: number;
  /** Its duration minus the time its children cover. */
  readonly selfMs: number;
  /** durationMs ÷ the trace's duration. */
  readonly share: number;
  /** selfMs ÷ the trace's duration. */
  readonly selfShare: number;
}

/** For each span (depth-first) its self time and its share of the trace's duration. */
export function timeShares(tree: SpanTree): TimeShare[] {
  const total = tree.durationMs;
  const out: TimeShare[] = [];
  for (const span of depthFirst(tree.root)) {
    const covered = coveredMs(
      span.children.map((child) => [child.start, child.end]),
      span.start,
      span.end,
    );
    const selfMs = round(Math.max(0, span.durationMs - covered));
    out.push({
      id: span.id,
      name: span.name,
      durationMs: span.durationMs,
      selfMs,
      share: ratio(span.durationMs, total),
      selfShare: ratio(selfMs, total),
    });
  }
  return out;
}

export interface WhereTimeWent {
  readonly totalMs: number;
  /** The time no downstream call covers: the services' own work. */
  readonly app: { readonly service: string; readonly ms: number; readonly share: number };
  /** Calls out (remote and aws namespaces), grouped by the system called, longest first. */
  readonly downstream: readonly {
    readonly name: string;
    readonly namespace: "remote" | "aws";
    readonly calls: number;
    readonly ms: number;
    readonly share: number;
  }[];
}

/**
 * Where a trace's time went: in the app, or in the systems it called. Each called system counts the time its calls
 * cover (overlaps once); the app gets what no call covers. Calls made from inside a call belong to the outer one.
 */
export function whereTimeWent(tree: SpanTree): WhereTimeWent {
  const total = tree.durationMs;
  const groups = new Map<string, { name: string; namespace: "remote" | "aws"; spans: Span[] }>();
  const outermost: Span[] = [];
  const stack: Span[] = [tree.root];
  for (let span = stack.pop(); span !== undefined; span = stack.pop()) {
    if (span !== tree.root && span.namespace !== "local") {
      const key = `${span.namespace}:${span.name}`;
      const group = groups.get(key) ?? { name: span.name, namespace: span.namespace, spans: [] };
      group.spans.push(span);
      groups.set(key, group);
      outermost.push(span);
      continue;
    }
    stack.push(...span.children);
  }
  const interval = (span: Span): [number, number] => [span.start, span.end];
  const downstreamMs = coveredMs(outermost.map(interval), tree.start, tree.end);
  const appMs = round(Math.max(0, total - downstreamMs));
  return {
    totalMs: total,
    app: { service: tree.root.service, ms: appMs, share: ratio(appMs, total) },
    downstream: [...groups.values()]
      .map((group) => {
        const ms = round(coveredMs(group.spans.map(interval), tree.start, tree.end));
        return { name: group.name, namespace: group.namespace, calls: group.spans.length, ms, share: ratio(ms, total) };
      })
      .sort((a, b) => b.ms - a.ms || a.name.localeCompare(b.name)),
  };
}

/** The length of the union of intervals, clipped to [from, to]. */
function coveredMs(intervals: readonly [number, number][], from: number, to: number): number {
  const clipped = intervals
    .map(([start, end]): [number, number] => [Math.max(start, from), Math.min(end, to)])
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let reach = Number.NEGATIVE_INFINITY;
  for (const [start, end] of clipped) {
    if (end <= reach) continue;
    covered += end - Math.max(start, reach);
    reach = end;
  }
  return covered;
}

function ratio(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}
