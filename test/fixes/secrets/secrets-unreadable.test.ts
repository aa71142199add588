import { describe, expect, test } from "vitest";
import { check as executionRoleCheck } from "../../../lib/checks/iam/execution-role-missing";
import { CHECKS } from "../../../lib/checks/registry";
import { audit } from "../../../lib/checks/report";
import { check } from "../../../lib/checks/secrets/secrets-unreadable";
import { plan as planAll } from "../../../lib/fixes/planner";
import { fix } from "../../../lib/fixes/secrets/secrets-unreadable";
import type { Snapshot, SnapshotSecret } from "../../../lib/inventory/snapshot";
import {
  ACCOUNT,
  afterIamSteps,
  clean,
  EXECUTION_ROLE,
  inherited,
  inline,
  managed,
  withoutExecutionRole,
  withPolicies,
  withSecrets,
} from "../iam/variants";
import { expectNoSecret, failure, failures } from "../network/snapshots";

const SECRET = `arn:aws:secretsmanager:ap-northeast-1:${ACCOUNT}:secret:my-web-app/db-password-EEiFCs`;
const TASK_EXECUTION = managed("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy", [
  { Effect: "Allow", Action: ["ecr:GetAuthorizationToken", "logs:PutLogEvents"], Resource: "*" },
]);
const PUT = "iam:PutRolePolicy:ecsTaskExecutionRole/ecs-takeover-read-secrets";

/** The clean service whose execution role lost its grant on the database password. */
const unreadable = withPolicies(clean, EXECUTION_ROLE, [TASK_EXECUTION]);

function withSecret(snapshot: Snapshot, edit: (secret: SnapshotSecret) => SnapshotSecret): Snapshot {
  return withSecrets(snapshot, snapshot.secrets.map(edit));
}

const planFor = (snapshot: Snapshot) => fix.plan(snapshot, failure(check, snapshot));

describe("secrets-unreadable fix", () => {
  test("inherited and clean: nothing to grant, nothing planned", () => {
    expect(failures(check, inherited)).toEqual([]);
    expect(failures(check, clean)).toEqual([]);
    expect(planAll(clean, audit(clean, CHECKS).findings, { checks: ["secrets-unreadable"] }).changes).toEqual([]);
  });

  test("grants GetSecretValue on exactly the secret the role may not read; no deployment; then the check passes", () => {
    const change = planFor(unreadable);
    expect(change).toMatchObject({ check: "secrets-unreadable", resource: "my-web-app:1", manual: false });
    expect(change.steps.map((s) => s.id)).toEqual([PUT]);
    expect(change.steps[0]?.call.input).toEqual({
      RoleName: "ecsTaskExecutionRole",
      PolicyName: "ecs-takeover-read-secrets",
      PolicyDocument: {
        $json: {
          Version: "2012-10-17",
          Statement: [
            { Sid: "ReadSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SECRET },
          ],
        },
      },
    });
    expect(change.deploy).toBeUndefined();
    expect(change.reads).toEqual([
      { kind: "task-definition", arn: "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/my-web-app:1" },
      { kind: "role", arn: EXECUTION_ROLE },
    ]);
    expect(check.run(afterIamSteps(unreadable, change.steps)).map((v) => v.status)).toEqual(["pass"]);
    expectNoSecret(change);
  });

  test("a customer KMS key adds kms:Decrypt on it; an alias is named for a person", () => {
    const byId = withSecret(unreadable, (s) => ({ ...s, kmsKeyId: "1234abcd-12ab-34cd-56ef-1234567890ab" }));
    const document = planFor(byId).steps[0]?.call.input.PolicyDocument as { $json: { Statement: unknown[] } };
    expect(document.$json.Statement).toContainEqual({
      Sid: "DecryptSecrets",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: `arn:aws:kms:ap-northeast-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    });
    const byAlias = withSecret(unreadable, (s) => ({ ...s, kmsKeyId: "alias/my-web-app" }));
    const change = planFor(byAlias);
    expect(change.steps).toHaveLength(1);
    expect(change.notes.join(" ")).toContain("kms:Decrypt on the key behind that alias");
  });

  test("a secret that does not exist cannot be granted: a plan only, saying so", () => {
    const gone = withSecret(unreadable, (s) => ({ ...s, exists: { status: "known", value: false } }));
    const change = planFor(gone);
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change.notes[0]).toContain("my-web-app/db-password does not exist");
  });

  test("keeps what an earlier grant of its own allowed", () => {
    const earlier = `arn:aws:secretsmanager:ap-northeast-1:${ACCOUNT}:secret:my-web-app/api-key-XyZ123`;
    const snapshot = withPolicies(clean, EXECUTION_ROLE, [
      TASK_EXECUTION,
      inline("ecs-takeover-read-secrets", [
        { Sid: "ReadSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: earlier },
      ]),
    ]);
    const document = planFor(snapshot).steps[0]?.call.input.PolicyDocument as { $json: { Statement: unknown[] } };
    expect(document.$json.Statement).toEqual([expect.objectContaining({ Resource: [earlier, SECRET] })]);
  });

  test("no execution role: the role is created (steps shared with execution-role-missing) and deployed", () => {
    const snapshot = withoutExecutionRole(clean);
    const change = planFor(snapshot);
    expect(change.steps.map((s) => s.id)).toEqual([
      "iam:CreateRole:my-web-app-execution",
      "iam:AttachRolePolicy:my-web-app-execution/AmazonECSTaskExecutionRolePolicy",
      "iam:PutRolePolicy:my-web-app-execution/ecs-takeover-read-secrets",
    ]);
    expect(change.deploy?.edits).toEqual([
      { kind: "execution-role", roleArn: `arn:aws:iam::${ACCOUNT}:role/my-web-app-execution` },
    ]);
    expect(failures(executionRoleCheck, snapshot)).toHaveLength(1);
    const plan = planAll(snapshot, audit(snapshot, CHECKS).findings, {
      checks: ["secrets-unreadable", "execution-role-missing"],
    });
    expect(plan.changes.map((c) => [c.check, c.steps.map((s) => s.call.action)])).toEqual([
      ["secrets-unreadable", ["CreateRole", "AttachRolePolicy", "PutRolePolicy"]],
      ["execution-role-missing", []],
      ["deploy", ["RegisterTaskDefinition", "UpdateService"]],
    ]);
  });
});
