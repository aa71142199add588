// Every check, pillar by pillar. Adding a check is one file in its pillar's folder and one entry in its index.
import { auditChecks } from "./audit";
import type { Check } from "./check";
import { iamChecks } from "./iam";
import { imageChecks } from "./image";
import { networkChecks } from "./network";
import { observabilityChecks } from "./observability";
import { runtimeChecks } from "./runtime";
import { secretsChecks } from "./secrets";

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
