import { describe, expect, test } from "vitest";
import { check } from "../../../lib/checks/network/datastore-sg-open";
import { fix } from "../../../lib/fixes/network/datastore-sg-open";
import { expectNoSecret, failure, failures, fixture, groupId, withIngress } from "./snapshots";

const inherited = fixture("inherited");
const DB = groupId(inherited, "sg-AuroraDB");
const TASK = groupId(inherited, "sg-ECSTask");

describe("datastore-sg-open fix", () => {
  test("inherited: admits 3306 from sg-ECSTask first, then revokes 3306 from the whole VPC", () => {
    const change = fix.plan(inherited, failure(check, inherited));
    expect(change).toMatchObject({ check: "datastore-sg-open", resource: `sg-AuroraDB (${DB})`, manual: false });
    expect(change.steps.map((s) => s.id)).toEqual([
      `ec2:AuthorizeSecurityGroupIngress:${DB}/tcp:3306:${TASK}`,
      `ec2:RevokeSecurityGroupIngress:${DB}/tcp:3306:10.0.0.0/16`,
    ]);
    expect(change.steps[0]?.call.input).toMatchObject({
      GroupId: DB,
      IpPermissions: [{ IpProtocol: "tcp", FromPort: 3306, ToPort: 3306, UserIdGroupPairs: [{ GroupId: TASK }] }],
      TagSpecifications: [{ Tags: [{ Key: "ecs-takeover:change", Value: "datastore-sg-open" }] }],
    });
    expect(change.steps[1]?.call.input).toEqual({
      GroupId: DB,
      IpPermissions: [{ IpProtocol: "tcp", FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: "10.0.0.0/16" }] }],
    });
    expect(change.title).toBe(`sg-AuroraDB (${DB}): admit port 3306 only from sg-ECSTask (${TASK})`);
    expect(change.reads).toEqual([
      { kind: "security-group", id: DB },
      { kind: "service", name: "my-web-service" },
    ]);
    expect(change.risk).toContain("a bastion host");
    expectNoSecret(change);
  });

  test("clean: the check passes, so there is nothing to plan", () => {
    expect(failures(check, fixture("clean"))).toEqual([]);
  });

  test("an all-traffic range: the tasks get what the range gave them, and the notes ask to narrow it", () => {
    const snapshot = withIngress(inherited, DB, [
      { IpProtocol: "-1", IpRanges: [{ CidrIp: "10.0.0.0/16" }] },
      { IpProtocol: "-1", PrefixListIds: [{ PrefixListId: "pl-0123abcd" }] },
    ]);
    const change = fix.plan(snapshot, failure(check, snapshot));
    expect(change.steps.map((s) => s.id)).toEqual([
      `ec2:AuthorizeSecurityGroupIngress:${DB}/all:${TASK}`,
      `ec2:RevokeSecurityGroupIngress:${DB}/all:10.0.0.0/16`,
      `ec2:RevokeSecurityGroupIngress:${DB}/all:pl-0123abcd`,
    ]);
    expect(change.steps[0]?.call.input).toMatchObject({
      IpPermissions: [{ IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: TASK }] }],
    });
    expect(change.steps[2]?.call.input).toEqual({
      GroupId: DB,
      IpPermissions: [{ IpProtocol: "-1", PrefixListIds: [{ PrefixListId: "pl-0123abcd" }] }],
    });
    expect(change.notes.join(" ")).toContain("narrow it to the data store's port");
  });

  test("no service with a security group: no steps, the notes say what is missing", () => {
    const snapshot = { ...inherited, services: { status: "known" as const, value: [] } };
    const change = fix.plan(snapshot, failure(check, snapshot));
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change.notes.join(" ")).toContain("there is no task group to admit");
  });
});
