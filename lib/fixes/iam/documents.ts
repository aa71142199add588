// IAM policy documents as fixes write them: the raw statements of a policy read from the snapshot (to rewrite or
// extend them), a document built from statements, and the steps that put an inline policy on a role, user or group.
import type { PolicyDocument, SnapshotPrincipal } from "../../inventory/snapshot";
import { step } from "../fix";
import type { Input, Json, ResourceRef, Step } from "../plan";

/** One statement as written in a document; members may hold step outputs (a secret's ARN). */
export type RawStatement = { readonly [key: string]: Input };

// A type alias, not an interface: it must fit `Input`'s index signature.
export type Document = {
  readonly Version: "2012-10-17";
  readonly Statement: readonly RawStatement[];
};

export function documentOf(statements: readonly RawStatement[]): Document {
  return { Version: "2012-10-17", Statement: statements };
}

/** The statements of a policy as written (a single statement object counts as a list of one); undefined: unreadable. */
export function rawStatements(policy: PolicyDocument): RawStatement[] | undefined {
  let document: unknown = policy.document;
  if (typeof document === "string") {
    try {
      document = JSON.parse(document.trimStart().startsWith("%") ? decodeURIComponent(document) : document);
    } catch {
      return undefined;
    }
  }
  if (!isObject(document)) return undefined;
  const statement = document.Statement;
  const list = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  return list.every(isObject) ? (list as RawStatement[]) : undefined;
}

/** The inline policy of that name among a principal's policies. */
export function inlinePolicyNamed(policies: readonly PolicyDocument[], name: string): PolicyDocument | undefined {
  return policies.find((policy) => !policy.managed && policy.name === name);
}

/** A member that may be a string or a list of them, as a list (`"Action": "s3:GetObject"` → one action). */
export function listOf(value: Input | undefined): Input[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...value] : [value];
}

/** Values of a list, each once, in the order first seen (markers compare by their JSON). */
export function unique<T>(values: readonly T[]): T[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = JSON.stringify(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A statement with a list member of one entry written as that entry, as people write policies. */
export function single(values: readonly Input[]): Input {
  return values.length === 1 ? (values[0] as Input) : values;
}

type PutAction = "PutRolePolicy" | "PutUserPolicy" | "PutGroupPolicy";

const PUT: Readonly<Record<SnapshotPrincipal["kind"], { action: PutAction; nameKey: string }>> = {
  role: { action: "PutRolePolicy", nameKey: "RoleName" },
  user: { action: "PutUserPolicy", nameKey: "UserName" },
  group: { action: "PutGroupPolicy", nameKey: "GroupName" },
};

/** The IAM actions that put, and (on rollback) put back or delete, inline policies of each kind. */
export const INLINE_POLICY_WRITES = [
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:PutUserPolicy",
  "iam:DeleteUserPolicy",
  "iam:PutGroupPolicy",
  "iam:DeleteGroupPolicy",
];

/** The same, for a role's inline policies only. */
export const ROLE_POLICY_WRITES = ["iam:PutRolePolicy", "iam:DeleteRolePolicy"];

/**
 * The step that puts an inline policy (creating or replacing it). Its id is the same wherever two fixes put the same
 * policy, so the planner keeps it once — and refuses if they disagree about the document.
 */
export function putInlinePolicy(
  kind: SnapshotPrincipal["kind"],
  name: string,
  policyName: string,
  document: Document,
  title: string,
  changes: ResourceRef,
): Step {
  const { action, nameKey } = PUT[kind];
  return step(
    `iam:${action}:${name}/${policyName}`,
    title,
    { service: "iam", action, input: { [nameKey]: name, PolicyName: policyName, PolicyDocument: { $json: document } } },
    changes,
  );
}

/** A document for people: one line of JSON, step outputs named for what they stand for. */
export function showDocument(document: Document): string {
  return JSON.stringify(document, (_key, value: unknown) =>
    isObject(value) && typeof value.$output === "string"
      ? `(the ${String(value.path)} of step ${value.$output})`
      : value,
  );
}

export function isObject(value: unknown): value is { readonly [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
