import { describe, expect, test } from "vitest";
import { check } from "../../../lib/checks/network/service-public-ip";
import { CHECKS } from "../../../lib/checks/registry";
import { audit } from "../../../lib/checks/report";
import { fix } from "../../../lib/fixes/network/service-public-ip";
import { plan as planAll } from "../../../lib/fixes/planner";
import type { Snapshot, SnapshotNetwork } from "../../../lib/inventory/snapshot";
import { expectNoSecret, failure, failures, fixture, groupId } from "./snapshots";

const inherited = fixture("inherited");
const network = inherited.network.status === "known" ? inherited.network.value : ({} as SnapshotNetwork);
const subnetId = (name: string) => network.subnets.find((s) => s.Tags?.some((t) => t.Value === name))?.SubnetId ?? "";
const TASK = groupId(inherited, "sg-ECSTask");
const TD = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/my-web-app:1";

function withNetwork(change: (n: SnapshotNetwork) => SnapshotNetwork): Snapshot {
  return { ...inherited, network: { status: "known", value: change(network) } };
}

describe("service-public-ip fix", () => {
  test("inherited: the next deployment moves the tasks to private-a and private-c without public IPs", () => {
    const change = fix.plan(inherited, failure(check, inherited));
    expect(change).toMatchObject({
      check: "service-public-ip",
      resource: "service my-web-service",
      manual: false,
      steps: [],
    });
    expect(change.deploy).toEqual({
      cluster: "my-cluster",
      service: "my-web-service",
      base: TD,
      edits: [],
      serviceUpdate: {
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: [subnetId("private-a"), subnetId("private-c")],
            securityGroups: [TASK],
            assignPublicIp: "DISABLED",
          },
        },
      },
    });
    expect(change.reads).toEqual([{ kind: "service", name: "my-web-service" }, { kind: "network" }]);
    expect(change.risk).toContain("NAT gateway");
    expectNoSecret(change);
  });

  test("the planner makes it one UpdateService of the shared deployment, fingerprinting the subnets and routes", () => {
    const planned = planAll(inherited, audit(inherited, CHECKS).findings, { checks: ["service-public-ip"] });
    const deploy = planned.changes.find((c) => c.check === "deploy");
    expect(deploy?.steps.map((s) => s.call.action)).toEqual(["UpdateService"]);
    expect(deploy?.steps[0]?.call.input).toMatchObject({
      cluster: "my-cluster",
      service: "my-web-service",
      taskDefinition: TD,
      networkConfiguration: { awsvpcConfiguration: { assignPublicIp: "DISABLED" } },
    });
    expect(planned.preconditions.map((p) => p.resource)).toContainEqual({ kind: "network" });
    expectNoSecret(planned);
  });

  test("clean: the check passes, so there is nothing to plan", () => {
    expect(failures(check, fixture("clean"))).toEqual([]);
  });

  test("no private subnet routes to a NAT gateway: no steps, the notes say which zones lack one", () => {
    const snapshot = withNetwork((n) => ({
      ...n,
      routeTables: n.routeTables.map((t) => ({ ...t, Routes: (t.Routes ?? []).filter((r) => !r.NatGatewayId) })),
    }));
    const change = fix.plan(snapshot, failure(check, snapshot));
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change.deploy).toBeUndefined();
    expect(change.notes.join(" ")).toContain(
      "no private subnet with a route from 0.0.0.0/0 to a NAT gateway in ap-northeast-1a, ap-northeast-1c",
    );
  });

  test("a NAT-routed private subnet in only one of the service's two zones is not enough", () => {
    const snapshot = withNetwork((n) => ({
      ...n,
      subnets: n.subnets.filter((s) => s.SubnetId !== subnetId("private-c")),
    }));
    const change = fix.plan(snapshot, failure(check, snapshot));
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change.notes.join(" ")).toContain(
      "NAT gateway in ap-northeast-1c (the service runs in ap-northeast-1a, ap-northeast-1c)",
    );
  });

  test("a blackholed NAT route does not count as egress", () => {
    const snapshot = withNetwork((n) => ({
      ...n,
      routeTables: n.routeTables.map((t) => ({
        ...t,
        Routes: (t.Routes ?? []).map((r) => (r.NatGatewayId ? { ...r, State: "blackhole" as const } : r)),
      })),
    }));
    expect(fix.plan(snapshot, failure(check, snapshot)).manual).toBe(true);
  });
});
