// cluster-access-unscoped: each inline policy of the principal whose ECS writes reach every cluster is put again under
// the same name with those writes scoped to this cluster — its ARN and its services', tasks', task sets' and
// container instances' ARN patterns, RunTask and StartTask by an `ecs:cluster` condition — and reads and
// account-level ECS actions kept as they were. Undo puts the old document back. Managed policies are a person's
// change: an AWS managed one cannot be edited, and a customer managed one may be attached to others.
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change } from "../plan";
import { INLINE_POLICY_WRITES } from "./documents";
import { findPrincipal, principalChange } from "./principal-change";

const ID = "cluster-access-unscoped";

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const title = `scope ${verdict.resource}'s ECS writes to cluster ${snapshot.scope.cluster}`;
  const principal = findPrincipal(snapshot, verdict.resource);
  if (!principal) {
    return manualChange(ID, verdict.resource, title, [`cannot plan this: ${verdict.resource} was not read`]);
  }
  return principalChange(snapshot, {
    check: ID,
    scoping: "ecs",
    title,
    principals: [principal],
    outcome:
      `${verdict.resource} may change only cluster ${snapshot.scope.cluster} — its services, tasks, task sets and ` +
      "container instances, and start tasks only in it (ecs:cluster condition); its ECS reads and account-level ECS " +
      "actions (task definitions, capacity providers, account settings) stay as they were",
    risk:
      `${verdict.resource} can no longer change other clusters — the point of the change; if it operates another ` +
      "cluster on purpose, add that cluster's ARNs to the policy. What it does in this cluster is unchanged",
  });
}

export const fix: Fix = { id: ID, plan, writes: INLINE_POLICY_WRITES };
