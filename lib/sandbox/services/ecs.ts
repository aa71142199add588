// Ecs: placeholder until its handlers are written.
import type { ServiceDefinition } from "../service";

// biome-ignore lint/suspicious/noEmptyInterface: filled in with the service's state
export interface EcsState {}

export function emptyEcsState(): EcsState {
  return {};
}

export const ecsService: ServiceDefinition = {
  signingName: "ecs",
  protocol: "awsJson1_1",
  handlers: {},
};
