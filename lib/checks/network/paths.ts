// The chain the seed talk draws (step 1): internet → load balancer (its SG) → tasks (their SG) → data stores (their
// SG). Each hop should admit only the security group of the hop before it; these functions find the hops.
import type { LoadBalancer as ServiceLoadBalancer } from "@aws-sdk/client-ecs";
import type { DataStore, Known, Plain, Snapshot } from "../../inventory/snapshot";
import {
  coversPort,
  type Group,
  type Ingress,
  ingressOf,
  isAddressRange,
  isWorld,
  SECURITY_GROUP_READS,
  type VpcRange,
} from "./security-groups";

type Unknown = Extract<Known<unknown>, { status: "unknown" }>;

/** A load balancer in front of tasks, with its security groups (none for a Network Load Balancer without SGs). */
export interface Front {
  readonly name: string;
  readonly groupIds: readonly string[];
}

/** A security group of tasks that load balancers send traffic to. */
export interface TaskGroup {
  readonly groupId: string;
  /** `service my-web-service`, for each service whose tasks have the group. */
  readonly services: readonly string[];
  /** The container ports the load balancers send to. */
  readonly ports: readonly number[];
  /** The load balancers in front, or why they could not be read. */
  readonly fronts: Known<readonly Front[]>;
}

/** The services, their load balancers and target groups: what finding the task groups reads. */
export const PATH_READS = [
  "ecs:ListServices",
  "ecs:DescribeServices",
  "elasticloadbalancing:DescribeTargetGroups",
  "elasticloadbalancing:DescribeLoadBalancers",
  ...SECURITY_GROUP_READS,
];

export function serviceLabel(name: string | undefined): string {
  return `service ${name ?? "(unnamed)"}`;
}

/** The security groups of the tasks of each load-balanced awsvpc service, merged when services share a group. */
export function taskGroups(snapshot: Snapshot): Known<TaskGroup[]> {
  if (snapshot.services.status === "unknown") return snapshot.services;
  const byGroup = new Map<string, { services: string[]; ports: Set<number>; fronts: Known<Front[]> }>();
  for (const { service } of snapshot.services.value) {
    const groupIds = service.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? [];
    const balancers = service.loadBalancers ?? [];
    if (groupIds.length === 0 || balancers.length === 0) continue;
    const fronts = frontsOf(snapshot, balancers);
    const ports = balancers.flatMap((b) => (b.containerPort === undefined ? [] : [b.containerPort]));
    for (const groupId of groupIds) {
      const entry = byGroup.get(groupId) ?? { services: [], ports: new Set<number>(), fronts: known([]) };
      entry.services.push(serviceLabel(service.serviceName));
      for (const port of ports) entry.ports.add(port);
      entry.fronts = mergeKnown(entry.fronts, fronts);
      byGroup.set(groupId, entry);
    }
  }
  return known(
    [...byGroup.entries()].map(([groupId, entry]) => ({
      groupId,
      services: entry.services,
      ports: [...entry.ports].sort((a, b) => a - b),
      fronts: entry.fronts,
    })),
  );
}

/** The security groups the task-sg-open check judges: load balancers with security groups are in front. */
export function judgedByTaskCheck(taskGroup: TaskGroup): boolean {
  return taskGroup.fronts.status === "unknown" || taskGroup.fronts.value.some((front) => front.groupIds.length > 0);
}

/** The inbound entries of a task group that admit a container port from addresses instead of a security group. */
export function taskGroupOpenings(group: Group, taskGroup: TaskGroup): Ingress[] {
  return ingressOf(group).filter(
    (ingress) => isAddressRange(ingress.source) && taskGroup.ports.some((port) => coversPort(ingress, port)),
  );
}

/**
 * The security groups of the data stores, each with the data stores it guards. Data stores are looked for in the
 * VPCs of the services' tasks and target groups: with the services unread, none found means unknown, not none.
 */
export function dataStoreGroups(snapshot: Snapshot): Known<Map<string, DataStore[]>> {
  if (snapshot.services.status === "unknown") return snapshot.services;
  if (snapshot.dataStores.status === "unknown") return snapshot.dataStores;
  const byGroup = new Map<string, DataStore[]>();
  for (const store of snapshot.dataStores.value) {
    for (const groupId of store.securityGroupIds) byGroup.set(groupId, [...(byGroup.get(groupId) ?? []), store]);
  }
  return known(byGroup);
}

/** The inbound entries of a data store's group that admit addresses instead of a security group (any port). */
export function dataStoreGroupOpenings(group: Group): Ingress[] {
  return ingressOf(group).filter((ingress) => isAddressRange(ingress.source));
}

/**
 * The world-open entries that task-sg-open or datastore-sg-open already fail on, so that sg-world-open does not
 * report the same rule twice. When those checks cannot judge a group, nothing of it is excluded.
 */
export function openingsReportedElsewhere(snapshot: Snapshot, groups: readonly Group[]): Set<string> {
  const keys = new Set<string>();
  const add = (entries: readonly Ingress[]) => {
    for (const entry of entries) if (isWorld(entry.source)) keys.add(ingressKey(entry));
  };
  const tasks = taskGroups(snapshot);
  if (tasks.status === "known") {
    for (const taskGroup of tasks.value) {
      const group = groups.find((g) => g.GroupId === taskGroup.groupId);
      if (group && taskGroup.fronts.status === "known" && judgedByTaskCheck(taskGroup)) {
        add(taskGroupOpenings(group, taskGroup));
      }
    }
  }
  const stores = dataStoreGroups(snapshot);
  if (stores.status === "known") {
    for (const groupId of stores.value.keys()) {
      const group = groups.find((g) => g.GroupId === groupId);
      if (group) add(dataStoreGroupOpenings(group));
    }
  }
  return keys;
}

/** What makes two inbound entries the same rule. */
export function ingressKey(ingress: Ingress): string {
  const source =
    ingress.source.kind === "cidr"
      ? ingress.source.cidr
      : ingress.source.kind === "group"
        ? ingress.source.groupId
        : ingress.source.id;
  return [ingress.groupId, ingress.protocol, ingress.fromPort, ingress.toPort, source].join("|");
}

/** The VPCs' address ranges, to say "the whole VPC" of a CIDR that is one (none when the network is unknown). */
export function vpcRanges(snapshot: Snapshot): VpcRange[] {
  if (snapshot.network.status === "unknown") return [];
  return snapshot.network.value.vpcs.flatMap((vpc) => {
    const name = vpc.Tags?.find((tag) => tag.Key === "Name")?.Value;
    return [vpc.CidrBlock, ...(vpc.CidrBlockAssociationSet ?? []).map((a) => a.CidrBlock)]
      .filter((cidr, index, all): cidr is string => cidr !== undefined && all.indexOf(cidr) === index)
      .map((cidr) => (name ? { cidr, name } : { cidr }));
  });
}

/** The load balancers behind a service's target groups. */
function frontsOf(snapshot: Snapshot, balancers: readonly Plain<ServiceLoadBalancer>[]): Known<Front[]> {
  const fronts: Front[] = [];
  for (const balancer of balancers) {
    if (!balancer.targetGroupArn) {
      return notRead(`classic load balancer ${balancer.loadBalancerName ?? "(unnamed)"} is not read`);
    }
    if (snapshot.targetGroups.status === "unknown") return snapshot.targetGroups;
    const targetGroup = snapshot.targetGroups.value.find((t) => t.TargetGroupArn === balancer.targetGroupArn);
    if (!targetGroup) return notRead(`target group ${balancer.targetGroupArn} was not read`);
    for (const arn of targetGroup.LoadBalancerArns ?? []) {
      if (snapshot.loadBalancers.status === "unknown") return snapshot.loadBalancers;
      const loadBalancer = snapshot.loadBalancers.value.find((lb) => lb.LoadBalancerArn === arn);
      if (!loadBalancer) return notRead(`load balancer ${arn} was not read`);
      fronts.push({ name: loadBalancer.LoadBalancerName ?? arn, groupIds: loadBalancer.SecurityGroups ?? [] });
    }
  }
  return known(fronts);
}

function mergeKnown(a: Known<Front[]>, b: Known<Front[]>): Known<Front[]> {
  if (a.status === "unknown") return a;
  if (b.status === "unknown") return b;
  const fronts = [...a.value];
  for (const front of b.value) if (!fronts.some((f) => f.name === front.name)) fronts.push(front);
  return known(fronts);
}

function known<T>(value: T): Known<T> {
  return { status: "known", value };
}

function notRead(message: string): Unknown {
  return { status: "unknown", error: "NotRead", message };
}
