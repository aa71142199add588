import { describe, expect, test } from "vitest";
import { check as executionRoleCheck } from "../../../lib/checks/iam/execution-role-missing";
import { CHECKS } from "../../../lib/checks/registry";
import { audit } from "../../../lib/checks/report";
import { check } from "../../../lib/checks/secrets/env-secrets";
import { fix as executionRoleMissing } from "../../../lib/fixes/iam/execution-role-missing";
import { plan as planAll } from "../../../lib/fixes/planner";
import { fix } from "../../../lib/fixes/secrets/env-secrets";
import type { Snapshot } from "../../../lib/inventory/snapshot";
import {
  ACCOUNT,
  clean,
  EXECUTION_ROLE,
  inherited,
  inline,
  TD_ARN,
  withDefinition,
  withoutExecutionRole,
  withRole,
} from "../iam/variants";
import { expectNoSecret, failure, failures } from "../network/snapshots";

const CREATE = "secretsmanager:CreateSecret:my-web-app/db-passwd";
const SECRET_ARN = `arn:aws:secretsmanager:ap-northeast-1:${ACCOUNT}:secret:my-web-app/db-passwd-AbCdEf`;

function hmacOf(snapshot: Snapshot): string {
  const definition = snapshot.taskDefinitions[TD_ARN];
  const value =
    definition?.status === "known"
      ? definition.value.containerDefinitions[0]?.environment?.find((v) => v.name === "DB_PASSWD")?.value
      : undefined;
  if (typeof value !== "object" || value === undefined) throw new Error("DB_PASSWD is not redacted in the fixture");
  return value.hmac;
}

const planFor = (snapshot: Snapshot) => fix.plan(snapshot, failure(check, snapshot));

describe("env-secrets fix", () => {
  test("inherited: creates the secret from the live value, lets the execution role read exactly it, deploys secrets[]", () => {
    const change = planFor(inherited);
    expect(change).toMatchObject({ check: "env-secrets", resource: "my-web-app:1", manual: false });
    expect(change.steps.map((s) => s.id)).toEqual([
      CREATE,
      "iam:PutRolePolicy:ecsTaskExecutionRole/ecs-takeover-secrets",
    ]);
    const [create, grant] = change.steps;
    expect(create?.call).toEqual({
      service: "secretsManager",
      action: "CreateSecret",
      input: {
        Name: "my-web-app/db-passwd",
        Description:
          "DB_PASSWD of container my-web-app in task definition my-web-app, moved out of its environment by ecs-takeover",
        SecretString: {
          $secretFrom: { taskDefinition: TD_ARN, container: "my-web-app", name: "DB_PASSWD", hmac: hmacOf(inherited) },
        },
        Tags: [{ Key: "ecs-takeover:source", Value: "my-web-app/my-web-app/DB_PASSWD" }],
      },
    });
    expect(grant?.call).toEqual({
      service: "iam",
      action: "PutRolePolicy",
      input: {
        RoleName: "ecsTaskExecutionRole",
        PolicyName: "ecs-takeover-secrets",
        PolicyDocument: {
          $json: {
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "ReadMovedSecrets",
                Effect: "Allow",
                Action: "secretsmanager:GetSecretValue",
                Resource: { $output: CREATE, path: "ARN" },
              },
            ],
          },
        },
      },
    });
    expect(grant?.changes).toEqual({ kind: "role", arn: EXECUTION_ROLE });
    expect(change.deploy).toEqual({
      cluster: "my-cluster",
      service: "my-web-service",
      base: TD_ARN,
      edits: [
        {
          kind: "environment-to-secret",
          container: "my-web-app",
          name: "DB_PASSWD",
          valueFrom: { $output: CREATE, path: "ARN" },
        },
      ],
    });
    expect(change.reads).toEqual([
      { kind: "service", name: "my-web-service" },
      { kind: "task-definition", arn: TD_ARN },
      { kind: "role", arn: EXECUTION_ROLE },
    ]);
    expect(change.risk).toContain("rolls its tasks");
    expect(change.notes.join(" ")).toContain("rotate DB_PASSWD");
    expectNoSecret(change);
  });

  test("the whole plan: the secret and the grant, then one new revision and one deployment; no value anywhere", () => {
    const plan = planAll(inherited, audit(inherited, CHECKS).findings, { checks: ["env-secrets"] });
    expect(plan.changes.map((c) => [c.check, c.steps.map((s) => s.call.action)])).toEqual([
      ["env-secrets", ["CreateSecret", "PutRolePolicy"]],
      ["deploy", ["RegisterTaskDefinition", "UpdateService"]],
    ]);
    expectNoSecret(plan);
  });

  test("clean: DB_PASSWD already comes from Secrets Manager: nothing fails, nothing is planned", () => {
    expect(failures(check, clean)).toEqual([]);
    expect(planAll(clean, audit(clean, CHECKS).findings, { checks: ["env-secrets"] }).changes).toEqual([]);
  });

  test("no execution role: creates one (the same steps as execution-role-missing's, kept once) and names it", () => {
    const snapshot = withoutExecutionRole(inherited);
    const change = planFor(snapshot);
    const role = `arn:aws:iam::${ACCOUNT}:role/my-web-app-execution`;
    expect(change.steps.map((s) => s.id)).toEqual([
      CREATE,
      "iam:CreateRole:my-web-app-execution",
      "iam:AttachRolePolicy:my-web-app-execution/AmazonECSTaskExecutionRolePolicy",
      "iam:PutRolePolicy:my-web-app-execution/ecs-takeover-secrets",
    ]);
    expect(change.deploy?.edits[0]).toEqual({ kind: "execution-role", roleArn: role });
    expect(change.reads).not.toContainEqual(expect.objectContaining({ kind: "role" }));

    const roleFix = executionRoleMissing.plan(snapshot, failure(executionRoleCheck, snapshot));
    expect(roleFix.steps).toEqual(change.steps.slice(1, 3));
    const plan = planAll(snapshot, audit(snapshot, CHECKS).findings, {
      checks: ["env-secrets", "execution-role-missing"],
    });
    expect(plan.changes.map((c) => [c.check, c.steps.length])).toEqual([
      ["env-secrets", 4],
      ["execution-role-missing", 0],
      ["deploy", 2],
    ]);
    const register = plan.changes[2]?.steps[0]?.call.input as { $taskDefinition: { edits: unknown[] } };
    expect(register.$taskDefinition.edits).toHaveLength(2);
  });

  test("a rerun after an interrupted apply keeps what the policy granted, without listing the secret twice", () => {
    const other = `arn:aws:secretsmanager:ap-northeast-1:${ACCOUNT}:secret:my-web-app/api-key-XyZ123`;
    const snapshot = withRole(inherited, EXECUTION_ROLE, (role) => ({
      ...role,
      policies: {
        status: "known",
        value: [
          ...(role.policies.status === "known" ? role.policies.value : []),
          inline("ecs-takeover-secrets", [
            {
              Sid: "ReadMovedSecrets",
              Effect: "Allow",
              Action: "secretsmanager:GetSecretValue",
              Resource: [other, SECRET_ARN],
            },
          ]),
        ],
      },
    }));
    const grant = planFor(snapshot).steps[1]?.call.input.PolicyDocument as { $json: { Statement: unknown[] } };
    expect(grant.$json.Statement).toEqual([
      expect.objectContaining({ Resource: [other, { $output: CREATE, path: "ARN" }] }),
    ]);
  });

  test("a variable of the same name in two containers gets a secret per container", () => {
    const snapshot = withDefinition(inherited, (definition) => {
      const app = definition.containerDefinitions[0];
      if (!app) throw new Error("no container");
      return { ...definition, containerDefinitions: [app, { ...app, name: "worker" }] };
    });
    const names = planFor(snapshot)
      .steps.filter((s) => s.call.action === "CreateSecret")
      .map((s) => s.call.input.Name);
    expect(names).toEqual(["my-web-app/my-web-app/db-passwd", "my-web-app/worker/db-passwd"]);
  });

  test("plans nothing, and says why, when the execution role's policies could not be read", () => {
    const snapshot = withRole(inherited, EXECUTION_ROLE, (role) => ({
      ...role,
      policies: { status: "unknown", error: "AccessDenied", missing: "iam:ListRolePolicies", message: "denied" },
    }));
    const change = planFor(snapshot);
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change.notes[0]).toContain("the policies of execution role ecsTaskExecutionRole");
  });

  test("plans nothing for a revision no service runs (only the latest registered one)", () => {
    const latest = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/my-web-app:2";
    const definition = inherited.taskDefinitions[TD_ARN];
    if (definition?.status !== "known" || inherited.services.status !== "known") throw new Error("fixture");
    const snapshot: Snapshot = {
      ...inherited,
      services: {
        status: "known",
        value: inherited.services.value.map((s) => ({ ...s, latestRevision: latest })),
      },
      taskDefinitions: {
        ...inherited.taskDefinitions,
        [latest]: { status: "known", value: { ...definition.value, taskDefinitionArn: latest, revision: 2 } },
      },
    };
    const verdict = failures(check, snapshot).find((v) => v.resource === "my-web-app:2");
    if (!verdict) throw new Error("my-web-app:2 should fail too");
    const change = fix.plan(snapshot, verdict);
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change.notes[0]).toContain("no service of my-cluster runs my-web-app:2");
  });
});
