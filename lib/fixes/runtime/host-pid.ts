// host-pid: a plan only. Tooling that needs the host's processes would stop working: a person decides.
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change } from "../plan";
import { referenceOf } from "./verdict-resource";

export const ID = "host-pid";

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  return manualChange(
    ID,
    verdict.resource,
    `stop sharing the host's processes with ${verdict.resource}`,
    [
      `found: ${verdict.detail}`,
      "find what needs the host's processes (a monitoring or security agent, a debugger): run it as a daemon " +
        "service of its own, or use `pidMode: task` if the containers only need to see each other's processes",
      "remove `pidMode: host`, register a new revision and test it before production (Fargate does not allow host)",
    ],
    referenceOf(snapshot, verdict.resource),
  );
}

export const fix: Fix = { id: ID, plan, writes: [] };
