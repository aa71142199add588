// The roles the task definitions name, and reading their policies, failing closed (the task-definition walk itself
// is in ../judge.ts).
import type { PolicyDocument, Snapshot, SnapshotRole } from "../../inventory/snapshot";
import type { Verdict } from "../check";
import { clusterLabel, type Judgement, judgedTaskDefinitions, unknownVerdict } from "../judge";

/** Reading a role and its policies: inline and attached, with the managed policies' documents. */
export const ROLE_READS = [
  "iam:GetRole",
  "iam:ListRolePolicies",
  "iam:GetRolePolicy",
  "iam:ListAttachedRolePolicies",
  "iam:GetPolicy",
  "iam:GetPolicyVersion",
];

/** `AdministratorAccessRole` from `arn:aws:iam::123456789012:role/path/AdministratorAccessRole` (or a bare name). */
export function roleName(reference: string): string {
  return reference.split("/").pop() ?? reference;
}

/** `role/AdministratorAccessRole`, as people name a role. */
export function roleLabel(reference: string): string {
  return `role/${roleName(reference)}`;
}

/** The role a task definition names: ECS accepts a bare role name as well as an ARN. */
export function findRole(snapshot: Snapshot, reference: string): Snapshot["roles"][string] | undefined {
  const byArn = snapshot.roles[reference];
  if (byArn) return byArn;
  if (reference.startsWith("arn:")) return undefined;
  return Object.values(snapshot.roles).find((role) => role.status === "known" && role.value.name === reference);
}

/** A role the judged task definitions name, with the revisions that name it. */
export interface RoleInUse {
  readonly reference: string;
  readonly label: string;
  /** `family:revision` of each judged revision that runs with the role. */
  readonly definitions: readonly string[];
}

/**
 * Judges each role the judged task definitions name in `field` (once per role, however many revisions use it),
 * with its policies read. Unread definitions, roles or policies are unknown verdicts.
 */
export function eachRole(
  snapshot: Snapshot,
  field: "taskRoleArn" | "executionRoleArn",
  judge: (role: SnapshotRole, policies: readonly PolicyDocument[], use: RoleInUse) => Judgement | undefined,
): Verdict[] {
  if (snapshot.services.status === "unknown") return [unknownVerdict(clusterLabel(snapshot), snapshot.services)];
  const verdicts: Verdict[] = [];
  const uses = new Map<string, string[]>();
  for (const judged of judgedTaskDefinitions(snapshot)) {
    if (judged.definition.status === "unknown") {
      verdicts.push(unknownVerdict(judged.name, judged.definition));
      continue;
    }
    const reference = judged.definition.value[field];
    if (!reference) continue;
    uses.set(reference, [...(uses.get(reference) ?? []), judged.name]);
  }
  for (const [reference, definitions] of uses) {
    const use: RoleInUse = { reference, label: roleLabel(reference), definitions };
    const role = findRole(snapshot, reference) ?? {
      status: "unknown" as const,
      error: "NotRead",
      message: `role ${roleName(reference)} was not read`,
    };
    if (role.status === "unknown") {
      verdicts.push(unknownVerdict(use.label, role));
      continue;
    }
    if (role.value.policies.status === "unknown") {
      verdicts.push(unknownVerdict(use.label, role.value.policies));
      continue;
    }
    const judgement = judge(role.value, role.value.policies.value, use);
    if (judgement) verdicts.push({ ...judgement, resource: use.label });
  }
  return verdicts;
}

/** `my-web-app:1` or `my-web-app:1 and my-web-app:2`, for details. */
export function listed(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
