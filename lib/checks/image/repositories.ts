// What the image checks look at: the ECR repositories of the images in use, and image references as people
// write them (`my-web-app:v1`).
import type { Snapshot, SnapshotRepository } from "../../inventory/snapshot";
import type { Verdict } from "../check";
import { TASK_DEFINITION_READS, unknownVerdict, unreadDefinitions } from "../judge";
import type { Judgement } from "../runtime/scope";

export function repositoryName(repository: SnapshotRepository): string {
  return `repository ${repository.repository.repositoryName ?? repository.repository.repositoryArn ?? "(unnamed)"}`;
}

/**
 * Judges each repository. When the repositories could not be read, each repository the images come from is
 * unknown (or, when not even that is known, the registry as a whole). Which repositories are in use comes from the
 * task definitions: an unread definition (or unread services) is unknown too, never a repository left out silently.
 */
export function eachRepository(snapshot: Snapshot, judge: (repository: SnapshotRepository) => Judgement): Verdict[] {
  const unread = unreadDefinitions(snapshot);
  if (snapshot.services.status === "unknown") return unread;
  if (snapshot.repositories.status === "unknown") {
    const unknown = snapshot.repositories;
    const names = [
      ...new Set(snapshot.images.flatMap((image) => (image.repositoryName ? [image.repositoryName] : []))),
    ];
    if (names.length === 0) return [...unread, unknownVerdict(`ECR registry ${snapshot.account}`, unknown)];
    return [...unread, ...names.map((name) => unknownVerdict(`repository ${name}`, unknown))];
  }
  return [
    ...unread,
    ...snapshot.repositories.value.map((repository) => ({
      ...judge(repository),
      resource: repositoryName(repository),
    })),
  ];
}

/** An image reference split as Docker reads it: `registry/path/name[:tag][@digest]`. */
export interface ImageReference {
  /** The last path segment: `my-web-app`. */
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

export function parseImage(image: string): ImageReference {
  const at = image.indexOf("@");
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const slash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  // A colon before the last slash is a registry port (localhost:5000/app), not a tag.
  const tag = colon > slash ? withoutDigest.slice(colon + 1) : undefined;
  const path = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
  const name = path.slice(slash + 1);
  return { name, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** `my-web-app:v1`, `my-web-app@sha256:…` or `my-web-app` — how people name an image. */
export function shortImageName(image: string): string {
  const reference = parseImage(image);
  if (reference.digest) return `${reference.name}@${reference.digest.slice(0, 19)}…`;
  return reference.tag ? `${reference.name}:${reference.tag}` : reference.name;
}

/** Image checks read the repositories; the images in use come from the task definitions the services run. */
export const REPOSITORY_READS = [...TASK_DEFINITION_READS, "ecr:DescribeRepositories"];
