// image-tag-latest: a plan only. Which version to pin is the owner's call; the plan proposes the digest the image
// has now, which changes nothing about what runs.
import { parseImage } from "../../checks/image/repositories";
import { judgedTaskDefinitions } from "../../checks/judge";
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change } from "../plan";

export const ID = "image-tag-latest";

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const judged = judgedTaskDefinitions(snapshot).find((candidate) => candidate.name === verdict.resource);
  const containers = judged?.definition.status === "known" ? judged.definition.value.containerDefinitions : [];
  const pins = containers.flatMap((container) => {
    const image = container.image;
    if (!image) return [];
    const reference = parseImage(image);
    if (reference.digest !== undefined || (reference.tag ?? "latest") !== "latest") return [];
    const known = snapshot.images.find((candidate) => candidate.image === image);
    const digest = known?.detail.status === "known" ? known.detail.value?.imageDigest : undefined;
    const repository = image.replace(/:latest$/, "");
    return [
      digest
        ? `container ${container.name}: pin ${repository}@${digest} (the digest latest names today, so nothing changes in what runs) or the version tag it was built as`
        : `container ${container.name}: pin a version tag or the digest of the image it runs (its digest was not read)`,
    ];
  });
  return manualChange(
    ID,
    verdict.resource,
    `pin the images of ${verdict.resource} to a version or digest`,
    [
      `found: ${verdict.detail}`,
      ...pins,
      "make the pipeline push a tag per build (a version or the commit hash) and deploy that tag, so a rollback to " +
        "the previous revision really runs the previous build; then tag immutability can be turned on",
      "register a task-definition revision with the pinned image and deploy it",
    ],
    judged ? [{ kind: "task-definition", arn: judged.arn }] : [],
  );
}

export const fix: Fix = { id: ID, plan, writes: [] };
