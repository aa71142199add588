// cloudtrail-off: a multi-region trail of every management event, with log file validation, delivering to a new
// private S3 bucket whose policy lets only this trail write to it; then logging starts. Existing trails are left
// as they are.
import { judgeAuditTrail, trailName } from "../../checks/audit/trails";
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, step } from "../fix";
import type { Change, ResourceRef } from "../plan";

export const ID = "cloudtrail-off";

const TRAILS: ResourceRef = { kind: "trails" };

/** The trail this fix creates. */
export const TRAIL_NAME = "ecs-takeover-trail";

/** The bucket it delivers to: S3 names are global, so the account and region make it this account's own. */
export function trailBucket(account: string, region: string): string {
  return `ecs-takeover-trail-${account}-${region}`;
}

/**
 * What CloudTrail needs of the bucket (CloudTrail user guide, "Amazon S3 bucket policy for CloudTrail"): read its
 * ACL, and write log files under AWSLogs/<account>/ handing them to the bucket owner — only for this trail.
 */
export function trailBucketPolicy(bucket: string, account: string, trailArn: string): string {
  const fromThisTrail = { "aws:SourceArn": trailArn };
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AWSCloudTrailAclCheck",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:GetBucketAcl",
        Resource: `arn:aws:s3:::${bucket}`,
        Condition: { StringEquals: fromThisTrail },
      },
      {
        Sid: "AWSCloudTrailWrite",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${bucket}/AWSLogs/${account}/*`,
        Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", ...fromThisTrail } },
      },
    ],
  });
}

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const { account, region } = snapshot;
  const bucket = trailBucket(account, region);
  const trailArn = `arn:aws:cloudtrail:${region}:${account}:trail/${TRAIL_NAME}`;
  const existing = snapshot.trails.status === "known" ? snapshot.trails.value : [];
  return {
    check: ID,
    resource: verdict.resource,
    title: `a multi-region trail ${TRAIL_NAME} with log file validation, to a new private bucket ${bucket}`,
    manual: false,
    steps: [
      step(`s3:CreateBucket:${bucket}`, `create the S3 bucket ${bucket} for the trail's log files`, {
        service: "s3",
        action: "CreateBucket",
        // Outside us-east-1, S3 wants the bucket's region named.
        input: {
          Bucket: bucket,
          ...(region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: region } }),
        },
      }),
      step(`s3:PutPublicAccessBlock:${bucket}`, `${bucket}: block all public access`, {
        service: "s3",
        action: "PutPublicAccessBlock",
        input: {
          Bucket: bucket,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        },
      }),
      step(`s3:PutBucketPolicy:${bucket}`, `${bucket}: let only the trail ${TRAIL_NAME} write its log files`, {
        service: "s3",
        action: "PutBucketPolicy",
        input: { Bucket: bucket, Policy: trailBucketPolicy(bucket, account, trailArn) },
      }),
      step(
        `cloudtrail:CreateTrail:${TRAIL_NAME}`,
        `create the trail ${TRAIL_NAME}: every region, global service events, log file validation`,
        {
          service: "cloudTrail",
          action: "CreateTrail",
          input: {
            Name: TRAIL_NAME,
            S3BucketName: bucket,
            IsMultiRegionTrail: true,
            IncludeGlobalServiceEvents: true,
            EnableLogFileValidation: true,
          },
        },
        TRAILS,
      ),
      step(
        `cloudtrail:StartLogging:${TRAIL_NAME}`,
        `start logging on ${TRAIL_NAME}`,
        { service: "cloudTrail", action: "StartLogging", input: { Name: TRAIL_NAME } },
        TRAILS,
      ),
    ],
    outcome:
      `every management API call in every region of account ${account} (who changed a security group, a role, a ` +
      `deployment) is kept in s3://${bucket}/AWSLogs/${account}/, with signed digests that prove no log file was ` +
      "altered; query it with Athena",
    risk:
      "none to the service. It costs: the first trail's management events are free, but S3 storage of the log " +
      "files is charged" +
      (existing.length > 0 ? ", and management events a second trail records in the same region are charged too" : ""),
    rollback: [
      `stop logging on ${TRAIL_NAME}, then delete the trail`,
      `the bucket's policy is removed; the bucket ${bucket}, its public access block and the log files already ` +
        "delivered STAY (an audit record is evidence: delete them yourself once nobody needs them)",
    ],
    notes: [
      ...existing.map((trail) => {
        const judgement = judgeAuditTrail(trail);
        return `${trailName(trail)} is left as it is (${judgement.status === "fail" ? judgement.detail : judgement.status}): delete it once ${TRAIL_NAME} is logging, if nobody needs it`;
      }),
      "log files are encrypted with S3 managed keys (SSE-S3); use a KMS key of your own if your policies ask for one",
      "set an S3 lifecycle rule on the bucket for how long to keep the logs (your audit requirements decide)",
    ],
    reads: [TRAILS],
  };
}

export const fix: Fix = {
  id: ID,
  plan,
  writes: [
    "s3:CreateBucket",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "cloudtrail:CreateTrail",
    "cloudtrail:StartLogging",
    "cloudtrail:StopLogging",
    "cloudtrail:DeleteTrail",
  ],
};
