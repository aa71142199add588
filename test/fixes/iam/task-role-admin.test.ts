import { describe, expect, test } from "vitest";
import { allowingStatements, statementsOf } from "../../../lib/checks/iam/policy";
import { check } from "../../../lib/checks/iam/task-role-admin";
import { check as taskRoleBroad } from "../../../lib/checks/iam/task-role-broad";
import { fix } from "../../../lib/fixes/iam/task-role-admin";
import type { PolicyDocument, Snapshot } from "../../../lib/inventory/snapshot";
import { expectNoSecret, failure, failures } from "../network/snapshots";
import { ADMIN_ROLE, afterIamSteps, clean, inherited, inline, TD_ARN, withDefinition, withRole } from "./variants";

const planFor = (snapshot: Snapshot) => fix.plan(snapshot, failure(check, snapshot));

/** The document the plan puts, as the policy evaluator reads it. */
function proposed(snapshot: Snapshot): PolicyDocument {
  const put = planFor(snapshot).steps.find((s) => s.call.action === "PutRolePolicy");
  const document = (put?.call.input.PolicyDocument as { $json: unknown } | undefined)?.$json;
  return inline("ecs-takeover-least-privilege", (document as { Statement: object[] }).Statement);
}

const allows = (policy: PolicyDocument, action: string, resource: string) =>
  allowingStatements(statementsOf([policy]), action, resource).length > 0;

function withEnvironment(snapshot: Snapshot, variables: { name: string; value: string }[]): Snapshot {
  return withDefinition(snapshot, (definition) => ({
    ...definition,
    containerDefinitions: definition.containerDefinitions.map((c) => ({
      ...c,
      environment: [...(c.environment ?? []), ...variables],
    })),
  }));
}

const usedServices = (snapshot: Snapshot, services: string[]) =>
  withRole(snapshot, ADMIN_ROLE, (role) => ({
    ...role,
    lastAccessed: {
      status: "known",
      value: services.map((service) => ({ service, lastAuthenticated: "2026-11-20T00:00:00.000Z" })),
    },
  }));

describe("task-role-admin fix", () => {
  test("inherited: puts an inferred policy (S3 on the uploads bucket, SQS on the jobs queue), then detaches AdministratorAccess", () => {
    const change = planFor(inherited);
    expect(change).toMatchObject({ check: "task-role-admin", resource: "role/AdministratorAccessRole", manual: false });
    expect(change.steps.map((s) => s.id)).toEqual([
      "iam:PutRolePolicy:AdministratorAccessRole/ecs-takeover-least-privilege",
      "iam:DetachRolePolicy:AdministratorAccessRole/AdministratorAccess",
    ]);
    expect(change.steps[1]?.call.input).toEqual({
      RoleName: "AdministratorAccessRole",
      PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
    });
    for (const s of change.steps) expect(s.changes).toEqual({ kind: "role", arn: ADMIN_ROLE });
    expect(change.reads).toEqual([
      { kind: "role", arn: ADMIN_ROLE },
      { kind: "task-definition", arn: TD_ARN },
    ]);
    const policy = proposed(inherited);
    expect(allows(policy, "s3:PutObject", "arn:aws:s3:::my-web-uploads/avatars/1.png")).toBe(true);
    expect(allows(policy, "s3:GetObject", "arn:aws:s3:::my-web-uploads/avatars/1.png")).toBe(true);
    expect(allows(policy, "s3:ListBucket", "arn:aws:s3:::my-web-uploads")).toBe(true);
    expect(allows(policy, "s3:PutObject", "arn:aws:s3:::another-bucket/x")).toBe(false);
    expect(allows(policy, "s3:DeleteBucket", "arn:aws:s3:::my-web-uploads")).toBe(false);
    const queue = "arn:aws:sqs:ap-northeast-1:123456789012:my-web-jobs";
    expect(allows(policy, "sqs:SendMessage", queue)).toBe(true);
    expect(allows(policy, "sqs:ReceiveMessage", queue)).toBe(true);
    expect(allows(policy, "sqs:DeleteQueue", queue)).toBe(false);
    expect(allows(policy, "iam:CreateUser", "*")).toBe(false);
    expect(change.notes[0]).toMatch(/^INFERRED — review before applying — policy ecs-takeover-least-privilege/);
    expect(change.notes[1]).toContain("s3 (last 2026-11-26), sqs (last 2026-11-27)");
    expect(change.notes[1]).toContain("bucket my-web-uploads (UPLOAD_BUCKET)");
    expect(change.notes[1]).toContain("queue my-web-jobs (JOBS_QUEUE_URL)");
    expect(change.notes[1]).toContain("data events");
    expect(change.rollback[0]).toBe("AdministratorAccess is attached to AdministratorAccessRole again");
    expectNoSecret(change);
  });

  test("once applied, the role is no administrator and no broader than it needs: both checks pass", () => {
    const after = afterIamSteps(inherited, planFor(inherited).steps);
    expect(check.run(after).map((v) => v.status)).toEqual(["pass"]);
    expect(taskRoleBroad.run(after).map((v) => v.status)).toEqual(["pass"]);
  });

  test("clean: the task role has its own least-privilege policy: nothing fails", () => {
    expect(failures(check, clean)).toEqual([]);
  });

  test("a named resource the role never used is not granted, and the notes say so; X-Ray needs '*'", () => {
    const snapshot = usedServices(withEnvironment(inherited, [{ name: "SESSIONS_TABLE", value: "my-sessions" }]), [
      "s3",
      "sqs",
      "xray",
    ]);
    const policy = proposed(snapshot);
    expect(allows(policy, "dynamodb:GetItem", "arn:aws:dynamodb:ap-northeast-1:123456789012:table/my-sessions")).toBe(
      false,
    );
    expect(allows(policy, "xray:PutTraceSegments", "*")).toBe(true);
    expect(planFor(snapshot).notes).toContainEqual(
      "not granted: SESSIONS_TABLE names table my-sessions, but AdministratorAccessRole has not used that service in the last-accessed window",
    );
    expect(taskRoleBroad.run(afterIamSteps(snapshot, planFor(snapshot).steps)).map((v) => v.status)).toEqual(["pass"]);
  });

  test("a table the role used, named by *_TABLE, is granted the item actions on it and its indexes", () => {
    const snapshot = usedServices(withEnvironment(inherited, [{ name: "SESSIONS_TABLE", value: "my-sessions" }]), [
      "s3",
      "sqs",
      "dynamodb",
    ]);
    const table = "arn:aws:dynamodb:ap-northeast-1:123456789012:table/my-sessions";
    const policy = proposed(snapshot);
    expect(allows(policy, "dynamodb:PutItem", table)).toBe(true);
    expect(allows(policy, "dynamodb:Query", `${table}/index/by-user`)).toBe(true);
    expect(allows(policy, "dynamodb:DeleteTable", table)).toBe(false);
  });

  test("a plan only when a used service has no resource in the configuration: the app would break", () => {
    const snapshot = usedServices(inherited, ["s3", "sqs", "dynamodb"]);
    const change = planFor(snapshot);
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change.notes[0]).toContain("used dynamodb, but the task configuration names none of its resources");
    expect(change.notes.join(" ")).toContain("INFERRED");
    expect(change.reads).toEqual([
      { kind: "role", arn: ADMIN_ROLE },
      { kind: "task-definition", arn: TD_ARN },
    ]);
  });

  test("a plan only when last-accessed data could not be read, or the administrator policy is inline", () => {
    const unread = withRole(inherited, ADMIN_ROLE, (role) => ({
      ...role,
      lastAccessed: {
        status: "unknown",
        error: "AccessDenied",
        missing: "iam:GenerateServiceLastAccessedDetails",
        message: "denied",
      },
    }));
    const change = planFor(unread);
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change.notes[0]).toContain("needs iam:GenerateServiceLastAccessedDetails");

    const inlineAdmin = withRole(inherited, ADMIN_ROLE, (role) => ({
      ...role,
      policies: { status: "known", value: [inline("everything", [{ Effect: "Allow", Action: "*", Resource: "*" }])] },
    }));
    const notes = planFor(inlineAdmin).notes;
    expect(planFor(inlineAdmin).steps).toEqual([]);
    expect(notes[0]).toContain("everything (inline) is an inline policy: it cannot be detached");
  });
});
