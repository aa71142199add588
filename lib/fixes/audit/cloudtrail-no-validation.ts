// cloudtrail-no-validation: turn log file validation on for a trail that logs without it. UpdateTrail must be
// called in the trail's home region, and an organization trail only from the management account: otherwise the
// plan says so and changes nothing.

import { trailName } from "../../checks/audit/trails";
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange, step } from "../fix";
import type { Change, ResourceRef } from "../plan";

export const ID = "cloudtrail-no-validation";

const TRAILS: ResourceRef = { kind: "trails" };

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const trail =
    snapshot.trails.status === "known"
      ? snapshot.trails.value.find((candidate) => trailName(candidate) === verdict.resource)?.trail
      : undefined;
  const title = "turn on log file validation";
  const name = trail?.TrailARN ?? trail?.Name;
  if (trail === undefined || name === undefined) {
    return manualChange(ID, verdict.resource, title, [`${verdict.resource} was not read: run the audit again`]);
  }
  if (trail.HomeRegion !== undefined && trail.HomeRegion !== snapshot.region) {
    return manualChange(ID, verdict.resource, title, [
      `the trail's home region is ${trail.HomeRegion}: turn log file validation on there (UpdateTrail only works ` +
        `in a trail's home region), e.g. by auditing with --region ${trail.HomeRegion}`,
    ]);
  }
  if (trail.IsOrganizationTrail === true) {
    return manualChange(ID, verdict.resource, title, [
      "it is an organization trail: only the organization's management account can change it",
    ]);
  }
  return {
    check: ID,
    resource: verdict.resource,
    title: `${verdict.resource}: ${title}`,
    manual: false,
    steps: [
      step(
        `cloudtrail:UpdateTrail:${trail.Name ?? name}`,
        `${verdict.resource}: log file validation on`,
        { service: "cloudTrail", action: "UpdateTrail", input: { Name: name, EnableLogFileValidation: true } },
        TRAILS,
      ),
    ],
    outcome:
      `CloudTrail delivers a signed digest file every hour beside ${verdict.resource.replace(/^trail /, "")}'s log ` +
      "files, so anyone can prove later that no log file was altered or deleted (aws cloudtrail validate-logs)",
    risk: "none to the service: digest files add a little S3 storage; log files delivered before stay unsigned",
    rollback: [`turn log file validation off again on ${verdict.resource}`],
    notes: [],
    reads: [TRAILS],
  };
}

export const fix: Fix = { id: ID, plan, writes: ["cloudtrail:UpdateTrail"] };
