import { describe, expect, test } from "vitest";
import { check } from "../../../lib/checks/network/sg-world-open";
import { CHECKS } from "../../../lib/checks/registry";
import { audit } from "../../../lib/checks/report";
import { fix } from "../../../lib/fixes/network/sg-world-open";
import { plan as planAll } from "../../../lib/fixes/planner";
import type { Snapshot } from "../../../lib/inventory/snapshot";
import { expectNoSecret, failure, failures, fixture, groupId, withIngress } from "./snapshots";

const inherited = fixture("inherited");
const TASK = groupId(inherited, "sg-ECSTask");
const ALB = groupId(inherited, "sg-ALB");

/** sg-ECSTask also admits SSH from anywhere (rule sgr-0000000000000ssh), as someone debugging left it. */
function withSsh(): Snapshot {
  const snapshot = withIngress(inherited, TASK, [
    { IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "10.0.0.0/16" }] },
    { IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
  ]);
  const rules = snapshot.securityGroupRules.status === "known" ? snapshot.securityGroupRules.value : [];
  const ssh = {
    SecurityGroupRuleId: "sgr-0000000000000ssh",
    GroupId: TASK,
    IsEgress: false,
    IpProtocol: "tcp",
    FromPort: 22,
    ToPort: 22,
    CidrIpv4: "0.0.0.0/0",
  };
  return { ...snapshot, securityGroupRules: { status: "known", value: [...rules, ssh] } };
}

describe("sg-world-open fix", () => {
  test("inherited: the ALB's 443 and 80 are the front door, so nothing fails and nothing is planned", () => {
    expect(failures(check, inherited)).toEqual([]);
    expect(failures(check, fixture("clean"))).toEqual([]);
  });

  test("a plan only: names the rule, says why it may be deliberate and what to decide, changes nothing", () => {
    const snapshot = withSsh();
    const change = fix.plan(snapshot, failure(check, snapshot));
    expect(change).toMatchObject({ check: "sg-world-open", resource: `sg-ECSTask (${TASK})`, manual: true, steps: [] });
    expect(change.notes[1]).toBe(
      "rule sgr-0000000000000ssh: port 22 (SSH) from 0.0.0.0/0 — remote administration should not face the internet: " +
        "use ECS Exec or SSM Session Manager instead; to remove it: aws ec2 revoke-security-group-ingress --group-id " +
        `${TASK} --security-group-rule-ids sgr-0000000000000ssh`,
    );
    expect(change.notes.join(" ")).toContain("why it may be deliberate");
    expect(change.notes.join(" ")).toContain("what to decide");
    expect(change.reads).toEqual([{ kind: "security-group", id: TASK }]);
    expect(fix.writes).toEqual([]);
    expectNoSecret(change);
  });

  test("the front-door ports of the ALB's own group are not in the notes", () => {
    const snapshot = withIngress(withSsh(), ALB, [
      { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
      { IpProtocol: "tcp", FromPort: 6379, ToPort: 6379, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
    ]);
    const verdict = failures(check, snapshot).find((v) => v.resource.startsWith("sg-ALB"));
    if (!verdict) throw new Error("sg-ALB should fail on 6379");
    const notes = fix.plan(snapshot, verdict).notes.join("\n");
    expect(notes).toContain("port 6379 (Redis) from 0.0.0.0/0");
    expect(notes).toContain(
      `--ip-permissions '{"IpProtocol":"tcp","FromPort":6379,"ToPort":6379,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}'`,
    );
    expect(notes).not.toContain("port 443 from");
  });

  test("the planner keeps it out of the preconditions (a manual plan is never applied)", () => {
    const snapshot = withSsh();
    const planned = planAll(snapshot, audit(snapshot, CHECKS).findings, { checks: ["sg-world-open"] });
    expect(planned.changes.map((c) => [c.check, c.manual])).toEqual([["sg-world-open", true]]);
    expect(planned.preconditions).toEqual([]);
  });
});
