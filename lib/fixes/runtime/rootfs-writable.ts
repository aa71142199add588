// rootfs-writable: a plan only. A read-only root filesystem breaks an app that writes to it, so the paths it
// writes must be found and given volumes first — a person's work, tested before it goes out.
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change } from "../plan";
import { referenceOf } from "./verdict-resource";

export const ID = "rootfs-writable";

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  return manualChange(
    ID,
    verdict.resource,
    `make the root filesystems of ${verdict.resource} read-only`,
    [
      `found: ${verdict.detail}`,
      "first find every path the app writes (temporary files, caches, PID or socket files, uploads on their way " +
        "to S3): run the image with `docker run --read-only` and exercise it, and look for 'Read-only file " +
        "system' (EROFS) errors in its output",
      "give each such path a volume: a task-level `volumes` entry (on Fargate, an empty volume on the task's " +
        "ephemeral storage) and a `mountPoints` entry in the container; /tmp is the usual one",
      "then set `readonlyRootFilesystem: true` on each container, register a new revision, and deploy it to a " +
        "test copy of the service before production",
    ],
    referenceOf(snapshot, verdict.resource),
  );
}

export const fix: Fix = { id: ID, plan, writes: [] };
