import { describe, expect, test } from "vitest";
import { check } from "../../../lib/checks/iam/execution-role-missing";
import { CHECKS } from "../../../lib/checks/registry";
import { audit } from "../../../lib/checks/report";
import { fix } from "../../../lib/fixes/iam/execution-role-missing";
import { plan as planAll } from "../../../lib/fixes/planner";
import { expectNoSecret, failure, failures } from "../network/snapshots";
import { ACCOUNT, clean, inherited, TD_ARN, withoutExecutionRole } from "./variants";

const ROLE = "my-web-app-execution";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;

describe("execution-role-missing fix", () => {
  test("inherited and clean run with an execution role: nothing fails, nothing is planned", () => {
    expect(failures(check, inherited)).toEqual([]);
    expect(failures(check, clean)).toEqual([]);
  });

  test("creates <family>-execution trusted by ECS tasks, attaches the task execution policy, deploys a revision naming it", () => {
    const snapshot = withoutExecutionRole(inherited);
    const change = fix.plan(snapshot, failure(check, snapshot));
    expect(change).toMatchObject({ check: "execution-role-missing", resource: "my-web-app:1", manual: false });
    expect(change.steps.map((s) => s.call)).toEqual([
      {
        service: "iam",
        action: "CreateRole",
        input: {
          RoleName: ROLE,
          AssumeRolePolicyDocument: {
            $json: {
              Version: "2012-10-17",
              Statement: [
                { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" },
              ],
            },
          },
          Description: "ECS task execution role of my-web-app (created by ecs-takeover)",
          Tags: [{ Key: "ecs-takeover:source", Value: "my-web-app" }],
        },
      },
      {
        service: "iam",
        action: "AttachRolePolicy",
        input: {
          RoleName: ROLE,
          PolicyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
        },
      },
    ]);
    expect(change.deploy).toEqual({
      cluster: "my-cluster",
      service: "my-web-service",
      base: TD_ARN,
      edits: [{ kind: "execution-role", roleArn: ROLE_ARN }],
    });
    expect(change.reads).toEqual([
      { kind: "service", name: "my-web-service" },
      { kind: "task-definition", arn: TD_ARN },
    ]);
    expectNoSecret(change);

    const plan = planAll(snapshot, audit(snapshot, CHECKS).findings, { checks: ["execution-role-missing"] });
    expect(plan.changes.map((c) => [c.check, c.steps.map((s) => s.call.action)])).toEqual([
      ["execution-role-missing", ["CreateRole", "AttachRolePolicy"]],
      ["deploy", ["RegisterTaskDefinition", "UpdateService"]],
    ]);
  });
});
