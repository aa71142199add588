// Iam: placeholder until its handlers are written.
import type { ServiceDefinition } from "../service";

// biome-ignore lint/suspicious/noEmptyInterface: filled in with the service's state
export interface IamState {}

export function emptyIamState(): IamState {
  return {};
}

export const iamService: ServiceDefinition = {
  signingName: "iam",
  protocol: "awsQuery",
  handlers: {},
};
