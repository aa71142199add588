// image-tag-latest: a container's image is `latest` or carries no tag (which means latest). A tag such as v1 or a
// digest (@sha256:…) passes.
import type { Snapshot, SnapshotContainer } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { ecsGuide } from "../references";
import { eachTaskDefinition, judgeContainers, TASK_DEFINITION_READS } from "../runtime/scope";
import { parseImage } from "./repositories";

export const meta: CheckMeta = {
  id: "image-tag-latest",
  title: "A container runs the `latest` image tag",
  pillar: "image",
  severity: "medium",
  why:
    "`latest` points at whatever was pushed last: tasks started on different days run different code, a rollback " +
    "to the previous revision changes nothing, and nobody can say which build is live. Pin a version tag or digest.",
  references: [
    ecsGuide("Task definition parameters: image", "task_definition_parameters.html#container_definition_image"),
    {
      label: "ECR image tag mutability",
      url: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html",
    },
  ],
  // Which version to pin is the owner's call (the digest running now is a safe default a plan can propose).
  fix: { id: "image-tag-latest", manual: true },
  reads: TASK_DEFINITION_READS,
};

export function floatingTag(container: SnapshotContainer): string | undefined {
  if (!container.image) return undefined;
  const reference = parseImage(container.image);
  if (reference.digest) return undefined;
  if (reference.tag === undefined) return `runs ${container.image} with no tag (latest implied)`;
  return reference.tag === "latest" ? `runs ${reference.name}:latest` : undefined;
}

export function run(snapshot: Snapshot): Verdict[] {
  return eachTaskDefinition(snapshot, (definition) =>
    judgeContainers(definition, floatingTag, "every image is pinned to a version tag or a digest"),
  );
}

export const check: Check = { meta, run };
