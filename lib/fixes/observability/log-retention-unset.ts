// log-retention-unset: give a log group the task definitions write to a retention — and create the group first when
// it does not exist yet, so that it never comes into being without one (the log driver would create it bare, or the
// logs would have nowhere to go).
import { judgedTaskDefinitions } from "../../checks/judge";
import { logDestinations } from "../../checks/observability/telemetry-containers";
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change } from "../plan";
import { logGroupSteps, RETENTION_DAYS, RETENTION_WHY, retentionStep } from "./log-group";
import { LOG_GROUP_WRITES } from "./writes";

const CHECK = "log-retention-unset";
const PREFIX = "log group ";

/** The regions the containers that write to the group name (awslogs-region, or FireLens's region). */
function regionsOf(snapshot: Snapshot, group: string): string[] {
  const regions = new Set<string>();
  for (const judged of judgedTaskDefinitions(snapshot)) {
    if (judged.definition.status !== "known") continue;
    const definition = judged.definition.value;
    for (const destination of logDestinations(definition)) {
      if (destination.logGroup !== group) continue;
      const options = definition.containerDefinitions.find((c) => c.name === destination.container)?.logConfiguration
        ?.options;
      const region = options?.["awslogs-region"] ?? options?.region;
      if (region) regions.add(region);
    }
  }
  return [...regions];
}

function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const group = verdict.resource.startsWith(PREFIX) ? verdict.resource.slice(PREFIX.length) : verdict.resource;
  const title = `log group ${group}: keep logs ${RETENTION_DAYS} days`;
  const elsewhere = regionsOf(snapshot, group).filter((region) => region !== snapshot.region);
  if (elsewhere.length > 0) {
    return manualChange(CHECK, verdict.resource, title, [
      `the containers write to ${group} in ${elsewhere.join(", ")}, not in ${snapshot.region} where this plan works: ` +
        `set its retention there (aws logs put-retention-policy --region ${elsewhere[0]})`,
    ]);
  }
  const read = snapshot.logGroups[group];
  const exists = read?.status === "known" && read.value !== null;
  return {
    check: CHECK,
    resource: verdict.resource,
    title: exists ? title : `create log group ${group}, ${RETENTION_DAYS}-day retention`,
    manual: false,
    steps: exists ? [retentionStep(group)] : logGroupSteps(group),
    outcome: `${group} exists and its events are ${RETENTION_WHY}`,
    risk: exists
      ? `events older than ${RETENTION_DAYS} days are deleted by CloudWatch Logs within a few days and cannot be ` +
        "recovered: export them first (CreateExportTask to S3) if you must keep them"
      : "none for the service: the group is created empty and the log driver writes into it",
    rollback: exists
      ? ["the group's retention goes back to none (logs already deleted by the retention do not come back)"]
      : [`${group} stays as created, with its retention and the logs it received (delete it by hand if unwanted)`],
    notes: exists ? [] : [`${group} did not exist: it is created now so that it has a retention from its first event`],
    reads: [{ kind: "log-group", name: group }],
  };
}

export const fix: Fix = { id: CHECK, plan, writes: LOG_GROUP_WRITES };
