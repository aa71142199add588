// Each network fix applied on a fresh `inherited` sandbox: the check then passes, a second apply changes nothing,
// and rollback makes the check fail again the way it did, with the resources as they were.
import { AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupRulesCommand } from "@aws-sdk/client-ec2";
import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { DescribeListenersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type FixSandbox, fixSandbox, roundTrip } from "../harness";

let box: FixSandbox;
beforeEach(async () => {
  box = await fixSandbox();
});
afterEach(async () => {
  await box.close();
});

/** The inbound rules of the scenario's groups, as what they admit (ids differ once a rule is re-added). */
async function inboundRules(): Promise<string[]> {
  const { SecurityGroupRules } = await box.aws.ec2.send(new DescribeSecurityGroupRulesCommand({}));
  return (SecurityGroupRules ?? [])
    .filter((r) => !r.IsEgress)
    .map((r) =>
      [
        r.GroupId,
        r.IpProtocol,
        r.FromPort,
        r.ToPort,
        r.CidrIpv4 ?? r.ReferencedGroupInfo?.GroupId,
        r.Description ?? "",
      ].join(" "),
    )
    .sort();
}

async function httpDefaultActions(): Promise<unknown> {
  const arn = (await box.snapshot()).listeners;
  const listener = arn.status === "known" ? arn.value.find((l) => l.Port === 80) : undefined;
  const { Listeners } = await box.aws.elbv2.send(
    new DescribeListenersCommand({ ListenerArns: [listener?.ListenerArn ?? ""] }),
  );
  return Listeners?.[0]?.DefaultActions;
}

async function serviceNetwork(): Promise<unknown> {
  const { services } = await box.aws.ecs.send(
    new DescribeServicesCommand({ cluster: "my-cluster", services: ["my-web-service"] }),
  );
  return services?.[0]?.networkConfiguration;
}

describe("network fixes on the inherited sandbox", () => {
  test("task-sg-open: sg-ECSTask admits 80 only from sg-ALB; rollback re-adds 80 from the VPC", async () => {
    const { after } = await roundTrip(box, "task-sg-open", inboundRules);
    const task = (await box.snapshot()).securityGroups;
    const id = (name: string) =>
      task.status === "known" ? task.value.find((g) => g.Tags?.some((t) => t.Value === name))?.GroupId : undefined;
    const taskRules = (after as string[]).filter((r) => r.startsWith(`${id("sg-ECSTask")} `));
    expect(taskRules).toEqual([
      `${id("sg-ECSTask")} tcp 80 80 ${id("sg-ALB")} from my-web-alb to the tasks of my-web-service (ecs-takeover)`,
    ]);
  });

  test("datastore-sg-open: sg-AuroraDB admits 3306 only from sg-ECSTask; rollback re-adds 3306 from the VPC", async () => {
    const { after } = await roundTrip(box, "datastore-sg-open", inboundRules);
    expect((after as string[]).filter((r) => r.includes(" 3306 "))).toEqual([
      expect.stringMatching(/ tcp 3306 3306 sg-\w+ from the tasks of my-web-service \(ecs-takeover\)$/),
    ]);
  });

  test("alb-http-no-redirect: port 80 redirects to HTTPS; rollback forwards again", async () => {
    const { after } = await roundTrip(box, "alb-http-no-redirect", httpDefaultActions);
    expect(after).toEqual([
      expect.objectContaining({
        Type: "redirect",
        RedirectConfig: expect.objectContaining({ Protocol: "HTTPS", Port: "443" }),
      }),
    ]);
  });

  test("service-public-ip: the tasks move to the private subnets without public IPs; rollback moves them back", async () => {
    const { after } = await roundTrip(box, "service-public-ip", serviceNetwork);
    expect(after).toMatchObject({ awsvpcConfiguration: { assignPublicIp: "DISABLED" } });
  });

  test("a rule added to the task group after planning makes apply refuse, naming the group", async () => {
    const plan = await box.plan(["task-sg-open"]);
    const before = await inboundRules();
    const groupId = String(plan.changes[0]?.steps[0]?.call.input.GroupId);
    await box.aws.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: "10.0.9.0/24" }] }],
      }),
    );
    const result = await box.apply(plan);
    expect(result.applied).toEqual([]);
    expect(result.refused).toEqual([
      expect.stringContaining(`security group ${groupId} changed since the plan was made`),
    ]);
    expect((await inboundRules()).length).toBe(before.length + 1);
  });

  test("all network fixes in one plan: every automatable check passes, and rollback restores all of it", async () => {
    const checks = ["task-sg-open", "datastore-sg-open", "service-public-ip", "alb-http-no-redirect"];
    const state = async () => ({
      rules: await inboundRules(),
      listener: await httpDefaultActions(),
      service: await serviceNetwork(),
    });
    const original = await state();
    const plan = await box.plan([...checks, "sg-world-open"]);
    const result = await box.apply(plan);
    expect(result.failed).toBeUndefined();
    expect(result.refused).toEqual([]);
    for (const check of checks) expect((await box.verdicts(check)).every((v) => v.status === "pass")).toBe(true);
    expect((await box.apply(plan)).applied).toEqual([]);
    expect((await box.rollback(plan)).failed).toBeUndefined();
    expect(await state()).toEqual(original);
  });
});
