// The secrets fixes applied on a fresh `inherited` sandbox, through the SDK: the secret holds the old value, the
// service's new revision injects it through `secrets`, the execution role may read exactly it; a second apply
// changes nothing; rollback puts the service back on my-web-app:1 and schedules the secret for deletion. A secret of
// the same name that ecs-takeover did not create is never overwritten.
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { DeleteRolePolicyCommand, GetRolePolicyCommand } from "@aws-sdk/client-iam";
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
} from "@aws-sdk/client-secrets-manager";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Verdict } from "../../../lib/checks/check";
import { allowingStatements, statementsOf } from "../../../lib/checks/iam/policy";
import { parseDocument } from "../../../lib/fixes/actions/iam";
import type { Plan } from "../../../lib/fixes/plan";
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

const SECRET_NAME = "my-web-app/db-passwd";
const statuses = (verdicts: readonly Verdict[]) => verdicts.map((v) => [v.resource, v.status]);
const stepIds = (plan: Plan) => plan.changes.flatMap((c) => c.steps.map((s) => s.id));

async function runningRevision() {
  const { services } = await box.aws.ecs.send(
    new DescribeServicesCommand({ cluster: WEB.cluster, services: [WEB.service] }),
  );
  const arn = services?.[0]?.taskDefinition ?? "";
  const { taskDefinition } = await box.aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
  return { arn, container: taskDefinition?.containerDefinitions?.find((c) => c.name === WEB.container) };
}

/** The plaintext DB_PASSWD of my-web-app:1, compared with, never printed. */
async function originalValue(): Promise<string | undefined> {
  const { taskDefinition } = await box.aws.ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: `${WEB.family}:1` }),
  );
  return taskDefinition?.containerDefinitions?.[0]?.environment?.find((v) => v.name === "DB_PASSWD")?.value;
}

async function executionPolicy(name: string): Promise<ReturnType<typeof statementsOf> | undefined> {
  try {
    const { PolicyDocument } = await box.aws.iam.send(
      new GetRolePolicyCommand({ RoleName: WEB.executionRole, PolicyName: name }),
    );
    return statementsOf([
      { source: `inline:${name}`, name, managed: false, awsManaged: false, document: parseDocument(PolicyDocument) },
    ]);
  } catch {
    return undefined;
  }
}

describe("secrets fixes on the inherited sandbox", () => {
  test("env-secrets: DB_PASSWD moves to Secrets Manager, same value; rollback returns to my-web-app:1", async () => {
    expect(statuses(await box.verdicts("env-secrets"))).toEqual([["my-web-app:1", "fail"]]);
    const value = await originalValue();
    expect(value).toBeDefined();

    const plan = await box.plan(["env-secrets"]);
    expectNoSecret(plan);
    const first = await box.apply(plan);
    expect(first).toMatchObject({ refused: [], unchanged: [] });
    expect(first.failed).toBeUndefined();
    expect(first.applied).toEqual(stepIds(plan));

    const running = await runningRevision();
    expect(running.arn).toMatch(/task-definition\/my-web-app:2$/);
    expect(running.container?.environment?.map((v) => v.name)).not.toContain("DB_PASSWD");
    const valueFrom = running.container?.secrets?.find((s) => s.name === "DB_PASSWD")?.valueFrom ?? "";
    expect(valueFrom).toMatch(
      /^arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:my-web-app\/db-passwd-\w{6}$/,
    );
    const secret = await box.aws.secretsManager.send(new GetSecretValueCommand({ SecretId: valueFrom }));
    expect(secret.SecretString === value).toBe(true);
    const described = await box.aws.secretsManager.send(new DescribeSecretCommand({ SecretId: SECRET_NAME }));
    expect(described.Tags).toEqual([{ Key: "ecs-takeover:source", Value: "my-web-app/my-web-app/DB_PASSWD" }]);
    expect(await originalValue()).toBeDefined(); // my-web-app:1 is still registered
    const grant = (await executionPolicy("ecs-takeover-secrets")) ?? [];
    expect(allowingStatements(grant, "secretsmanager:GetSecretValue", valueFrom)).toHaveLength(1);
    expect(allowingStatements(grant, "secretsmanager:GetSecretValue", `${valueFrom}x`)).toHaveLength(0);
    expect((await box.verdicts("env-secrets")).every((v) => v.status === "pass")).toBe(true);
    expect((await box.verdicts("secrets-unreadable")).map((v) => v.status)).toEqual(["pass"]);

    const second = await box.apply(plan);
    expect(second).toMatchObject({ refused: [], applied: [] });
    expect(second.unchanged).toEqual(stepIds(plan));
    expect((await box.plan(["env-secrets"])).changes).toEqual([]);

    // The journal must keep the secret's entry whole: its undo (DeleteSecret) is the rollback handle.
    expect(
      box
        .journalEntries()
        .filter((e) => e.phase === "applied")
        .map((e) => e.step),
    ).toContain(`secretsmanager:CreateSecret:${SECRET_NAME}`);
    const undone = await box.rollback(plan);
    expect(undone.failed).toBeUndefined();
    expect((await runningRevision()).arn).toMatch(/my-web-app:1$/);
    expect(await executionPolicy("ecs-takeover-secrets")).toBeUndefined();
    const deleted = await box.aws.secretsManager.send(new DescribeSecretCommand({ SecretId: SECRET_NAME }));
    expect(deleted.DeletedDate).toBeDefined();
    expect(statuses(await box.verdicts("env-secrets"))).toContainEqual(["my-web-app:1", "fail"]);
    expectNoSecret(box.journalEntries());
  }, 120_000);

  test("env-secrets refuses to overwrite a secret of the same name it did not create", async () => {
    const theirs = "a value somebody else stored";
    await box.aws.secretsManager.send(new CreateSecretCommand({ Name: SECRET_NAME, SecretString: theirs }));
    const plan = await box.plan(["env-secrets"]);
    const result = await box.apply(plan);
    expect(result.applied).toEqual([]);
    expect(result.failed?.step).toBe(`secretsmanager:CreateSecret:${SECRET_NAME}`);
    expect(result.failed?.error).toContain(
      `a secret named ${SECRET_NAME} already exists and was not created by ecs-takeover`,
    );
    const kept = await box.aws.secretsManager.send(new GetSecretValueCommand({ SecretId: SECRET_NAME }));
    expect(kept.SecretString).toBe(theirs);
    expect((await runningRevision()).arn).toMatch(/my-web-app:1$/);
  }, 60_000);

  test("env-secrets after a crash that left its secret behind: the secret is reused, not duplicated", async () => {
    const plan = await box.plan(["env-secrets"]);
    const value = await originalValue();
    await box.aws.secretsManager.send(
      new CreateSecretCommand({
        Name: SECRET_NAME,
        SecretString: value,
        Tags: [{ Key: "ecs-takeover:source", Value: "my-web-app/my-web-app/DB_PASSWD" }],
      }),
    );
    const result = await box.apply(plan);
    expect(result.failed).toBeUndefined();
    expect(result.unchanged).toEqual([`secretsmanager:CreateSecret:${SECRET_NAME}`]);
    const { SecretList } = await box.aws.secretsManager.send(new ListSecretsCommand({}));
    expect((SecretList ?? []).filter((s) => s.Name === SECRET_NAME)).toHaveLength(1);
    expect((await box.verdicts("env-secrets")).every((v) => v.status === "pass")).toBe(true);
  }, 60_000);

  test("secrets-unreadable: the execution role that lost its grant gets it back, with no deployment", async () => {
    await box.apply(await box.plan(["env-secrets"]));
    await box.aws.iam.send(
      new DeleteRolePolicyCommand({ RoleName: WEB.executionRole, PolicyName: "ecs-takeover-secrets" }),
    );
    expect(statuses(await box.verdicts("secrets-unreadable"))).toEqual([["my-web-app:2", "fail"]]);
    const revision = (await runningRevision()).arn;

    const plan = await box.plan(["secrets-unreadable"]);
    expect(stepIds(plan)).toEqual(["iam:PutRolePolicy:ecsTaskExecutionRole/ecs-takeover-read-secrets"]);
    const result = await box.apply(plan);
    expect(result.failed).toBeUndefined();
    expect(statuses(await box.verdicts("secrets-unreadable"))).toEqual([["my-web-app:2", "pass"]]);
    expect((await runningRevision()).arn).toBe(revision);
    expect((await box.apply(plan)).unchanged).toEqual(stepIds(plan));

    expect((await box.rollback(plan)).failed).toBeUndefined();
    expect(await executionPolicy("ecs-takeover-read-secrets")).toBeUndefined();
    expect(statuses(await box.verdicts("secrets-unreadable"))).toEqual([["my-web-app:2", "fail"]]);
  }, 120_000);
});
