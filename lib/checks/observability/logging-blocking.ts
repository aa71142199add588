// logging-blocking: an awslogs container delivers its logs in blocking mode. A container that sets no `mode` gets
// the account's defaultLogDriverMode setting, and, when that is not set either, AWS's default, non-blocking since
// 2025-06-25 (it was blocking before). So an unset mode is judged by the account setting: it fails only where the
// account default is blocking, and it is unknown when the account settings could not be read.
import type { Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { ecsGuide } from "../references";
import {
  containerLabel,
  eachTaskDefinition,
  type Judgement,
  TASK_DEFINITION_READS,
  unknownJudgement,
} from "../runtime/scope";

/** The default mode for containers that set none, since AWS changed it on 2025-06-25. */
export const AWS_DEFAULT_LOG_MODE = "non-blocking";

export const meta: CheckMeta = {
  id: "logging-blocking",
  title: "A container's logging can stall the app (awslogs blocking mode)",
  pillar: "observability",
  severity: "low",
  why:
    "In blocking mode, when CloudWatch Logs cannot take the logs fast enough, the app's writes to stdout and stderr " +
    "wait: requests hang and health checks fail because of logging. Non-blocking mode buffers (max-buffer-size) " +
    "and drops lines only when the buffer is full; AWS made it the default on 2025-06-25.",
  references: [
    ecsGuide("Send Amazon ECS logs to CloudWatch: mode and max-buffer-size", "using_awslogs.html"),
    ecsGuide("Account settings: default log driver mode", "ecs-account-settings.html"),
  ],
  fix: { id: "logging-blocking", manual: false },
  reads: [...TASK_DEFINITION_READS, "ecs:ListAccountSettings"],
};

export function run(snapshot: Snapshot): Verdict[] {
  const settings = snapshot.accountSettings;
  return eachTaskDefinition(snapshot, (definition): Judgement | undefined => {
    const awslogs = definition.containerDefinitions.filter((c) => c.logConfiguration?.logDriver === "awslogs");
    if (awslogs.length === 0) return undefined;
    const blocking: string[] = [];
    for (const container of awslogs) {
      const mode = container.logConfiguration?.options?.mode;
      if (mode === "blocking") {
        blocking.push(`${containerLabel(container)} sets mode blocking`);
      } else if (mode === undefined) {
        if (settings.status === "unknown") return unknownJudgement(settings);
        if ((settings.value.defaultLogDriverMode ?? AWS_DEFAULT_LOG_MODE) === "blocking") {
          blocking.push(
            `${containerLabel(container)} sets no mode, and the account default (defaultLogDriverMode) is blocking`,
          );
        }
      }
    }
    if (blocking.length > 0) return { status: "fail", detail: blocking.join("; ") };
    return { status: "pass", detail: "awslogs delivers in non-blocking mode" };
  });
}

export const check: Check = { meta, run };
