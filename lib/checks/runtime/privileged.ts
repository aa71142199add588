// privileged: a container runs with `privileged: true`, i.e. with (nearly) root's power over the host.
import type { Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { ecsGuide, securityHub } from "../references";
import { eachTaskDefinition, judgeContainers, TASK_DEFINITION_READS } from "./scope";

export const meta: CheckMeta = {
  id: "privileged",
  title: "A container runs privileged",
  pillar: "runtime",
  severity: "high",
  why:
    "A privileged container gets almost every power of the host it runs on: anyone who breaks into the app can " +
    "break out of the container too. Fargate refuses it; on EC2 it is an open door.",
  references: [
    securityHub("ECS", 4),
    ecsGuide("Task definition parameters: privileged", "task_definition_parameters.html#container_definition_security"),
  ],
  // Dropping privileges can break an app that relies on them: a person decides.
  fix: { id: "privileged", manual: true },
  reads: TASK_DEFINITION_READS,
};

export function run(snapshot: Snapshot): Verdict[] {
  return eachTaskDefinition(snapshot, (definition) =>
    judgeContainers(
      definition,
      (container) => (container.privileged === true ? "runs privileged" : undefined),
      "no container runs privileged",
    ),
  );
}

export const check: Check = { meta, run };
