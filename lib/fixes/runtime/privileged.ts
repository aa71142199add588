// privileged: a plan only. Dropping privileges can break an app that relies on them: what it needs must be found.
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change } from "../plan";
import { referenceOf } from "./verdict-resource";

export const ID = "privileged";

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  return manualChange(
    ID,
    verdict.resource,
    `stop running the containers of ${verdict.resource} privileged`,
    [
      `found: ${verdict.detail}`,
      "find out why it runs privileged (Docker-in-Docker builds, access to a device, kernel tuning, an agent): " +
        "usually one Linux capability is enough (`linuxParameters.capabilities.add`, e.g. NET_ADMIN), and " +
        "image builds can move to a build service",
      "set `privileged: false`, register a new revision and test it before production (Fargate refuses " +
        "privileged containers, so moving to Fargate forces this change anyway)",
    ],
    referenceOf(snapshot, verdict.resource),
  );
}

export const fix: Fix = { id: ID, plan, writes: [] };
