// CloudWatch: placeholder until its handlers are written.
import type { ServiceDefinition } from "../service";

// biome-ignore lint/suspicious/noEmptyInterface: filled in with the service's state
export interface CloudWatchState {}

export function emptyCloudWatchState(): CloudWatchState {
  return {};
}

export const cloudWatchService: ServiceDefinition = {
  signingName: "monitoring",
  actionPrefix: "cloudwatch",
  protocol: "awsJson1_0",
  handlers: {},
};
