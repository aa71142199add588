// Ecr: placeholder until its handlers are written.
import type { ServiceDefinition } from "../service";

// biome-ignore lint/suspicious/noEmptyInterface: filled in with the service's state
export interface EcrState {}

export function emptyEcrState(): EcrState {
  return {};
}

export const ecrService: ServiceDefinition = {
  signingName: "ecr",
  protocol: "awsJson1_1",
  handlers: {},
};
