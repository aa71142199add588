// CloudWatch's generated series: AWS/ECS, ECS/ContainerInsights and AWS/ApplicationELB, computed minute by minute
// from the telemetry model (lib/sandbox/telemetry/model.ts), never stored. A catalog lists every series the state
// can have; each series adds one minute's samples to an accumulator on demand, so a range costs what is read.
import type { Service } from "@aws-sdk/client-ecs";
import type { SandboxState } from "../state";
import {
  appContainer,
  type InsightsLevel,
  insightsAt,
  MINUTE_MS,
  type Request,
  requestsInMinute,
  runningAt,
  type TaskLife,
  taskCpuPercent,
  taskLives,
  taskMemoryPercent,
} from "../telemetry/model";

export interface Dimension {
  readonly Name: string;
  readonly Value: string;
}

export interface MetricName {
  readonly Namespace: string;
  readonly MetricName: string;
  /** Sorted by name, so that one series has one key. */
  readonly Dimensions: readonly Dimension[];
}

/** One series, whatever order its dimensions came in. */
export function metricKey(metric: {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: readonly { Name?: string; Value?: string }[];
}): string {
  const dimensions = [...(metric.Dimensions ?? [])]
    .map((d) => `${d.Name ?? ""}=${d.Value ?? ""}`)
    .sort()
    .join("\t");
  return `${metric.Namespace ?? ""}\n${metric.MetricName ?? ""}\n${dimensions}`;
}

export function sortedDimensions(dimensions: readonly { Name?: string; Value?: string }[] | undefined): Dimension[] {
  return (dimensions ?? [])
    .map((d) => ({ Name: d.Name ?? "", Value: d.Value ?? "" }))
    .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

/** The samples of one period: enough for every statistic, percentiles included. */
export class Accumulator {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /** Raw values, for percentiles (kept only when asked); none for points published as a statistic set. */
  readonly samples: number[] = [];

  constructor(private readonly keepSamples = true) {}

  add(value: number, count = 1): void {
    this.count += count;
    this.sum += value * count;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    // Counts say how many times a value was seen; a few copies keep percentiles honest without unbounded memory.
    if (this.keepSamples) for (let i = 0; i < Math.min(count, 1000); i++) this.samples.push(value);
  }

  addStatistics(stats: { SampleCount: number; Sum: number; Minimum: number; Maximum: number }): void {
    this.count += stats.SampleCount;
    this.sum += stats.Sum;
    if (stats.Minimum < this.min) this.min = stats.Minimum;
    if (stats.Maximum > this.max) this.max = stats.Maximum;
  }
}

/** A series the state generates. */
export interface GeneratedSeries {
  readonly metric: MetricName;
  readonly unit: string;
  /** Whether any minute in [from, to) has a datapoint (for ListMetrics and SEARCH). */
  activeIn(from: number, to: number): boolean;
  /** Adds what the minute starting at `minute` contributes. */
  sample(minute: Date, into: Accumulator): void;
}

export interface Catalog {
  readonly series: readonly GeneratedSeries[];
  readonly byKey: ReadonlyMap<string, GeneratedSeries>;
}

// ---------------------------------------------------------------------------------------------------------------
// What a series is made of: tasks, the Container Insights level over time, and per-request memo.

/** The Container Insights setting at a time; a cluster whose history was never recorded keeps its current setting. */
function levelOf(state: SandboxState, cluster: string, at: Date): InsightsLevel {
  if (state.telemetry.insights[cluster]) return insightsAt(state, cluster, at);
  const setting = state.ecs.clusters
    .find((c) => c.clusterName === cluster)
    ?.settings?.find((s) => s.name === "containerInsights")?.value;
  return setting === "enabled" || setting === "enhanced" ? setting : "disabled";
}

type Gate = "always" | "insights" | "enhanced";

function gateOpen(gate: Gate, level: InsightsLevel): boolean {
  return gate === "always" || (gate === "insights" ? level !== "disabled" : level === "enhanced");
}

/** Intervals [from, to) of a cluster's history during which a gate is open. */
function openIntervals(state: SandboxState, cluster: string, gate: Gate): [number, number][] {
  if (gate === "always") return [[Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]];
  const history = state.telemetry.insights[cluster];
  if (!history) {
    return gateOpen(gate, levelOf(state, cluster, new Date(0)))
      ? [[Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]]
      : [];
  }
  const out: [number, number][] = [];
  history.forEach((change, i) => {
    const end = history[i + 1]?.at.getTime() ?? Number.POSITIVE_INFINITY;
    if (gateOpen(gate, change.value)) out.push([change.at.getTime(), end]);
  });
  return out;
}

/** Shared by every series of one request: the state, the clock, and requests already drawn. */
class Source {
  private readonly requestMemo = new Map<string, Request[]>();
  private readonly since: number;

  constructor(
    readonly state: SandboxState,
    readonly now: Date,
  ) {
    this.since = state.telemetry.since?.getTime() ?? Number.NEGATIVE_INFINITY;
  }

  requests(life: TaskLife, minute: Date): Request[] {
    const key = `${life.taskArn}|${minute.getTime()}`;
    let requests = this.requestMemo.get(key);
    if (!requests) {
      requests = requestsInMinute(this.state, life, minute);
      this.requestMemo.set(key, requests);
    }
    return requests;
  }

  /** Whether any of the tasks ran, with the gate open, at some minute of [from, to) before now. */
  active(lives: readonly TaskLife[], cluster: string, gate: Gate, from: number, to: number): boolean {
    const start = Math.max(from, this.since);
    const end = Math.min(to, this.now.getTime());
    if (start >= end) return false;
    const open = openIntervals(this.state, cluster, gate);
    return lives.some((life) => {
      const a = Math.max(start, life.startedAt.getTime());
      const b = Math.min(end, life.stoppedAt?.getTime() ?? Number.POSITIVE_INFINITY);
      return a < b && open.some(([x, y]) => Math.max(a, x) < Math.min(b, y));
    });
  }
}

function cpuUnits(life: TaskLife): number {
  const definition = life.taskDefinition;
  const declared = Number(definition?.cpu);
  if (declared > 0) return declared;
  const containers = (definition?.containerDefinitions ?? []).reduce((sum, c) => sum + (c.cpu ?? 0), 0);
  return containers > 0 ? containers : 1024;
}

function memoryMb(life: TaskLife): number {
  const definition = life.taskDefinition;
  const declared = Number(definition?.memory);
  if (declared > 0) return declared;
  const containers = (definition?.containerDefinitions ?? []).reduce(
    (sum, c) => sum + (c.memory ?? c.memoryReservation ?? 0),
    0,
  );
  return containers > 0 ? containers : 512;
}

// ---------------------------------------------------------------------------------------------------------------
// Series builders

interface Builder {
  readonly source: Source;
  readonly out: GeneratedSeries[];
  /** When looking for one series: its key and dimensions, so that other scopes are skipped unbuilt. */
  readonly want?: { readonly key: string; readonly namespace: string; readonly dims: ReadonlyMap<string, string> };
}

/** Whether a scope can hold the wanted series (always, when building the whole catalog). */
function inScope(b: Builder, name: string, value: string): boolean {
  return b.want === undefined || b.want.dims.get(name) === value;
}

function series(
  b: Builder,
  namespace: string,
  metricName: string,
  dimensions: Record<string, string>,
  unit: string,
  scope: { cluster: string; lives: readonly TaskLife[]; gate: Gate },
  sample: (running: readonly TaskLife[], minute: Date, into: Accumulator) => void,
): void {
  const { source } = b;
  const { cluster, lives, gate } = scope;
  const metric = {
    Namespace: namespace,
    MetricName: metricName,
    Dimensions: sortedDimensions(Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value }))),
  };
  if (b.want && (b.want.namespace !== namespace || metricKey(metric) !== b.want.key)) return;
  // Reused minute after minute: the running tasks of the minute being sampled.
  const running: TaskLife[] = [];
  b.out.push({
    metric,
    unit,
    activeIn: (from, to) => source.active(lives, cluster, gate, from, to),
    sample(minute, into) {
      if (gate !== "always" && !gateOpen(gate, levelOf(source.state, cluster, minute))) return;
      running.length = 0;
      for (const life of lives) if (runningAt(life, minute)) running.push(life);
      if (running.length > 0) sample(running, minute, into);
    },
  });
}

/** AWS/ECS CPUUtilization and MemoryUtilization: one sample per running task, so Maximum shows the hottest. */
function awsEcs(b: Builder, cluster: string, lives: readonly TaskLife[], dimensions: Record<string, string>): void {
  const { state } = b.source;
  const scope = { cluster, lives, gate: "always" as const };
  series(b, "AWS/ECS", "CPUUtilization", dimensions, "Percent", scope, (running, minute, into) => {
    for (const life of running) into.add(taskCpuPercent(state, life, minute));
  });
  series(b, "AWS/ECS", "MemoryUtilization", dimensions, "Percent", scope, (running, minute, into) => {
    for (const life of running) into.add(taskMemoryPercent(state, life, minute));
  });
}

/** Container Insights' utilised/reserved pairs: one summed value per minute over the running tasks. */
function insightsTotals(
  b: Builder,
  cluster: string,
  lives: readonly TaskLife[],
  dimensions: Record<string, string>,
  gate: Gate,
): void {
  const { state } = b.source;
  const scope = { cluster, lives, gate };
  const total =
    (value: (life: TaskLife, minute: Date) => number) =>
    (running: readonly TaskLife[], minute: Date, into: Accumulator) => {
      let sum = 0;
      for (const life of running) sum += value(life, minute);
      into.add(sum);
    };
  const ns = "ECS/ContainerInsights";
  series(
    b,
    ns,
    "CpuUtilized",
    dimensions,
    "None",
    scope,
    total((life, minute) => (taskCpuPercent(state, life, minute) / 100) * cpuUnits(life)),
  );
  series(b, ns, "CpuReserved", dimensions, "None", scope, total(cpuUnits));
  series(
    b,
    ns,
    "MemoryUtilized",
    dimensions,
    "Megabytes",
    scope,
    total((life, minute) => Math.round((taskMemoryPercent(state, life, minute) / 100) * memoryMb(life))),
  );
  series(b, ns, "MemoryReserved", dimensions, "Megabytes", scope, total(memoryMb));
}

/** Enhanced observability: per-task percentages and per-container figures, with a TaskId dimension. */
function insightsTask(b: Builder, life: TaskLife, dimensions: Record<string, string>): void {
  const { state } = b.source;
  const lives = [life];
  insightsTotals(b, life.cluster, lives, dimensions, "enhanced");
  const scope = { cluster: life.cluster, lives, gate: "enhanced" as const };
  const ns = "ECS/ContainerInsights";
  series(b, ns, "TaskCpuUtilization", dimensions, "Percent", scope, (_, minute, into) =>
    into.add(taskCpuPercent(state, life, minute)),
  );
  series(b, ns, "TaskMemoryUtilization", dimensions, "Percent", scope, (_, minute, into) =>
    into.add(taskMemoryPercent(state, life, minute)),
  );
  const containers = life.taskDefinition?.containerDefinitions ?? [];
  const app = appContainer(life);
  for (const container of containers) {
    if (!container.name) continue;
    // The app does the work; sidecars share what is left.
    const share = containers.length === 1 ? 1 : container === app ? 0.9 : 0.1 / (containers.length - 1);
    const cpuReserved = container.cpu && container.cpu > 0 ? container.cpu : cpuUnits(life) / containers.length;
    const memoryReserved = container.memory ?? container.memoryReservation ?? memoryMb(life) / containers.length;
    const cpu = (minute: Date) => (taskCpuPercent(state, life, minute) / 100) * cpuUnits(life) * share;
    const memory = (minute: Date) => (taskMemoryPercent(state, life, minute) / 100) * memoryMb(life) * share;
    const withName = { ...dimensions, ContainerName: container.name };
    const one = (metricName: string, unit: string, value: (minute: Date) => number) =>
      series(b, ns, metricName, withName, unit, scope, (_, minute, into) => into.add(value(minute)));
    one("ContainerCpuUtilized", "None", cpu);
    one("ContainerCpuReserved", "None", () => cpuReserved);
    one("ContainerCpuUtilization", "Percent", (minute) => Math.min(100, (cpu(minute) / cpuReserved) * 100));
    one("ContainerMemoryUtilized", "Megabytes", (minute) => Math.round(memory(minute)));
    one("ContainerMemoryReserved", "Megabytes", () => memoryReserved);
    one("ContainerMemoryUtilization", "Percent", (minute) => Math.min(100, (memory(minute) / memoryReserved) * 100));
  }
}

/** ALB metrics from the requests the tasks behind it served; counts appear only when non-zero, as on AWS. */
function alb(b: Builder, cluster: string, lives: readonly TaskLife[], dimensions: Record<string, string>): void {
  const { source } = b;
  const scope = { cluster, lives, gate: "always" as const };
  const ns = "AWS/ApplicationELB";
  const count =
    (keep: (request: Request) => boolean) => (running: readonly TaskLife[], minute: Date, into: Accumulator) => {
      let n = 0;
      for (const life of running) for (const request of source.requests(life, minute)) if (keep(request)) n++;
      if (n > 0) into.add(n);
    };
  series(
    b,
    ns,
    "RequestCount",
    dimensions,
    "Count",
    scope,
    count(() => true),
  );
  series(b, ns, "TargetResponseTime", dimensions, "Seconds", scope, (running, minute, into) => {
    for (const life of running) for (const request of source.requests(life, minute)) into.add(request.latencyMs / 1000);
  });
  series(
    b,
    ns,
    "HTTPCode_Target_2XX_Count",
    dimensions,
    "Count",
    scope,
    count((r) => r.status >= 200 && r.status < 300),
  );
  series(
    b,
    ns,
    "HTTPCode_Target_5XX_Count",
    dimensions,
    "Count",
    scope,
    count((r) => r.status >= 500),
  );
}

/** The ARN tail CloudWatch uses as a dimension value: `app/name/hex`, `targetgroup/name/hex`. */
function arnTail(arn: string, marker: string): string {
  const at = arn.indexOf(marker);
  return at < 0 ? arn : arn.slice(at + marker.length);
}

/** Target group ARN → load balancer ARNs whose listeners or rules forward to it. */
function loadBalancersByTargetGroup(state: SandboxState): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const listenerLb = new Map(state.elbv2.listeners.map((l) => [l.ListenerArn ?? "", l.LoadBalancerArn ?? ""]));
  const link = (
    actions:
      | readonly { TargetGroupArn?: string; ForwardConfig?: { TargetGroups?: { TargetGroupArn?: string }[] } }[]
      | undefined,
    lb: string | undefined,
  ) => {
    if (!lb) return;
    for (const action of actions ?? []) {
      const groups = [
        action.TargetGroupArn,
        ...(action.ForwardConfig?.TargetGroups ?? []).map((t) => t.TargetGroupArn),
      ];
      for (const group of groups) {
        if (!group) continue;
        const set = out.get(group) ?? new Set<string>();
        set.add(lb);
        out.set(group, set);
      }
    }
  };
  for (const listener of state.elbv2.listeners) link(listener.DefaultActions, listener.LoadBalancerArn);
  for (const rule of state.elbv2.rules) {
    const listenerArn = (rule.RuleArn ?? "").replace(":listener-rule/", ":listener/").replace(/\/[0-9a-f]+$/, "");
    link(rule.Actions, listenerLb.get(listenerArn));
  }
  return out;
}

/** Tasks indexed once per request: by cluster, by cluster/service and by cluster/family. */
interface TaskIndex {
  readonly byCluster: Map<string, TaskLife[]>;
  readonly byService: Map<string, TaskLife[]>;
  readonly byFamily: Map<string, Map<string, TaskLife[]>>;
}

function indexTasks(state: SandboxState): TaskIndex {
  const byCluster = new Map<string, TaskLife[]>();
  const byService = new Map<string, TaskLife[]>();
  const byFamily = new Map<string, Map<string, TaskLife[]>>();
  for (const life of taskLives(state)) {
    push(byCluster, life.cluster, life);
    if (life.service) push(byService, `${life.cluster}/${life.service}`, life);
    const families = byFamily.get(life.cluster) ?? new Map<string, TaskLife[]>();
    push(families, life.family, life);
    byFamily.set(life.cluster, families);
  }
  return { byCluster, byService, byFamily };
}

/**
 * The generated series of one request. `catalog()` lists them all (ListMetrics, SEARCH); `find()` builds only the
 * scope one metric name points at, so that 1,000 MetricStat queries cost 1,000 small lookups.
 */
export class Generator {
  private readonly source: Source;
  private index: TaskIndex | undefined;
  private all: Catalog | undefined;

  constructor(
    private readonly state: SandboxState,
    now: Date,
  ) {
    this.source = new Source(state, now);
  }

  catalog(): Catalog {
    if (!this.all) {
      const b: Builder = { source: this.source, out: [] };
      this.build(b);
      this.all = { series: b.out, byKey: new Map(b.out.map((s) => [metricKey(s.metric), s])) };
    }
    return this.all;
  }

  find(metric: MetricName): GeneratedSeries | undefined {
    if (this.all) return this.all.byKey.get(metricKey(metric));
    const want = {
      key: metricKey(metric),
      namespace: metric.Namespace,
      dims: new Map(metric.Dimensions.map((d) => [d.Name, d.Value])),
    };
    const b: Builder = { source: this.source, out: [], want };
    this.build(b);
    return b.out[0];
  }

  private build(b: Builder): void {
    this.index ??= indexTasks(this.state);
    buildSeries(this.state, this.index, b);
  }
}

function buildSeries(state: SandboxState, index: TaskIndex, b: Builder): void {
  const { byCluster, byService, byFamily } = index;
  const servicesOf = (cluster: string): Service[] =>
    (state.ecs.services[cluster] ?? []).filter((s) => s.serviceName !== undefined);

  const albOnly = b.want?.namespace === "AWS/ApplicationELB";
  for (const [cluster, clusterLives] of albOnly ? [] : byCluster) {
    if (!inScope(b, "ClusterName", cluster)) continue;
    const services = servicesOf(cluster);
    awsEcs(b, cluster, clusterLives, { ClusterName: cluster });
    // A cluster that never had Container Insights has no such series at all: skip building them.
    const insights = openIntervals(state, cluster, "insights").length > 0;
    const enhanced = openIntervals(state, cluster, "enhanced").length > 0;
    if (!insights) {
      for (const service of services) {
        if (!inScope(b, "ServiceName", service.serviceName ?? "")) continue;
        const serviceLives = byService.get(`${cluster}/${service.serviceName}`) ?? [];
        if (serviceLives.length > 0)
          awsEcs(b, cluster, serviceLives, { ClusterName: cluster, ServiceName: service.serviceName as string });
      }
      continue;
    }
    insightsTotals(b, cluster, clusterLives, { ClusterName: cluster }, "insights");
    const scope = { cluster, lives: clusterLives, gate: "insights" as const };
    series(b, "ECS/ContainerInsights", "TaskCount", { ClusterName: cluster }, "Count", scope, (running, _, into) =>
      into.add(running.length),
    );
    const active = services.filter((s) => s.status !== "INACTIVE").length;
    series(b, "ECS/ContainerInsights", "ServiceCount", { ClusterName: cluster }, "Count", scope, (_r, _m, into) =>
      into.add(active),
    );
    for (const service of services) {
      const name = service.serviceName as string;
      if (!inScope(b, "ServiceName", name)) continue;
      const serviceLives = byService.get(`${cluster}/${name}`) ?? [];
      if (serviceLives.length === 0) continue;
      const dimensions = { ClusterName: cluster, ServiceName: name };
      awsEcs(b, cluster, serviceLives, dimensions);
      insightsTotals(b, cluster, serviceLives, dimensions, "insights");
      const serviceScope = { cluster, lives: serviceLives, gate: "insights" as const };
      series(b, "ECS/ContainerInsights", "RunningTaskCount", dimensions, "Count", serviceScope, (running, _, into) =>
        into.add(running.length),
      );
      const desired = service.desiredCount ?? serviceLives.length;
      series(b, "ECS/ContainerInsights", "DesiredTaskCount", dimensions, "Count", serviceScope, (_r, _m, into) =>
        into.add(desired),
      );
      series(b, "ECS/ContainerInsights", "PendingTaskCount", dimensions, "Count", serviceScope, (_r, _m, into) =>
        into.add(0),
      );
      for (const life of enhanced ? serviceLives : []) {
        if (inScope(b, "TaskId", life.taskId)) insightsTask(b, life, { ...dimensions, TaskId: life.taskId });
      }
    }
    for (const [family, familyLives] of byFamily.get(cluster) ?? []) {
      if (!inScope(b, "TaskDefinitionFamily", family)) continue;
      const dimensions = { ClusterName: cluster, TaskDefinitionFamily: family };
      insightsTotals(b, cluster, familyLives, dimensions, "insights");
      for (const life of enhanced ? familyLives : []) {
        if (inScope(b, "TaskId", life.taskId)) insightsTask(b, life, { ...dimensions, TaskId: life.taskId });
      }
    }
  }

  // ALB: the tasks behind each target group that an ECS service registers into.
  if (b.want && !albOnly) return;
  const lbsByGroup = loadBalancersByTargetGroup(state);
  const groupLives = new Map<string, { cluster: string; lives: TaskLife[] }>();
  for (const [cluster, services] of Object.entries(state.ecs.services)) {
    for (const service of services) {
      const serviceLives = byService.get(`${cluster}/${service.serviceName}`) ?? [];
      for (const lb of service.loadBalancers ?? []) {
        if (!lb.targetGroupArn) continue;
        const entry = groupLives.get(lb.targetGroupArn) ?? { cluster, lives: [] };
        entry.lives.push(...serviceLives.filter((l) => !entry.lives.includes(l)));
        groupLives.set(lb.targetGroupArn, entry);
      }
    }
  }
  const lbLives = new Map<string, { cluster: string; lives: TaskLife[] }>();
  for (const [group, { cluster, lives: tgLives }] of groupLives) {
    for (const lbArn of lbsByGroup.get(group) ?? []) {
      const lb = arnTail(lbArn, ":loadbalancer/");
      alb(b, cluster, tgLives, { LoadBalancer: lb, TargetGroup: group.slice(group.lastIndexOf(":") + 1) });
      const entry = lbLives.get(lb) ?? { cluster, lives: [] };
      entry.lives.push(...tgLives.filter((l) => !entry.lives.includes(l)));
      lbLives.set(lb, entry);
    }
  }
  for (const [lb, { cluster, lives: all }] of lbLives) alb(b, cluster, all, { LoadBalancer: lb });
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export { MINUTE_MS };
