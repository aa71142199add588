// What runs and who may reach it, from the scenarios' Snapshots: the hops of the seed talk's chain and their verdicts.
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { CHECKS } from "../../lib/checks/registry";
import { audit } from "../../lib/checks/report";
import type { Plain, Snapshot } from "../../lib/inventory/snapshot";
import { loadSnapshot } from "../../lib/inventory/store";
import { type Hop, publicTasks, serviceTopology, unsafeHops } from "../../lib/observe/topology";
import { projectRoot } from "../../lib/project";
import { denied, known } from "../checks/fixtures";

const fixture = (scenario: string): Snapshot =>
  loadSnapshot(join(projectRoot, "test", "fixtures", "snapshots", `${scenario}.json`));

const hop = (hops: readonly Hop[], from: string, to: string) => hops.find((h) => h.from === from && h.to === to);

type Group = Plain<NonNullable<Extract<Snapshot["securityGroups"], { status: "known" }>["value"][number]>>;

/** The snapshot with one group's inbound permissions replaced (found by its Name tag). */
function withIngress(snapshot: Snapshot, name: string, ingress: Group["IpPermissions"]): Snapshot {
  if (snapshot.securityGroups.status !== "known") throw new Error("groups not read");
  const groups = snapshot.securityGroups.value.map((g) =>
    g.Tags?.some((t) => t.Key === "Name" && t.Value === name) ? { ...g, IpPermissions: ingress } : g,
  );
  return { ...snapshot, securityGroups: known(groups) };
}

function groupId(snapshot: Snapshot, name: string): string {
  if (snapshot.securityGroups.status !== "known") throw new Error("groups not read");
  const group = snapshot.securityGroups.value.find((g) => g.Tags?.some((t) => t.Key === "Name" && t.Value === name));
  return group?.GroupId ?? "";
}

describe("serviceTopology", () => {
  test("inherited: internet → my-web-alb → my-web-service's three tasks → the Aurora database", () => {
    const topology = serviceTopology(fixture("inherited"));
    expect(topology.internet).toBe(true);
    expect(topology.loadBalancers).toEqual([
      expect.objectContaining({
        id: "lb:my-web-alb",
        internetFacing: true,
        listeners: [
          { protocol: "HTTPS", port: 443 },
          { protocol: "HTTP", port: 80 },
        ],
        groups: [expect.objectContaining({ name: "sg-ALB" })],
      }),
    ]);
    const [service] = topology.services;
    expect(service).toMatchObject({ name: "my-web-service", taskDefinition: "my-web-app:1", running: 3, desired: 3 });
    expect(service?.groups.map((g) => g.name)).toEqual(["sg-ECSTask"]);
    expect(service?.tasks.status === "known" && service.tasks.value.map((t) => t.shortId)).toEqual([
      "0a1b2c3d",
      "1b2c3d4e",
      "2c3d4e5f",
    ]);
    expect(service?.tasks.status === "known" && service.tasks.value[0]).toMatchObject({
      privateIp: "10.0.0.4",
      publicIp: "13.15.97.132",
      subnet: "public-a",
      publicSubnet: true,
      status: "RUNNING",
    });
    expect(topology.dataStores).toEqual([
      expect.objectContaining({ kind: "amazon-rds", description: "RDSNetworkInterface", networkInterfaces: 2 }),
    ]);
    expect(topology.hops.map((h) => `${h.from} → ${h.to}`)).toEqual([
      "internet → lb:my-web-alb",
      "lb:my-web-alb → service:my-web-service",
      "service:my-web-service → store:1",
    ]);
    expect(topology.gaps).toEqual([]);
  });

  test("inherited: the ALB is the front door; the tasks and the database admit the whole VPC instead of the hop before", () => {
    const { hops } = serviceTopology(fixture("inherited"));
    expect(hop(hops, "internet", "lb:my-web-alb")).toMatchObject({
      verdict: "entry",
      ports: [443, 80],
      admits: [
        expect.objectContaining({ source: "0.0.0.0/0", world: true, ports: "port 443" }),
        expect.objectContaining({ source: "0.0.0.0/0", world: true, ports: "port 80" }),
      ],
    });
    const tasks = hop(hops, "lb:my-web-alb", "service:my-web-service");
    expect(tasks).toMatchObject({
      verdict: "open",
      ports: [80],
      guard: [expect.objectContaining({ name: "sg-ECSTask" })],
      expected: [expect.objectContaining({ name: "sg-ALB" })],
      admits: [{ source: "10.0.0.0/16", note: "the whole VPC my-vpc", ports: "port 80", range: true, world: false }],
    });
    expect(tasks?.why).toBe(
      "sg-ECSTask admits port 80 from 10.0.0.0/16 (the whole VPC my-vpc): anything there reaches the tasks around " +
        "my-web-alb; admit only sg-ALB",
    );
    expect(hop(hops, "service:my-web-service", "store:1")).toMatchObject({
      verdict: "open",
      ports: [3306],
      guard: [expect.objectContaining({ name: "sg-AuroraDB" })],
      expected: [expect.objectContaining({ name: "sg-ECSTask" })],
    });
  });

  test("clean: each hop admits only the security group of the hop before, and no task has a public IP", () => {
    const snapshot = fixture("clean");
    const topology = serviceTopology(snapshot);
    expect(hop(topology.hops, "lb:my-web-alb", "service:my-web-service")).toMatchObject({
      verdict: "chained",
      admits: [expect.objectContaining({ source: "sg-ALB", groupId: groupId(snapshot, "sg-ALB"), range: false })],
    });
    expect(hop(topology.hops, "service:my-web-service", "store:1")).toMatchObject({
      verdict: "chained",
      admits: [expect.objectContaining({ source: "sg-ECSTask", range: false })],
    });
    expect(unsafeHops(topology)).toEqual([]);
    expect(publicTasks(topology)).toEqual([]);
  });

  test.each(["inherited", "incident", "clean"])(
    "%s: the hops drawn red are exactly the groups task-sg-open and datastore-sg-open fail",
    (scenario) => {
      const snapshot = fixture(scenario);
      const failing = audit(snapshot, CHECKS)
        .findings.filter((f) => f.status === "fail" && ["task-sg-open", "datastore-sg-open"].includes(f.check.id))
        .map((f) => f.resource)
        .sort();
      const red = unsafeHops(serviceTopology(snapshot))
        .flatMap((h) => h.guard.map((g) => `${g.name} (${g.id})`))
        .sort();
      expect(red).toEqual(failing);
      const publicIp = audit(snapshot, CHECKS).findings.some(
        (f) => f.check.id === "service-public-ip" && f.status === "fail",
      );
      expect(publicTasks(serviceTopology(snapshot)).length > 0).toBe(publicIp);
    },
  );

  test("tasks with public IPs whose group admits the internet get an arrow of their own, around the load balancer", () => {
    const snapshot = fixture("inherited");
    const open = withIngress(snapshot, "sg-ECSTask", [
      { IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
    ]);
    expect(hop(serviceTopology(open).hops, "internet", "service:my-web-service")).toMatchObject({
      verdict: "open",
      ports: [80],
      admits: [expect.objectContaining({ source: "0.0.0.0/0", world: true })],
    });
    // The same group on tasks without public IPs: the internet cannot address them.
    const clean = fixture("clean");
    const privateOpen = withIngress(clean, "sg-ECSTask", [
      { IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
    ]);
    expect(hop(serviceTopology(privateOpen).hops, "internet", "service:my-web-service")).toBeUndefined();
  });

  test("tasks that do not admit the load balancer's group: closed, the load balancer cannot reach them", () => {
    const snapshot = fixture("clean");
    const closed = withIngress(snapshot, "sg-ECSTask", [
      { IpProtocol: "tcp", FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: "sg-0000000000bastion" }] },
    ]);
    const tasks = hop(serviceTopology(closed).hops, "lb:my-web-alb", "service:my-web-service");
    expect(tasks?.verdict).toBe("closed");
    expect(tasks?.why).toMatch(/does not admit sg-ALB on port 80: my-web-alb cannot reach the tasks/);
  });

  test("a data store that admits neither the tasks nor an address range is not within their reach", () => {
    const snapshot = withIngress(fixture("clean"), "sg-AuroraDB", [
      { IpProtocol: "tcp", FromPort: 3306, ToPort: 3306, UserIdGroupPairs: [{ GroupId: "sg-0000000000other" }] },
    ]);
    expect(hop(serviceTopology(snapshot).hops, "service:my-web-service", "store:1")).toBeUndefined();
  });

  test("unread security groups: every hop unknown, nothing called safe, and the gap names the missing action", () => {
    const topology = serviceTopology({ ...fixture("inherited"), securityGroups: denied("ec2:DescribeSecurityGroups") });
    expect(topology.hops.map((h) => h.verdict)).toEqual(["unknown", "unknown", "unknown"]);
    expect(topology.hops[1]?.why).toMatch(
      /^cannot be judged: AccessDeniedException \(needs ec2:DescribeSecurityGroups\)/,
    );
    expect(topology.gaps).toEqual(["security groups: AccessDeniedException (needs ec2:DescribeSecurityGroups)"]);
    expect(unsafeHops(topology)).toEqual([]);
  });

  test("unread tasks and load balancers: the service stays, its tasks unknown, no arrow invented", () => {
    const topology = serviceTopology({
      ...fixture("inherited"),
      tasks: denied("ecs:DescribeTasks"),
      loadBalancers: denied("elasticloadbalancing:DescribeLoadBalancers"),
    });
    expect(topology.services[0]?.tasks).toMatchObject({ status: "unknown", missing: "ecs:DescribeTasks" });
    expect(topology.loadBalancers).toEqual([]);
    expect(topology.internet).toBe(false);
    expect(topology.hops.map((h) => `${h.from} → ${h.to}`)).toEqual(["service:my-web-service → store:1"]);
    expect(topology.gaps).toEqual([
      "tasks: AccessDeniedException (needs ecs:DescribeTasks)",
      "load balancers: AccessDeniedException (needs elasticloadbalancing:DescribeLoadBalancers)",
    ]);
  });
});
