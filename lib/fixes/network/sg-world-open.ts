// sg-world-open: a plan only. Which sources should replace "the whole internet" on a port that is not a load
// balancer's front door is a person's call — the port may be public on purpose — so the notes name each rule, say
// why it may be deliberate and what to decide, and give the call that would remove it.
import { ingressKey, openingsReportedElsewhere } from "../../checks/network/paths";
import {
  type Group,
  groupLabel,
  type Ingress,
  ingressOf,
  isWorld,
  portsLabel,
} from "../../checks/network/security-groups";
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change } from "../plan";
import { permissionOf } from "./security-group-steps";

const ID = "sg-world-open";

/** Ports whose service should never face the internet, named so the notes can say what is exposed. */
const KNOWN_PORTS: Readonly<Record<number, string>> = {
  22: "SSH",
  3389: "RDP",
  3306: "MySQL",
  5432: "PostgreSQL",
  1433: "SQL Server",
  1521: "Oracle",
  6379: "Redis",
  11211: "Memcached",
  27017: "MongoDB",
  9200: "Elasticsearch",
  2375: "the Docker API",
  2376: "the Docker API",
};
const REMOTE_ADMIN = new Set([22, 3389]);

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const groups = snapshot.securityGroups.status === "known" ? snapshot.securityGroups.value : [];
  const group = groups.find((g) => groupLabel(g) === verdict.resource);
  const reads = group?.GroupId ? [{ kind: "security-group" as const, id: group.GroupId }] : [];
  const title = `${verdict.resource}: decide who needs the ports open to the whole internet`;
  if (!group) return manualChange(ID, verdict.resource, title, [`what the check found: ${verdict.detail}`], reads);
  const rules = worldOpenRules(snapshot, group, groups);
  return manualChange(
    ID,
    verdict.resource,
    title,
    [
      `what the check found: ${verdict.detail}`,
      ...rules.map((rule) => ruleNote(snapshot, group, rule)),
      "why it may be deliberate: the port may serve the public on purpose (a second public endpoint, a partner " +
        "integration, a listener of a load balancer without security groups that passes client addresses through), " +
        "or it was opened for a test and forgotten; CloudTrail's event history for AuthorizeSecurityGroupIngress on " +
        `${group.GroupId} shows who added it and when`,
      "what to decide: who must reach this port. Nobody: revoke the rule. Known clients: replace 0.0.0.0/0 (and " +
        "::/0) with their addresses, a managed prefix list, or their security group — add the new rule first, then " +
        "revoke the old one. The public, on purpose: put it behind the load balancer, or record why it stays open",
    ],
    reads,
  );
}

/** The world-open entries the check fails on: not a listener port of a load balancer using the group, not reported by task-sg-open or datastore-sg-open. */
function worldOpenRules(snapshot: Snapshot, group: Group, groups: readonly Group[]): Ingress[] {
  const reported = openingsReportedElsewhere(snapshot, groups);
  const front = listenerPorts(snapshot, group);
  return ingressOf(group).filter(
    (ingress) =>
      isWorld(ingress.source) &&
      !reported.has(ingressKey(ingress)) &&
      !(
        ingress.protocol === "tcp" &&
        ingress.fromPort !== undefined &&
        ingress.fromPort === ingress.toPort &&
        front.has(ingress.fromPort)
      ),
  );
}

function listenerPorts(snapshot: Snapshot, group: Group): Set<number> {
  if (snapshot.loadBalancers.status === "unknown" || snapshot.listeners.status === "unknown") return new Set();
  const arns = new Set(
    snapshot.loadBalancers.value
      .filter((lb) => (lb.SecurityGroups ?? []).includes(group.GroupId ?? ""))
      .map((lb) => lb.LoadBalancerArn),
  );
  return new Set(
    snapshot.listeners.value.flatMap((l) => (arns.has(l.LoadBalancerArn) && l.Port !== undefined ? [l.Port] : [])),
  );
}

/** `sgr-… : port 22 (SSH) from 0.0.0.0/0 — …`, with the call that would revoke it. */
function ruleNote(snapshot: Snapshot, group: Group, ingress: Ingress): string {
  const cidr = ingress.source.kind === "cidr" ? ingress.source.cidr : "";
  const id = ruleIdOf(snapshot, ingress, cidr);
  const port = ingress.fromPort !== undefined && ingress.fromPort === ingress.toPort ? ingress.fromPort : undefined;
  const service = port === undefined ? undefined : KNOWN_PORTS[port];
  const what = `${portsLabel(ingress)}${service ? ` (${service})` : ""} from ${cidr}`;
  const advice =
    port !== undefined && REMOTE_ADMIN.has(port)
      ? "remote administration should not face the internet: use ECS Exec or SSM Session Manager instead"
      : service
        ? `${service} should never face the internet: admit only its clients' security group`
        : ingress.protocol === "-1" || ingress.fromPort === undefined
          ? "every port of every protocol is open: this is almost never intended"
          : "find out what listens there and who uses it";
  const revoke = id
    ? `aws ec2 revoke-security-group-ingress --group-id ${group.GroupId} --security-group-rule-ids ${id}`
    : `aws ec2 revoke-security-group-ingress --group-id ${group.GroupId} --ip-permissions '${JSON.stringify(permissionOf(ingress))}'`;
  return `rule ${id ?? "(id not read)"}: ${what} — ${advice}; to remove it: ${revoke}`;
}

function ruleIdOf(snapshot: Snapshot, ingress: Ingress, cidr: string): string | undefined {
  if (snapshot.securityGroupRules.status === "unknown") return undefined;
  const ports = ingress.protocol === "-1" ? [-1, -1] : [ingress.fromPort ?? -1, ingress.toPort ?? -1];
  return snapshot.securityGroupRules.value.find(
    (rule) =>
      rule.GroupId === ingress.groupId &&
      !rule.IsEgress &&
      (rule.CidrIpv4 === cidr || rule.CidrIpv6 === cidr) &&
      (rule.IpProtocol === ingress.protocol || (rule.IpProtocol === "6" && ingress.protocol === "tcp")) &&
      (ingress.protocol === "-1" || (rule.FromPort === ports[0] && rule.ToPort === ports[1])),
  )?.SecurityGroupRuleId;
}

export const fix: Fix = { id: ID, plan, writes: [] };
