// Elbv2: placeholder until its handlers are written.
import type { ServiceDefinition } from "../service";

// biome-ignore lint/suspicious/noEmptyInterface: filled in with the service's state
export interface Elbv2State {}

export function emptyElbv2State(): Elbv2State {
  return {};
}

export const elbv2Service: ServiceDefinition = {
  signingName: "elasticloadbalancing",
  protocol: "awsQuery",
  handlers: {},
};
