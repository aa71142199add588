// task-sg-open: the security group of load-balanced tasks admits their container port from an address range (a CIDR
// such as the whole VPC, or 0.0.0.0/0, or a prefix list) instead of only from the load balancer's security group.
// Other security groups as sources are deliberate scoping and are not reported; services without a load balancer,
// or behind one without security groups (an NLB), have no "load balancer's group" to compare with: nothing to judge.
import type { Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { unknownVerdict } from "../judge";
import { awsDoc, seedTalk } from "../references";
import {
  type Front,
  judgedByTaskCheck,
  PATH_READS,
  type TaskGroup,
  taskGroupOpenings,
  taskGroups,
  vpcRanges,
} from "./paths";
import { coversPort, findGroup, type Group, groupLabel, ingressOf, portsLabel, sourceLabel } from "./security-groups";

export const meta: CheckMeta = {
  id: "task-sg-open",
  title: "Tasks admit their port from an address range, not only from their load balancer",
  pillar: "network",
  severity: "high",
  why:
    "The tasks' security group lets a whole address range (often the whole VPC, sometimes the internet) reach the " +
    "app directly, around the load balancer; only the load balancer's security group should be allowed in.",
  references: [
    seedTalk(1, "security groups (the task SG admits only the ALB's SG)"),
    awsDoc(
      "Security groups for your Application Load Balancer: recommended rules",
      "elasticloadbalancing/latest/application/load-balancer-update-security-groups.html",
    ),
  ],
  fix: { id: "task-sg-open", manual: false },
  reads: PATH_READS,
};

export function run(snapshot: Snapshot): Verdict[] {
  const tasks = taskGroups(snapshot);
  if (tasks.status === "unknown") return [unknownVerdict(`cluster ${snapshot.scope.cluster}`, tasks)];
  const judged = tasks.value.filter(judgedByTaskCheck);
  const groups = snapshot.securityGroups;
  if (groups.status === "unknown") return judged.map((t) => unknownVerdict(groupLabel(undefined, t.groupId), groups));
  return judged.map((taskGroup) => judge(snapshot, taskGroup, groups.value));
}

function judge(snapshot: Snapshot, taskGroup: TaskGroup, groups: readonly Group[]): Verdict {
  const group = findGroup(groups, taskGroup.groupId);
  const resource = groupLabel(group, taskGroup.groupId);
  if (taskGroup.fronts.status === "unknown") return unknownVerdict(resource, taskGroup.fronts);
  if (!group) {
    return unknownVerdict(resource, {
      status: "unknown",
      error: "NotRead",
      message: `security group ${taskGroup.groupId} was not read`,
    });
  }
  const front = frontLabel(taskGroup.fronts.value, groups);
  const openings = taskGroupOpenings(group, taskGroup);
  if (openings.length === 0) {
    const sources = ingressOf(group)
      .filter((ingress) => taskGroup.ports.some((port) => coversPort(ingress, port)))
      .map((ingress) => sourceLabel(ingress.source, groups));
    const from = sources.length > 0 ? [...new Set(sources)].join(", ") : "nothing (not even the load balancer)";
    return {
      status: "pass",
      resource,
      detail: `the tasks of ${taskGroup.services.join(", ")} admit ${portList(taskGroup.ports)} only from ${from}`,
    };
  }
  const ranges = vpcRanges(snapshot);
  const open = openings.map((o) => `${portsLabel(o)} from ${sourceLabel(o.source, groups, ranges)}`);
  return {
    status: "fail",
    resource,
    detail:
      `admits ${open.join("; ")}: anything there reaches the tasks of ${taskGroup.services.join(", ")} directly, ` +
      `around the load balancer; admit ${portList(taskGroup.ports)} only from ${front}`,
  };
}

/** `my-web-alb's sg-ALB (sg-…)`. */
function frontLabel(fronts: readonly Front[], groups: readonly Group[]): string {
  return fronts
    .filter((front) => front.groupIds.length > 0)
    .map((front) => `${front.name}'s ${front.groupIds.map((id) => groupLabel(findGroup(groups, id), id)).join(", ")}`)
    .join("; ");
}

function portList(ports: readonly number[]): string {
  return ports.length === 1 ? `port ${ports[0]}` : `ports ${ports.join(", ")}`;
}

export const check: Check = { meta, run };
