// The IAM fixes applied on a fresh `inherited` sandbox, through the SDK: the task role loses AdministratorAccess and
// gets a policy that still lets the app write its uploads; people's policies reach only this cluster; deploy-bot
// passes only the service's roles. A second apply changes nothing; rollback puts every document back as it was.
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  waitUntilServicesStable,
} from "@aws-sdk/client-ecs";
import {
  GetGroupPolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutGroupPolicyCommand,
} from "@aws-sdk/client-iam";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Verdict } from "../../../lib/checks/check";
import { allowingStatements, statementsOf } from "../../../lib/checks/iam/policy";
import { parseDocument } from "../../../lib/fixes/actions/iam";
import type { Json, Plan } from "../../../lib/fixes/plan";
import { WEB } from "../../../lib/sandbox/scenarios/web-service";
import { type FixSandbox, fixSandbox } from "../harness";
import { expectNoSecret } from "../network/snapshots";

let box: FixSandbox;
beforeEach(async () => {
  box = await fixSandbox();
});
afterEach(async () => {
  await box.close();
});

const statuses = (verdicts: readonly Verdict[]) => verdicts.map((v) => [v.resource, v.status]);
const stepIds = (plan: Plan) => plan.changes.flatMap((c) => c.steps.map((s) => s.id));

/** The task role as the SDK shows it: attached policy ARNs and inline documents. */
async function taskRole(): Promise<{ attached: string[]; inline: Record<string, Json> }> {
  const { AttachedPolicies } = await box.aws.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: WEB.taskRole }));
  const { PolicyNames } = await box.aws.iam.send(new ListRolePoliciesCommand({ RoleName: WEB.taskRole }));
  const inline: Record<string, Json> = {};
  for (const name of PolicyNames ?? []) {
    const { PolicyDocument } = await box.aws.iam.send(
      new GetRolePolicyCommand({ RoleName: WEB.taskRole, PolicyName: name }),
    );
    inline[name] = parseDocument(PolicyDocument);
  }
  return { attached: (AttachedPolicies ?? []).map((p) => p.PolicyArn ?? ""), inline };
}

/** The inline documents of deploy-bot and the ecs-operators group. */
async function peoplesPolicies(): Promise<Json[]> {
  const user = await box.aws.iam.send(new GetUserPolicyCommand({ UserName: "deploy-bot", PolicyName: "deploy" }));
  const group = await box.aws.iam.send(
    new GetGroupPolicyCommand({ GroupName: "ecs-operators", PolicyName: "ecs-operate" }),
  );
  return [parseDocument(user.PolicyDocument), parseDocument(group.PolicyDocument)];
}

/** Apply, apply again, roll back: each fix's round trip; returns what `state` read after the first apply. */
async function roundTrip(
  checks: readonly string[],
  state: () => Promise<unknown>,
): Promise<{ plan: Plan; after: unknown }> {
  const failing = await Promise.all(checks.map(async (c) => statuses(await box.verdicts(c))));
  const original = await state();
  const plan = await box.plan(checks);
  expectNoSecret(plan);
  const first = await box.apply(plan);
  expect(first).toMatchObject({ refused: [], unchanged: [] });
  expect(first.failed).toBeUndefined();
  expect(first.applied).toEqual(stepIds(plan));
  const after = await state();

  const second = await box.apply(plan);
  expect(second).toMatchObject({ refused: [], applied: [] });
  expect(second.unchanged).toEqual(stepIds(plan));

  const undone = await box.rollback(plan);
  expect(undone.failed).toBeUndefined();
  expect(await Promise.all(checks.map(async (c) => statuses(await box.verdicts(c))))).toEqual(failing);
  expect(await state()).toEqual(original);
  expectNoSecret(box.journalEntries());
  return { plan, after };
}

describe("IAM fixes on the inherited sandbox", () => {
  test("task-role-admin: no AdministratorAccess, and the new policy allows s3:PutObject on the uploads bucket", async () => {
    const { after } = await roundTrip(["task-role-admin"], async () => {
      const role = await taskRole();
      return role;
    });
    const role = after as Awaited<ReturnType<typeof taskRole>>;
    expect(role.attached).toEqual([]);
    const policy = role.inline["ecs-takeover-least-privilege"] ?? null;
    const statements = statementsOf([
      { source: "inline:ecs-takeover-least-privilege", name: "p", managed: false, awsManaged: false, document: policy },
    ]);
    expect(allowingStatements(statements, "s3:PutObject", "arn:aws:s3:::my-web-uploads/*")).not.toEqual([]);
    expect(
      allowingStatements(statements, "sqs:SendMessage", "arn:aws:sqs:ap-northeast-1:123456789012:my-web-jobs"),
    ).not.toEqual([]);
    expect(allowingStatements(statements, "iam:CreateUser", "*")).toEqual([]);
    // The role itself stays.
    expect((await box.aws.iam.send(new GetRoleCommand({ RoleName: WEB.taskRole }))).Role?.RoleName).toBe(WEB.taskRole);
  }, 120_000);

  test("task-role-admin: once applied, the check and task-role-broad pass", async () => {
    const plan = await box.plan(["task-role-admin"]);
    await box.apply(plan);
    expect(statuses(await box.verdicts("task-role-admin"))).toEqual([["role/AdministratorAccessRole", "pass"]]);
    expect(statuses(await box.verdicts("task-role-broad"))).toEqual([["role/AdministratorAccessRole", "pass"]]);
    expect((await box.verify(plan)).every((v) => v.passed)).toBe(true);
  }, 60_000);

  test("cluster-access-unscoped and passrole-escalation: scoped, verified, rolled back to the exact old documents", async () => {
    const { plan } = await roundTrip(
      ["task-role-admin", "cluster-access-unscoped", "passrole-escalation"],
      peoplesPolicies,
    );
    await box.apply(plan);
    expect(statuses(await box.verdicts("cluster-access-unscoped"))).toEqual([
      ["user/deploy-bot", "pass"],
      ["group/ecs-operators", "pass"],
    ]);
    expect(statuses(await box.verdicts("passrole-escalation"))).toEqual([
      ["user/deploy-bot", "pass"],
      ["group/ecs-operators", "pass"],
    ]);
    const [bot] = await peoplesPolicies();
    const statements = statementsOf([
      { source: "inline:deploy", name: "deploy", managed: false, awsManaged: false, document: bot },
    ]);
    const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
    expect(allowingStatements(statements, "iam:PassRole", role(WEB.taskRole))).toHaveLength(1);
    expect(allowingStatements(statements, "iam:PassRole", role(WEB.executionRole))).toHaveLength(1);
    expect(allowingStatements(statements, "iam:PassRole", role("SomeOtherRole"))).toEqual([]);
    expect(
      allowingStatements(
        statements,
        "ecs:UpdateService",
        `arn:aws:ecs:ap-northeast-1:123456789012:service/my-cluster/${WEB.service}`,
      ),
    ).toHaveLength(1);
  }, 180_000);

  test("a group policy changed after planning makes apply refuse, naming the group", async () => {
    const plan = await box.plan(["cluster-access-unscoped"]);
    await box.aws.iam.send(
      new PutGroupPolicyCommand({
        GroupName: "ecs-operators",
        PolicyName: "ecs-operate",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: ["ecs:*", "logs:*"], Resource: "*" }],
        }),
      }),
    );
    const result = await box.apply(plan);
    expect(result.applied).toEqual([]);
    expect(result.refused).toEqual([
      expect.stringContaining("IAM group/ecs-operators changed since the plan was made"),
    ]);
  }, 60_000);

  test("execution-role-missing with env-secrets: one created role, one revision naming it and the secret", async () => {
    // The service first runs a revision without an execution role (registered as it is, the value carried over).
    const { taskDefinition } = await box.aws.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: `${WEB.family}:1` }),
    );
    if (!taskDefinition) throw new Error("no my-web-app:1");
    const { executionRoleArn: _dropped, ...rest } = taskDefinition;
    const registered = await box.aws.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: rest.family,
        taskRoleArn: rest.taskRoleArn,
        networkMode: rest.networkMode,
        containerDefinitions: rest.containerDefinitions,
        requiresCompatibilities: rest.requiresCompatibilities,
        cpu: rest.cpu,
        memory: rest.memory,
      }),
    );
    await box.aws.ecs.send(
      new UpdateServiceCommand({
        cluster: WEB.cluster,
        service: WEB.service,
        taskDefinition: registered.taskDefinition?.taskDefinitionArn,
      }),
    );
    await waitUntilServicesStable(
      { client: box.aws.ecs, maxWaitTime: 600, ...box.aws.waiter },
      { cluster: WEB.cluster, services: [WEB.service] },
    );
    expect(statuses(await box.verdicts("execution-role-missing"))).toContainEqual(["my-web-app:2", "fail"]);

    const plan = await box.plan(["env-secrets", "execution-role-missing"]);
    expect(stepIds(plan)).toEqual([
      "secretsmanager:CreateSecret:my-web-app/db-passwd",
      "iam:CreateRole:my-web-app-execution",
      "iam:AttachRolePolicy:my-web-app-execution/AmazonECSTaskExecutionRolePolicy",
      "iam:PutRolePolicy:my-web-app-execution/ecs-takeover-secrets",
      "ecs:RegisterTaskDefinition:my-web-app",
      "ecs:UpdateService:my-cluster/my-web-service",
    ]);
    const result = await box.apply(plan);
    expect(result.failed).toBeUndefined();
    const { services } = await box.aws.ecs.send(
      new DescribeServicesCommand({ cluster: WEB.cluster, services: [WEB.service] }),
    );
    const running = await box.aws.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: services?.[0]?.taskDefinition }),
    );
    expect(running.taskDefinition?.executionRoleArn).toBe("arn:aws:iam::123456789012:role/my-web-app-execution");
    expect(running.taskDefinition?.containerDefinitions?.[0]?.secrets?.[0]?.name).toBe("DB_PASSWD");
    expect(statuses(await box.verdicts("execution-role-missing"))).toContainEqual(["my-web-app:3", "pass"]);
    expect(statuses(await box.verdicts("secrets-unreadable"))).toEqual([["my-web-app:3", "pass"]]);
    expect((await box.apply(plan)).unchanged).toEqual(stepIds(plan));

    expect((await box.rollback(plan)).failed).toBeUndefined();
    const back = await box.aws.ecs.send(new DescribeServicesCommand({ cluster: WEB.cluster, services: [WEB.service] }));
    expect(back.services?.[0]?.taskDefinition).toMatch(/my-web-app:2$/);
    await expect(box.aws.iam.send(new GetRoleCommand({ RoleName: "my-web-app-execution" }))).rejects.toThrow();
  }, 180_000);
});
