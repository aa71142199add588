// The picture of what runs and who may reach it, and its tables: specs and SVG from the scenarios' Snapshots.
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { Snapshot } from "../../lib/inventory/snapshot";
import { loadSnapshot } from "../../lib/inventory/store";
import { serviceTopology, type TaskNode, type Topology } from "../../lib/observe/topology";
import { projectRoot } from "../../lib/project";
import { table } from "../../lib/render/tables";
import { hopRows, taskRows, topologySpec, topologySummary, VERDICT_COLOURS } from "../../lib/render/topology";
import { toSvg } from "../../lib/render/vega";
import { denied } from "../checks/fixtures";

const fixture = (scenario: string): Snapshot =>
  loadSnapshot(join(projectRoot, "test", "fixtures", "snapshots", `${scenario}.json`));
const topologyOf = (scenario: string) => serviceTopology(fixture(scenario));

/** The SVG's drawn strokes of a colour (lines and arrow outlines), to tell red arrows from green ones. */
const strokes = (svg: string, colour: string) => (svg.match(new RegExp(`stroke="${colour}"`, "g")) ?? []).length;

describe("topologySpec", () => {
  test("inherited: the chain is drawn with its groups, ports and sources; the unsafe hops and public IPs in red", async () => {
    const svg = await toSvg(topologySpec(topologyOf("inherited")));
    expect(svg.startsWith("<svg")).toBe(true);
    for (const text of [
      "my-cluster: what runs, and who may reach it",
      "Internet",
      "my-web-alb",
      "internet-facing ALB",
      "HTTPS 443 · HTTP 80",
      "SG sg-ALB",
      "service my-web-service",
      "my-web-app:1 · 3/3 running",
      "SG sg-ECSTask",
      "task 0a1b2c3d",
      "public IP 13.15.97.132",
      "RDS / Aurora database",
      "SG sg-AuroraDB",
      "ports 443, 80",
      "port 80",
      "port 3306",
      "from 10.0.0.0/16",
      "not only sg-ALB",
      "not only sg-ECSTask",
      "the front door",
      "an address range gets in",
      "public IP: addressable from the internet",
    ]) {
      expect(svg).toContain(text);
    }
    expect(strokes(svg, VERDICT_COLOURS.open)).toBeGreaterThanOrEqual(2 + 3); // two arrows, three task boxes
    expect(strokes(svg, VERDICT_COLOURS.chained)).toBe(0);
  });

  test("clean: green arrows, no red anywhere", async () => {
    const svg = await toSvg(topologySpec(topologyOf("clean")));
    expect(svg).toContain("from sg-ALB");
    expect(svg).toContain("from sg-ECSTask");
    expect(svg).toContain("✔ only the hop before");
    expect(strokes(svg, VERDICT_COLOURS.chained)).toBeGreaterThanOrEqual(2);
    expect(svg).not.toContain(VERDICT_COLOURS.open);
    expect(svg).not.toContain("public IP");
  });

  test("unread security groups: dashed arrows and a note saying what was not read", async () => {
    const topology = serviceTopology({ ...fixture("inherited"), securityGroups: denied("ec2:DescribeSecurityGroups") });
    const svg = await toSvg(topologySpec(topology));
    expect(svg).toContain("? not read: security groups: AccessDeniedException (needs ec2:DescribeSecurityGroups)");
    expect(svg).toContain('stroke-dasharray="6,4"');
    expect(svg).not.toContain("✖");
  });

  test("a chart is a spec: the data inline, nothing to fetch, and the same data gives the same bytes", async () => {
    const spec = topologySpec(topologyOf("inherited"));
    expect(JSON.stringify(spec)).not.toMatch(/"url"/);
    expect(await toSvg(spec)).toBe(await toSvg(topologySpec(topologyOf("inherited"))));
  });

  test("many tasks: the first few are drawn, the rest counted; a long name is cut, not spilled", async () => {
    const base = topologyOf("inherited");
    const [service] = base.services;
    if (service?.tasks.status !== "known") throw new Error("fixture");
    const task = service.tasks.value[0] as TaskNode;
    const tasks = Array.from({ length: 9 }, (_, i) => ({ ...task, id: `${i}`.repeat(32), shortId: `${i}`.repeat(8) }));
    const many: Topology = {
      ...base,
      services: [
        { ...service, name: "a-service-name-far-longer-than-its-box", tasks: { status: "known", value: tasks } },
      ],
    };
    const svg = await toSvg(topologySpec(many, { maxTasks: 4 }));
    expect(svg).toContain("task 33333333");
    expect(svg).not.toContain("task 44444444");
    expect(svg).toContain("and 5 more tasks");
    expect(svg).toMatch(/>service a-service-name-[a-z-]*…</);
    expect(svg).not.toContain("a-service-name-far-longer-than-its-box");
  });
});

describe("topology tables and summary", () => {
  test("one row per arrow: the guarding group with its id, exactly what it admits, the verdict and why", () => {
    const rows = hopRows(topologyOf("inherited"));
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual({
      from: "load balancer my-web-alb",
      to: "service my-web-service",
      ports: "80",
      "guarded by": "sg-ECSTask (sg-2c6141dd136d2a9b8)",
      admits: "10.0.0.0/16 (the whole VPC my-vpc)",
      verdict: "✖ an address range gets in",
      why:
        "sg-ECSTask admits port 80 from 10.0.0.0/16 (the whole VPC my-vpc): anything there reaches the tasks around " +
        "my-web-alb; admit only sg-ALB",
    });
    expect(rows[2]).toMatchObject({
      to: "amazon-rds data store",
      ports: "3306",
      "guarded by": "sg-AuroraDB (sg-74bbefad5ae607fb8)",
    });
    expect(table(rows).markdown.split("\n")[0]).toBe("| from | to | ports | guarded by | admits | verdict | why |");
  });

  test("one row per task, a public IP flagged", () => {
    expect(taskRows(topologyOf("inherited"))[1]).toEqual({
      service: "my-web-service",
      task: "1b2c3d4e5f6a4b7c9d0e1f2a3b4c5d6e",
      status: "RUNNING",
      "private IP": "10.0.1.4",
      "public IP": "✖ 13.133.149.69",
      subnet: "public-c (public)",
      zone: "ap-northeast-1c",
    });
    expect(taskRows(topologyOf("clean"))[0]).toMatchObject({ "public IP": "none", subnet: "private-a (private)" });
  });

  test("the summary says what runs and names each unsafe link; on clean it says the chain holds", () => {
    expect(topologySummary(topologyOf("inherited"))).toEqual([
      "service my-web-service runs 3 of 3 tasks of my-web-app:1 behind my-web-alb; 1 data store within its reach.",
      "✖ sg-ECSTask admits port 80 from 10.0.0.0/16 (the whole VPC my-vpc): anything there reaches the tasks around my-web-alb; admit only sg-ALB.",
      "✖ sg-AuroraDB admits 10.0.0.0/16 (the whole VPC my-vpc): anything there can connect to the amazon-rds data store, not only the tasks; admit only sg-ECSTask.",
      "✖ 3 tasks have a public IP address (my-web-service): addressable from the internet, a security group rule away from being reached; run them in private subnets.",
    ]);
    expect(topologySummary(topologyOf("clean"))).toEqual([
      "service my-web-service runs 3 of 3 tasks of my-web-app:1 behind my-web-alb; 1 data store within its reach.",
      "✔ every hop admits only the hop before it, and no task has a public IP address.",
    ]);
  });
});
