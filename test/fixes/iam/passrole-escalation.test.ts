import { describe, expect, test } from "vitest";
import { check as clusterAccess } from "../../../lib/checks/iam/cluster-access-unscoped";
import { check } from "../../../lib/checks/iam/passrole-escalation";
import { fix as clusterAccessFix } from "../../../lib/fixes/iam/cluster-access-unscoped";
import { fix } from "../../../lib/fixes/iam/passrole-escalation";
import type { Change } from "../../../lib/fixes/plan";
import type { Snapshot } from "../../../lib/inventory/snapshot";
import { expectNoSecret, failures } from "../network/snapshots";
import {
  ACCOUNT,
  ADMIN_ROLE,
  afterIamSteps,
  CLUSTER_ARN,
  clean,
  EXECUTION_ROLE,
  inherited,
  inline,
  principal,
  putStatements,
  withoutExecutionRole,
  withPolicies,
  withPrincipals,
} from "./variants";

const SCOPED_PASSROLE = {
  Effect: "Allow",
  Action: "iam:PassRole",
  Resource: [ADMIN_ROLE, EXECUTION_ROLE],
  Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
};
const RUN_IN_CLUSTER = {
  Effect: "Allow",
  Action: "ecs:RunTask",
  Resource: "*",
  Condition: { ArnEquals: { "ecs:cluster": CLUSTER_ARN } },
};

function planOf(snapshot: Snapshot, resource: string): Change {
  const verdict = failures(check, snapshot).find((v) => v.resource === resource);
  if (!verdict) throw new Error(`${resource} does not fail`);
  return fix.plan(snapshot, verdict);
}

/** The task role made a non-administrator, so that passing it is no escalation. */
const leastPrivileged = (snapshot: Snapshot) => withPolicies(snapshot, ADMIN_ROLE, [inline("app", [])]);

describe("passrole-escalation fix", () => {
  test("deploy-bot: PassRole on the service's task and execution roles, to ECS tasks only — the same put as cluster access", () => {
    const change = planOf(inherited, "user/deploy-bot");
    expect(change).toMatchObject({ check: "passrole-escalation", resource: "user/deploy-bot", manual: false });
    const deployBot = failures(clusterAccess, inherited).find((v) => v.resource === "user/deploy-bot");
    if (!deployBot) throw new Error("deploy-bot's cluster access should fail on inherited");
    expect(change.steps).toEqual(clusterAccessFix.plan(inherited, deployBot).steps);
    expect(putStatements(change)).toContainEqual(SCOPED_PASSROLE);
    expect(change.outcome).toBe(
      "user/deploy-bot may pass only role/AdministratorAccessRole, role/ecsTaskExecutionRole, and only to ecs-tasks.amazonaws.com",
    );
    expect(change.notes.join(" ")).toContain(
      "role/AdministratorAccessRole, which user/deploy-bot may still pass, is an administrator",
    );
    expect(change.reads).toEqual([
      { kind: "principal", arn: `arn:aws:iam::${ACCOUNT}:user/deploy-bot` },
      { kind: "service", name: "my-web-service" },
      { kind: "task-definition", arn: "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/my-web-app:1" },
    ]);
    expectNoSecret(change);
  });

  test("with ECS already scoped, only PassRole changes; once put (and the task role no administrator) the check passes", () => {
    const bot = principal(
      "user",
      "deploy-bot",
      [inline("deploy", [RUN_IN_CLUSTER, { Effect: "Allow", Action: "iam:PassRole", Resource: "*" }])],
      [],
    );
    const snapshot = leastPrivileged(withPrincipals(inherited, [bot]));
    expect(failures(clusterAccess, snapshot)).toEqual([]);
    const change = planOf(snapshot, "user/deploy-bot");
    expect(putStatements(change)).toEqual([RUN_IN_CLUSTER, SCOPED_PASSROLE]);
    expect(change.notes.join(" ")).not.toContain("also carries");
    expect(check.run(afterIamSteps(snapshot, change.steps)).map((v) => v.status)).toEqual(["pass"]);
  });

  test("PassRole from a group: the group's policy is rewritten (the user's own is left alone)", () => {
    const group = principal("group", "deployers", [
      inline("pass", [{ Sid: "Pass", Effect: "Allow", Action: ["iam:PassRole", "iam:GetRole"], Resource: "*" }]),
    ]);
    const user = principal("user", "ci", [inline("run", [RUN_IN_CLUSTER])], ["deployers"]);
    const snapshot = leastPrivileged(withPrincipals(inherited, [user, group]));
    const change = planOf(snapshot, "user/ci");
    expect(change.steps.map((s) => s.id)).toEqual(["iam:PutGroupPolicy:deployers/pass"]);
    expect(putStatements(change)).toEqual([
      { Sid: "Pass", Effect: "Allow", Action: "iam:GetRole", Resource: "*" },
      { ...SCOPED_PASSROLE, Sid: "PassPassRole" },
    ]);
    expect(check.run(afterIamSteps(snapshot, change.steps)).map((v) => [v.resource, v.status])).toEqual([
      ["user/ci", "pass"],
      ["group/deployers", "pass"],
    ]);
  });

  test("iam:* cannot be cut: a plan only, naming the statement", () => {
    const bot = principal(
      "user",
      "deploy-bot",
      [inline("deploy", [RUN_IN_CLUSTER, { Effect: "Allow", Action: "iam:*", Resource: "*" }])],
      [],
    );
    const change = planOf(withPrincipals(inherited, [bot]), "user/deploy-bot");
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change.notes).toContainEqual(
      'for a person: deploy (inline): its action "iam:*" covers iam:PassRole among others',
    );
  });

  test("a revision without an execution role: the role the execution-role fixes create may be passed", () => {
    const change = planOf(withoutExecutionRole(inherited), "user/deploy-bot");
    expect(putStatements(change)).toContainEqual({
      ...SCOPED_PASSROLE,
      Resource: [ADMIN_ROLE, `arn:aws:iam::${ACCOUNT}:role/my-web-app-execution`],
    });
  });

  test("clean: PassRole scoped already: nothing fails", () => {
    expect(failures(check, clean)).toEqual([]);
  });
});
