// SecretsManager: placeholder until its handlers are written.
import type { ServiceDefinition } from "../service";

// biome-ignore lint/suspicious/noEmptyInterface: filled in with the service's state
export interface SecretsManagerState {}

export function emptySecretsManagerState(): SecretsManagerState {
  return {};
}

export const secretsManagerService: ServiceDefinition = {
  signingName: "secretsmanager",
  protocol: "awsJson1_1",
  handlers: {},
};
