// ecr-lifecycle-missing: a repository has no lifecycle policy, so every image ever pushed is kept.
import type { Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { securityHub } from "../references";
import { unknownJudgement } from "../runtime/scope";
import { eachRepository, REPOSITORY_READS } from "./repositories";

export const meta: CheckMeta = {
  id: "ecr-lifecycle-missing",
  title: "An ECR repository has no lifecycle policy",
  pillar: "image",
  severity: "medium",
  why:
    "Without a lifecycle policy every image ever pushed stays: storage costs grow, and old images with known " +
    "vulnerabilities remain one deployment away. A policy such as 'keep the last 30 images' cleans up by itself.",
  references: [
    securityHub("ECR", 3),
    {
      label: "ECR lifecycle policies",
      url: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html",
    },
  ],
  fix: { id: "ecr-lifecycle-missing", manual: false },
  reads: [...REPOSITORY_READS, "ecr:GetLifecyclePolicy"],
};

export function run(snapshot: Snapshot): Verdict[] {
  return eachRepository(snapshot, (repository) => {
    const policy = repository.lifecyclePolicy;
    if (policy.status === "unknown") return unknownJudgement(policy);
    return policy.value === null
      ? { status: "fail", detail: "no lifecycle policy: every image pushed is kept" }
      : { status: "pass", detail: "has a lifecycle policy" };
  });
}

export const check: Check = { meta, run };
