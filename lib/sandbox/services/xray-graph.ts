// The service graph (GetServiceGraph, GetTraceGraph) from traces' facts: a client node calling each entry point,
// one node per service, an edge per caller → callee, with X-Ray's summary statistics and histograms.
import type { Edge, EdgeStatistics, HistogramEntry, Service } from "@aws-sdk/client-xray";
import { type NodeFacts, responseTime, type ServiceRef, serviceKey, type TraceFacts } from "./xray-traces";

interface Tally {
  ok: number;
  throttle: number;
  otherErrors: number;
  faults: number;
  total: number;
  totalResponseTime: number;
  histogram: Map<number, number>;
}

function emptyTally(): Tally {
  return { ok: 0, throttle: 0, otherErrors: 0, faults: 0, total: 0, totalResponseTime: 0, histogram: new Map() };
}

function count(tally: Tally, node: NodeFacts): void {
  const time = responseTime(node);
  tally.total++;
  tally.totalResponseTime += time;
  if (node.fault) tally.faults++;
  else if (node.throttle) tally.throttle++;
  else if (node.error) tally.otherErrors++;
  else tally.ok++;
  const bucket = Math.round(time * 1000) / 1000;
  tally.histogram.set(bucket, (tally.histogram.get(bucket) ?? 0) + 1);
}

function statistics(tally: Tally): EdgeStatistics {
  return {
    OkCount: tally.ok,
    ErrorStatistics: {
      ThrottleCount: tally.throttle,
      OtherCount: tally.otherErrors,
      TotalCount: tally.throttle + tally.otherErrors,
    },
    FaultStatistics: { OtherCount: tally.faults, TotalCount: tally.faults },
    TotalCount: tally.total,
    TotalResponseTime: Math.round(tally.totalResponseTime * 1e6) / 1e6,
  };
}

function histogram(tally: Tally): HistogramEntry[] {
  return [...tally.histogram.entries()].sort(([a], [b]) => a - b).map(([value, n]) => ({ Value: value, Count: n }));
}

interface GraphNode {
  readonly ref?: ServiceRef;
  readonly referenceId: number;
  readonly root: boolean;
  readonly tally: Tally;
  readonly edges: Map<number, Tally>;
}

/** The graph of the traces' services over [start, end]; `start`/`end` only label the nodes. */
export function serviceGraph(traces: readonly TraceFacts[], start?: Date, end?: Date): Service[] {
  const client: GraphNode = { referenceId: 0, root: false, tally: emptyTally(), edges: new Map() };
  const nodes = new Map<string, GraphNode>();
  const nodeFor = (ref: ServiceRef, root: boolean): GraphNode => {
    const key = serviceKey(ref);
    const known = nodes.get(key);
    if (known) return known;
    const created: GraphNode = { ref, referenceId: nodes.size + 1, root, tally: emptyTally(), edges: new Map() };
    nodes.set(key, created);
    return created;
  };
  for (const trace of traces) {
    for (const node of trace.nodes) {
      const target = nodeFor(node.service, node === trace.root);
      count(target.tally, node);
      const source = node.caller ? nodeFor(node.caller, false) : client;
      const edge = source.edges.get(target.referenceId) ?? emptyTally();
      count(edge, node);
      source.edges.set(target.referenceId, edge);
    }
  }
  if (nodes.size === 0) return [];
  const window = { ...(start ? { StartTime: start } : {}), ...(end ? { EndTime: end } : {}) };
  const edgesOf = (node: GraphNode): Edge[] =>
    [...node.edges.entries()].map(([referenceId, tally]) => ({
      ReferenceId: referenceId,
      ...window,
      SummaryStatistics: statistics(tally),
      ResponseTimeHistogram: histogram(tally),
      Aliases: [],
    }));
  const clientNode: Service = {
    ReferenceId: 0,
    Names: [],
    Type: "client",
    State: "unknown",
    ...window,
    Edges: edgesOf(client),
  };
  return [
    clientNode,
    ...[...nodes.values()].map(
      (node): Service => ({
        ReferenceId: node.referenceId,
        Name: node.ref?.name,
        Names: node.ref ? [node.ref.name] : [],
        ...(node.root ? { Root: true } : {}),
        ...(node.ref?.accountId ? { AccountId: node.ref.accountId } : {}),
        ...(node.ref?.type ? { Type: node.ref.type } : {}),
        State: node.ref?.type === "AWS::ECS::Container" || node.root ? "active" : "unknown",
        ...window,
        Edges: edgesOf(node),
        SummaryStatistics: statistics(node.tally),
        DurationHistogram: histogram(node.tally),
        ResponseTimeHistogram: histogram(node.tally),
      }),
    ),
  ];
}
