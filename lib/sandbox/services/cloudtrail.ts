// CloudTrail: placeholder until its handlers are written.
import type { ServiceDefinition } from "../service";

// biome-ignore lint/suspicious/noEmptyInterface: filled in with the service's state
export interface CloudTrailState {}

export function emptyCloudTrailState(): CloudTrailState {
  return {};
}

export const cloudTrailService: ServiceDefinition = {
  signingName: "cloudtrail",
  protocol: "awsJson1_1",
  handlers: {},
};
