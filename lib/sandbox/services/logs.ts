// Logs: placeholder until its handlers are written.
import type { ServiceDefinition } from "../service";

// biome-ignore lint/suspicious/noEmptyInterface: filled in with the service's state
export interface LogsState {}

export function emptyLogsState(): LogsState {
  return {};
}

export const logsService: ServiceDefinition = {
  signingName: "logs",
  protocol: "awsJson1_1",
  handlers: {},
};
