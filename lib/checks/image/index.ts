// The image pillar: the ECR repositories the images come from, and the images themselves.
import type { Check } from "../check";
import { check as ecrLifecycleMissing } from "./ecr-lifecycle-missing";
import { check as ecrScanOff } from "./ecr-scan-off";
import { check as ecrTagMutable } from "./ecr-tag-mutable";
import { check as imageTagLatest } from "./image-tag-latest";
import { check as imageVulnerable } from "./image-vulnerable";

export const imageChecks: readonly Check[] = [
  ecrTagMutable,
  ecrScanOff,
  imageVulnerable,
  ecrLifecycleMissing,
  imageTagLatest,
];
