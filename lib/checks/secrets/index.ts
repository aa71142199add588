// The secrets checks: secrets kept out of task definitions, and the secrets they reference readable by ECS.
import type { Check } from "../check";
import { check as envSecrets } from "./env-secrets";
import { check as secretsUnreadable } from "./secrets-unreadable";

export const secretsChecks: readonly Check[] = [envSecrets, secretsUnreadable];
