// Ec2: placeholder until its handlers are written.

import type { NetworkInterface } from "@aws-sdk/client-ec2";
import type { ServiceDefinition } from "../service";

/**
 * Resources are kept in the SDK's own shapes (Dates included; persistence handles them). Network interfaces are
 * shared: ECS creates and deletes the ENIs of its tasks here, RDS-like data stores have theirs seeded by scenarios.
 */
export interface Ec2State {
  networkInterfaces: NetworkInterface[];
}

export function emptyEc2State(): Ec2State {
  return { networkInterfaces: [] };
}

export const ec2Service: ServiceDefinition = {
  signingName: "ec2",
  protocol: "ec2Query",
  handlers: {},
};
