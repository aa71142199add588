// What the image fixes look up in a snapshot: the repository a verdict names, and the images the services run
// from it (their tags and digests), as the image checks see them.
import { repositoryName } from "../../checks/image/repositories";
import type { Snapshot, SnapshotImage, SnapshotRepository } from "../../inventory/snapshot";
import type { ResourceRef } from "../plan";

/** The repository a verdict (`repository my-web-app`) judged, named as the check names it. */
export function repositoryOfVerdict(snapshot: Snapshot, resource: string): SnapshotRepository | undefined {
  if (snapshot.repositories.status !== "known") return undefined;
  return snapshot.repositories.value.find((repository) => repositoryName(repository) === resource);
}

/** The images the task definitions run from this repository of this account's ECR. */
export function imagesInUse(snapshot: Snapshot, repository: string): SnapshotImage[] {
  return snapshot.images.filter((image) => image.repositoryName === repository);
}

/** How to name an image to ECR: by the digest it has now when known (a tag may move), else by its tag. */
export function imageIdentifier(image: SnapshotImage): { imageDigest: string } | { imageTag: string } | undefined {
  const digest = image.detail.status === "known" ? image.detail.value?.imageDigest : undefined;
  if (digest) return { imageDigest: digest };
  const pinned = image.image.split("@")[1];
  if (pinned) return { imageDigest: pinned };
  return image.tag ? { imageTag: image.tag } : undefined;
}

export function repositoryRef(name: string): ResourceRef {
  return { kind: "repository", name };
}

export function imageRef(image: SnapshotImage): ResourceRef {
  return { kind: "image", image: image.image };
}
