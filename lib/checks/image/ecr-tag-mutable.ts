// ecr-tag-mutable: a repository lets a tag be pushed again (MUTABLE), so `my-web-app:v1` can change under the
// service. IMMUTABLE passes; IMMUTABLE_WITH_EXCLUSION passes naming its exclusions; MUTABLE_WITH_EXCLUSION fails.
import type { Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { securityHub } from "../references";
import { eachRepository, REPOSITORY_READS } from "./repositories";

export const meta: CheckMeta = {
  id: "ecr-tag-mutable",
  title: "An ECR repository's tags can be overwritten",
  pillar: "image",
  severity: "medium",
  why:
    "With mutable tags anyone who can push may replace the image behind a tag such as v1: the next task that " +
    "starts runs different code than was reviewed, and you cannot tell which image ran when. Immutable tags " +
    "make a tag mean one image forever.",
  references: [
    securityHub("ECR", 2),
    { label: "Seed talk, step 5 (ECR)" },
    {
      label: "ECR image tag mutability",
      url: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html",
    },
  ],
  fix: { id: "ecr-tag-mutable", manual: false },
  reads: REPOSITORY_READS,
};

export function run(snapshot: Snapshot): Verdict[] {
  return eachRepository(snapshot, ({ repository }) => {
    const mutability = repository.imageTagMutability ?? "MUTABLE";
    const exclusions = (repository.imageTagMutabilityExclusionFilters ?? []).map((f) => f.filter).join(", ");
    switch (mutability) {
      case "IMMUTABLE":
        return { status: "pass", detail: "tags are immutable" };
      case "IMMUTABLE_WITH_EXCLUSION":
        return { status: "pass", detail: `tags are immutable except ${exclusions || "the excluded ones"}` };
      case "MUTABLE_WITH_EXCLUSION":
        return { status: "fail", detail: `tags can be overwritten (immutable only: ${exclusions || "none"})` };
      default:
        return { status: "fail", detail: "tags can be overwritten (MUTABLE)" };
    }
  });
}

export const check: Check = { meta, run };
