// ecr-tag-mutable: make the repository's tags immutable, so a tag such as v1 names one image forever.
import { parseImage } from "../../checks/image/repositories";
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange, step } from "../fix";
import type { Change } from "../plan";
import { imagesInUse, repositoryOfVerdict, repositoryRef } from "./repository";

export const ID = "ecr-tag-mutable";

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const found = repositoryOfVerdict(snapshot, verdict.resource);
  const name = found?.repository.repositoryName;
  if (found === undefined || name === undefined) {
    return manualChange(ID, verdict.resource, "make the repository's tags immutable", [
      `${verdict.resource} is not among the repositories discovery read: run the audit again`,
    ]);
  }
  const previous = found.repository.imageTagMutability ?? "MUTABLE";
  const exclusions = (found.repository.imageTagMutabilityExclusionFilters ?? []).map((f) => f.filter ?? "");
  // `latest` (or no tag, which means latest) is the tag a pipeline pushes again on every build.
  const runsLatest = imagesInUse(snapshot, name).some((image) => {
    const reference = parseImage(image.image);
    return reference.digest === undefined && (reference.tag ?? "latest") === "latest";
  });
  return {
    check: ID,
    resource: verdict.resource,
    title: `repository ${name}: make tags immutable`,
    manual: false,
    steps: [
      step(
        `ecr:PutImageTagMutability:${name}`,
        `repository ${name}: tags immutable (IMMUTABLE)`,
        {
          service: "ecr",
          action: "PutImageTagMutability",
          input: { repositoryName: name, imageTagMutability: "IMMUTABLE" },
        },
        repositoryRef(name),
      ),
    ],
    outcome: `a tag pushed to ${name} always names the same image: a push that reuses a tag is refused`,
    risk:
      "a pipeline that pushes the same tag again (rebuilding v1, or pushing `latest` on every build) fails with " +
      "ImageTagAlreadyExistsException from now on: every build must push a new tag (a version, a commit hash)" +
      (runsLatest ? `; the service runs ${name}:latest, so its pipeline is one of those` : ""),
    rollback: [
      `set ${name}'s tag mutability back to ${previous}${exclusions.length > 0 ? ` (exclusions ${exclusions.join(", ")})` : ""}`,
    ],
    notes: [
      ...(runsLatest
        ? [`the service runs ${name}:latest: pin a version tag first (see image-tag-latest), or its next push fails`]
        : []),
      ...(previous === "MUTABLE_WITH_EXCLUSION"
        ? [`the exclusion filters (${exclusions.join(", ")}) are dropped: IMMUTABLE covers every tag`]
        : []),
      "check with the team that builds the image that no job re-pushes an existing tag before applying",
    ],
    reads: [repositoryRef(name)],
  };
}

export const fix: Fix = { id: ID, plan, writes: ["ecr:PutImageTagMutability"] };
