// cloudtrail-off: no trail that is logging, multi-region and records management events (the API calls that change
// things). One verdict for the account: any one such trail passes it.
import type { Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { unknownVerdict } from "../judge";
import { securityHub } from "../references";
import { accountName, judgeAuditTrail, TRAIL_READS, trailName } from "./trails";

export const meta: CheckMeta = {
  id: "cloudtrail-off",
  title: "No CloudTrail trail records the account's API calls",
  pillar: "audit",
  severity: "high",
  why:
    "Without a trail, who changed what (a security group, a task role, a deployment) is kept only 90 days in the " +
    "event history and cannot be queried at scale; a multi-region trail stores every management API call in S3 " +
    "for as long as you need, to be searched with Athena after an incident or for an audit.",
  references: [
    securityHub("CloudTrail", 1),
    { label: "Seed talk, step 6 (AWS API logs)" },
    {
      label: "Creating a trail",
      url: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail.html",
    },
  ],
  fix: { id: "cloudtrail-off", manual: false },
  reads: [...TRAIL_READS, "cloudtrail:GetEventSelectors"],
};

export function run(snapshot: Snapshot): Verdict[] {
  const resource = accountName(snapshot);
  if (snapshot.trails.status === "unknown") return [unknownVerdict(resource, snapshot.trails)];
  const trails = snapshot.trails.value;
  if (trails.length === 0) {
    return [{ status: "fail", resource, detail: "no trail: API calls are only in the 90-day event history" }];
  }
  const judged = trails.map((trail) => [trailName(trail), judgeAuditTrail(trail)] as const);
  for (const [name, judgement] of judged) {
    if (judgement.status === "pass") return [{ status: "pass", resource, detail: `${name}: ${judgement.detail}` }];
  }
  // No trail passes: one we could not read fully might, so unknown rather than fail (fail closed, never guess).
  for (const [name, judgement] of judged) {
    if (judgement.status === "unknown") {
      const missing = judgement.missing ? { missing: judgement.missing } : {};
      return [{ status: "unknown", resource, reason: `${name}: ${judgement.reason}`, ...missing }];
    }
  }
  const reasons = judged.flatMap(([name, judgement]) =>
    judgement.status === "fail" ? [`${name}: ${judgement.detail}`] : [],
  );
  return [
    { status: "fail", resource, detail: `no trail records management events in every region (${reasons.join("; ")})` },
  ];
}

export const check: Check = { meta, run };
