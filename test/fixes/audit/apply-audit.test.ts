// The audit fixes against a fresh inherited sandbox: apply makes the check pass, a second apply changes nothing,
// and rollback makes the check fail again as it did — the trail goes, its bucket and logs stay.
import {
  CreateTrailCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  StartLoggingCommand,
  UpdateTrailCommand,
} from "@aws-sdk/client-cloudtrail";
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketPolicyCommand,
} from "@aws-sdk/client-s3";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { TRAIL_NAME, trailBucket, trailBucketPolicy } from "../../../lib/fixes/audit/cloudtrail-off";
import { type FixSandbox, fixSandbox } from "../harness";
import { PLANTED_SECRET } from "../image/fixture-verdicts";

let box: FixSandbox;
beforeEach(async () => {
  box = await fixSandbox();
});
afterEach(async () => {
  await box.close();
});

const ACCOUNT = "123456789012";
const REGION = "ap-northeast-1";
const BUCKET = trailBucket(ACCOUNT, REGION);

const ids = (plan: Awaited<ReturnType<FixSandbox["plan"]>>) => plan.changes.flatMap((c) => c.steps.map((s) => s.id));

describe("cloudtrail-off on the inherited sandbox", () => {
  test("creates the bucket, its policy and a logging validated trail; reruns unchanged; rollback keeps the bucket", async () => {
    const before = await box.verdicts("cloudtrail-off");
    expect(before).toMatchObject([{ status: "fail", resource: `account ${ACCOUNT}` }]);
    const plan = await box.plan(["cloudtrail-off"]);
    const steps = ids(plan);
    expect(steps).toHaveLength(5);

    const first = await box.apply(plan);
    expect(first).toMatchObject({ applied: steps, unchanged: [], refused: [] });
    expect(await box.verdicts("cloudtrail-off")).toMatchObject([{ status: "pass" }]);
    expect(await box.verdicts("cloudtrail-no-validation")).toMatchObject([{ status: "pass" }]);
    const { Trail } = await box.aws.cloudTrail.send(new GetTrailCommand({ Name: TRAIL_NAME }));
    expect(Trail).toMatchObject({
      S3BucketName: BUCKET,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      LogFileValidationEnabled: true,
    });
    const { PublicAccessBlockConfiguration } = await box.aws.s3.send(
      new GetPublicAccessBlockCommand({ Bucket: BUCKET }),
    );
    expect(Object.values(PublicAccessBlockConfiguration ?? {})).toEqual([true, true, true, true]);

    expect(await box.apply(plan)).toMatchObject({ applied: [], unchanged: steps, refused: [] });

    const undone = await box.rollback(plan);
    expect(undone).toMatchObject({
      undone: [
        `undo:cloudtrail:StartLogging:${TRAIL_NAME}`,
        `undo:cloudtrail:CreateTrail:${TRAIL_NAME}`,
        `undo:s3:PutBucketPolicy:${BUCKET}`,
      ],
      unchanged: [],
    });
    expect(await box.verdicts("cloudtrail-off")).toEqual(before);
    // The bucket (and whatever the trail delivered) stays; only its policy went with the trail.
    await expect(box.aws.s3.send(new HeadBucketCommand({ Bucket: BUCKET }))).resolves.toBeDefined();
    await expect(box.aws.s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).rejects.toMatchObject({
      name: "NoSuchBucketPolicy",
    });
    expect((await box.rollback(plan)).undone).toEqual([]);
    expect(JSON.stringify(box.journalEntries())).not.toContain(PLANTED_SECRET);
  });

  test("a bucket of that name this account already owns is used as it is (CreateBucket unchanged)", async () => {
    await box.aws.s3.send(
      new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }),
    );
    const plan = await box.plan(["cloudtrail-off"]);
    const result = await box.apply(plan);
    expect(result.unchanged).toEqual([`s3:CreateBucket:${BUCKET}`]);
    expect(result.applied).toHaveLength(4);
    expect(await box.verdicts("cloudtrail-off")).toMatchObject([{ status: "pass" }]);
  });
});

describe("cloudtrail-no-validation on the inherited sandbox", () => {
  /** A logging multi-region trail without log file validation, as an earlier owner might have left it. */
  async function unvalidatedTrail(): Promise<void> {
    const trailArn = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/audit`;
    await box.aws.s3.send(
      new CreateBucketCommand({ Bucket: "audit-logs", CreateBucketConfiguration: { LocationConstraint: REGION } }),
    );
    await box.aws.s3.send(
      new PutBucketPolicyCommand({ Bucket: "audit-logs", Policy: trailBucketPolicy("audit-logs", ACCOUNT, trailArn) }),
    );
    await box.aws.cloudTrail.send(
      new CreateTrailCommand({ Name: "audit", S3BucketName: "audit-logs", IsMultiRegionTrail: true }),
    );
    await box.aws.cloudTrail.send(new StartLoggingCommand({ Name: "audit" }));
  }

  test("turns validation on, reruns unchanged, and rollback turns it off again", async () => {
    await unvalidatedTrail();
    const before = await box.verdicts("cloudtrail-no-validation");
    expect(before).toEqual([{ status: "fail", resource: "trail audit", detail: "log file validation is off" }]);
    const plan = await box.plan(["cloudtrail-no-validation"]);
    expect(ids(plan)).toEqual(["cloudtrail:UpdateTrail:audit"]);
    expect(await box.apply(plan)).toMatchObject({ applied: ["cloudtrail:UpdateTrail:audit"], refused: [] });
    expect(await box.verdicts("cloudtrail-no-validation")).toMatchObject([{ status: "pass" }]);
    expect(await box.apply(plan)).toMatchObject({ applied: [], unchanged: ["cloudtrail:UpdateTrail:audit"] });

    expect(await box.rollback(plan)).toMatchObject({ undone: ["undo:cloudtrail:UpdateTrail:audit"] });
    expect(await box.verdicts("cloudtrail-no-validation")).toEqual(before);
    const { Trail } = await box.aws.cloudTrail.send(new GetTrailCommand({ Name: "audit" }));
    expect(Trail).toMatchObject({ LogFileValidationEnabled: false, IsMultiRegionTrail: true });
    const { IsLogging } = await box.aws.cloudTrail.send(new GetTrailStatusCommand({ Name: "audit" }));
    expect(IsLogging).toBe(true);
  });

  test("the sandbox's UpdateTrail (added for this fix) refuses an unknown trail and members it cannot change", async () => {
    await expect(
      box.aws.cloudTrail.send(new UpdateTrailCommand({ Name: "missing", EnableLogFileValidation: true })),
    ).rejects.toMatchObject({ name: "TrailNotFoundException" });
    await unvalidatedTrail();
    await expect(
      box.aws.cloudTrail.send(new UpdateTrailCommand({ Name: "audit", KmsKeyId: "alias/trail" })),
    ).rejects.toMatchObject({ name: "UnsupportedOperationException" });
    await expect(
      box.aws.cloudTrail.send(new UpdateTrailCommand({ Name: "audit", IncludeGlobalServiceEvents: false })),
    ).rejects.toMatchObject({ name: "InvalidParameterCombinationException" });
  });
});
