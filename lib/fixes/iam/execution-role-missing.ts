// execution-role-missing: create `<family>-execution`, trusted by ECS tasks, with AmazonECSTaskExecutionRolePolicy
// (pull from ECR, write logs), and deploy a new revision naming it. The steps are the ones env-secrets and
// secrets-unreadable plan for a revision without a role — same ids, same calls — so together they run once.
// Reading the secrets a revision injects is secrets-unreadable's grant, not this one's.
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change } from "../plan";
import { alsoRunByNotes, runningRevision } from "../secrets/running-revision";
import { createdExecutionRole, DEPLOY_WRITES, EXECUTION_ROLE_WRITES } from "./execution-role";

const ID = "execution-role-missing";

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const title = `give ${verdict.resource} an execution role`;
  const revision = runningRevision(snapshot, verdict.resource);
  if ("missing" in revision) {
    return manualChange(ID, verdict.resource, title, [`cannot plan this: ${revision.missing}`]);
  }
  if (revision.definition.executionRoleArn) {
    return manualChange(ID, verdict.resource, title, [
      `the revision ${revision.service} runs already names an execution role: nothing to create`,
    ]);
  }
  const role = createdExecutionRole(snapshot, revision.family);
  const injects = revision.definition.containerDefinitions.some((c) => (c.secrets ?? []).length > 0);
  return {
    check: ID,
    resource: verdict.resource,
    title,
    manual: false,
    steps: role.steps,
    outcome: `${revision.service} runs a new revision of ${revision.family} with execution role ${role.name} (AmazonECSTaskExecutionRolePolicy)`,
    risk:
      "the service rolls its tasks onto the new revision; tasks that could not start for want of the role (pulling " +
      "a private image, sending logs) now can. A newly created role can take a few seconds to be usable by ECS; a " +
      "task that fails then is retried by the service",
    rollback: [
      `${revision.service} goes back to ${verdict.resource} (it stays registered)`,
      `role ${role.name} is detached from AmazonECSTaskExecutionRolePolicy and deleted`,
    ],
    notes: [
      `if a role named ${role.name} already exists, apply reuses it only if it trusts ECS tasks as above, and refuses otherwise`,
      ...(injects
        ? ["the revision injects secrets: reading them is granted by the secrets-unreadable fix (plan it too)"]
        : []),
      ...alsoRunByNotes(revision),
    ],
    deploy: { cluster: revision.cluster, service: revision.service, base: revision.arn, edits: [role.edit] },
    reads: [
      { kind: "service", name: revision.service },
      { kind: "task-definition", arn: revision.arn },
    ],
  };
}

export const fix: Fix = {
  id: ID,
  plan,
  writes: [...EXECUTION_ROLE_WRITES, ...DEPLOY_WRITES],
};
