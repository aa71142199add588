// What the observability fix tests share: the one change a fix plans for a snapshot, and the new revision a plan's
// shared deployment would register.
import type { Fix } from "../../../lib/fixes/fix";
import type { Change, DeployRequest, TaskDefinitionEdit } from "../../../lib/fixes/plan";
import type { Snapshot } from "../../../lib/inventory/snapshot";
import { planned } from "../image/fixture-verdicts";

/** The change for the snapshot's one failing verdict of the fix's check. */
export function onlyChange(fix: Fix, snapshot: Snapshot): Change {
  const changes = planned(fix, snapshot);
  if (changes.length !== 1) throw new Error(`expected one change for ${fix.id}, got ${changes.length}`);
  return changes[0] as Change;
}

/** The change's deployment request (it must have one). */
export function deployOf(change: Change): DeployRequest {
  if (!change.deploy) throw new Error(`${change.check} asks for no deployment`);
  return change.deploy;
}

/** The edits of one kind. */
export function editsOf<K extends TaskDefinitionEdit["kind"]>(
  change: Change,
  kind: K,
): Extract<TaskDefinitionEdit, { kind: K }>[] {
  return deployOf(change).edits.filter((edit): edit is Extract<TaskDefinitionEdit, { kind: K }> => edit.kind === kind);
}
