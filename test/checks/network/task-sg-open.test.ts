import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/network/task-sg-open";
import { denied, known } from "../fixtures";
import { securityGroup, securityGroups, service, TASK_SG, tcpFrom, webService } from "./web-service";

const TASK = "sg-ECSTask (sg-0b22c33d44e55f66a)";

/** The web service with the task group's inbound permissions replaced. */
function withTaskIngress(...ingress: Parameters<typeof securityGroup>[3]) {
  const groups = securityGroups("clean").map((g) =>
    g.GroupId === TASK_SG ? securityGroup(TASK_SG, "my-web-task", "sg-ECSTask", ingress) : g,
  );
  return webService("clean", { securityGroups: known(groups) });
}

describe("task-sg-open", () => {
  test("fails when the tasks admit their port from the whole VPC, naming the range and the ALB's group", () => {
    const [verdict] = run(webService("inherited"));
    expect(verdict).toMatchObject({ status: "fail", resource: TASK });
    expect(verdict?.status === "fail" && verdict.detail).toContain("port 80 from 10.0.0.0/16 (the whole VPC my-vpc)");
    expect(verdict?.status === "fail" && verdict.detail).toContain("my-web-alb's sg-ALB (sg-0a11b22c33d44e55f)");
  });

  test("fails on the internet, IPv6, a prefix list, or an all-traffic rule from a range", () => {
    const cases = [
      tcpFrom(80, { cidr: "0.0.0.0/0" }),
      tcpFrom(80, { cidr: "::/0" }),
      { IpProtocol: "tcp", FromPort: 0, ToPort: 65535, PrefixListIds: [{ PrefixListId: "pl-0a1b2c3d" }] },
      { IpProtocol: "-1", IpRanges: [{ CidrIp: "10.0.5.17/32" }] },
    ];
    for (const ingress of cases) {
      expect(run(withTaskIngress(tcpFrom(80, { groupId: "sg-0a11b22c33d44e55f" }), ingress))[0]?.status).toBe("fail");
    }
  });

  test("passes when only the load balancer's group reaches the container port", () => {
    expect(run(webService("clean"))).toEqual([
      {
        status: "pass",
        resource: TASK,
        detail: "the tasks of service my-web-service admit port 80 only from sg-ALB (sg-0a11b22c33d44e55f)",
      },
    ]);
  });

  test("a range on another port is not this check's (sg-world-open and people judge it)", () => {
    const verdicts = run(
      withTaskIngress(tcpFrom(80, { groupId: "sg-0a11b22c33d44e55f" }), tcpFrom(22, { cidr: "10.0.0.0/16" })),
    );
    expect(verdicts[0]?.status).toBe("pass");
  });

  test("unknown, naming the missing action, when the services, groups or target groups could not be read", () => {
    expect(run(webService("inherited", { services: denied("ecs:DescribeServices") }))).toEqual([
      expect.objectContaining({ status: "unknown", resource: "cluster my-cluster", missing: "ecs:DescribeServices" }),
    ]);
    expect(run(webService("inherited", { securityGroups: denied("ec2:DescribeSecurityGroups") }))).toEqual([
      expect.objectContaining({ status: "unknown", resource: TASK_SG, missing: "ec2:DescribeSecurityGroups" }),
    ]);
    expect(run(webService("inherited", { targetGroups: denied("elasticloadbalancing:DescribeTargetGroups") }))).toEqual(
      [
        expect.objectContaining({
          status: "unknown",
          resource: TASK,
          missing: "elasticloadbalancing:DescribeTargetGroups",
        }),
      ],
    );
  });

  test("nothing to judge for a service without a load balancer", () => {
    const lonely = service("inherited");
    const snapshot = webService("inherited", {
      services: known([{ ...lonely, service: { ...lonely.service, loadBalancers: [] } }]),
    });
    expect(run(snapshot)).toEqual([]);
  });
});
