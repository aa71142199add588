// A trace waterfall (reference/observability.md §6): one row per span in depth-first order, indented by depth, a
// bar from the span's start to its end on a time axis shared from the trace's start, coloured by status (as the
// X-Ray console does) or by service (as Jaeger does), the duration at the bar's end, errors outlined and named.
import { depthFirst, type SpanNamespace, type SpanStatus, type SpanTree } from "../observe/traces-tree";
import type { VegaLiteSpec } from "./vega";

export interface WaterfallRow {
  /** 0 for the root, then depth-first: the order rows are drawn in, top to bottom. */
  readonly row: number;
  readonly id: string;
  readonly depth: number;
  /** Indentation (two no-break spaces a level, so SVG keeps them) + name (+ namespace for calls out). */
  readonly label: string;
  readonly name: string;
  readonly namespace: SpanNamespace;
  readonly service: string;
  readonly status: SpanStatus;
  /** Milliseconds from the trace's start. */
  readonly offsetMs: number;
  readonly endMs: number;
  readonly durationMs: number;
  /** "91 ms", "4.84 s"; with the status appended for an error, fault or throttle. */
  readonly durationLabel: string;
}

export interface WaterfallOptions {
  /** Width of the time axis in pixels; default 640. */
  width?: number;
  /** Status (default): green ok, yellow error (4xx), red fault (5xx), purple throttle (429). */
  colourBy?: "status" | "service";
  title?: string;
}

export const STATUS_COLOURS: Readonly<Record<SpanStatus, string>> = {
  ok: "#2ca02c",
  error: "#e8b923",
  fault: "#d62728",
  throttle: "#9467bd",
};
const STATUSES: readonly SpanStatus[] = ["ok", "error", "fault", "throttle"];

/** Labels past this many characters end in "…": the axis keeps its width, whatever the span names. */
const MAX_NAME_CHARS = 40;
/** Past this depth the indentation stops growing and the depth is written instead: deep traces stay readable. */
const MAX_INDENT_DEPTH = 16;
const INDENT = "\u00a0\u00a0";

/** The rows the waterfall draws, depth-first (parents before children, siblings in start order). */
export function waterfallRows(tree: SpanTree): WaterfallRow[] {
  const rows: WaterfallRow[] = [];
  const depths = new Map<string, number>([[tree.root.id, 0]]);
  for (const span of depthFirst(tree.root)) {
    const depth = depths.get(span.id) ?? 0;
    for (const child of span.children) depths.set(child.id, depth + 1);
    const offsetMs = round(span.start - tree.start);
    const endMs = round(span.end - tree.start);
    rows.push({
      row: rows.length,
      id: span.id,
      depth,
      label: labelOf(span.name, span.kind === "subsegment" ? span.namespace : "local", depth),
      name: span.name,
      namespace: span.namespace,
      service: span.service,
      status: span.status,
      offsetMs,
      endMs,
      durationMs: span.durationMs,
      durationLabel: formatMs(span.durationMs) + (span.status === "ok" ? "" : ` ✖ ${span.status}${httpStatus(span)}`),
    });
  }
  return rows;
}

function labelOf(name: string, namespace: SpanNamespace, depth: number): string {
  const shown = name.length > MAX_NAME_CHARS ? `${name.slice(0, MAX_NAME_CHARS - 1)}…` : name;
  const indent =
    depth > MAX_INDENT_DEPTH ? `${INDENT.repeat(MAX_INDENT_DEPTH)}[${depth}] ` : INDENT.repeat(Math.max(0, depth));
  return `${indent}${shown}${namespace === "local" ? "" : ` (${namespace})`}`;
}

function httpStatus(span: { http?: { status?: number } }): string {
  return span.http?.status === undefined ? "" : ` ${span.http.status}`;
}

/** "0.4 ms", "91 ms", "4.84 s". */
export function formatMs(ms: number): string {
  if (ms < 10) return `${Math.round(ms * 10) / 10} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Row height in pixels: roomy for a small trace, dense (but every row kept) for thousands of spans. */
function rowStep(rows: number): number {
  if (rows <= 40) return 22;
  if (rows <= 300) return 16;
  return 11;
}

/**
 * The waterfall of a span tree as a vega-lite spec with its data inline. Rows are ordered by their row index (not
 * alphabetically): the y field is "row:label", its axis shows only the label.
 */
export function waterfallSpec(tree: SpanTree, options: WaterfallOptions = {}): VegaLiteSpec {
  const rows = waterfallRows(tree);
  const step = rowStep(rows.length);
  const fontSize = step >= 16 ? 11 : 9;
  const values = rows.map((row) => ({
    key: `${row.row}:${row.label}`,
    row: row.row,
    name: row.name,
    namespace: row.namespace,
    service: row.service,
    status: row.status,
    marked: row.status !== "ok",
    offsetMs: row.offsetMs,
    endMs: row.endMs,
    durationLabel: row.durationLabel,
  }));
  const y = {
    field: "key",
    type: "ordinal" as const,
    sort: { field: "row", op: "min" as const, order: "ascending" as const },
    title: null,
    axis: {
      labelExpr: "slice(datum.value, indexof(datum.value, ':') + 1)",
      labelLimit: 480,
      labelFontSize: fontSize,
      ticks: false,
      domain: false,
    },
  };
  const color =
    options.colourBy === "service"
      ? {
          field: "service",
          type: "nominal" as const,
          scale: { scheme: "tableau10" },
          title: "service",
          legend: { orient: "bottom" as const },
        }
      : {
          field: "status",
          type: "nominal" as const,
          scale: { domain: [...STATUSES], range: STATUSES.map((status) => STATUS_COLOURS[status]) },
          title: "status",
          // Below the chart: at the right it would cover the duration labels at the bars' ends.
          legend: { orient: "bottom" as const },
        };
  return {
    title: options.title ?? `Trace ${tree.traceId} — ${formatMs(tree.durationMs)}, ${rows.length} spans`,
    width: options.width ?? 640,
    height: { step },
    data: { values },
    encoding: { y },
    layer: [
      {
        mark: { type: "bar", height: { band: 0.7 } },
        encoding: {
          x: {
            field: "offsetMs",
            type: "quantitative",
            title: "ms since the trace started",
            scale: { domain: [0, Math.max(1, tree.durationMs)], nice: false },
            axis: { orient: "top", grid: true },
          },
          x2: { field: "endMs" },
          color,
          // Errors, faults and throttles are outlined, whatever the colouring.
          stroke: { condition: { test: "datum.marked", value: "#000000" }, value: null },
          strokeWidth: { condition: { test: "datum.marked", value: 1.5 }, value: 0 },
          tooltip: [
            { field: "name" },
            { field: "service" },
            { field: "namespace" },
            { field: "status" },
            { field: "offsetMs", title: "start (ms)" },
            { field: "durationLabel", title: "duration" },
          ],
        },
      },
      {
        mark: { type: "text", align: "left", baseline: "middle", dx: 3, fontSize },
        encoding: {
          x: { field: "endMs", type: "quantitative" },
          text: { field: "durationLabel" },
        },
      },
    ],
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
