// Replacing what a task role has too much of with an inferred least-privilege policy: put the inferred policy on the
// role as an inline policy, then detach the managed policies that grant too much. The role stays (tasks keep
// assuming it, no deployment), and every managed policy detached can be re-attached. Shared by task-role-admin
// (AdministratorAccess) and task-role-broad (`s3:*`, `"Resource": "*"`).
import { policyLabel } from "../../checks/iam/policy";
import { findRole, roleLabel, roleName } from "../../checks/iam/scope";
import { judgedTaskDefinitions } from "../../checks/judge";
import type { PolicyDocument, Snapshot, SnapshotRole, SnapshotTaskDefinition } from "../../inventory/snapshot";
import { type FailVerdict, manualChange, step } from "../fix";
import type { Change, ResourceRef, Step } from "../plan";
import { putInlinePolicy, ROLE_POLICY_WRITES, showDocument } from "./documents";
import { inferPolicy } from "./least-privilege";

/** The inline policy that holds the inferred permissions. */
export const LEAST_PRIVILEGE_POLICY = "ecs-takeover-least-privilege";

export const TASK_ROLE_WRITES = [...ROLE_POLICY_WRITES, "iam:DetachRolePolicy", "iam:AttachRolePolicy"];

interface TaskRole {
  readonly role: SnapshotRole;
  readonly policies: readonly PolicyDocument[];
  /** The judged revisions that run with it, by ARN. */
  readonly definitions: readonly { readonly arn: string; readonly definition: SnapshotTaskDefinition }[];
}

/** The task role a verdict names (`role/AdministratorAccessRole`) with the revisions that run with it, or what is missing. */
function taskRoleOf(snapshot: Snapshot, label: string): TaskRole | { readonly missing: string } {
  const definitions = judgedTaskDefinitions(snapshot).flatMap((judged) =>
    judged.definition.status === "known" &&
    judged.definition.value.taskRoleArn &&
    roleLabel(judged.definition.value.taskRoleArn) === label
      ? [{ arn: judged.arn, definition: judged.definition.value }]
      : [],
  );
  const reference = definitions[0]?.definition.taskRoleArn;
  if (!reference) return { missing: `no task definition read here runs with ${label}` };
  const role = findRole(snapshot, reference);
  if (role === undefined || role.status === "unknown") return { missing: `${label} was not read` };
  if (role.value.policies.status === "unknown") {
    return { missing: `the policies of ${label} could not be read (${role.value.policies.error})` };
  }
  return { role: role.value, policies: role.value.policies.value, definitions };
}

/**
 * The change that gives the task role an inferred least-privilege policy and detaches `excessive(policies)` — or,
 * where something the inference needs is missing or a policy cannot be detached, the proposal as a plan only.
 */
export function leastPrivilegeChange(
  check: string,
  snapshot: Snapshot,
  verdict: FailVerdict,
  excessive: (policies: readonly PolicyDocument[]) => PolicyDocument[],
  what: string,
): Change {
  const title = `replace ${what} of ${verdict.resource} with a least-privilege policy inferred from its use`;
  const found = taskRoleOf(snapshot, verdict.resource);
  if ("missing" in found) return manualChange(check, verdict.resource, title, [`cannot plan this: ${found.missing}`]);
  const { role, policies, definitions } = found;
  const name = roleName(role.arn);
  const roleRef: ResourceRef = { kind: "role", arn: role.arn };
  const reads: ResourceRef[] = [
    roleRef,
    ...definitions.map((d): ResourceRef => ({ kind: "task-definition", arn: d.arn })),
  ];
  if (role.lastAccessed.status === "unknown") {
    return manualChange(check, verdict.resource, title, [
      `cannot infer what ${name} uses: its service last-accessed data could not be read (${role.lastAccessed.error}` +
        `${role.lastAccessed.missing ? `, needs ${role.lastAccessed.missing}` : ""})`,
    ]);
  }
  const inference = inferPolicy(
    snapshot,
    role.lastAccessed.value,
    definitions.map((d) => d.definition),
  );
  const replaced = excessive(policies);
  if (replaced.length === 0) {
    return manualChange(check, verdict.resource, title, [`cannot plan this: no policy of ${name} grants ${what}`]);
  }
  const inline = replaced.filter((p) => !p.managed);
  const remaining = policies.filter((p) => !replaced.includes(p) && p.name !== LEAST_PRIVILEGE_POLICY);
  const proposal = inference.document
    ? `INFERRED — review before applying — policy ${LEAST_PRIVILEGE_POLICY} for ${name}: ${showDocument(inference.document)}`
    : `INFERRED: ${name} used no AWS service that needs a permission, so no policy replaces ${what}`;
  const evidence = [
    proposal,
    `inferred from: the services IAM's last-accessed data says ${name} used — ${inference.used.length > 0 ? inference.used.join(", ") : "none"}; ` +
      `the resources its task configuration names — ${inference.granted.length > 0 ? inference.granted.join("; ") : "none"}; ` +
      "and the actions an app typically needs of each. CloudTrail's event history is not evidence here: object-level " +
      "S3 calls and SQS messages are data events it never holds",
    ...inference.unused.map(
      (u) => `not granted: ${u}, but ${name} has not used that service in the last-accessed window`,
    ),
  ];
  const blockers = [
    ...inference.uncovered.map(
      (service) =>
        `${name} used ${service}, but the task configuration names none of its resources: add the ${service} ` +
        `actions and resources the app needs to the proposal, then apply it by hand`,
    ),
    ...inline.map(
      (p) =>
        `${policyLabel(p)} is an inline policy: it cannot be detached, and this tool does not delete a role's ` +
        "policies; remove it by hand once the proposal is in place",
    ),
  ];
  if (blockers.length > 0) return manualChange(check, verdict.resource, title, [...blockers, ...evidence], reads);

  const steps: Step[] = [
    ...(inference.document
      ? [
          putInlinePolicy(
            "role",
            name,
            LEAST_PRIVILEGE_POLICY,
            inference.document,
            `put the inferred least-privilege policy ${LEAST_PRIVILEGE_POLICY} on ${name}`,
            roleRef,
          ),
        ]
      : []),
    ...replaced.map((p) =>
      step(
        `iam:DetachRolePolicy:${name}/${p.name}`,
        `detach ${p.name} from ${name} (the policy itself stays)`,
        { service: "iam", action: "DetachRolePolicy", input: { RoleName: name, PolicyArn: p.source } },
        roleRef,
      ),
    ),
  ];
  const detached = replaced.map((p) => p.name).join(", ");
  return {
    check,
    resource: verdict.resource,
    title,
    manual: false,
    steps,
    outcome:
      `${name} no longer has ${detached}; ${inference.document ? `it may do what ${LEAST_PRIVILEGE_POLICY} allows` : "it allows nothing new"}` +
      `${remaining.length > 0 ? ` and what ${remaining.map(policyLabel).join(", ")} already allowed` : ""}; the role itself stays`,
    risk:
      "a call the app makes that the inferred policy does not allow fails with AccessDenied when the app makes it " +
      "(no restart is needed for the change to take effect, so watch the app's errors for a while after applying). " +
      `Anything else that uses ${name} — other task definitions, services or clusters not read here — loses ${detached} too`,
    rollback: [
      `${detached} ${replaced.length === 1 ? "is" : "are"} attached to ${name} again`,
      ...(inference.document
        ? [`the inline policy ${LEAST_PRIVILEGE_POLICY} is deleted (or put back as it was, if an earlier run put it)`]
        : []),
    ],
    notes: [
      ...evidence,
      "if the app needs more (s3:DeleteObject, another bucket…), add it to the policy and apply again — or roll back",
    ],
    reads,
  };
}
