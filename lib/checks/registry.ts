// Every check, pillar by pillar. Adding a check is one file in its pillar's folder and one entry in its index.
import { auditChecks } from "./audit/index";
import type { Check } from "./check";
import { iamChecks } from "./iam/index";
import { imageChecks } from "./image/index";
import { networkChecks } from "./network/index";
import { observabilityChecks } from "./observability/index";
import { runtimeChecks } from "./runtime/index";
import { secretsChecks } from "./secrets/index";

export const CHECKS: readonly Check[] = [
  ...networkChecks,
  ...secretsChecks,
  ...iamChecks,
  ...imageChecks,
  ...auditChecks,
  ...runtimeChecks,
  ...observabilityChecks,
];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((check) => check.meta.id === id);
}
