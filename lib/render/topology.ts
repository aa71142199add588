// The picture of what runs and who may reach it (observe/topology.ts): internet → load balancer → the service and
// its tasks → data stores, left to right, each arrow labelled with its ports and what the security group at its end
// admits, coloured by verdict — red where an address range gets in instead of the hop before, red lettering and
// borders on tasks with a public IP. A vega-lite spec laid out here in pixels (positions with `scale: null`), so no
// layout engine is needed and the same data always gives the same picture; the same data as tables. Pure.
import {
  type Hop,
  type HopVerdict,
  publicTasks,
  type ServiceNode,
  type TaskNode,
  type Topology,
  unsafeHops,
} from "../observe/topology";
import type { Row } from "./tables";
import type { VegaLiteSpec } from "./vega";

export interface TopologyChartOptions {
  /** Default: `<cluster>: what runs, and who may reach it`. */
  title?: string;
  /** Tasks drawn per service before the rest are counted in one line; default 6. */
  maxTasks?: number;
}

export const VERDICT_COLOURS: Readonly<Record<HopVerdict, string>> = {
  entry: "#4c78a8",
  chained: "#2ca02c",
  open: "#d62728",
  closed: "#7f7f7f",
  unknown: "#ff7f0e",
};

/** What the legend and the tables call each verdict. */
export const VERDICT_LABELS: Readonly<Record<HopVerdict, string>> = {
  entry: "front door",
  chained: "only the hop before",
  open: "an address range gets in",
  closed: "the hop before is not admitted",
  unknown: "could not be read",
};

const VERDICTS: readonly HopVerdict[] = ["entry", "chained", "open", "closed", "unknown"];
const LB_TYPES: Readonly<Record<string, string>> = { application: "ALB", network: "NLB", gateway: "GWLB" };
const STORE_TITLES: Readonly<Record<string, string>> = {
  "amazon-rds": "RDS / Aurora database",
  "amazon-elasticache": "ElastiCache",
  "amazon-redshift": "Redshift",
  "amazon-elasticsearch": "OpenSearch",
};

const PUBLIC_IP = "#d62728";
const INK = "#1f2933";
const MUTED = "#52606d";
const BORDER = "#9aa5b1";
const FRAME_FILL = "#f5f7fa";
const WHITE = "#ffffff";

const FONT = 11;
/** Average glyph width of an 11 px sans-serif, generous: text is cut to fit by this estimate, never by a renderer. */
const CHAR_PX = 6.6;
const LINE = 15;
const PAD = 9;
const GAP = 170;
const NODE_GAP = 26;
const TASK_GAP = 8;
const TASK_INSET = 12;
const MARGIN = 12;
/** Room above the nodes for an arrow from the internet that goes around the load balancer. */
const BYPASS_ROOM = 56;
const WIDTH = { internet: 116, lb: 176, service: 212, store: 176 } as const;

interface TextLine {
  readonly text: string;
  readonly bold?: boolean;
  readonly colour?: string;
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

interface Node {
  readonly id: string;
  readonly lines: readonly TextLine[];
  /** A service: a frame around its tasks' boxes. */
  readonly inner?: readonly (readonly TextLine[])[];
}

interface Column {
  readonly width: number;
  readonly nodes: readonly Node[];
}

interface Drawn {
  readonly box: Box;
  readonly frame: boolean;
  readonly flagged: boolean;
  readonly lines: readonly TextLine[];
}

interface Polyline {
  readonly key: string;
  readonly points: readonly (readonly [number, number])[];
  readonly colour: string;
  readonly width: number;
  readonly dashed: boolean;
}

interface Label {
  readonly x: number;
  readonly y: number;
  readonly text: string;
  readonly colour: string;
}

interface Edge {
  readonly line: Polyline;
  readonly head: { readonly x: number; readonly y: number; readonly angle: number; readonly colour: string };
  readonly labels: readonly Label[];
}

export function topologySpec(topology: Topology, options: TopologyChartOptions = {}): VegaLiteSpec {
  const columns = columnsOf(topology, options.maxTasks ?? 6);
  const bypass = topology.loadBalancers.length > 0 && topology.hops.some(isBypass);
  const top = MARGIN + (bypass ? BYPASS_ROOM : 0);
  const { drawn, boxes, width, bottom } = layout(columns, top);
  const edges = topology.hops.flatMap((hop) => edgeOf(hop, boxes, MARGIN + 8));
  const legend = legendOf(topology, bottom + 28);
  const notes = topology.gaps.map((gap, i) => ({
    x: MARGIN,
    y: bottom + 28 + (i + 1) * LINE + 4,
    text: `? not read: ${gap}`,
    colour: VERDICT_COLOURS.unknown,
  }));
  const height = bottom + 28 + notes.length * LINE + 14;

  const nodeText = drawn.flatMap((d) =>
    d.lines.map((line, i) => ({
      x: d.box.x + PAD,
      y: d.box.y + PAD + LINE / 2 + i * LINE,
      text: clip(line.text, d.box.w - 2 * PAD, line.bold),
      colour: line.colour ?? (line.bold ? INK : MUTED),
      bold: line.bold === true,
    })),
  );
  const lines = [...edges.map((edge) => edge.line), ...legend.lines];
  return {
    title: {
      text: options.title ?? `${topology.cluster}: what runs, and who may reach it`,
      anchor: "start",
      fontSize: 14,
    },
    width,
    height,
    background: WHITE,
    config: { view: { stroke: null } },
    layer: [
      rectLayer(drawn.filter((d) => d.frame)),
      rectLayer(drawn.filter((d) => !d.frame)),
      lineLayer(
        lines.filter((line) => !line.dashed),
        false,
      ),
      lineLayer(
        lines.filter((line) => line.dashed),
        true,
      ),
      {
        data: { values: edges.map((edge) => edge.head) },
        mark: { type: "point", shape: "triangle-right", filled: true, size: 90, opacity: 1 },
        encoding: {
          x: pixels("x"),
          y: pixels("y"),
          angle: { field: "angle", type: "quantitative", scale: null },
          color: { field: "colour", type: "nominal", scale: null },
        },
      },
      textLayer(
        nodeText.filter((t) => t.bold),
        "left",
        true,
      ),
      textLayer(
        nodeText.filter((t) => !t.bold),
        "left",
        false,
      ),
      textLayer(
        edges.flatMap((edge) => edge.labels),
        "center",
        false,
      ),
      textLayer([...legend.texts, ...notes], "left", false),
    ],
  };
}

/** One row per arrow of the picture: from, to, ports, the guarding group, what it admits, the verdict, why. */
export function hopRows(topology: Topology): Row[] {
  const name = nameOf(topology);
  return topology.hops.map((hop) => ({
    from: name(hop.from),
    to: name(hop.to),
    ports: hop.ports.length > 0 ? hop.ports.join(", ") : null,
    "guarded by":
      hop.guard.length > 0 ? hop.guard.map((g) => (g.name === g.id ? g.id : `${g.name} (${g.id})`)).join(", ") : null,
    admits:
      hop.admits.length > 0
        ? [...new Set(hop.admits.map((a) => `${a.source}${a.note && a.range ? ` (${a.note})` : ""}`))].join(", ")
        : null,
    verdict: `${hop.verdict === "open" ? "✖ " : ""}${VERDICT_LABELS[hop.verdict]}`,
    why: hop.why,
  }));
}

/** One row per task: its service, addresses and subnet; a public IP is flagged. */
export function taskRows(topology: Topology): Row[] {
  return topology.services.flatMap((service): Row[] =>
    service.tasks.status === "unknown"
      ? [{ service: service.name, task: `not read: ${service.tasks.error}` }]
      : service.tasks.value.map((task) => ({
          service: service.name,
          task: task.id,
          status: task.status,
          "private IP": task.privateIp ?? null,
          "public IP": task.publicIp ? `✖ ${task.publicIp}` : "none",
          subnet: task.subnet ? `${task.subnet}${subnetKind(task)}` : null,
          zone: task.zone ?? null,
        })),
  );
}

/** A few sentences: what runs, what lets in more than it should, and what could not be read. */
export function topologySummary(topology: Topology): string[] {
  const lines = topology.services.map((service) => {
    const fronts = topology.loadBalancers.filter((lb) =>
      topology.hops.some((h) => h.from === lb.id && h.to === service.id),
    );
    const stores = topology.hops.filter((h) => h.from === service.id).length;
    return (
      `service ${service.name} runs ${service.running} of ${service.desired} tasks of ${service.taskDefinition}` +
      (fronts.length > 0 ? ` behind ${fronts.map((lb) => lb.name).join(", ")}` : " behind no load balancer") +
      (stores > 0 ? `; ${stores} data store${stores > 1 ? "s" : ""} within its reach.` : ".")
    );
  });
  const unsafe = unsafeHops(topology);
  for (const hop of unsafe) lines.push(`✖ ${hop.why}.`);
  const exposed = publicTasks(topology);
  if (exposed.length > 0) {
    const services = [...new Set(exposed.map((e) => e.service.name))].join(", ");
    lines.push(
      `✖ ${exposed.length} task${exposed.length > 1 ? "s have" : " has"} a public IP address (${services}): ` +
        "addressable from the internet, a security group rule away from being reached; run them in private subnets.",
    );
  }
  for (const gap of topology.gaps) lines.push(`? not read: ${gap}.`);
  if (unsafe.length === 0 && exposed.length === 0 && topology.gaps.length === 0) {
    lines.push("✔ every hop admits only the hop before it, and no task has a public IP address.");
  }
  return lines;
}

function layout(columns: readonly Column[], top: number) {
  const heights = columns.map((column) =>
    column.nodes.reduce((sum, node, i) => sum + nodeHeight(node) + (i > 0 ? NODE_GAP : 0), 0),
  );
  const tallest = Math.max(LINE * 3, ...heights);
  const drawn: Drawn[] = [];
  const boxes = new Map<string, Box>();
  let x = MARGIN;
  columns.forEach((column, c) => {
    let y = top + (tallest - (heights[c] ?? 0)) / 2;
    for (const node of column.nodes) {
      const box = { x, y, w: column.width, h: nodeHeight(node) };
      boxes.set(node.id, box);
      drawn.push({ box, frame: node.inner !== undefined, flagged: flagged(node.lines), lines: node.lines });
      let innerY = y + boxHeight(node.lines) - PAD / 2;
      for (const lines of node.inner ?? []) {
        const inner = { x: x + TASK_INSET, y: innerY, w: column.width - 2 * TASK_INSET, h: boxHeight(lines) };
        drawn.push({ box: inner, frame: false, flagged: flagged(lines), lines });
        innerY += inner.h + TASK_GAP;
      }
      y += box.h + NODE_GAP;
    }
    x += column.width + GAP;
  });
  return { drawn, boxes, width: x - GAP + MARGIN, bottom: top + tallest };
}

function columnsOf(topology: Topology, maxTasks: number): Column[] {
  const columns: Column[] = [];
  if (topology.internet) {
    columns.push({
      width: WIDTH.internet,
      nodes: [{ id: "internet", lines: [{ text: "Internet", bold: true }, { text: "0.0.0.0/0" }] }],
    });
  }
  if (topology.loadBalancers.length > 0) {
    columns.push({
      width: WIDTH.lb,
      nodes: topology.loadBalancers.map((lb) => ({
        id: lb.id,
        lines: [
          { text: lb.name, bold: true },
          { text: `${lb.internetFacing ? "internet-facing" : "internal"} ${LB_TYPES[lb.type] ?? lb.type}` },
          { text: lb.listeners.map((l) => `${l.protocol} ${l.port}`).join(" · ") || "no listeners read" },
          groupsLine(lb.groups),
        ],
      })),
    });
  }
  columns.push({
    width: WIDTH.service,
    nodes:
      topology.services.length > 0
        ? topology.services.map((service) => ({
            id: service.id,
            lines: [
              { text: `service ${service.name}`, bold: true },
              { text: `${service.taskDefinition} · ${service.running}/${service.desired} running` },
              groupsLine(service.groups),
            ],
            inner: taskBoxes(service, maxTasks),
          }))
        : [{ id: "no-service", lines: [{ text: "no services", bold: true }, { text: "nothing runs here" }] }],
  });
  if (topology.dataStores.length > 0) {
    columns.push({
      width: WIDTH.store,
      nodes: topology.dataStores.map((store) => ({
        id: store.id,
        lines: [
          { text: STORE_TITLES[store.kind] ?? store.kind, bold: true },
          { text: store.description || store.kind },
          { text: `${store.networkInterfaces} network interface${store.networkInterfaces === 1 ? "" : "s"}` },
          groupsLine(store.groups),
        ],
      })),
    });
  }
  return columns;
}

function taskBoxes(service: ServiceNode, maxTasks: number): TextLine[][] {
  if (service.tasks.status === "unknown") {
    return [
      [
        { text: "tasks not read", bold: true },
        { text: service.tasks.error, colour: VERDICT_COLOURS.unknown },
      ],
    ];
  }
  const tasks = service.tasks.value;
  if (tasks.length === 0) return [[{ text: "no running tasks", bold: true }]];
  const boxes = tasks.slice(0, maxTasks).map(taskLines);
  if (tasks.length > maxTasks) boxes.push([{ text: `and ${tasks.length - maxTasks} more tasks`, bold: true }]);
  return boxes;
}

function taskLines(task: TaskNode): TextLine[] {
  return [
    { text: `task ${task.shortId}`, bold: true },
    { text: [task.privateIp, task.subnet].filter((part) => part !== undefined).join(" · ") || task.status },
    ...(task.publicIp ? [{ text: `public IP ${task.publicIp}`, colour: PUBLIC_IP }] : []),
  ];
}

function groupsLine(groups: readonly { name: string }[]): TextLine {
  return { text: groups.length > 0 ? `SG ${groups.map((g) => g.name).join(", ")}` : "no security group", colour: INK };
}

function flagged(lines: readonly TextLine[]): boolean {
  return lines.some((line) => line.colour === PUBLIC_IP);
}

function boxHeight(lines: readonly TextLine[]): number {
  return 2 * PAD + lines.length * LINE;
}

function nodeHeight(node: Node): number {
  const inner = (node.inner ?? []).reduce((sum, lines) => sum + boxHeight(lines) + TASK_GAP, 0);
  return boxHeight(node.lines) + (node.inner ? inner - PAD / 2 - TASK_GAP + TASK_INSET : 0);
}

function subnetKind(task: TaskNode): string {
  if (task.publicSubnet === undefined) return "";
  return task.publicSubnet ? " (public)" : " (private)";
}

function nameOf(topology: Topology): (id: string) => string {
  return (id) => {
    if (id === "internet") return "the internet";
    const lb = topology.loadBalancers.find((n) => n.id === id);
    if (lb) return `load balancer ${lb.name}`;
    const service = topology.services.find((n) => n.id === id);
    if (service) return `service ${service.name}`;
    const store = topology.dataStores.find((n) => n.id === id);
    return store ? `${store.kind} data store` : id;
  };
}

/** From the internet straight to tasks: drawn over the top when a load balancer stands between. */
function isBypass(hop: Hop): boolean {
  return hop.from === "internet" && hop.to.startsWith("service:");
}

function dashedVerdict(verdict: HopVerdict): boolean {
  return verdict === "closed" || verdict === "unknown";
}

/** From the right side of `from` to the left side of `to`; from the internet past a load balancer, over the top. */
function edgeOf(hop: Hop, boxes: ReadonlyMap<string, Box>, bypassY: number): Edge[] {
  const from = boxes.get(hop.from);
  const to = boxes.get(hop.to);
  if (!from || !to) return [];
  const colour = VERDICT_COLOURS[hop.verdict];
  const key = `${hop.from} → ${hop.to}`;
  const line = { key, colour, width: hop.verdict === "open" ? 2.5 : 1.6, dashed: dashedVerdict(hop.verdict) };
  const [above, below] = labelLines(hop);
  if (to.x - (from.x + from.w) > GAP + 1) {
    const startX = from.x + from.w / 2;
    const endX = to.x + to.w / 2;
    const mid = (startX + endX) / 2;
    return [
      {
        line: {
          ...line,
          points: [
            [startX, from.y],
            [startX, bypassY],
            [endX, bypassY],
            [endX, to.y - 6],
          ],
        },
        head: { x: endX, y: to.y - 6, angle: 90, colour },
        labels: [
          { x: mid, y: bypassY - 8, text: above.join(" · "), colour },
          ...below.map((text, i) => ({ x: mid, y: bypassY + 10 + i * LINE, text, colour })),
        ],
      },
    ];
  }
  const x1 = from.x + from.w;
  const x2 = to.x - 6;
  const [y1, y2] = levels(from, to);
  const mx = (x1 + x2) / 2;
  const my = (y1 + y2) / 2;
  return [
    {
      line: {
        ...line,
        points: [
          [x1, y1],
          [x2, y2],
        ],
      },
      head: { x: x2, y: y2, angle: (Math.atan2(y2 - y1, x2 - x1) * 180) / Math.PI, colour },
      labels: [
        ...above.map((text, i) => ({
          x: mx,
          y: my - 9 - (above.length - 1 - i) * LINE,
          text: clip(text, GAP),
          colour,
        })),
        ...below.map((text, i) => ({ x: mx, y: my + 11 + i * LINE, text: clip(text, GAP), colour })),
      ],
    },
  ];
}

/** Level when one box spans the other's middle (a load balancer beside a tall service), else middle to middle. */
function levels(from: Box, to: Box): [number, number] {
  const fromMid = from.y + from.h / 2;
  const toMid = to.y + to.h / 2;
  const spans = (box: Box, y: number) => box.y + 12 <= y && y <= box.y + box.h - 12;
  if (from.h <= to.h && spans(to, fromMid)) return [fromMid, fromMid];
  if (spans(from, toMid)) return [toMid, toMid];
  return [fromMid, toMid];
}

/** Above the arrow: the ports and the sources admitted, one a line; below it: the verdict in a few words. */
function labelLines(hop: Hop): [string[], string[]] {
  const ports =
    hop.ports.length === 0 ? "any port" : `${hop.ports.length === 1 ? "port" : "ports"} ${hop.ports.join(", ")}`;
  const sources = [...new Set(hop.admits.map((a) => a.source))];
  const shown = sources.length > 3 ? [...sources.slice(0, 2), `and ${sources.length - 2} more`] : sources;
  const above = [ports, ...shown.map((source, i) => (i === 0 ? `from ${source}` : source))];
  const expected = hop.expected.map((g) => g.name).join(", ");
  const range = hop.admits.find((a) => a.range && a.note !== "");
  switch (hop.verdict) {
    case "entry":
      return [above, ["the front door"]];
    case "chained":
      return [above, ["✔ only the hop before"]];
    case "open":
      return [above, [`✖ ${range?.note ?? "an address range"}`, ...(expected ? [`not only ${expected}`] : [])]];
    case "closed":
      return [above, [`✖ ${expected || "the hop before"} not admitted`]];
    case "unknown":
      return [[ports], ["? not read"]];
  }
}

function legendOf(topology: Topology, y: number): { lines: Polyline[]; texts: Label[] } {
  const lines: Polyline[] = [];
  const texts: Label[] = [];
  let x = MARGIN;
  for (const verdict of VERDICTS.filter((v) => topology.hops.some((hop) => hop.verdict === v))) {
    const colour = VERDICT_COLOURS[verdict];
    const points: [number, number][] = [
      [x, y],
      [x + 24, y],
    ];
    lines.push({ key: `legend ${verdict}`, points, colour, width: 2, dashed: dashedVerdict(verdict) });
    texts.push({ x: x + 30, y, text: VERDICT_LABELS[verdict], colour: INK });
    x += 30 + VERDICT_LABELS[verdict].length * CHAR_PX + 24;
  }
  if (publicTasks(topology).length > 0) {
    texts.push(
      { x, y, text: "■", colour: PUBLIC_IP },
      { x: x + 14, y, text: "public IP: addressable from the internet", colour: INK },
    );
  }
  return { lines, texts };
}

/** The text cut with "…" where it would overflow `px` pixels by the glyph-width estimate. */
function clip(text: string, px: number, bold = false): string {
  const max = Math.floor(px / (bold ? CHAR_PX * 1.08 : CHAR_PX));
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join("")}…`;
}

const pixels = (field: string) => ({ field, type: "quantitative" as const, scale: null, axis: null });

function rectLayer(drawn: readonly Drawn[]) {
  return {
    data: {
      values: drawn.map((d) => ({
        x: d.box.x,
        x2: d.box.x + d.box.w,
        y: d.box.y,
        y2: d.box.y + d.box.h,
        fill: d.frame ? FRAME_FILL : WHITE,
        stroke: d.flagged ? PUBLIC_IP : BORDER,
        strokeWidth: d.flagged ? 1.5 : 1,
      })),
    },
    mark: { type: "rect" as const, cornerRadius: 5 },
    encoding: {
      x: pixels("x"),
      x2: { field: "x2" },
      y: pixels("y"),
      y2: { field: "y2" },
      fill: { field: "fill", type: "nominal" as const, scale: null },
      stroke: { field: "stroke", type: "nominal" as const, scale: null },
      strokeWidth: { field: "strokeWidth", type: "quantitative" as const, scale: null },
    },
  };
}

function lineLayer(lines: readonly Polyline[], dashed: boolean) {
  return {
    data: {
      values: lines.flatMap((line) =>
        line.points.map(([x, y], i) => ({ key: line.key, i, x, y, colour: line.colour, width: line.width })),
      ),
    },
    mark: { type: "line" as const, ...(dashed ? { strokeDash: [6, 4] } : {}) },
    encoding: {
      x: pixels("x"),
      y: pixels("y"),
      detail: { field: "key", type: "nominal" as const },
      order: { field: "i", type: "quantitative" as const },
      color: { field: "colour", type: "nominal" as const, scale: null },
      strokeWidth: { field: "width", type: "quantitative" as const, scale: null },
    },
  };
}

function textLayer(labels: readonly Label[], align: "left" | "center", bold: boolean) {
  return {
    data: { values: labels.map((label) => ({ ...label })) },
    mark: {
      type: "text" as const,
      align,
      baseline: "middle" as const,
      fontSize: FONT,
      ...(bold ? { fontWeight: "bold" as const } : {}),
    },
    encoding: {
      x: pixels("x"),
      y: pixels("y"),
      text: { field: "text", type: "nominal" as const },
      color: { field: "colour", type: "nominal" as const, scale: null },
    },
  };
}
