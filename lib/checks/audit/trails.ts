// How the audit checks read CloudTrail: whether a trail records the account's management events (the API calls
// that change things) in every region.
import type { Snapshot, SnapshotTrail } from "../../inventory/snapshot";
import { type Judgement, unknownJudgement } from "../runtime/scope";

export function trailName(trail: SnapshotTrail): string {
  return `trail ${trail.trail.Name ?? trail.trail.TrailARN ?? "(unnamed)"}`;
}

/** `account 123456789012`: what the audit checks name when there is no single trail to name. */
export function accountName(snapshot: Snapshot): string {
  return `account ${snapshot.account}`;
}

/**
 * Whether the trail's selectors record write management events. Basic selectors: IncludeManagementEvents (default
 * true) with ReadWriteType All or WriteOnly. Advanced selectors: eventCategory = Management, unless they keep read-only
 * events alone.
 */
export function recordsManagementWrites(selectors: {
  readonly basic: readonly { IncludeManagementEvents?: boolean; ReadWriteType?: string }[];
  readonly advanced: readonly { FieldSelectors?: { Field?: string; Equals?: string[] }[] }[];
}): boolean {
  const basic = selectors.basic.some(
    (s) => s.IncludeManagementEvents !== false && (s.ReadWriteType ?? "All") !== "ReadOnly",
  );
  const advanced = selectors.advanced.some((s) => {
    const fields = s.FieldSelectors ?? [];
    const management = fields.some((f) => f.Field === "eventCategory" && (f.Equals ?? []).includes("Management"));
    const readOnlyOnly = fields.some((f) => f.Field === "readOnly" && (f.Equals ?? []).every((v) => v === "true"));
    return management && !readOnlyOnly;
  });
  return basic || advanced;
}

/** Pass when the trail logs management writes in every region; fail with what is missing; unknown on failed reads. */
export function judgeAuditTrail(trail: SnapshotTrail): Judgement {
  const missing: string[] = [];
  if (trail.isLogging.status === "known" && !trail.isLogging.value) missing.push("it is not logging");
  if (trail.trail.IsMultiRegionTrail !== true) missing.push("it covers one region only");
  if (trail.eventSelectors.status === "known" && !recordsManagementWrites(trail.eventSelectors.value)) {
    missing.push("it does not record management write events");
  }
  if (missing.length > 0) return { status: "fail", detail: missing.join(", ") };
  if (trail.isLogging.status === "unknown") return unknownJudgement(trail.isLogging);
  if (trail.eventSelectors.status === "unknown") return unknownJudgement(trail.eventSelectors);
  return { status: "pass", detail: "logging management events in every region" };
}

export const TRAIL_READS = ["cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus"] as const;
