// task-sg-open: the tasks' security group admits their container port only from the load balancer's security group.
// The rule from the load balancer's group is added first, then every address-range rule (CIDR or prefix list) that
// covers the port is revoked — so the load balancer never loses the tasks in between.
import { type TaskGroup, taskGroupOpenings, taskGroups, vpcRanges } from "../../checks/network/paths";
import {
  coversPort,
  findGroup,
  type Group,
  groupLabel,
  type Ingress,
  portsLabel,
  sourceLabel,
  type VpcRange,
} from "../../checks/network/security-groups";
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change, ResourceRef, Step } from "../plan";
import {
  admits,
  authorizeStep,
  narrowingRollback,
  type Opening,
  revokedLabels,
  revokeStep,
  ruleDescription,
  SECURITY_GROUP_WRITES,
  servicesWithGroup,
} from "./security-group-steps";

const ID = "task-sg-open";

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const missing = (what: string) =>
    manualChange(ID, verdict.resource, `${verdict.resource}: cannot plan the narrowing`, [what]);
  const tasks = taskGroups(snapshot);
  const groups = snapshot.securityGroups;
  if (tasks.status === "unknown" || groups.status === "unknown") {
    return missing("the services or the security groups could not be read: audit again with the missing permissions");
  }
  const taskGroup = tasks.value.find(
    (t) => groupLabel(findGroup(groups.value, t.groupId), t.groupId) === verdict.resource,
  );
  const group = taskGroup && findGroup(groups.value, taskGroup.groupId);
  if (!taskGroup || !group) return missing(`${verdict.resource} is not a load-balanced task group in this snapshot`);
  if (taskGroup.fronts.status === "unknown") {
    return missing(
      `the load balancers in front of ${verdict.resource} could not be read (${taskGroup.fronts.message})`,
    );
  }
  const fronts = taskGroup.fronts.value;
  const withoutGroups = fronts.filter((front) => front.groupIds.length === 0);
  if (withoutGroups.length > 0) {
    return missing(
      `${withoutGroups.map((f) => f.name).join(", ")} has no security group: its traffic reaches the tasks from ` +
        "addresses, so revoking the address ranges would cut it off. Give it a security group (a Network Load " +
        "Balancer gets one only when it is created) or admit its subnets' ranges explicitly, then plan again.",
    );
  }
  return narrowing(snapshot, verdict, taskGroup, group, groups.value);
}

function narrowing(
  snapshot: Snapshot,
  verdict: FailVerdict,
  taskGroup: TaskGroup,
  group: Group,
  groups: readonly Group[],
): Change {
  const fronts = taskGroup.fronts.status === "known" ? taskGroup.fronts.value : [];
  const frontGroups = [...new Set(fronts.flatMap((front) => front.groupIds))];
  const frontNames = fronts.map((front) => front.name).join(", ");
  const openings = taskGroupOpenings(group, taskGroup);
  const ports = [...taskGroup.ports, ...healthCheckPorts(snapshot, taskGroup, openings)];
  const ranges = vpcRanges(snapshot);
  const label = verdict.resource;
  const services = servicesWithGroup(snapshot, taskGroup.groupId);

  const description = ruleDescription(`from ${frontNames} to the tasks of ${services.join(", ")} (ecs-takeover)`);
  const authorize: Step[] = ports.flatMap((port) => {
    const opening: Opening = { protocol: "tcp", fromPort: port, toPort: port };
    return frontGroups
      .filter((source) => !admits(group, opening, source))
      .map((source) => authorizeStep(ID, group, opening, source, description, groups, label));
  });
  const revoke = openings.map((ingress) => revokeStep(ingress, groups, ranges, label));

  const fromFront = frontGroups.map((id) => groupLabel(findGroup(groups, id), id)).join(", ");
  const { rules: removed, sources } = revokedLabels(openings, groups, ranges);
  return {
    check: ID,
    resource: verdict.resource,
    title: `${label}: admit ${portList(taskGroup.ports)} only from ${fromFront}`,
    manual: false,
    steps: [...authorize, ...revoke],
    outcome: `${label} admits ${portList(ports)} from ${fromFront}; revoked: ${removed.join("; ")}`,
    risk:
      `anything that reaches the tasks of ${services.join(", ")} directly from ${sources} — not through ` +
      `${frontNames} — loses access (another service calling them by IP, a monitoring probe, a bastion); the load ` +
      "balancer's traffic and health checks keep working, its group is admitted before anything is revoked",
    rollback: narrowingRollback(ID, removed, authorize.length, fromFront),
    notes: widerThanPorts(openings, ports, groups, ranges),
    reads: [
      { kind: "security-group", id: taskGroup.groupId },
      ...services.map((name): ResourceRef => ({ kind: "service", name })),
    ],
  };
}

/**
 * Health-check ports of the services' target groups that differ from the container port and that a revoked range
 * covered: the load balancer needs them too, or the targets turn unhealthy once the range is gone.
 */
function healthCheckPorts(snapshot: Snapshot, taskGroup: TaskGroup, openings: readonly Ingress[]): number[] {
  if (snapshot.services.status === "unknown" || snapshot.targetGroups.status === "unknown") return [];
  const targetGroups = snapshot.targetGroups.value;
  const arns = snapshot.services.value
    .filter(({ service }) =>
      (service.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? []).includes(taskGroup.groupId),
    )
    .flatMap(({ service }) =>
      (service.loadBalancers ?? []).flatMap((b) => (b.targetGroupArn ? [b.targetGroupArn] : [])),
    );
  const ports = targetGroups
    .filter((t) => arns.includes(t.TargetGroupArn ?? ""))
    .map((t) => Number(t.HealthCheckPort))
    .filter((port) => Number.isInteger(port) && port > 0 && !taskGroup.ports.includes(port))
    .filter((port) => openings.some((o) => coversPort(o, port)));
  return [...new Set(ports)].sort((a, b) => a - b);
}

/** Notes on revoked rules that admitted more than the ports the load balancer needs: the rest goes with them. */
function widerThanPorts(
  openings: readonly Ingress[],
  ports: readonly number[],
  groups: readonly Group[],
  ranges: readonly VpcRange[],
): string[] {
  return openings
    .filter(
      (o) => o.protocol !== "tcp" || o.fromPort === undefined || o.fromPort !== o.toPort || !ports.includes(o.fromPort),
    )
    .map(
      (o) =>
        `the rule ${portsLabel(o)} from ${sourceLabel(o.source, groups, ranges)} admits more than ${portList(ports)}: ` +
        "revoking it closes all of it to that range; if something needs one of its other ports, add a narrower rule " +
        "for just that port first, then plan again",
    );
}

function portList(ports: readonly number[]): string {
  return ports.length === 1 ? `port ${ports[0]}` : `ports ${ports.join(", ")}`;
}

export const fix: Fix = { id: ID, plan, writes: SECURITY_GROUP_WRITES };
