// S3: placeholder until its handlers are written.
import type { ServiceDefinition } from "../service";

// biome-ignore lint/suspicious/noEmptyInterface: filled in with the service's state
export interface S3State {}

export function emptyS3State(): S3State {
  return {};
}

export const s3Service: ServiceDefinition = {
  signingName: "s3",
  protocol: "restXml",
  handlers: {},
};
