// The secrets fixes: secrets moved out of task definitions, and the secrets they reference made readable by ECS.
import type { Fix } from "../fix";
import { fix as envSecrets } from "./env-secrets";
import { fix as secretsUnreadable } from "./secrets-unreadable";

export const SECRETS_FIXES: readonly Fix[] = [envSecrets, secretsUnreadable];
