// XRay: placeholder until its handlers are written.
import type { ServiceDefinition } from "../service";

// biome-ignore lint/suspicious/noEmptyInterface: filled in with the service's state
export interface XRayState {}

export function emptyXRayState(): XRayState {
  return {};
}

export const xrayService: ServiceDefinition = {
  signingName: "xray",
  protocol: "restJson1",
  handlers: {},
};
