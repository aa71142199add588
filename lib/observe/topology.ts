// What runs and who may reach it, as the seed talk draws it (security step 1): internet → load balancer → the
// service's tasks → data stores, each hop with the security groups that guard it, the ports, and what those groups
// admit. Pure: a view of a Snapshot, plain data that render/topology.ts draws and tabulates. A hop is judged with the
// network checks' own reading of security groups (checks/network), so the picture and the audit never disagree —
// which is why this lives in observe/ (beside series.ts, the other shape render/ draws) and not in inventory/: there
// it would make the layer the checks read depend on the checks.
import type { Service, LoadBalancer as ServiceLoadBalancer, Task } from "@aws-sdk/client-ecs";
import { vpcRanges } from "../checks/network/paths";
import {
  coversPort,
  findGroup,
  type Group,
  type Ingress,
  ingressOf,
  isAddressRange,
  isWorld,
  portsLabel,
  type VpcRange,
} from "../checks/network/security-groups";
import type { Known, Plain, Snapshot } from "../inventory/snapshot";

/**
 * How a hop is guarded:
 * - `entry`: the front door — an internet-facing load balancer open on its listener ports (as it should be), or a
 *   load balancer without security groups, so there is no group to admit;
 * - `chained`: admits only security groups (the hop before among them), as the seed talk asks;
 * - `open`: admits an address range (the whole VPC, the internet…): anything there gets in, around the hop before;
 * - `closed`: nothing admits the hop before (the load balancer cannot reach the tasks);
 * - `unknown`: the security groups could not be read.
 */
export type HopVerdict = "entry" | "chained" | "open" | "closed" | "unknown";

/** A security group as people name it. */
export interface GroupRef {
  readonly id: string;
  /** The Name tag, else the group name, else the id: `sg-ECSTask`. */
  readonly name: string;
}

/** What one inbound rule of a guarding group lets in. */
export interface Admission {
  /** `0.0.0.0/0`, `10.0.0.0/16`, `sg-ALB`, `pl-…`. */
  readonly source: string;
  /** `anywhere on the internet`, `the whole VPC`, the group id; empty when the source says it all. */
  readonly note: string;
  /** `port 80`, `ports 1024-65535`, `all traffic`. */
  readonly ports: string;
  /** An address range (CIDR or prefix list) rather than a security group. */
  readonly range: boolean;
  /** 0.0.0.0/0 or ::/0. */
  readonly world: boolean;
  /** The group, when the source is a security group. */
  readonly groupId?: string;
}

export interface Hop {
  /** Node ids: `internet`, `lb:<name>`, `service:<name>`, `store:<n>`. */
  readonly from: string;
  readonly to: string;
  /** The ports the traffic of this hop goes to: listener ports, container ports, the data store's ports. */
  readonly ports: readonly number[];
  /** The security groups of `to`. */
  readonly guard: readonly GroupRef[];
  /** What the guarding groups admit on those ports. */
  readonly admits: readonly Admission[];
  /** The groups of `from`, which should be all that `to` admits (empty from the internet). */
  readonly expected: readonly GroupRef[];
  readonly verdict: HopVerdict;
  /** One sentence: why this verdict. */
  readonly why: string;
}

export interface LoadBalancerNode {
  readonly id: string;
  readonly name: string;
  /** application, network, gateway. */
  readonly type: string;
  readonly internetFacing: boolean;
  /** `HTTPS 443`, `HTTP 80`. */
  readonly listeners: readonly { readonly protocol: string; readonly port: number }[];
  readonly groups: readonly GroupRef[];
}

export interface TaskNode {
  readonly id: string;
  /** The first eight characters of the id, as the console shortens it. */
  readonly shortId: string;
  readonly status: string;
  readonly privateIp?: string;
  readonly publicIp?: string;
  /** The subnet's Name tag, else its id. */
  readonly subnet?: string;
  /** Whether the subnet routes 0.0.0.0/0 to an internet gateway (unset when the network was not read). */
  readonly publicSubnet?: boolean;
  readonly zone?: string;
}

export interface ServiceNode {
  readonly id: string;
  readonly name: string;
  /** `my-web-app:1`. */
  readonly taskDefinition: string;
  readonly desired: number;
  readonly running: number;
  readonly groups: readonly GroupRef[];
  /** assignPublicIp ENABLED: every task gets a public IP address. */
  readonly assignPublicIp: boolean;
  /** Sorted by task id. */
  readonly tasks: Known<readonly TaskNode[]>;
}

export interface DataStoreNode {
  readonly id: string;
  /** The requester of its network interfaces: `amazon-rds`, `amazon-elasticache`. */
  readonly kind: string;
  /** What the network interfaces say: `RDSNetworkInterface`. */
  readonly description: string;
  readonly networkInterfaces: number;
  readonly groups: readonly GroupRef[];
}

export interface Topology {
  readonly cluster: string;
  /** An internet-facing load balancer is in front: the picture starts at the internet. */
  readonly internet: boolean;
  readonly loadBalancers: readonly LoadBalancerNode[];
  readonly services: readonly ServiceNode[];
  readonly dataStores: readonly DataStoreNode[];
  readonly hops: readonly Hop[];
  /** Reads that failed, in words: what the picture cannot show. */
  readonly gaps: readonly string[];
}

type Unknown = Extract<Known<unknown>, { status: "unknown" }>;

export function serviceTopology(snapshot: Snapshot): Topology {
  const groups = snapshot.securityGroups;
  const ref = (id: string): GroupRef => groupRef(groups, id);
  const services = snapshot.services.status === "known" ? snapshot.services.value.map((s) => s.service) : [];
  const loadBalancers = frontsOfServices(snapshot, services, ref);
  const serviceNodes = services.map((service) => serviceNode(snapshot, service, ref));
  const dataStores =
    snapshot.dataStores.status === "known"
      ? snapshot.dataStores.value.map(
          (store, index): DataStoreNode => ({
            id: `store:${index + 1}`,
            kind: store.kind,
            description: store.description,
            networkInterfaces: store.networkInterfaceIds.length,
            groups: store.securityGroupIds.map(ref),
          }),
        )
      : [];

  const hops: Hop[] = [];
  for (const lb of loadBalancers.nodes) if (lb.internetFacing) hops.push(entryHop(snapshot, lb));
  services.forEach((service, index) => {
    const node = serviceNodes[index] as ServiceNode;
    for (const { lb, ports } of loadBalancers.byService.get(node.id) ?? []) {
      hops.push(taskHop(snapshot, lb, node, ports));
    }
    const direct = directHop(snapshot, node, containerPorts(service.loadBalancers ?? []));
    if (direct) hops.push(direct);
    for (const store of dataStores) {
      const hop = storeHop(snapshot, node, store);
      if (hop) hops.push(hop);
    }
  });

  const gaps = [
    gap("services", snapshot.services),
    gap("tasks", snapshot.tasks),
    gap("security groups", snapshot.securityGroups),
    gap("load balancers", snapshot.loadBalancers),
    gap("target groups", snapshot.targetGroups),
    gap("listeners", snapshot.listeners),
    gap("network interfaces (public IPs)", snapshot.networkInterfaces),
    gap("data stores", snapshot.dataStores),
    gap("subnets", snapshot.network),
  ].filter((line): line is string => line !== undefined);

  return {
    cluster: snapshot.scope.cluster,
    internet: loadBalancers.nodes.some((lb) => lb.internetFacing),
    loadBalancers: loadBalancers.nodes,
    services: serviceNodes,
    dataStores,
    hops,
    gaps,
  };
}

/** The hops that let in more than they should: what the picture draws in red. */
export function unsafeHops(topology: Topology): Hop[] {
  return topology.hops.filter((hop) => hop.verdict === "open");
}

/** The tasks that have a public IP address, with their service. */
export function publicTasks(topology: Topology): { service: ServiceNode; task: TaskNode }[] {
  return topology.services.flatMap((service) =>
    service.tasks.status === "known"
      ? service.tasks.value.filter((task) => task.publicIp !== undefined).map((task) => ({ service, task }))
      : [],
  );
}

function serviceNode(snapshot: Snapshot, service: Plain<Service>, ref: (id: string) => GroupRef): ServiceNode {
  const name = service.serviceName ?? "(unnamed)";
  const awsvpc = service.networkConfiguration?.awsvpcConfiguration;
  const tasks: Known<readonly TaskNode[]> =
    snapshot.tasks.status === "unknown"
      ? snapshot.tasks
      : {
          status: "known",
          value: snapshot.tasks.value
            .filter((task) => task.group === `service:${name}`)
            .map((task) => taskNode(snapshot, task))
            .sort((a, b) => a.id.localeCompare(b.id)),
        };
  return {
    id: `service:${name}`,
    name,
    taskDefinition: (service.taskDefinition ?? "").split("/").pop() ?? "",
    desired: service.desiredCount ?? 0,
    running: service.runningCount ?? 0,
    groups: (awsvpc?.securityGroups ?? []).map(ref),
    assignPublicIp: awsvpc?.assignPublicIp === "ENABLED",
    tasks,
  };
}

function taskNode(snapshot: Snapshot, task: Plain<Task>): TaskNode {
  const id = (task.taskArn ?? "").split("/").pop() ?? "";
  const details = (task.attachments ?? [])
    .filter((attachment) => attachment.type === "ElasticNetworkInterface")
    .flatMap((attachment) => attachment.details ?? []);
  const detail = (name: string) => details.find((d) => d.name === name)?.value;
  const eniId = detail("networkInterfaceId");
  const eni =
    snapshot.networkInterfaces.status === "known"
      ? snapshot.networkInterfaces.value.find((e) => e.NetworkInterfaceId === eniId)
      : undefined;
  const subnetId = detail("subnetId") ?? eni?.SubnetId;
  const subnet =
    snapshot.network.status === "known"
      ? snapshot.network.value.subnets.find((s) => s.SubnetId === subnetId)
      : undefined;
  const privateIp = detail("privateIPv4Address") ?? eni?.PrivateIpAddress;
  const publicIp = eni?.Association?.PublicIp;
  const subnetName = subnet?.Tags?.find((tag) => tag.Key === "Name")?.Value ?? subnetId;
  const zone = task.availabilityZone ?? eni?.AvailabilityZone;
  return {
    id,
    shortId: id.slice(0, 8),
    status: task.lastStatus ?? "UNKNOWN",
    ...(privateIp ? { privateIp } : {}),
    ...(publicIp ? { publicIp } : {}),
    ...(subnetName ? { subnet: subnetName } : {}),
    ...(subnet ? { publicSubnet: subnet.public } : {}),
    ...(zone ? { zone } : {}),
  };
}

/** The load balancers in front of the services (through their target groups), and which service each fronts. */
function frontsOfServices(
  snapshot: Snapshot,
  services: readonly Plain<Service>[],
  ref: (id: string) => GroupRef,
): { nodes: LoadBalancerNode[]; byService: Map<string, { lb: LoadBalancerNode; ports: number[] }[]> } {
  const nodes: LoadBalancerNode[] = [];
  const byService = new Map<string, { lb: LoadBalancerNode; ports: number[] }[]>();
  if (snapshot.targetGroups.status === "unknown" || snapshot.loadBalancers.status === "unknown") {
    return { nodes, byService };
  }
  const targetGroups = snapshot.targetGroups.value;
  const balancers = snapshot.loadBalancers.value;
  for (const service of services) {
    const fronts: { lb: LoadBalancerNode; ports: number[] }[] = [];
    for (const entry of service.loadBalancers ?? []) {
      const targetGroup = targetGroups.find((t) => t.TargetGroupArn === entry.targetGroupArn);
      for (const arn of targetGroup?.LoadBalancerArns ?? []) {
        const lb = balancers.find((b) => b.LoadBalancerArn === arn);
        if (!lb) continue;
        let node = nodes.find((n) => n.id === `lb:${lb.LoadBalancerName}`);
        if (!node) {
          node = {
            id: `lb:${lb.LoadBalancerName}`,
            name: lb.LoadBalancerName ?? arn,
            type: lb.Type ?? "application",
            internetFacing: lb.Scheme === "internet-facing",
            listeners: listenersOf(snapshot, arn),
            groups: (lb.SecurityGroups ?? []).map(ref),
          };
          nodes.push(node);
        }
        const existing = fronts.find((f) => f.lb === node);
        const ports = entry.containerPort === undefined ? [] : [entry.containerPort];
        if (existing) existing.ports.push(...ports.filter((p) => !existing.ports.includes(p)));
        else fronts.push({ lb: node, ports });
      }
    }
    byService.set(`service:${service.serviceName ?? "(unnamed)"}`, fronts);
  }
  return { nodes, byService };
}

function listenersOf(snapshot: Snapshot, loadBalancerArn: string): { protocol: string; port: number }[] {
  if (snapshot.listeners.status === "unknown") return [];
  return snapshot.listeners.value
    .filter((listener) => listener.LoadBalancerArn === loadBalancerArn && listener.Port !== undefined)
    .map((listener) => ({ protocol: listener.Protocol ?? "", port: listener.Port as number }));
}

function containerPorts(entries: readonly Plain<ServiceLoadBalancer>[]): number[] {
  return [...new Set(entries.flatMap((e) => (e.containerPort === undefined ? [] : [e.containerPort])))];
}

/** Internet → an internet-facing load balancer: its front door, on its listener ports. */
function entryHop(snapshot: Snapshot, lb: LoadBalancerNode): Hop {
  const ports = lb.listeners.map((l) => l.port);
  const base = { from: "internet", to: lb.id, ports, guard: lb.groups, expected: [] };
  const read = guardingGroups(snapshot, lb.groups);
  if (read.status === "unknown") return { ...base, admits: [], verdict: "unknown", why: unknownWhy(read.value) };
  if (lb.groups.length === 0) {
    return { ...base, admits: [], verdict: "entry", why: `${lb.name} has no security group: its listeners take all` };
  }
  const admits = admissions(snapshot, read.value, (ingress) => ports.some((port) => coversPort(ingress, port)));
  const world = admits.some((a) => a.world);
  return {
    ...base,
    admits,
    verdict: "entry",
    why: world
      ? `the front door: ${lb.name} takes ${portsText(ports)} from the internet, as an internet-facing load balancer should`
      : `${lb.name} is internet-facing but admits ${portsText(ports)} only from ${sourcesText(admits) || "nothing"}`,
  };
}

/** A load balancer → the service's tasks, on the container ports: only the load balancer's groups should get in. */
function taskHop(snapshot: Snapshot, lb: LoadBalancerNode, service: ServiceNode, ports: readonly number[]): Hop {
  const base = { from: lb.id, to: service.id, ports, guard: service.groups, expected: lb.groups };
  const read = guardingGroups(snapshot, service.groups);
  if (read.status === "unknown") return { ...base, admits: [], verdict: "unknown", why: unknownWhy(read.value) };
  const admits = admissions(snapshot, read.value, (ingress) => ports.some((port) => coversPort(ingress, port)));
  const guard = names(service.groups);
  const ranges = admits.filter((a) => a.range);
  if (lb.groups.length === 0) {
    return {
      ...base,
      admits,
      verdict: "entry",
      why: `${lb.name} has no security group, so ${guard} can only admit addresses: ${sourcesText(admits) || "none"}`,
    };
  }
  if (ranges.length > 0) {
    return {
      ...base,
      admits,
      verdict: "open",
      why:
        `${guard} admits ${portsText(ports)} from ${sourcesText(ranges)}: anything there reaches the tasks around ` +
        `${lb.name}; admit only ${names(lb.groups)}`,
    };
  }
  const lbIds = new Set(lb.groups.map((g) => g.id));
  if (!admits.some((a) => a.groupId !== undefined && lbIds.has(a.groupId))) {
    return {
      ...base,
      admits,
      verdict: "closed",
      why: `${guard} does not admit ${names(lb.groups)} on ${portsText(ports)}: ${lb.name} cannot reach the tasks`,
    };
  }
  return {
    ...base,
    admits,
    verdict: "chained",
    why: `${guard} admits ${portsText(ports)} only from ${sourcesText(admits)}`,
  };
}

/**
 * Internet → the tasks themselves, around the load balancer: only when they have public IP addresses and their
 * groups admit the whole internet.
 */
function directHop(snapshot: Snapshot, service: ServiceNode, ports: readonly number[]): Hop | undefined {
  const hasPublicIp =
    service.tasks.status === "known"
      ? service.tasks.value.some((t) => t.publicIp !== undefined)
      : service.assignPublicIp;
  if (!hasPublicIp) return undefined;
  const read = guardingGroups(snapshot, service.groups);
  if (read.status === "unknown") return undefined;
  const admits = admissions(snapshot, read.value, () => true).filter((a) => a.world);
  if (admits.length === 0) return undefined;
  const entries = read.value.flatMap(ingressOf).filter((ingress) => isWorld(ingress.source));
  const open = ports.length > 0 ? ports.filter((port) => entries.some((e) => coversPort(e, port))) : [];
  return {
    from: "internet",
    to: service.id,
    ports: open,
    guard: service.groups,
    admits,
    expected: [],
    verdict: "open",
    why:
      `the tasks of ${service.name} have public IP addresses and ${names(service.groups)} admits ` +
      `${[...new Set(admits.map((a) => a.ports))].join(", ")} from the internet: they are reachable around the load balancer`,
  };
}

/**
 * The service's tasks → a data store: drawn when the store's groups admit the tasks' groups or any address range
 * (which may hold the tasks). Any port, as datastore-sg-open judges it.
 */
function storeHop(snapshot: Snapshot, service: ServiceNode, store: DataStoreNode): Hop | undefined {
  const base = { from: service.id, to: store.id, guard: store.groups, expected: service.groups };
  const read = guardingGroups(snapshot, store.groups);
  if (read.status === "unknown")
    return { ...base, ports: [], admits: [], verdict: "unknown", why: unknownWhy(read.value) };
  const entries = read.value.flatMap(ingressOf);
  const taskIds = new Set(service.groups.map((g) => g.id));
  const fromTasks = entries.filter((e) => e.source.kind === "group" && taskIds.has(e.source.groupId));
  const ranges = entries.filter((e) => isAddressRange(e.source));
  if (fromTasks.length === 0 && ranges.length === 0) return undefined;
  const admits = admissions(snapshot, read.value, () => true);
  const ports = [...new Set([...fromTasks, ...ranges].flatMap((e) => (e.fromPort === undefined ? [] : [e.fromPort])))];
  const what = `${store.kind} data store`;
  if (ranges.length > 0) {
    return {
      ...base,
      ports,
      admits,
      verdict: "open",
      why:
        `${names(store.groups)} admits ${sourcesText(admits.filter((a) => a.range))}: anything there can connect to ` +
        `the ${what}, not only the tasks; admit only ${names(service.groups)}`,
    };
  }
  return {
    ...base,
    ports,
    admits,
    verdict: "chained",
    why: `${names(store.groups)} admits the ${what} only from ${sourcesText(admits)}`,
  };
}

/** The guarding groups as read, or why they are not known (the read failed, or a group was not among those read). */
function guardingGroups(
  snapshot: Snapshot,
  refs: readonly GroupRef[],
): { status: "known"; value: Group[] } | { status: "unknown"; value: Unknown } {
  const groups = snapshot.securityGroups;
  if (groups.status === "unknown") return { status: "unknown", value: groups };
  const found = refs.map((r) => findGroup(groups.value, r.id));
  const missing = refs.filter((_, i) => found[i] === undefined);
  if (missing.length > 0) {
    return {
      status: "unknown",
      value: { status: "unknown", error: "NotRead", message: `security group ${missing[0]?.id} was not read` },
    };
  }
  return { status: "known", value: found.filter((g): g is Group => g !== undefined) };
}

function admissions(snapshot: Snapshot, groups: readonly Group[], keep: (ingress: Ingress) => boolean): Admission[] {
  const all = snapshot.securityGroups.status === "known" ? snapshot.securityGroups.value : [];
  const ranges = vpcRanges(snapshot);
  const seen = new Set<string>();
  const out: Admission[] = [];
  for (const ingress of groups.flatMap(ingressOf).filter(keep)) {
    const admission = admissionOf(ingress, all, ranges);
    const key = `${admission.source}|${admission.ports}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(admission);
  }
  return out;
}

function admissionOf(ingress: Ingress, groups: readonly Group[], ranges: readonly VpcRange[]): Admission {
  const { source } = ingress;
  const ports = portsLabel(ingress);
  switch (source.kind) {
    case "group":
      return {
        source: nameOf(findGroup(groups, source.groupId), source.groupId),
        note: source.groupId,
        ports,
        range: false,
        world: false,
        groupId: source.groupId,
      };
    case "prefix-list":
      return { source: source.id, note: "a prefix list", ports, range: true, world: false };
    case "cidr": {
      const world = isWorld(source);
      const vpc = ranges.find((r) => r.cidr === source.cidr);
      const note = world ? "anywhere on the internet" : vpc ? `the whole VPC${vpc.name ? ` ${vpc.name}` : ""}` : "";
      return { source: source.cidr, note, ports, range: true, world };
    }
  }
}

function groupRef(groups: Known<readonly Group[]>, id: string): GroupRef {
  return { id, name: nameOf(groups.status === "known" ? findGroup(groups.value, id) : undefined, id) };
}

/** As people name a group: its Name tag, else its group name, else its id. */
function nameOf(group: Group | undefined, id: string): string {
  return group?.Tags?.find((tag) => tag.Key === "Name")?.Value || group?.GroupName || id;
}

function names(refs: readonly GroupRef[]): string {
  return refs.length === 0 ? "no security group" : refs.map((r) => r.name).join(", ");
}

function sourcesText(admits: readonly Admission[]): string {
  return [...new Set(admits.map((a) => (a.note && a.range ? `${a.source} (${a.note})` : a.source)))].join(", ");
}

function portsText(ports: readonly number[]): string {
  if (ports.length === 0) return "its ports";
  return ports.length === 1 ? `port ${ports[0]}` : `ports ${ports.join(", ")}`;
}

function unknownWhy(unknown: Unknown): string {
  return `cannot be judged: ${unknown.error}${unknown.missing ? ` (needs ${unknown.missing})` : ""}: ${unknown.message}`;
}

function gap(what: string, read: Known<unknown>): string | undefined {
  if (read.status === "known") return undefined;
  return `${what}: ${read.error}${read.missing ? ` (needs ${read.missing})` : ""}`;
}
