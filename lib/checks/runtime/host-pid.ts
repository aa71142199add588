// host-pid: the task shares the host's process namespace (`pidMode: host`).
import type { Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { ecsGuide, securityHub } from "../references";
import { eachTaskDefinition, TASK_DEFINITION_READS } from "./scope";

export const meta: CheckMeta = {
  id: "host-pid",
  title: "A task shares the host's process namespace",
  pillar: "runtime",
  severity: "high",
  why:
    "With pidMode host the containers see every process on the host and can signal or inspect them, so one " +
    "compromised container reaches everything else running there.",
  references: [
    securityHub("ECS", 3),
    ecsGuide("Task definition parameters: pidMode", "task_definition_parameters.html#task_definition_pidmode"),
  ],
  // Tooling that needs the host's processes (agents, debuggers) would stop working: a person decides.
  fix: { id: "host-pid", manual: true },
  reads: TASK_DEFINITION_READS,
};

export function run(snapshot: Snapshot): Verdict[] {
  return eachTaskDefinition(snapshot, (definition) =>
    definition.pidMode === "host"
      ? { status: "fail", detail: "pidMode is host: the containers share the host's processes" }
      : {
          status: "pass",
          detail: definition.pidMode
            ? `pidMode is ${definition.pidMode}`
            : "pidMode not set: the containers do not see the host's processes",
        },
  );
}

export const check: Check = { meta, run };
