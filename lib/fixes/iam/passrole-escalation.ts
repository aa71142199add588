// passrole-escalation: each inline policy that lets the principal (or a group it gets the permission from) pass any
// role is put again under the same name with iam:PassRole only on the roles the cluster's services run with — their
// task and execution roles — and only to ECS tasks (`iam:PassedToService`). Undo puts the old document back.
// Managed policies are a person's change, as for cluster-access-unscoped.
import { groupsOf } from "../../checks/iam/principals";
import { roleLabel } from "../../checks/iam/scope";
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change } from "../plan";
import { INLINE_POLICY_WRITES } from "./documents";
import { findPrincipal, principalChange } from "./principal-change";
import { ECS_TASKS, rolesToPass } from "./principal-policies";

const ID = "passrole-escalation";

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const title = `let ${verdict.resource} pass only the cluster's task and execution roles, to ECS tasks only`;
  const principal = findPrincipal(snapshot, verdict.resource);
  if (!principal || snapshot.principals.status !== "known") {
    return manualChange(ID, verdict.resource, title, [`cannot plan this: ${verdict.resource} was not read`]);
  }
  const roles = rolesToPass(snapshot);
  const named = "missing" in roles ? "the cluster's roles" : roles.map(roleLabel).join(", ");
  return principalChange(snapshot, {
    check: ID,
    scoping: "passrole",
    title,
    principals: [principal, ...groupsOf(principal, snapshot.principals.value)],
    outcome: `${verdict.resource} may pass only ${named}, and only to ${ECS_TASKS}`,
    risk:
      `${verdict.resource} can no longer pass other roles, nor pass these to other services (Lambda, EC2…): a ` +
      "deployment of another service with other task or execution roles fails with AccessDenied until their ARNs " +
      "are added to the policy. Deployments of this cluster's services keep working",
  });
}

export const fix: Fix = { id: ID, plan, writes: INLINE_POLICY_WRITES };
