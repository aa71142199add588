// The scenario snapshots (test/fixtures/snapshots) and the failing verdicts a fix is planned from; shared by the
// image, audit and runtime fix tests.
import { join } from "node:path";
import { findCheck } from "../../../lib/checks/registry";
import type { FailVerdict, Fix } from "../../../lib/fixes/fix";
import type { Change } from "../../../lib/fixes/plan";
import type { Snapshot } from "../../../lib/inventory/snapshot";
import { loadSnapshot } from "../../../lib/inventory/store";
import { projectRoot } from "../../../lib/project";

export const PLANTED_SECRET = "mysupersecretpasswd";

export function fixture(scenario: "inherited" | "clean" | "incident"): Snapshot {
  return loadSnapshot(join(projectRoot, "test", "fixtures", "snapshots", `${scenario}.json`));
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A deep copy to alter (the snapshot's members are readonly). */
export function altered(snapshot: Snapshot, change: (copy: Mutable<Snapshot>) => void): Snapshot {
  const copy = structuredClone(snapshot) as Mutable<Snapshot>;
  change(copy);
  return copy;
}

/** The failing verdicts of a check on a snapshot. */
export function failing(snapshot: Snapshot, check: string): FailVerdict[] {
  const found = findCheck(check);
  if (!found) throw new Error(`no check ${check}`);
  return found.run(snapshot).filter((v): v is FailVerdict => v.status === "fail");
}

/** The fix's change for each failing verdict of its check. */
export function planned(fix: Fix, snapshot: Snapshot): Change[] {
  return failing(snapshot, fix.id).map((verdict) => fix.plan(snapshot, verdict));
}

/** The calls of a change as `service:Action` (none when there is no change). */
export function actions(change: Change | undefined): string[] {
  return (change?.steps ?? []).map((s) => `${s.call.service}:${s.call.action}`);
}
