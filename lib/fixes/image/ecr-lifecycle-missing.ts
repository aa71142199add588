// ecr-lifecycle-missing: a lifecycle policy that cleans up by itself and never expires what the services run:
// 1. one rule per image in use, selecting exactly its tag: ECR never lets a later rule expire an image an earlier
//    rule selected, and "more than 1" never expires the one image a tag names — so these images are shielded;
// 2. untagged images expire 14 days after their push (leftovers of re-pushed tags and of builds);
// 3. of the rest, the newest 30 are kept (room to roll back to recent builds).
// An image in use that has no tag cannot be shielded that way: then the plan makes no change and says so.
import { parseImage, shortImageName } from "../../checks/image/repositories";
import type { Snapshot, SnapshotImage } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange, step } from "../fix";
import type { Change } from "../plan";
import { imageRef, imagesInUse, repositoryOfVerdict, repositoryRef } from "./repository";

export const ID = "ecr-lifecycle-missing";

export const UNTAGGED_DAYS = 14;
export const KEEP_IMAGES = 30;

/** The tag that names an image in use, if it has one: the one the task definition pulls, else one ECR lists. */
function tagOf(image: SnapshotImage): string | undefined {
  const pulled = parseImage(image.image).tag;
  if (pulled !== undefined) return pulled;
  const listed = image.detail.status === "known" ? image.detail.value?.imageTags : undefined;
  return listed && listed.length > 0 ? [...listed].sort()[0] : undefined;
}

/** The policy for a repository whose images in use carry these tags. */
export function lifecyclePolicy(tagsInUse: readonly string[]): string {
  const shield = tagsInUse.map((tag, index) => ({
    rulePriority: index + 1,
    description: `keep ${tag}: a service runs it`,
    selection: { tagStatus: "tagged", tagPatternList: [tag], countType: "imageCountMoreThan", countNumber: 1 },
    action: { type: "expire" },
  }));
  const next = tagsInUse.length + 1;
  return JSON.stringify({
    rules: [
      ...shield,
      {
        rulePriority: next,
        description: `expire untagged images ${UNTAGGED_DAYS} days after their push`,
        selection: {
          tagStatus: "untagged",
          countType: "sinceImagePushed",
          countUnit: "days",
          countNumber: UNTAGGED_DAYS,
        },
        action: { type: "expire" },
      },
      {
        rulePriority: next + 1,
        description: `keep the newest ${KEEP_IMAGES} images`,
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: KEEP_IMAGES },
        action: { type: "expire" },
      },
    ],
  });
}

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const found = repositoryOfVerdict(snapshot, verdict.resource);
  const name = found?.repository.repositoryName;
  const title = "add a lifecycle policy that keeps the images in use";
  if (found === undefined || name === undefined) {
    return manualChange(ID, verdict.resource, title, [
      `${verdict.resource} is not among the repositories discovery read: run the audit again`,
    ]);
  }
  // An image reference that is not in the repository names nothing a policy could expire.
  const images = imagesInUse(snapshot, name).filter(
    (image) => !(image.detail.status === "known" && image.detail.value === null),
  );
  const untagged = images.filter((image) => tagOf(image) === undefined);
  if (untagged.length > 0) {
    return manualChange(
      ID,
      verdict.resource,
      title,
      [
        `${untagged.map((image) => shortImageName(image.image)).join(", ")} ${untagged.length > 1 ? "are" : "is"} run ` +
          `by digest and carries no tag (or its tags could not be read): a lifecycle policy can only shield an ` +
          "image in use through a tag, and an untagged image would expire. Tag it (push the same digest with a " +
          "version tag) and plan again",
      ],
      [repositoryRef(name), ...images.map(imageRef)],
    );
  }
  const tags = [...new Set(images.map((image) => tagOf(image) as string))].sort();
  return {
    check: ID,
    resource: verdict.resource,
    title: `repository ${name}: ${title}`,
    manual: false,
    steps: [
      step(
        `ecr:PutLifecyclePolicy:${name}`,
        `repository ${name}: lifecycle policy (keep ${tags.length > 0 ? `${tags.join(", ")} and ` : ""}the newest ` +
          `${KEEP_IMAGES} images, expire untagged ones after ${UNTAGGED_DAYS} days)`,
        {
          service: "ecr",
          action: "PutLifecyclePolicy",
          input: { repositoryName: name, lifecyclePolicyText: lifecyclePolicy(tags) },
        },
        repositoryRef(name),
      ),
    ],
    outcome:
      `${name} cleans up by itself: ` +
      (tags.length > 0 ? `the images the services run (${tags.join(", ")}) are kept whatever their age, ` : "") +
      `untagged images go ${UNTAGGED_DAYS} days after their push, and beyond the newest ${KEEP_IMAGES} images the ` +
      "older ones go",
    risk:
      `ECR deletes the images the policy expires within about a day, for good: a rollback to an older revision whose ` +
      `image is neither in use now nor among the newest ${KEEP_IMAGES} fails to pull it. An image that a service ` +
      "deploys later is shielded only while it is among the newest images (plan again after deploying to shield its tag)",
    rollback: [
      `delete ${name}'s lifecycle policy (the repository had none)`,
      "images it has already expired do not come back",
    ],
    notes: [
      ...(tags.length > 0
        ? [`the images in use are shielded by tag (${tags.join(", ")}): each has a rule of its own before the others`]
        : []),
      `ECR can show what a policy would expire before it does (lifecycle policy preview, or "Test rules" in the ` +
        "console): look at it before applying if old images matter to anyone",
      "other clusters or accounts that pull from this repository are not seen here: their images are shielded " +
        `only while among the newest ${KEEP_IMAGES}`,
    ],
    reads: [repositoryRef(name), ...images.map(imageRef)],
  };
}

export const fix: Fix = {
  id: ID,
  plan,
  writes: ["ecr:PutLifecyclePolicy", "ecr:DeleteLifecyclePolicy"],
};
