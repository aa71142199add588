import { describe, expect, test } from "vitest";
import { check } from "../../../lib/checks/iam/cluster-access-unscoped";
import { check as passroleCheck } from "../../../lib/checks/iam/passrole-escalation";
import { check as taskRoleAdmin } from "../../../lib/checks/iam/task-role-admin";
import { CHECKS } from "../../../lib/checks/registry";
import { audit } from "../../../lib/checks/report";
import { fix } from "../../../lib/fixes/iam/cluster-access-unscoped";
import { fix as taskRoleAdminFix } from "../../../lib/fixes/iam/task-role-admin";
import type { Change } from "../../../lib/fixes/plan";
import { plan as planAll } from "../../../lib/fixes/planner";
import type { Snapshot } from "../../../lib/inventory/snapshot";
import { expectNoSecret, failure, failures } from "../network/snapshots";
import {
  ACCOUNT,
  afterIamSteps,
  CLUSTER_ARN,
  clean,
  inherited,
  inline,
  managed,
  principal,
  putStatements,
  stepsOf,
  withPrincipals,
} from "./variants";

const ECS = `arn:aws:ecs:ap-northeast-1:${ACCOUNT}`;

function planOf(snapshot: Snapshot, resource: string): Change {
  const verdict = failures(check, snapshot).find((v) => v.resource === resource);
  if (!verdict) throw new Error(`${resource} does not fail`);
  return fix.plan(snapshot, verdict);
}

describe("cluster-access-unscoped fix", () => {
  test("group ecs-operators: ecs:* on * becomes ecs:* on the cluster's resources, starts by ecs:cluster, reads kept", () => {
    const change = planOf(inherited, "group/ecs-operators");
    expect(change).toMatchObject({ check: "cluster-access-unscoped", resource: "group/ecs-operators", manual: false });
    expect(change.steps.map((s) => [s.id, s.call.action, s.call.input.GroupName, s.call.input.PolicyName])).toEqual([
      ["iam:PutGroupPolicy:ecs-operators/ecs-operate", "PutGroupPolicy", "ecs-operators", "ecs-operate"],
    ]);
    expect(putStatements(change)).toEqual([
      {
        Effect: "Allow",
        Action: [
          "ecs:Describe*",
          "ecs:List*",
          "ecs:RegisterTaskDefinition",
          "ecs:DeregisterTaskDefinition",
          "ecs:DeleteTaskDefinitions",
          "ecs:CreateCluster",
          "ecs:CreateCapacityProvider",
          "ecs:UpdateCapacityProvider",
          "ecs:DeleteCapacityProvider",
          "ecs:PutAccountSetting",
          "ecs:PutAccountSettingDefault",
          "ecs:DeleteAccountSetting",
        ],
        Resource: "*",
      },
      {
        Effect: "Allow",
        Action: "ecs:*",
        Resource: [
          CLUSTER_ARN,
          `${ECS}:service/my-cluster/*`,
          `${ECS}:task/my-cluster/*`,
          `${ECS}:task-set/my-cluster/*`,
          `${ECS}:container-instance/my-cluster/*`,
        ],
      },
      {
        Effect: "Allow",
        Action: ["ecs:RunTask", "ecs:StartTask"],
        Resource: "*",
        Condition: { ArnEquals: { "ecs:cluster": CLUSTER_ARN } },
      },
    ]);
    expect(change.steps[0]?.changes).toEqual({ kind: "principal", arn: `arn:aws:iam::${ACCOUNT}:group/ecs-operators` });
    expect(change.reads).toEqual([{ kind: "principal", arn: `arn:aws:iam::${ACCOUNT}:group/ecs-operators` }]);
    expect(change.rollback).toEqual(["ecs-operate (inline) of group/ecs-operators is put back as it was"]);
    expectNoSecret(change);
  });

  test("once put, the group and deploy-bot pass; deploy-bot's PassRole is scoped in the same put", () => {
    const changes = ["group/ecs-operators", "user/deploy-bot"].map((r) => planOf(inherited, r));
    const after = afterIamSteps(inherited, stepsOf(changes));
    const statuses = check.run(after).map((v) => [v.resource, v.status]);
    expect(statuses).toContainEqual(["group/ecs-operators", "pass"]);
    expect(statuses).toContainEqual(["user/deploy-bot", "pass"]);
    // Still an escalation while the task role it may pass is an administrator; not once task-role-admin's fix ran.
    expect(passroleCheck.run(after).find((v) => v.resource === "user/deploy-bot")?.status).toBe("fail");
    const admin = taskRoleAdminFix.plan(after, failure(taskRoleAdmin, after));
    const fixed = afterIamSteps(after, admin.steps);
    expect(passroleCheck.run(fixed).map((v) => [v.resource, v.status])).toContainEqual(["user/deploy-bot", "pass"]);
    expect(check.run(fixed).every((v) => v.status === "pass")).toBe(true);
  });

  test("deploy-bot: writes scoped to the cluster's services, RunTask by condition, RegisterTaskDefinition kept", () => {
    const change = planOf(inherited, "user/deploy-bot");
    expect(change.steps.map((s) => s.id)).toEqual(["iam:PutUserPolicy:deploy-bot/deploy"]);
    expect(putStatements(change).slice(0, 3)).toEqual([
      { Effect: "Allow", Action: "ecs:RegisterTaskDefinition", Resource: "*" },
      { Effect: "Allow", Action: "ecs:UpdateService", Resource: `${ECS}:service/my-cluster/*` },
      {
        Effect: "Allow",
        Action: "ecs:RunTask",
        Resource: "*",
        Condition: { ArnEquals: { "ecs:cluster": CLUSTER_ARN } },
      },
    ]);
    expect(change.notes.join(" ")).toContain("also carries iam:PassRole");
  });

  test("the administrator task role: AWS managed, so a plan only pointing at task-role-admin's fix", () => {
    const change = planOf(inherited, "role/AdministratorAccessRole");
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change.notes).toEqual([
      "for a person: AdministratorAccess is AWS managed: it cannot be edited. Detach it from role/AdministratorAccessRole " +
        "and grant what role/AdministratorAccessRole needs in a policy of its own (role/AdministratorAccessRole is a " +
        "task role: the task-role-admin or task-role-broad fix replaces it with a least-privilege policy)",
    ]);
  });

  test("one put of deploy-bot's policy in a plan for both checks; the PassRole change then has nothing left to do", () => {
    const plan = planAll(inherited, audit(inherited, CHECKS).findings, {
      checks: ["cluster-access-unscoped", "passrole-escalation"],
    });
    expect(plan.changes.map((c) => [c.check, c.resource, c.steps.map((s) => s.id)])).toEqual([
      ["cluster-access-unscoped", "user/deploy-bot", ["iam:PutUserPolicy:deploy-bot/deploy"]],
      ["cluster-access-unscoped", "group/ecs-operators", ["iam:PutGroupPolicy:ecs-operators/ecs-operate"]],
      ["cluster-access-unscoped", "role/AdministratorAccessRole", []],
      ["passrole-escalation", "user/deploy-bot", []],
    ]);
  });

  test("clean: scoped already: nothing fails", () => {
    expect(failures(check, clean)).toEqual([]);
  });

  test("a customer managed policy is a person's change, with the scoped version proposed", () => {
    const policy = managed(`arn:aws:iam::${ACCOUNT}:policy/ops`, [
      { Effect: "Allow", Action: "ecs:UpdateService", Resource: "*" },
    ]);
    const snapshot = withPrincipals(inherited, [principal("user", "ops", [policy], [])]);
    const change = planOf(snapshot, "user/ops");
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change.notes[0]).toContain("ops is a customer managed policy: it may be attached to other principals");
    expect(change.notes[0]).toContain(`"Resource":"${ECS}:service/my-cluster/*"`);
  });

  test("a statement granting every service, or NotAction, cannot be cut: named for a person; others still rewritten", () => {
    const snapshot = withPrincipals(inherited, [
      principal(
        "user",
        "ops",
        [
          inline("all", [{ Effect: "Allow", Action: "*", Resource: "*" }]),
          inline("ecs", [{ Effect: "Allow", Action: ["ecs:StopTask", "logs:GetLogEvents"], Resource: "*" }]),
        ],
        [],
      ),
    ]);
    const change = planOf(snapshot, "user/ops");
    expect(change.steps.map((s) => s.id)).toEqual(["iam:PutUserPolicy:ops/ecs"]);
    expect(putStatements(change)).toEqual([
      { Effect: "Allow", Action: "logs:GetLogEvents", Resource: "*" },
      { Effect: "Allow", Action: "ecs:StopTask", Resource: `${ECS}:task/my-cluster/*` },
    ]);
    expect(change.outcome).toContain("the check fails until a person acts on the notes");
    expect(change.notes).toContainEqual(
      'for a person: all (inline): its action "*" covers every service: ECS cannot be cut out of it',
    );
  });

  test("a rewrite over IAM's inline size limit is a plan only", () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      Sid: `Statement${i}`,
      Effect: "Allow",
      Action: ["ecs:UpdateService", "logs:GetLogEvents"],
      Resource: "*",
    }));
    const snapshot = withPrincipals(inherited, [principal("user", "ops", [inline("big", many)], [])]);
    const change = planOf(snapshot, "user/ops");
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change.notes[0]).toMatch(/over IAM's 2048/);
  });
});
