// secrets-unreadable: the execution role gets secretsmanager:GetSecretValue (ssm:GetParameters for a parameter, and
// kms:Decrypt where a secret names a customer KMS key) on exactly the secrets the revision injects but may not read,
// in an inline policy of its own. A revision with no execution role gets one created (the same steps as
// execution-role-missing's) and a new revision naming it. A secret that does not exist cannot be granted: the plan
// says so.
import { allowingStatements, statementsOf } from "../../checks/iam/policy";
import { judgedTaskDefinitions } from "../../checks/judge";
import { secretArn } from "../../checks/secrets/secrets-unreadable";
import type { Snapshot, SnapshotTaskDefinition } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import { putInlinePolicy, ROLE_POLICY_WRITES, showDocument } from "../iam/documents";
import {
  DEPLOY_WRITES,
  EXECUTION_ROLE_WRITES,
  executionRoleOf,
  extendedPolicy,
  type Grant,
  type KnownExecutionRole,
  ownPolicy,
} from "../iam/execution-role";
import type { Change, ResourceRef } from "../plan";
import { alsoRunByNotes, runningRevision } from "./running-revision";

const ID = "secrets-unreadable";

/** The inline policy on the execution role that lets ECS read the secrets a revision injects. */
export const READ_SECRETS_POLICY = "ecs-takeover-read-secrets";

/** What the role must be granted, and what no grant can fix. */
interface Needs {
  readonly secrets: string[];
  readonly parameters: string[];
  readonly keys: string[];
  readonly problems: string[];
}

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const title = `let the execution role of ${verdict.resource} read the secrets it injects`;
  const judged = judgedTaskDefinitions(snapshot).find((j) => j.name === verdict.resource);
  if (judged === undefined || judged.definition.status === "unknown") {
    return manualChange(ID, verdict.resource, title, [
      `cannot plan this: task definition ${verdict.resource} was not read`,
    ]);
  }
  const definition = judged.definition.value;
  const role = executionRoleOf(snapshot, definition);
  if (role.status === "unknown") {
    return manualChange(ID, verdict.resource, title, [`cannot plan this: ${role.missing}`]);
  }
  // Without a role the revision needs a new one naming the created role: only a revision a service runs can get it.
  const revision = role.status === "created" ? runningRevision(snapshot, verdict.resource) : undefined;
  if (revision !== undefined && "missing" in revision) {
    return manualChange(ID, verdict.resource, title, [`cannot plan this: ${revision.missing}`]);
  }

  const needs = needsOf(snapshot, definition, role);
  const unreadable = needs.secrets.length + needs.parameters.length;
  if (unreadable === 0) {
    return manualChange(ID, verdict.resource, title, [
      ...needs.problems,
      "no grant fixes this: each secret the role may not read is missing or could not be read",
    ]);
  }
  const grants: Grant[] = [
    ...(needs.secrets.length > 0
      ? [{ sid: "ReadSecrets", actions: ["secretsmanager:GetSecretValue"], resources: needs.secrets }]
      : []),
    ...(needs.parameters.length > 0
      ? [{ sid: "ReadParameters", actions: ["ssm:GetParameters"], resources: needs.parameters }]
      : []),
    ...(needs.keys.length > 0 ? [{ sid: "DecryptSecrets", actions: ["kms:Decrypt"], resources: needs.keys }] : []),
  ];
  const document = extendedPolicy(ownPolicy(role, READ_SECRETS_POLICY), grants);
  const roleRef: ResourceRef = { kind: "role", arn: role.arn };
  const put = putInlinePolicy(
    "role",
    role.name,
    READ_SECRETS_POLICY,
    document,
    `allow execution role ${role.name} to read ${unreadable === 1 ? "the secret" : `the ${unreadable} secrets`} ${verdict.resource} injects (inline policy ${READ_SECRETS_POLICY})`,
    roleRef,
  );
  const base: Change = {
    check: ID,
    resource: verdict.resource,
    title,
    manual: false,
    steps: [put],
    outcome: `${role.name} may read every secret ${verdict.resource} injects`,
    risk:
      "none for running tasks: ECS reads secrets when a task starts, so the next task to start (a scale-out, a " +
      "replacement, a deployment) gets them; the role may read these secrets from now on, as intended",
    rollback: [
      `the inline policy ${READ_SECRETS_POLICY} of ${role.name} is put back as it was (deleted if it did not exist)`,
    ],
    notes: [
      `the policy ${READ_SECRETS_POLICY} ecs-takeover puts on ${role.name}: ${showDocument(document)}`,
      ...needs.problems,
      "a secret's resource policy or a KMS key policy that denies the role is not read by this tool: if tasks still " +
        "cannot start, look there",
    ],
    reads: [{ kind: "task-definition", arn: judged.arn }, ...(role.status === "existing" ? [roleRef] : [])],
  };
  // `"missing" in revision` again: tslab type-checks lib without strictNullChecks, which loses the narrowing above.
  if (role.status !== "created" || revision === undefined || "missing" in revision) return base;
  return {
    ...base,
    steps: [...role.steps, put],
    outcome: `${base.outcome}, and ${revision.service} runs a new revision of ${revision.family} with ${role.name} as execution role`,
    risk: "the service rolls its tasks onto a revision that has an execution role; tasks that could not start before now can",
    rollback: [
      ...base.rollback,
      `${revision.service} goes back to ${verdict.resource}`,
      `role ${role.name} is detached from its policy and deleted`,
    ],
    notes: [...base.notes, ...alsoRunByNotes(revision)],
    deploy: { cluster: revision.cluster, service: revision.service, base: revision.arn, edits: [role.edit] },
    reads: [...base.reads, { kind: "service", name: revision.service }],
  };
}

/** The secrets, parameters and keys the role may not use yet (as the check judges it), and what no grant fixes. */
function needsOf(snapshot: Snapshot, definition: SnapshotTaskDefinition, role: KnownExecutionRole): Needs {
  const statements = role.status === "existing" ? statementsOf(role.policies) : [];
  const needs: Needs = { secrets: [], parameters: [], keys: [], problems: [] };
  for (const container of definition.containerDefinitions) {
    for (const reference of container.secrets ?? []) {
      const variable = `${reference.name ?? "(unnamed)"} of container ${container.name ?? "(unnamed)"}`;
      const secret = snapshot.secrets.find((s) => s.reference === reference.valueFrom);
      if (!secret || secret.exists.status === "unknown") {
        needs.problems.push(`${variable}: ${reference.valueFrom} could not be read, so it is not granted`);
        continue;
      }
      const name = secret.name ?? secret.arn ?? secret.reference;
      if (!secret.exists.value) {
        needs.problems.push(
          `${variable}: ${name} does not exist — recreate it or point the variable at another secret; no grant helps`,
        );
        continue;
      }
      const action = secret.store === "ssm" ? "ssm:GetParameters" : "secretsmanager:GetSecretValue";
      const arn = secretArn(snapshot, secret);
      if (allowingStatements(statements, action, arn).length > 0) continue;
      (secret.store === "ssm" ? needs.parameters : needs.secrets).push(arn);
      const key = secret.kmsKeyId;
      if (key === undefined || key === "alias/aws/secretsmanager") continue;
      if (key.startsWith("alias/") || key.includes(":alias/")) {
        needs.problems.push(
          `${variable}: ${name} is encrypted with KMS key ${key}; allow ${role.name} ` +
            "kms:Decrypt on the key behind that alias (the plan cannot resolve an alias without reading KMS)",
        );
        continue;
      }
      needs.keys.push(key.startsWith("arn:") ? key : `arn:aws:kms:${snapshot.region}:${snapshot.account}:key/${key}`);
    }
  }
  return {
    secrets: [...new Set(needs.secrets)],
    parameters: [...new Set(needs.parameters)],
    keys: [...new Set(needs.keys)],
    problems: needs.problems,
  };
}

export const fix: Fix = {
  id: ID,
  plan,
  writes: [...ROLE_POLICY_WRITES, ...EXECUTION_ROLE_WRITES, ...DEPLOY_WRITES],
};
