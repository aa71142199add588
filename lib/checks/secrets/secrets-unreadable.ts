// secrets-unreadable: a task definition injects secrets through `secrets[].valueFrom`, but ECS cannot fetch one of
// them: there is no execution role, the execution role's policies do not allow secretsmanager:GetSecretValue (or
// ssm:GetParameters) on it, or the secret does not exist. The tasks then fail to start. Only the role's identity
// policies are read: a secret's resource policy, a KMS key policy, boundaries and SCPs are not.
import type { Snapshot, SnapshotSecret } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { allowingStatements, statementsOf } from "../iam/policy";
import { findRole, ROLE_READS, roleLabel } from "../iam/scope";
import { eachTaskDefinition, type Judgement, TASK_DEFINITION_READS, unknownJudgement } from "../judge";
import { ecsGuide, seedTalk } from "../references";

export const meta: CheckMeta = {
  id: "secrets-unreadable",
  title: "A secret the task definition injects cannot be read by its execution role",
  pillar: "secrets",
  severity: "medium",
  why:
    "ECS fetches each `secrets` entry with the task execution role before the container starts; if that role may " +
    "not read the secret, or the secret is gone, new tasks fail to start — at the next deployment or scale-out.",
  references: [
    seedTalk(2, "secrets (the execution role reads exactly that secret)"),
    ecsGuide("Amazon ECS task execution IAM role: Secrets Manager permissions", "task_execution_IAM_role.html"),
  ],
  fix: { id: "secrets-unreadable", manual: false },
  reads: [...TASK_DEFINITION_READS, ...ROLE_READS, "secretsmanager:DescribeSecret", "ssm:DescribeParameters"],
};

export function run(snapshot: Snapshot): Verdict[] {
  return eachTaskDefinition(snapshot, (definition): Judgement | undefined => {
    const references = definition.containerDefinitions.flatMap((container) =>
      (container.secrets ?? []).map((secret) => ({
        variable: `${secret.name ?? "(unnamed)"} of container ${container.name ?? "(unnamed)"}`,
        valueFrom: secret.valueFrom ?? "",
      })),
    );
    if (references.length === 0) return undefined;
    const roleArn = definition.executionRoleArn;
    if (!roleArn) {
      return {
        status: "fail",
        detail: `injects ${references.map((r) => r.variable).join(", ")} but has no execution role: ECS cannot fetch secrets without one, so the tasks cannot start`,
      };
    }
    const role = findRole(snapshot, roleArn) ?? {
      status: "unknown" as const,
      error: "NotRead",
      message: `execution role ${roleLabel(roleArn)} was not read`,
    };
    if (role.status === "unknown") return unknownJudgement(role);
    if (role.value.policies.status === "unknown") return unknownJudgement(role.value.policies);
    const statements = statementsOf(role.value.policies.value);
    const problems: string[] = [];
    let unknown: Judgement | undefined;
    for (const reference of references) {
      const secret = snapshot.secrets.find((s) => s.reference === reference.valueFrom);
      if (!secret) {
        unknown ??= { status: "unknown", reason: `NotRead: secret ${reference.valueFrom} was not read` };
        continue;
      }
      if (secret.exists.status === "unknown") {
        unknown ??= unknownJudgement(secret.exists);
        continue;
      }
      const name = secret.name ?? secret.arn ?? reference.valueFrom;
      if (!secret.exists.value) {
        problems.push(`${reference.variable}: ${name} does not exist`);
        continue;
      }
      const action = secret.store === "ssm" ? "ssm:GetParameters" : "secretsmanager:GetSecretValue";
      if (allowingStatements(statements, action, secretArn(snapshot, secret)).length === 0) {
        problems.push(`${reference.variable}: ${roleLabel(roleArn)} may not ${action} on ${name}`);
      }
    }
    if (problems.length > 0) {
      return { status: "fail", detail: `ECS cannot fetch ${problems.join("; ")}; new tasks will not start` };
    }
    return (
      unknown ?? {
        status: "pass",
        detail: `${roleLabel(roleArn)} may read ${references.length === 1 ? "the secret" : `each of the ${references.length} secrets`} it injects`,
      }
    );
  });
}

/** The ARN a policy must allow: the secret's own, a parameter's ARN built from its name. */
export function secretArn(snapshot: Snapshot, secret: SnapshotSecret): string {
  if (secret.arn) return secret.arn;
  const reference = secret.reference;
  if (secret.store === "secretsmanager") {
    // valueFrom may add `:json-key:version-stage:version-id` after the secret's ARN.
    return reference.startsWith("arn:") ? reference.split(":").slice(0, 7).join(":") : reference;
  }
  if (reference.startsWith("arn:")) return reference;
  return `arn:aws:ssm:${snapshot.region}:${snapshot.account}:parameter/${reference.replace(/^\//, "")}`;
}

export const check: Check = { meta, run };
