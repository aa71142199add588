// The image fixes: the ECR repositories' settings, and plans for what only a rebuild or a pin can fix.
import type { Fix } from "../fix";
import { fix as ecrLifecycleMissing } from "./ecr-lifecycle-missing";
import { fix as ecrScanOff } from "./ecr-scan-off";
import { fix as ecrTagMutable } from "./ecr-tag-mutable";
import { fix as imageTagLatest } from "./image-tag-latest";
import { fix as imageVulnerable } from "./image-vulnerable";

export const IMAGE_FIXES: readonly Fix[] = [
  ecrTagMutable,
  ecrScanOff,
  imageVulnerable,
  ecrLifecycleMissing,
  imageTagLatest,
];
