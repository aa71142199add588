// cloudtrail-no-validation: a logging trail without log file validation. Trails that are not logging are left to
// cloudtrail-off; with no trail there is nothing to judge.
import type { Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { unknownVerdict } from "../judge";
import { securityHub } from "../references";
import { accountName, TRAIL_READS, trailName } from "./trails";

export const meta: CheckMeta = {
  id: "cloudtrail-no-validation",
  title: "A CloudTrail trail's log files can be altered unnoticed",
  pillar: "audit",
  severity: "low",
  why:
    "Log file validation makes CloudTrail sign a digest of every log file it delivers, so you can prove later that " +
    "no one edited or deleted the record of who did what; without it an intruder can cover their tracks.",
  references: [
    securityHub("CloudTrail", 4),
    {
      label: "Validating CloudTrail log file integrity",
      url: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html",
    },
  ],
  fix: { id: "cloudtrail-no-validation", manual: false },
  reads: TRAIL_READS,
};

export function run(snapshot: Snapshot): Verdict[] {
  if (snapshot.trails.status === "unknown") return [unknownVerdict(accountName(snapshot), snapshot.trails)];
  return snapshot.trails.value.flatMap((trail): Verdict[] => {
    const resource = trailName(trail);
    if (trail.isLogging.status === "unknown") return [unknownVerdict(resource, trail.isLogging)];
    if (!trail.isLogging.value) return [];
    return trail.trail.LogFileValidationEnabled === true
      ? [{ status: "pass", resource, detail: "log file validation is on" }]
      : [{ status: "fail", resource, detail: "log file validation is off" }];
  });
}

export const check: Check = { meta, run };
