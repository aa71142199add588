// The inherited snapshot varied for the secrets and IAM fix tests — the running revision, a role, the principals —
// and a plan's IAM steps played on a snapshot (the pure stand-in for apply + rediscover), so a test can show that the
// check passes once the planned policies are in place.
import type { Change, Input, Json, Step } from "../../../lib/fixes/plan";
import type {
  PolicyDocument,
  Snapshot,
  SnapshotPrincipal,
  SnapshotRole,
  SnapshotSecret,
  SnapshotTaskDefinition,
} from "../../../lib/inventory/snapshot";
import { inlinePolicy, managedPolicy } from "../../checks/network/web-service";
import { fixture } from "../network/snapshots";

export const inherited = fixture("inherited");
export const clean = fixture("clean");

export const ACCOUNT = "123456789012";
export const TD_ARN = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/my-web-app:1";
export const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/AdministratorAccessRole`;
export const EXECUTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`;
export const CLUSTER_ARN = "arn:aws:ecs:ap-northeast-1:123456789012:cluster/my-cluster";

/** The snapshot with the running revision `my-web-app:1` edited. */
export function withDefinition(
  snapshot: Snapshot,
  edit: (definition: SnapshotTaskDefinition) => SnapshotTaskDefinition,
): Snapshot {
  const found = snapshot.taskDefinitions[TD_ARN];
  if (found?.status !== "known") throw new Error("the fixture's revision is not known");
  return {
    ...snapshot,
    taskDefinitions: {
      ...snapshot.taskDefinitions,
      [TD_ARN]: { status: "known", value: edit(structuredClone(found.value)) },
    },
  };
}

/** The snapshot with the running revision's execution role gone. */
export function withoutExecutionRole(snapshot: Snapshot): Snapshot {
  return withDefinition(snapshot, ({ executionRoleArn: _role, ...definition }) => definition);
}

/** The snapshot with a role edited (its policies, its last-accessed data). */
export function withRole(snapshot: Snapshot, arn: string, edit: (role: SnapshotRole) => SnapshotRole): Snapshot {
  const found = snapshot.roles[arn];
  if (found?.status !== "known") throw new Error(`role ${arn} is not known in the fixture`);
  return {
    ...snapshot,
    roles: { ...snapshot.roles, [arn]: { status: "known", value: edit(structuredClone(found.value)) } },
  };
}

export function withPolicies(snapshot: Snapshot, arn: string, policies: PolicyDocument[]): Snapshot {
  return withRole(snapshot, arn, (role) => ({ ...role, policies: { status: "known", value: policies } }));
}

export function withPrincipals(snapshot: Snapshot, principals: SnapshotPrincipal[]): Snapshot {
  return { ...snapshot, principals: { status: "known", value: principals } };
}

export function withSecrets(snapshot: Snapshot, secrets: SnapshotSecret[]): Snapshot {
  return { ...snapshot, secrets };
}

/** An inline policy, as discovery records it. */
export const inline = inlinePolicy;

/** A managed policy named after the last part of its ARN. */
export function managed(arn: string, statements: object[]): PolicyDocument {
  return managedPolicy(arn, arn.split("/").pop() ?? arn, statements);
}

export function principal(
  kind: SnapshotPrincipal["kind"],
  name: string,
  policies: PolicyDocument[],
  groups?: string[],
): SnapshotPrincipal {
  return {
    kind,
    name,
    arn: `arn:aws:iam::${ACCOUNT}:${kind}/${name}`,
    ...(groups ? { groups } : {}),
    policies,
  };
}

/** The statements of the policy document a change's step puts (`$json`), asserted to be there. */
export function putStatements(change: Change, index = 0): unknown[] {
  const document = change.steps[index]?.call.input.PolicyDocument as { $json?: { Statement?: unknown[] } } | undefined;
  if (!document?.$json?.Statement) throw new Error(`step ${index} of ${change.check} puts no policy document`);
  return document.$json.Statement;
}

/** Every step of the changes, in order. */
export function stepsOf(changes: readonly Change[]): Step[] {
  return changes.flatMap((change) => change.steps);
}

/** An input with its markers resolved from `outputs` and its `$json` documents parsed. */
function resolved(input: Input, outputs: Readonly<Record<string, Json>>): unknown {
  if (input === null || typeof input !== "object") return input;
  if (Array.isArray(input)) return input.map((item: Input) => resolved(item, outputs));
  const record = input as { readonly [key: string]: Input };
  if (typeof record.$output === "string") {
    const output = outputs[record.$output] as Record<string, Json> | undefined;
    return output?.[String(record.path)];
  }
  if ("$json" in record) return resolved(record.$json as Input, outputs);
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, resolved(value, outputs)]));
}

/**
 * The snapshot as discovery would see it after the IAM steps ran: inline policies put, managed policies detached,
 * on the principals and on the task definitions' roles. Other steps are ignored.
 */
export function afterIamSteps(
  snapshot: Snapshot,
  steps: readonly Step[],
  outputs: Readonly<Record<string, Json>> = {},
): Snapshot {
  let next = structuredClone(snapshot) as Snapshot;
  for (const s of steps) {
    const input = resolved(s.call.input, outputs) as Record<string, unknown>;
    const kind = /^Put(Role|User|Group)Policy$/.exec(s.call.action)?.[1]?.toLowerCase();
    const name = String(input.RoleName ?? input.UserName ?? input.GroupName ?? "");
    const edit = (policies: PolicyDocument[]): PolicyDocument[] => {
      if (kind) {
        const put = { ...inline(String(input.PolicyName), []), document: input.PolicyDocument };
        return [...policies.filter((p) => p.source !== put.source), put];
      }
      if (s.call.action === "DetachRolePolicy") return policies.filter((p) => p.source !== input.PolicyArn);
      return policies;
    };
    const principalKind = kind ?? (s.call.action === "DetachRolePolicy" ? "role" : undefined);
    if (!principalKind) continue;
    if (next.principals.status === "known") {
      next = withPrincipals(
        next,
        next.principals.value.map((p) =>
          p.kind === principalKind && p.name === name ? { ...p, policies: edit(p.policies) } : p,
        ),
      );
    }
    if (principalKind === "role") {
      const arn = Object.keys(next.roles).find((a) => a.endsWith(`/${name}`));
      const role = arn ? next.roles[arn] : undefined;
      if (arn && role?.status === "known" && role.value.policies.status === "known") {
        next = withPolicies(next, arn, edit(role.value.policies.value));
      }
    }
  }
  return next;
}
