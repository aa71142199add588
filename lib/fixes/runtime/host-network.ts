// host-network: a plan only. Moving to awsvpc changes the service's ports and addressing: a person plans it.
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change } from "../plan";
import { referenceOf } from "./verdict-resource";

export const ID = "host-network";

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  return manualChange(
    ID,
    verdict.resource,
    `give the tasks of ${verdict.resource} their own network (awsvpc)`,
    [
      `found: ${verdict.detail}`,
      "with awsvpc each task gets its own network interface and security group: the service needs a " +
        "networkConfiguration (subnets, security groups), and its load balancer a target group of target type ip " +
        "(a new one: a target group's type cannot change)",
      "clients, health checks and other containers that reach it through the host's address or ports must change",
      "roll it out as a new service or target group and move traffic over, rather than editing the running one",
    ],
    referenceOf(snapshot, verdict.resource),
  );
}

export const fix: Fix = { id: ID, plan, writes: [] };
