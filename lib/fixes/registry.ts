// Every fix, in the order the takeover goes: network, secrets, IAM, images, audit, runtime, observability. Each id is
// its check's id.
import { AUDIT_FIXES } from "./audit/index";
import type { Fix } from "./fix";
import { IAM_FIXES } from "./iam/index";
import { IMAGE_FIXES } from "./image/index";
import { NETWORK_FIXES } from "./network/index";
import { OBSERVABILITY_FIXES } from "./observability/index";
import { RUNTIME_FIXES } from "./runtime/index";
import { SECRETS_FIXES } from "./secrets/index";

export const FIXES: readonly Fix[] = [
  ...NETWORK_FIXES,
  ...SECRETS_FIXES,
  ...IAM_FIXES,
  ...IMAGE_FIXES,
  ...AUDIT_FIXES,
  ...RUNTIME_FIXES,
  ...OBSERVABILITY_FIXES,
];

export function findFix(id: string): Fix | undefined {
  return FIXES.find((fix) => fix.id === id);
}
