import { describe, expect, test } from "vitest";
import { check } from "../../../lib/checks/network/task-sg-open";
import { CHECKS } from "../../../lib/checks/registry";
import { audit } from "../../../lib/checks/report";
import { fix } from "../../../lib/fixes/network/task-sg-open";
import { plan as planAll } from "../../../lib/fixes/planner";
import type { Snapshot } from "../../../lib/inventory/snapshot";
import { expectNoSecret, failure, failures, fixture, groupId, withIngress } from "./snapshots";

const inherited = fixture("inherited");
const TASK = groupId(inherited, "sg-ECSTask");
const ALB = groupId(inherited, "sg-ALB");

const tcp = (from: number, to: number, source: object) => ({
  IpProtocol: "tcp",
  FromPort: from,
  ToPort: to,
  ...source,
});
const vpc = { IpRanges: [{ CidrIp: "10.0.0.0/16" }] };
const alb = { UserIdGroupPairs: [{ GroupId: ALB }] };

describe("task-sg-open fix", () => {
  test("inherited: admits port 80 from sg-ALB first, then revokes 80 from the whole VPC", () => {
    const change = fix.plan(inherited, failure(check, inherited));
    expect(change).toMatchObject({ check: "task-sg-open", resource: `sg-ECSTask (${TASK})`, manual: false });
    expect(change.steps.map((s) => s.call.action)).toEqual([
      "AuthorizeSecurityGroupIngress",
      "RevokeSecurityGroupIngress",
    ]);
    const [authorize, revoke] = change.steps;
    expect(authorize?.call.input).toEqual({
      GroupId: TASK,
      IpPermissions: [
        {
          IpProtocol: "tcp",
          FromPort: 80,
          ToPort: 80,
          UserIdGroupPairs: [
            { GroupId: ALB, Description: "from my-web-alb to the tasks of my-web-service (ecs-takeover)" },
          ],
        },
      ],
      TagSpecifications: [
        { ResourceType: "security-group-rule", Tags: [{ Key: "ecs-takeover:change", Value: "task-sg-open" }] },
      ],
    });
    expect(revoke?.call.input).toEqual({
      GroupId: TASK,
      IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "10.0.0.0/16" }] }],
    });
    for (const s of change.steps) expect(s.changes).toEqual({ kind: "security-group", id: TASK });
    expect(change.reads).toEqual([
      { kind: "security-group", id: TASK },
      { kind: "service", name: "my-web-service" },
    ]);
    expect(change.risk).toContain("10.0.0.0/16 (the whole VPC my-vpc)");
    expect(change.notes).toEqual([]);
    expectNoSecret(change);
  });

  test("the planner fingerprints the task group and the service as preconditions", () => {
    const planned = planAll(inherited, audit(inherited, CHECKS).findings, { checks: ["task-sg-open"] });
    expect(planned.preconditions.map((p) => p.resource)).toEqual([
      { kind: "security-group", id: TASK },
      { kind: "service", name: "my-web-service" },
    ]);
    expectNoSecret(planned);
  });

  test("clean: the check passes, so there is nothing to plan", () => {
    expect(failures(check, fixture("clean"))).toEqual([]);
  });

  test("a group that already admits the load balancer only loses the range", () => {
    const snapshot = withIngress(inherited, TASK, [tcp(80, 80, { ...vpc, ...alb })]);
    const change = fix.plan(snapshot, failure(check, snapshot));
    expect(change.steps.map((s) => s.call.action)).toEqual(["RevokeSecurityGroupIngress"]);
  });

  test("a rule wider than the port is revoked whole, and the notes say what else goes with it", () => {
    const snapshot = withIngress(inherited, TASK, [
      tcp(0, 65535, vpc),
      { IpProtocol: "-1", Ipv6Ranges: [{ CidrIpv6: "::/0" }] },
    ]);
    const change = fix.plan(snapshot, failure(check, snapshot));
    expect(change.steps.map((s) => s.id)).toEqual([
      `ec2:AuthorizeSecurityGroupIngress:${TASK}/tcp:80:${ALB}`,
      `ec2:RevokeSecurityGroupIngress:${TASK}/tcp:0-65535:10.0.0.0/16`,
      `ec2:RevokeSecurityGroupIngress:${TASK}/all:::/0`,
    ]);
    expect(change.steps[2]?.call.input).toEqual({
      GroupId: TASK,
      IpPermissions: [{ IpProtocol: "-1", Ipv6Ranges: [{ CidrIpv6: "::/0" }] }],
    });
    expect(change.notes).toHaveLength(2);
    expect(change.notes[0]).toContain("all ports from 10.0.0.0/16 (the whole VPC my-vpc) admits more than port 80");
  });

  test("a health-check port the revoked range covered is admitted from the load balancer too", () => {
    const snapshot = withTargetGroup(withIngress(inherited, TASK, [tcp(0, 65535, vpc)]), { HealthCheckPort: "8081" });
    const change = fix.plan(snapshot, failure(check, snapshot));
    expect(change.steps.map((s) => s.id)).toEqual([
      `ec2:AuthorizeSecurityGroupIngress:${TASK}/tcp:80:${ALB}`,
      `ec2:AuthorizeSecurityGroupIngress:${TASK}/tcp:8081:${ALB}`,
      `ec2:RevokeSecurityGroupIngress:${TASK}/tcp:0-65535:10.0.0.0/16`,
    ]);
  });

  test("a load balancer without a security group in front: no steps, the notes say why", () => {
    const snapshot = withSecondFront(inherited);
    const change = fix.plan(snapshot, failure(check, snapshot));
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change.notes.join(" ")).toContain("my-web-nlb has no security group");
  });
});

function withTargetGroup(snapshot: Snapshot, override: Record<string, unknown>): Snapshot {
  if (snapshot.targetGroups.status === "unknown") return snapshot;
  return {
    ...snapshot,
    targetGroups: { status: "known", value: snapshot.targetGroups.value.map((t) => ({ ...t, ...override })) },
  };
}

/** The service also behind a Network Load Balancer without security groups. */
function withSecondFront(snapshot: Snapshot): Snapshot {
  if (snapshot.services.status === "unknown" || snapshot.targetGroups.status === "unknown") return snapshot;
  if (snapshot.loadBalancers.status === "unknown") return snapshot;
  const nlb = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/net/my-web-nlb/0123456789abcdef";
  const tg = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/my-web-nlb-tg/0123456789abcdef";
  const services = snapshot.services.value.map((entry) => ({
    ...entry,
    service: {
      ...entry.service,
      loadBalancers: [
        ...(entry.service.loadBalancers ?? []),
        { targetGroupArn: tg, containerName: "my-web-app", containerPort: 80 },
      ],
    },
  }));
  return {
    ...snapshot,
    services: { status: "known", value: services },
    targetGroups: {
      status: "known",
      value: [...snapshot.targetGroups.value, { TargetGroupArn: tg, LoadBalancerArns: [nlb] }],
    },
    loadBalancers: {
      status: "known",
      value: [
        ...snapshot.loadBalancers.value,
        { LoadBalancerArn: nlb, LoadBalancerName: "my-web-nlb", Type: "network" },
      ],
    },
  };
}
