// sg-world-open: a security group of the scope (the services', load balancers' and data stores' groups) admits the
// whole internet (0.0.0.0/0 or ::/0) on some port. Not reported: the listener ports of the load balancers that use
// the group (443 and 80 on the ALB's group are the front door), and — so one rule is never reported twice — the
// rules task-sg-open or datastore-sg-open already fail on (a task group open to the world on its container port, a
// data store's group open to the world). A group whose only world-open rules are those gets no verdict here.
import type { Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { firstUnknown, unknownVerdict } from "../judge";
import { awsDoc, securityHub, seedTalk } from "../references";
import { dataStoreGroups, ingressKey, openingsReportedElsewhere } from "./paths";
import {
  type Group,
  groupLabel,
  type Ingress,
  ingressOf,
  isWorld,
  portsLabel,
  SECURITY_GROUP_READS,
  sourceLabel,
} from "./security-groups";

export const meta: CheckMeta = {
  id: "sg-world-open",
  title: "A security group admits the whole internet on a port that is not the load balancer's front door",
  pillar: "network",
  severity: "high",
  why:
    "A rule from 0.0.0.0/0 or ::/0 lets anyone on the internet try that port — a database, SSH or an admin page; " +
    "only the load balancer's listener ports should face the world.",
  references: [
    securityHub("EC2", 18),
    securityHub("EC2", 19),
    seedTalk(1, "security groups (only the ALB is the front door)"),
    awsDoc("Security group rules", "vpc/latest/userguide/security-group-rules.html"),
  ],
  // Which sources should replace the world is a person's call: the plan proposes, it does not apply.
  fix: { id: "sg-world-open", manual: true },
  reads: [
    ...SECURITY_GROUP_READS,
    "ec2:DescribeNetworkInterfaces",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeTargetGroups",
    "ecs:ListServices",
    "ecs:DescribeServices",
  ],
};

export function run(snapshot: Snapshot): Verdict[] {
  const scope = `security groups of cluster ${snapshot.scope.cluster}`;
  const groups = snapshot.securityGroups;
  if (groups.status === "unknown") return [unknownVerdict(scope, groups)];
  // The groups are found through the services, their load balancers and the data stores they reach: a part that
  // could not be read leaves its groups out, which must read as unknown, not as nothing open to the world.
  const unread = firstUnknown(snapshot.services, snapshot.loadBalancers, dataStoreGroups(snapshot));
  const reported = openingsReportedElsewhere(snapshot, groups.value);
  return [
    ...(unread ? [unknownVerdict(scope, unread)] : []),
    ...groups.value.flatMap((group) => judge(snapshot, group, reported)),
  ];
}

function judge(snapshot: Snapshot, group: Group, reported: ReadonlySet<string>): Verdict[] {
  const resource = groupLabel(group);
  const world = ingressOf(group).filter((ingress) => isWorld(ingress.source));
  if (world.length === 0) return [{ status: "pass", resource, detail: "admits nothing from the whole internet" }];
  const front = frontDoor(snapshot, group);
  if (front.status === "unknown") return [unknownVerdict(resource, front)];
  const isFrontDoor = (ingress: Ingress) =>
    ingress.protocol === "tcp" &&
    ingress.fromPort !== undefined &&
    ingress.fromPort === ingress.toPort &&
    front.ports.has(ingress.fromPort);
  const elsewhere = world.filter((ingress) => reported.has(ingressKey(ingress)));
  const remaining = world.filter((ingress) => !isFrontDoor(ingress) && !reported.has(ingressKey(ingress)));
  if (remaining.length > 0) {
    const open = remaining.map((ingress) => `${portsLabel(ingress)} from ${sourceLabel(ingress.source, [])}`);
    return [
      {
        status: "fail",
        resource,
        detail:
          `admits ${open.join("; ")}` +
          (front.ports.size > 0 ? ` (beyond ${front.names}'s listener ports ${[...front.ports].join(", ")})` : "") +
          ": anyone can try that port; admit only the sources that need it",
      },
    ];
  }
  if (elsewhere.length > 0) return [];
  return [
    {
      status: "pass",
      resource,
      detail: `open to the internet only on ${front.names}'s listener ports ${[...front.ports].join(", ")} (the front door)`,
    },
  ];
}

type FrontDoor =
  | { readonly status: "known"; readonly ports: ReadonlySet<number>; readonly names: string }
  | Extract<Snapshot["listeners"], { status: "unknown" }>;

/** The listener ports of the load balancers that use the group: world-open there is the front door. */
function frontDoor(snapshot: Snapshot, group: Group): FrontDoor {
  if (snapshot.loadBalancers.status === "unknown") return snapshot.loadBalancers;
  const balancers = snapshot.loadBalancers.value.filter((lb) =>
    (lb.SecurityGroups ?? []).includes(group.GroupId ?? ""),
  );
  if (balancers.length === 0) return { status: "known", ports: new Set(), names: "" };
  if (snapshot.listeners.status === "unknown") return snapshot.listeners;
  const arns = new Set(balancers.map((lb) => lb.LoadBalancerArn));
  const ports = new Set(
    snapshot.listeners.value.flatMap((l) => (arns.has(l.LoadBalancerArn) && l.Port !== undefined ? [l.Port] : [])),
  );
  return { status: "known", ports, names: balancers.map((lb) => lb.LoadBalancerName ?? lb.LoadBalancerArn).join(", ") };
}

export const check: Check = { meta, run };
