// What a fix is: the id of the check it fixes and one pure function from a snapshot and a failing verdict to the
// change that fixes it. One file per fix in lib/fixes/<pillar>/<id>.ts; the registry lists them.
import type { Verdict } from "../checks/check";
import type { Snapshot } from "../inventory/snapshot";
import type { Call, Change, ResourceRef, Step } from "./plan";

export type FailVerdict = Extract<Verdict, { status: "fail" }>;

export interface Fix {
  /** The id of the check it fixes. */
  readonly id: string;
  /**
   * Pure: no network, no clock. Returns the change for one failing verdict — steps to apply, or, for a manual fix
   * or when something the fix needs is missing, no steps and notes saying what a person must do.
   */
  readonly plan: (snapshot: Snapshot, verdict: FailVerdict) => Change;
  /** The write actions its steps (and their rollback) may call, for the README's apply policy. */
  readonly writes: readonly string[];
}

/** A step; `id` must be the same wherever two fixes plan the same call, so the planner keeps it once. */
export function step(id: string, title: string, call: Call, changes?: ResourceRef): Step {
  return changes === undefined ? { id, title, call } : { id, title, call, changes };
}

/** A change a person has to make: the plan says what and why, and apply leaves it alone. */
export function manualChange(
  check: string,
  resource: string,
  title: string,
  notes: readonly string[],
  reads: readonly ResourceRef[] = [],
): Change {
  return {
    check,
    resource,
    title,
    manual: true,
    steps: [],
    outcome: "nothing changes until a person acts on these notes",
    risk: "none from this tool: it changes nothing here",
    rollback: [],
    notes,
    reads,
  };
}
