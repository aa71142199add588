// Waterfall cost for a trace of 2,000 spans, deep and wide: building the span tree from segment documents, the
// vega-lite spec, and rendering it to SVG. Every row is kept, so this is the worst a large trace costs to draw.
import { type SegmentDocument, spanTree } from "../../lib/observe/traces";
import { toSvg } from "../../lib/render/vega";
import { waterfallSpec } from "../../lib/render/waterfall";
import { median, report, timed } from "./report";

const SPANS = 2000;
const RUNS = 3;

/** Deterministic pseudo-random numbers in [0, 1), so every run draws the same trace. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Draft {
  id: string;
  name: string;
  start: number;
  end: number;
  namespace?: "remote" | "aws";
  fault?: boolean;
  error?: boolean;
  subsegments: Draft[];
}

/**
 * A root segment of 10 s; each new span is nested either deep (under the last span made) or wide (under a random
 * earlier one), inside its parent's interval — long chains and parents with many children.
 */
export function syntheticTrace(spans = SPANS): { id: string; durationMs: number; segments: SegmentDocument[] } {
  const next = random(42);
  const t0 = 1_795_822_214;
  const root: Draft = { id: "root", name: "my-web-service", start: t0, end: t0 + 10, subsegments: [] };
  const all: Draft[] = [root];
  for (let i = 1; i < spans; i++) {
    const parent = (next() < 0.8 ? all[all.length - 1] : all[Math.floor(next() * all.length)]) as Draft;
    const length = (parent.end - parent.start) * (0.2 + 0.7 * next());
    const start = parent.start + (parent.end - parent.start - length) * next();
    const kind = next();
    const draft: Draft = {
      id: `span-${i}`,
      name: kind < 0.2 ? `SELECT orders #${i}` : kind < 0.3 ? "S3" : `handler.step_${i}`,
      start,
      end: start + length,
      ...(kind < 0.2 ? { namespace: "remote" as const } : kind < 0.3 ? { namespace: "aws" as const } : {}),
      ...(next() < 0.02 ? { fault: true } : next() < 0.03 ? { error: true } : {}),
      subsegments: [],
    };
    parent.subsegments.push(draft);
    all.push(draft);
  }
  const toDocument = (draft: Draft): SegmentDocument => ({
    id: draft.id,
    name: draft.name,
    start_time: draft.start,
    end_time: draft.end,
    ...(draft.namespace ? { namespace: draft.namespace } : {}),
    ...(draft.fault ? { fault: true } : {}),
    ...(draft.error ? { error: true } : {}),
    subsegments: draft.subsegments.map(toDocument),
  });
  return { id: "1-6b0a1286-000000000000000000002000", durationMs: 10_000, segments: [toDocument(root)] };
}

export async function benchWaterfall(): Promise<void> {
  const trace = syntheticTrace();
  await toSvg(waterfallSpec(spanTree(syntheticTrace(10)))); // load vega once, outside the timings
  const treeMs: number[] = [];
  const specMs: number[] = [];
  const svgMs: number[] = [];
  let bytes = 0;
  let depth = 0;
  for (let run = 0; run < RUNS; run++) {
    const [ms, tree] = await timed(async () => spanTree(trace));
    treeMs.push(ms);
    const [specTime, spec] = await timed(async () => waterfallSpec(tree));
    specMs.push(specTime);
    const [svgTime, svg] = await timed(() => toSvg(spec));
    svgMs.push(specTime + svgTime);
    bytes = svg.length;
    if (run === 0 && tree.spanCount !== SPANS) throw new Error(`expected ${SPANS} spans, got ${tree.spanCount}`);
    if (run === 0) depth = maxDepth(tree.root);
  }
  report({
    name: `spanTree of a ${SPANS}-span trace (max depth ${depth}), median`,
    value: median(treeMs),
    unit: "ms",
    goal: "<= 200",
  });
  report({ name: `waterfallSpec of a ${SPANS}-span trace, median`, value: median(specMs), unit: "ms", goal: "<= 100" });
  report({
    name: `waterfall render time (waterfallSpec + toSvg) for a trace of ${SPANS} spans, median`,
    value: median(svgMs),
    unit: "ms",
    goal: "<= 5000",
  });
  report({ name: `waterfall SVG size for ${SPANS} spans`, value: bytes / 1_000_000, unit: "MB", goal: "<= 5" });
}

function maxDepth(span: { children: readonly { children: readonly unknown[] }[] }): number {
  let deepest = 0;
  const stack: [typeof span, number][] = [[span, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, depth] = item;
    if (depth > deepest) deepest = depth;
    for (const child of node.children) stack.push([child as typeof span, depth + 1]);
  }
  return deepest;
}
