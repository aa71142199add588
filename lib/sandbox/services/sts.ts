// Sts: placeholder until its handlers are written.
import type { ServiceDefinition } from "../service";

// biome-ignore lint/suspicious/noEmptyInterface: filled in with the service's state
export interface StsState {}

export function emptyStsState(): StsState {
  return {};
}

export const stsService: ServiceDefinition = {
  signingName: "sts",
  protocol: "awsQuery",
  handlers: {},
};
