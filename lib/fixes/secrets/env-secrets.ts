// env-secrets: each secret-looking environment variable of the revision a service runs moves to Secrets Manager —
// the secret created from the live value (read at apply time, never shown), the execution role allowed to read
// exactly those secrets (or a role created where the revision has none), and a new revision that injects each one
// through `secrets[].valueFrom` under the same name, deployed to the service.
import { isRedacted } from "../../checks/secrets/env-secrets";
import type { Snapshot } from "../../inventory/snapshot";
import { SOURCE_TAG } from "../actions/secrets-manager";
import { type FailVerdict, type Fix, manualChange, step } from "../fix";
import { putInlinePolicy, ROLE_POLICY_WRITES, showDocument } from "../iam/documents";
import {
  DEPLOY_WRITES,
  EXECUTION_ROLE_WRITES,
  executionRoleOf,
  extendedPolicy,
  ownPolicy,
} from "../iam/execution-role";
import type { Change, ResourceRef, Step, StepOutput, TaskDefinitionEdit } from "../plan";
import { alsoRunByNotes, runningRevision } from "./running-revision";

const ID = "env-secrets";

/** The inline policy on the execution role that lets ECS read the moved secrets. */
export const SECRETS_POLICY = "ecs-takeover-secrets";

/** A secret-looking variable of one container, and the secret it becomes. */
interface Moved {
  readonly container: string;
  readonly variable: string;
  readonly hmac: string;
  readonly secretName: string;
  /** `my-web-app/my-web-app/DB_PASSWD`: the source tag that lets a rerun recognise the secret as ours. */
  readonly source: string;
  readonly stepId: string;
}

/** `my-web-app/db-passwd`; with the container when two containers hold a variable of the same name. */
function secretName(family: string, container: string, variable: string, shared: boolean): string {
  const slug = variable.toLowerCase().replace(/_/g, "-");
  return shared ? `${family}/${container}/${slug}` : `${family}/${slug}`;
}

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const revision = runningRevision(snapshot, verdict.resource);
  const title = `move the secrets in ${verdict.resource}'s environment to Secrets Manager`;
  if ("missing" in revision) {
    return manualChange(ID, verdict.resource, title, [`cannot plan this: ${revision.missing}`]);
  }
  const found = revision.definition.containerDefinitions.flatMap((container) =>
    (container.environment ?? []).flatMap((variable) =>
      isRedacted(variable.value)
        ? [{ container: container.name ?? "", variable: variable.name, hmac: variable.value.hmac }]
        : [],
    ),
  );
  const moved = found.map((f): Moved => {
    const shared = found.some((other) => other.variable === f.variable && other.container !== f.container);
    const name = secretName(revision.family, f.container, f.variable, shared);
    return {
      ...f,
      secretName: name,
      source: `${revision.family}/${f.container}/${f.variable}`,
      stepId: `secretsmanager:CreateSecret:${name}`,
    };
  });
  if (moved.length === 0) {
    return manualChange(ID, verdict.resource, title, [
      `the revision ${revision.service} runs holds no secret-looking value`,
    ]);
  }
  if (moved.some((m) => m.container === "")) {
    return manualChange(ID, verdict.resource, title, [
      "a container holding a secret has no name, so no edit can name it",
    ]);
  }
  const role = executionRoleOf(snapshot, revision.definition);
  if (role.status === "unknown") {
    return manualChange(ID, verdict.resource, title, [
      `${role.missing}: the plan must extend the execution role's policy without losing what it allows`,
    ]);
  }

  const creates = moved.map((m) =>
    step(
      m.stepId,
      `create secret ${m.secretName} from ${m.variable} of container ${m.container} (the value is read at apply time and never shown)`,
      {
        service: "secretsManager",
        action: "CreateSecret",
        input: {
          Name: m.secretName,
          Description: `${m.variable} of container ${m.container} in task definition ${revision.family}, moved out of its environment by ecs-takeover`,
          SecretString: {
            $secretFrom: { taskDefinition: revision.arn, container: m.container, name: m.variable, hmac: m.hmac },
          },
          Tags: [{ Key: SOURCE_TAG, Value: m.source }],
        },
      },
    ),
  );
  const arnOf = (m: Moved): StepOutput => ({ $output: m.stepId, path: "ARN" });
  const secretArnPrefix = `arn:aws:secretsmanager:${snapshot.region}:${snapshot.account}:secret:`;
  const document = extendedPolicy(ownPolicy(role, SECRETS_POLICY), [
    {
      sid: "ReadMovedSecrets",
      actions: ["secretsmanager:GetSecretValue"],
      resources: moved.map(arnOf),
      // An earlier, interrupted run granted these by their ARN (the name, a dash and six characters).
      replaces: (resource) =>
        moved.some(
          (m) =>
            resource.startsWith(`${secretArnPrefix}${m.secretName}-`) &&
            resource.length === `${secretArnPrefix}${m.secretName}`.length + 7,
        ),
    },
  ]);
  const roleRef: ResourceRef = { kind: "role", arn: role.arn };
  const grant = putInlinePolicy(
    "role",
    role.name,
    SECRETS_POLICY,
    document,
    `allow execution role ${role.name} to read exactly ${moved.length === 1 ? "that secret" : `those ${moved.length} secrets`} (inline policy ${SECRETS_POLICY})`,
    roleRef,
  );
  const steps: Step[] = [...creates, ...(role.status === "created" ? role.steps : []), grant];
  const edits: TaskDefinitionEdit[] = [
    ...(role.status === "created" ? [role.edit] : []),
    ...moved.map(
      (m): TaskDefinitionEdit => ({
        kind: "environment-to-secret",
        container: m.container,
        name: m.variable,
        valueFrom: arnOf(m),
      }),
    ),
  ];
  const names = moved.map((m) => m.variable).join(", ");
  return {
    check: ID,
    resource: verdict.resource,
    title,
    manual: false,
    steps,
    outcome:
      `${revision.service} runs a new revision of ${revision.family} in which ${names} ${moved.length === 1 ? "comes" : "come"} ` +
      `from Secrets Manager (${moved.map((m) => m.secretName).join(", ")}) through secrets[].valueFrom, under the same ` +
      `name${moved.length === 1 ? "" : "s"}, and no longer from the environment; execution role ${role.name} may read ` +
      `exactly ${moved.length === 1 ? "that secret" : "those secrets"}`,
    risk:
      "the service rolls its tasks onto the new revision; the app reads each variable as before (ECS injects the " +
      "secret's value under the same name before the container starts). If ECS could not read a secret, the new " +
      "tasks would fail to start and the deployment would not complete, while the old tasks keep serving. Each " +
      "secret costs USD 0.40 a month.",
    rollback: [
      `${revision.service} goes back to ${verdict.resource} (it stays registered, the value still in its environment)`,
      `the inline policy ${SECRETS_POLICY} of ${role.name} is put back as it was (deleted if it did not exist)`,
      ...(role.status === "created" ? [`role ${role.name} is detached from its policy and deleted`] : []),
      `the secret${moved.length === 1 ? " is" : "s are"} scheduled for deletion with a 7-day recovery window (restorable meanwhile)`,
    ],
    notes: [
      "each value is read from the running revision at apply time and passed straight to CreateSecret: it is never " +
        "shown, stored in the plan or journaled; apply refuses if the value changed since this plan (its keyed hash " +
        "differs), and refuses to touch a secret of the same name that ecs-takeover did not create",
      `the policy ${SECRETS_POLICY} ecs-takeover puts on ${role.name}: ${showDocument(document)}`,
      `${verdict.resource} and older revisions still hold the value in plain text: once the new revision is verified, ` +
        `deregister them, and rotate ${names} — ${moved.length === 1 ? "it has" : "they have"} been readable by anyone ` +
        "allowed to describe task definitions",
      ...(role.status === "created"
        ? [`${verdict.resource} has no execution role: ${role.name} is created for it (ECS needs one to read secrets)`]
        : []),
      ...alsoRunByNotes(revision),
    ],
    deploy: { cluster: revision.cluster, service: revision.service, base: revision.arn, edits },
    reads: [
      { kind: "service", name: revision.service },
      { kind: "task-definition", arn: revision.arn },
      ...(role.status === "existing" ? [roleRef] : []),
    ],
  };
}

export const fix: Fix = {
  id: ID,
  plan,
  writes: [
    "secretsmanager:CreateSecret",
    "secretsmanager:TagResource",
    "secretsmanager:DeleteSecret",
    ...ROLE_POLICY_WRITES,
    ...EXECUTION_ROLE_WRITES,
    ...DEPLOY_WRITES,
  ],
};
