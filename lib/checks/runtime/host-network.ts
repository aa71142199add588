// host-network: the task uses the host's network stack (`networkMode: host`) instead of its own interface.
import type { Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { ecsGuide, securityHub } from "../references";
import { eachTaskDefinition, TASK_DEFINITION_READS } from "./scope";

export const meta: CheckMeta = {
  id: "host-network",
  title: "A task uses the host's network",
  pillar: "runtime",
  severity: "medium",
  why:
    "In host network mode the containers share the host's network: they can reach services listening only on the " +
    "host's loopback and act as the host, and security groups no longer separate one task from another.",
  references: [securityHub("ECS", 17), securityHub("ECS", 1), ecsGuide("Task networking", "task-networking.html")],
  // Moving to awsvpc changes ports and addressing for the whole service: a person plans it.
  fix: { id: "host-network", manual: true },
  reads: TASK_DEFINITION_READS,
};

export function run(snapshot: Snapshot): Verdict[] {
  return eachTaskDefinition(snapshot, (definition) =>
    definition.networkMode === "host"
      ? { status: "fail", detail: "networkMode is host: the containers share the host's network stack" }
      : { status: "pass", detail: `networkMode is ${definition.networkMode ?? "not set (bridge on EC2)"}` },
  );
}

export const check: Check = { meta, run };
