import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/iam/passrole-escalation";
import type { SnapshotPrincipal } from "../../../lib/inventory/snapshot";
import { denied, known } from "../fixtures";
import { ADMIN_ROLE_ARN, CLEAN_TASK_ROLE_ARN, inlinePolicy, roles, webService } from "../network/web-service";

const RUN_TASK = { Effect: "Allow", Action: "ecs:RunTask", Resource: "*" };

function user(name: string, statements: object[], groups: string[] = []): SnapshotPrincipal {
  return {
    kind: "user",
    name,
    arn: `arn:aws:iam::123456789012:user/${name}`,
    groups,
    policies: [inlinePolicy("p", statements)],
  };
}

function group(name: string, statements: object[]): SnapshotPrincipal {
  return {
    kind: "group",
    name,
    arn: `arn:aws:iam::123456789012:group/${name}`,
    policies: [inlinePolicy("g", statements)],
  };
}

describe("passrole-escalation", () => {
  test("fails a user allowed iam:PassRole on * and ecs:RunTask", () => {
    const verdict = run(webService("inherited")).find((v) => v.resource === "user/deploy-bot");
    expect(verdict).toMatchObject({ status: "fail" });
    expect(verdict?.status === "fail" && verdict.detail).toContain(
      'any role (deploy (inline) allows "iam:PassRole" on "*")',
    );
  });

  test("fails PassRole scoped to an administrator role, and a user combining its group's PassRole with its own RunTask", () => {
    const toAdmin = user("ci", [RUN_TASK, { Effect: "Allow", Action: "iam:PassRole", Resource: ADMIN_ROLE_ARN }]);
    const verdicts = run(webService("inherited", { principals: known([toAdmin]) }));
    expect(verdicts[0]).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("role/AdministratorAccessRole, an administrator"),
    });
    const passers = group("passers", [{ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }]);
    const runner = user("runner", [RUN_TASK], ["passers"]);
    const combined = run(webService("clean", { principals: known([passers, runner]) }));
    expect(combined.find((v) => v.resource === "user/runner")).toMatchObject({ status: "fail" });
    expect(combined.find((v) => v.resource === "group/passers")).toMatchObject({ status: "pass" });
  });

  test("a group that opens the path alone is reported as the group, not again in its members", () => {
    const both = group("deployers", [RUN_TASK, { Effect: "Allow", Action: "iam:PassRole", Resource: "*" }]);
    const member = user("carol", [], ["deployers"]);
    expect(run(webService("clean", { principals: known([both, member]) }))).toEqual([
      expect.objectContaining({ status: "fail", resource: "group/deployers" }),
    ]);
  });

  test("passes PassRole scoped to named roles for ecs-tasks, and PassRole on * that cannot reach ECS", () => {
    expect(run(webService("clean"))).toEqual([
      {
        status: "pass",
        resource: "user/deploy-bot",
        detail: "may start tasks, but may pass only named roles that are not administrators",
      },
    ]);
    const ec2Only = user("ec2-launcher", [
      RUN_TASK,
      {
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: "*",
        Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
      },
    ]);
    expect(run(webService("clean", { principals: known([ec2Only]) }))[0]?.status).toBe("pass");
  });

  test("unknown when the principals, or the roles it may pass, could not be read", () => {
    expect(run(webService("inherited", { principals: denied("iam:GetAccountAuthorizationDetails") }))).toEqual([
      expect.objectContaining({ status: "unknown", missing: "iam:GetAccountAuthorizationDetails" }),
    ]);
    const passer = user("ci", [RUN_TASK, { Effect: "Allow", Action: "iam:PassRole", Resource: CLEAN_TASK_ROLE_ARN }]);
    const snapshot = webService("clean", {
      principals: known([passer]),
      roles: { ...roles("clean"), [CLEAN_TASK_ROLE_ARN]: denied("iam:GetRole") },
    });
    expect(run(snapshot)).toEqual([
      expect.objectContaining({ status: "unknown", resource: "user/ci", missing: "iam:GetRole" }),
    ]);
  });

  test("nothing to judge for principals that neither pass roles nor start tasks, or are administrators", () => {
    const reader = user("viewer", [{ Effect: "Allow", Action: "ecs:Describe*", Resource: "*" }]);
    const admin = user("root-ish", [{ Effect: "Allow", Action: "*", Resource: "*" }]);
    expect(run(webService("clean", { principals: known([reader, admin]) }))).toEqual([]);
  });
});
