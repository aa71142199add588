// image-vulnerable: a plan only. Rebuilding the image on patched packages is the application team's work; the
// plan says how, and how to know it worked.
import { imageName } from "../../checks/image/image-vulnerable";
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change } from "../plan";
import { imageRef } from "./repository";

export const ID = "image-vulnerable";

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const image = snapshot.images.find((candidate) => imageName(candidate) === verdict.resource);
  return manualChange(
    ID,
    verdict.resource,
    `rebuild ${verdict.resource.replace(/^image /, "")} on patched packages and deploy it`,
    [
      `the latest scan found: ${verdict.detail}`,
      "rebuild the image on a patched base: move the Dockerfile's FROM to the current patch release of its base " +
        "image (or a slimmer one with fewer packages), build with --pull and without the cache, and upgrade the " +
        "OS packages in the build; update the application's own dependencies the findings name",
      "push it under a new tag (tags should be immutable), let scan on push scan it, and check that the new " +
        "image has no CRITICAL findings before it goes anywhere",
      "register a task-definition revision with the new image and deploy it; keep the old revision to roll back to",
      "a finding that cannot be fixed yet (no patched package released) needs a written risk acceptance and a date " +
        "to look again",
    ],
    image ? [imageRef(image)] : [],
  );
}

export const fix: Fix = { id: ID, plan, writes: [] };
