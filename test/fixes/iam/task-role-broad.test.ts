import { describe, expect, test } from "vitest";
import { check } from "../../../lib/checks/iam/task-role-broad";
import { fix } from "../../../lib/fixes/iam/task-role-broad";
import type { Snapshot } from "../../../lib/inventory/snapshot";
import { expectNoSecret, failure, failures } from "../network/snapshots";
import { ADMIN_ROLE, afterIamSteps, clean, inherited, inline, managed, withPolicies } from "./variants";

const S3_FULL = managed("arn:aws:iam::aws:policy/AmazonS3FullAccess", [
  { Effect: "Allow", Action: ["s3:*", "s3-object-lambda:*"], Resource: "*" },
]);
const SQS_FULL = managed("arn:aws:iam::aws:policy/AmazonSQSFullAccess", [
  { Effect: "Allow", Action: ["sqs:*"], Resource: "*" },
]);

const planFor = (snapshot: Snapshot) => fix.plan(snapshot, failure(check, snapshot));

describe("task-role-broad fix", () => {
  test("inherited: the role is an administrator — task-role-admin's case — so nothing fails here; clean passes", () => {
    expect(failures(check, inherited)).toEqual([]);
    expect(failures(check, clean)).toEqual([]);
  });

  test("broad managed policies: the inferred policy is put, then each is detached; the check then passes", () => {
    const snapshot = withPolicies(inherited, ADMIN_ROLE, [S3_FULL, SQS_FULL]);
    const change = planFor(snapshot);
    expect(change).toMatchObject({ check: "task-role-broad", manual: false });
    expect(change.steps.map((s) => s.id)).toEqual([
      "iam:PutRolePolicy:AdministratorAccessRole/ecs-takeover-least-privilege",
      "iam:DetachRolePolicy:AdministratorAccessRole/AmazonS3FullAccess",
      "iam:DetachRolePolicy:AdministratorAccessRole/AmazonSQSFullAccess",
    ]);
    expect(change.notes[0]).toMatch(/^INFERRED/);
    expect(check.run(afterIamSteps(snapshot, change.steps)).map((v) => v.status)).toEqual(["pass"]);
    expectNoSecret(change);
  });

  test("a broad inline policy makes it a plan only: it could only be deleted, which this tool does not do", () => {
    const snapshot = withPolicies(inherited, ADMIN_ROLE, [
      inline("app", [{ Effect: "Allow", Action: "s3:*", Resource: "*" }]),
    ]);
    const change = planFor(snapshot);
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change.notes[0]).toContain("app (inline) is an inline policy");
    expect(change.notes.join(" ")).toContain('"Resource":"arn:aws:s3:::my-web-uploads/*"');
  });
});
