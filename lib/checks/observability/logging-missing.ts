// logging-missing: an essential container (essential unless it says `essential: false`) has no log configuration,
// so its output goes nowhere on Fargate. Non-essential sidecars are not failed for it: their logs matter less, and
// the app's own logs are what an operator reads first (Security Hub ECS.9 is stricter and judges every container).
import type { Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { ecsGuide, securityHub } from "../references";
import { eachTaskDefinition, isEssential, judgeContainers, TASK_DEFINITION_READS } from "../runtime/scope";

export const meta: CheckMeta = {
  id: "logging-missing",
  title: "An essential container's logs are not collected",
  pillar: "observability",
  severity: "high",
  why:
    "A container without a log configuration writes its output nowhere you can read it: when a request fails or a " +
    "task crashes there is no log line to explain why. The awslogs driver sends it to CloudWatch Logs.",
  references: [
    securityHub("ECS", 9),
    { label: "Seed talk, observability: logs" },
    ecsGuide("Send Amazon ECS logs to CloudWatch", "using_awslogs.html"),
  ],
  fix: { id: "logging-missing", manual: false },
  reads: TASK_DEFINITION_READS,
};

export function run(snapshot: Snapshot): Verdict[] {
  return eachTaskDefinition(snapshot, (definition) =>
    judgeContainers(
      definition,
      (container) =>
        isEssential(container) && !container.logConfiguration?.logDriver ? "has no log configuration" : undefined,
      "every essential container has a log configuration",
    ),
  );
}

export const check: Check = { meta, run };
