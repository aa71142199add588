// The task execution role as fixes need it: the one a revision names, or the one they create where it names none
// (trusted by ECS tasks, with AmazonECSTaskExecutionRolePolicy) — the same steps, with the same ids, whichever fix
// plans them, so the planner keeps them once — and inline grants on it that extend what an earlier run granted.

import { findRole, roleName } from "../../checks/iam/scope";
import type { PolicyDocument, Snapshot, SnapshotTaskDefinition } from "../../inventory/snapshot";
import { SOURCE_TAG } from "../actions/secrets-manager";
import { step } from "../fix";
import type { Input, Step, TaskDefinitionEdit } from "../plan";
import {
  type Document,
  documentOf,
  inlinePolicyNamed,
  listOf,
  type RawStatement,
  rawStatements,
  single,
  unique,
} from "./documents";

/** What creating an execution role calls, and its rollback (detach, delete). */
export const EXECUTION_ROLE_WRITES = [
  "iam:CreateRole",
  "iam:TagRole",
  "iam:DeleteRole",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
];

/** What a new revision naming roles, and its deployment, call (registering it passes its roles). */
export const DEPLOY_WRITES = ["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:TagResource", "ecs:UpdateService"];

export const TASK_EXECUTION_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

/** Who may assume a task role or task execution role: ECS tasks. */
export const ECS_TASKS_TRUST: Document = documentOf([
  { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" },
]);

/** `my-web-app-execution`: the role created for a family that has none (IAM allows 64 characters). */
export function executionRoleName(family: string): string {
  return `${family.slice(0, 54)}-execution`;
}

export function roleArn(snapshot: Snapshot, reference: string): string {
  return reference.startsWith("arn:") ? reference : `arn:aws:iam::${snapshot.account}:role/${reference}`;
}

export type ExecutionRole =
  | {
      readonly status: "existing";
      readonly name: string;
      readonly arn: string;
      /** Its policies as discovery read them (an earlier run's grants among them). */
      readonly policies: readonly PolicyDocument[];
    }
  | {
      readonly status: "created";
      readonly name: string;
      readonly arn: string;
      /** CreateRole and AttachRolePolicy. */
      readonly steps: readonly Step[];
      /** The revision's new execution role. */
      readonly edit: TaskDefinitionEdit;
    }
  | { readonly status: "unknown"; readonly missing: string };

/** A task definition's execution role, or the steps that create one where it names none. */
export function executionRoleOf(snapshot: Snapshot, definition: SnapshotTaskDefinition): ExecutionRole {
  const reference = definition.executionRoleArn;
  if (!reference) return createdExecutionRole(snapshot, definition.family ?? "");
  const role = findRole(snapshot, reference);
  const name = roleName(reference);
  if (role === undefined) return { status: "unknown", missing: `execution role ${name} was not read` };
  if (role.status === "unknown") return { status: "unknown", missing: `execution role ${name}: ${role.message}` };
  if (role.value.policies.status === "unknown") {
    return { status: "unknown", missing: `the policies of execution role ${name}: ${role.value.policies.message}` };
  }
  return { status: "existing", name: role.value.name, arn: role.value.arn, policies: role.value.policies.value };
}

/** The execution role created for a family that has none. */
export function createdExecutionRole(
  snapshot: Snapshot,
  family: string,
): Extract<ExecutionRole, { status: "created" }> {
  const name = executionRoleName(family);
  const arn = roleArn(snapshot, name);
  const steps = [
    step(
      `iam:CreateRole:${name}`,
      `create role ${name}, trusted by ECS tasks, as the execution role of ${family}`,
      {
        service: "iam",
        action: "CreateRole",
        input: {
          RoleName: name,
          AssumeRolePolicyDocument: { $json: ECS_TASKS_TRUST },
          Description: `ECS task execution role of ${family} (created by ecs-takeover)`,
          Tags: [{ Key: SOURCE_TAG, Value: family }],
        },
      },
      { kind: "role", arn },
    ),
    step(
      `iam:AttachRolePolicy:${name}/AmazonECSTaskExecutionRolePolicy`,
      `attach AmazonECSTaskExecutionRolePolicy to ${name} (pull from ECR, write logs)`,
      { service: "iam", action: "AttachRolePolicy", input: { RoleName: name, PolicyArn: TASK_EXECUTION_POLICY_ARN } },
      { kind: "role", arn },
    ),
  ];
  return { status: "created", name, arn, steps, edit: { kind: "execution-role", roleArn: arn } };
}

/** One statement a fix grants, by Sid: extending it keeps what an earlier run granted. */
export interface Grant {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly Input[];
  /** Resources of the earlier statement that this grant re-adds (as a step output), dropped so none appears twice. */
  readonly replaces?: (resource: string) => boolean;
}

/**
 * The document of an inline policy a fix owns, with its grants: the statements of the policy as it is (`existing`)
 * stay, and a statement with a grant's Sid keeps its resources and gains the grant's — so a second fix run (another
 * variable moved later) never takes away what the first one granted.
 */
export function extendedPolicy(existing: PolicyDocument | undefined, grants: readonly Grant[]): Document {
  const statements = (existing && rawStatements(existing)) ?? [];
  const sids = new Set(grants.map((g) => g.sid));
  const kept = statements.filter((s) => !sids.has(String(s.Sid)));
  const granted = grants.map((grant): RawStatement => {
    const earlier = statements.find((s) => s.Sid === grant.sid);
    const before = listOf(earlier?.Resource).filter(
      (resource) => typeof resource !== "string" || !(grant.replaces?.(resource) ?? false),
    );
    return {
      Sid: grant.sid,
      Effect: "Allow",
      Action: single(grant.actions),
      Resource: single(unique([...before, ...grant.resources])),
    };
  });
  return documentOf([...kept, ...granted]);
}

export type KnownExecutionRole = Exclude<ExecutionRole, { status: "unknown" }>;

/** The inline policy of that name on the role, if an earlier run put one. */
export function ownPolicy(role: KnownExecutionRole, policyName: string): PolicyDocument | undefined {
  return role.status === "existing" ? inlinePolicyNamed(role.policies, policyName) : undefined;
}
