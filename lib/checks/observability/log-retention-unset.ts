// log-retention-unset: a CloudWatch log group the task definitions write to keeps its logs forever (no retention),
// or does not exist — then it is created on first write without retention (awslogs-create-group), or the logs have
// nowhere to go. One verdict per log group, named `log group /ecs/my-web-app`.
import type { Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { judgedTaskDefinitions, unknownVerdict } from "../judge";
import { ecsGuide } from "../references";
import { clusterLabel, TASK_DEFINITION_READS } from "../runtime/scope";
import { type LogDestination, logDestinations } from "./telemetry-containers";

export const meta: CheckMeta = {
  id: "log-retention-unset",
  title: "A log group keeps its logs forever",
  pillar: "observability",
  severity: "low",
  why:
    "A log group without retention keeps every line forever: the bill grows month after month and old logs, which " +
    "may hold personal data, are never deleted. Set a retention that fits your needs (30 days, a year…).",
  references: [
    {
      label: "Change log data retention in CloudWatch Logs",
      url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention",
    },
    ecsGuide("Send Amazon ECS logs to CloudWatch", "using_awslogs.html"),
  ],
  fix: { id: "log-retention-unset", manual: false },
  reads: [...TASK_DEFINITION_READS, "logs:DescribeLogGroups"],
};

export function run(snapshot: Snapshot): Verdict[] {
  if (snapshot.services.status === "unknown") return [unknownVerdict(clusterLabel(snapshot), snapshot.services)];
  const verdicts: Verdict[] = [];
  const destinations = new Map<string, LogDestination[]>();
  for (const judged of judgedTaskDefinitions(snapshot)) {
    // An unread definition may write to log groups we cannot name: say so for it.
    if (judged.definition.status === "unknown") {
      verdicts.push(unknownVerdict(judged.name, judged.definition));
      continue;
    }
    for (const destination of logDestinations(judged.definition.value)) {
      destinations.set(destination.logGroup, [...(destinations.get(destination.logGroup) ?? []), destination]);
    }
  }
  for (const [logGroup, writers] of destinations) {
    const resource = `log group ${logGroup}`;
    const read = snapshot.logGroups[logGroup] ?? {
      status: "unknown" as const,
      error: "NotRead",
      message: `log group ${logGroup} was not read`,
    };
    if (read.status === "unknown") {
      verdicts.push(unknownVerdict(resource, read));
    } else if (read.value === null) {
      const created = writers.some((writer) => writer.createsGroup);
      verdicts.push({
        status: "fail",
        resource,
        detail: created
          ? "does not exist yet: the log driver will create it without retention"
          : "does not exist and the log driver does not create it: the logs cannot be delivered",
      });
    } else if (read.value.retentionInDays === undefined) {
      verdicts.push({ status: "fail", resource, detail: "no retention: logs are kept forever" });
    } else {
      verdicts.push({ status: "pass", resource, detail: `logs are kept ${read.value.retentionInDays} days` });
    }
  }
  return verdicts;
}

export const check: Check = { meta, run };
