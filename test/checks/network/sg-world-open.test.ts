import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/network/sg-world-open";
import { run as taskSgOpen } from "../../../lib/checks/network/task-sg-open";
import { denied, known } from "../fixtures";
import { ALB_SG, securityGroup, securityGroups, TASK_SG, tcpFrom, webService } from "./web-service";

type Permission = Parameters<typeof securityGroup>[3][number];

function replacing(groupId: string, name: string, tag: string, ingress: Permission[]) {
  return known(
    securityGroups("clean").map((g) => (g.GroupId === groupId ? securityGroup(groupId, name, tag, ingress) : g)),
  );
}

describe("sg-world-open", () => {
  test("fails on a port open to the world that is not a listener of the load balancer using the group", () => {
    const snapshot = webService("clean", {
      securityGroups: replacing(TASK_SG, "my-web-task", "sg-ECSTask", [
        tcpFrom(80, { groupId: ALB_SG }),
        tcpFrom(22, { cidr: "0.0.0.0/0" }),
      ]),
    });
    const verdict = run(snapshot).find((v) => v.resource === "sg-ECSTask (sg-0b22c33d44e55f66a)");
    expect(verdict).toMatchObject({ status: "fail" });
    expect(verdict?.status === "fail" && verdict.detail).toContain("port 22 from 0.0.0.0/0 (anywhere on the internet)");
  });

  test("fails on the ALB's group for a port its listeners do not use, and for ::/0", () => {
    const snapshot = webService("clean", {
      securityGroups: replacing(ALB_SG, "my-web-alb", "sg-ALB", [
        tcpFrom(443, { cidr: "0.0.0.0/0" }),
        tcpFrom(8080, { cidr: "::/0" }),
      ]),
    });
    const verdict = run(snapshot).find((v) => v.resource === "sg-ALB (sg-0a11b22c33d44e55f)");
    expect(verdict).toMatchObject({ status: "fail" });
    expect(verdict?.status === "fail" && verdict.detail).toContain("port 8080 from ::/0");
    expect(verdict?.status === "fail" && verdict.detail).not.toContain("port 443 from");
  });

  test("passes the ALB's listener ports 443 and 80 open to the world: the front door", () => {
    const verdicts = run(webService("inherited"));
    expect(verdicts.map((v) => v.status)).toEqual(["pass", "pass", "pass"]);
    expect(verdicts[0]).toEqual({
      status: "pass",
      resource: "sg-ALB (sg-0a11b22c33d44e55f)",
      detail: "open to the internet only on my-web-alb's listener ports 443, 80 (the front door)",
    });
  });

  test("does not report again a task group's world-open container port that task-sg-open fails on", () => {
    const snapshot = webService("clean", {
      securityGroups: replacing(TASK_SG, "my-web-task", "sg-ECSTask", [tcpFrom(80, { cidr: "0.0.0.0/0" })]),
    });
    expect(taskSgOpen(snapshot)[0]?.status).toBe("fail");
    expect(run(snapshot).map((v) => v.resource)).not.toContain("sg-ECSTask (sg-0b22c33d44e55f66a)");
  });

  test("unknown when the groups could not be read, or the listeners of the ALB using a world-open group", () => {
    expect(run(webService("inherited", { securityGroups: denied("ec2:DescribeSecurityGroups") }))).toEqual([
      expect.objectContaining({ status: "unknown", missing: "ec2:DescribeSecurityGroups" }),
    ]);
    const verdicts = run(webService("inherited", { listeners: denied("elasticloadbalancing:DescribeListeners") }));
    expect(verdicts.find((v) => v.resource.startsWith("sg-ALB"))).toMatchObject({
      status: "unknown",
      missing: "elasticloadbalancing:DescribeListeners",
    });
    expect(verdicts.filter((v) => v.status === "pass")).toHaveLength(2);
  });

  test("nothing to judge without security groups", () => {
    expect(run(webService("inherited", { securityGroups: known([]) }))).toEqual([]);
  });
});
