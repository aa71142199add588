import { describe, expect, test } from "vitest";
import { fix, TRAIL_NAME, trailBucket } from "../../../lib/fixes/audit/cloudtrail-off";
import { actions, altered, failing, fixture, PLANTED_SECRET, planned } from "../image/fixture-verdicts";

const BUCKET = "ecs-takeover-trail-123456789012-ap-northeast-1";
const TRAIL_ARN = `arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/${TRAIL_NAME}`;

describe("cloudtrail-off fix", () => {
  test("inherited: a new private bucket with CloudTrail's policy, a multi-region validated trail, logging started", () => {
    const changes = planned(fix, fixture("inherited"));
    expect(changes).toHaveLength(1);
    const [change] = changes;
    expect(change).toMatchObject({ check: "cloudtrail-off", resource: "account 123456789012", manual: false });
    expect(actions(change)).toEqual([
      "s3:CreateBucket",
      "s3:PutPublicAccessBlock",
      "s3:PutBucketPolicy",
      "cloudTrail:CreateTrail",
      "cloudTrail:StartLogging",
    ]);
    const [create, block, policy, trail, start] = change?.steps ?? [];
    expect(create?.call.input).toEqual({
      Bucket: BUCKET,
      CreateBucketConfiguration: { LocationConstraint: "ap-northeast-1" },
    });
    expect(block?.call.input).toEqual({
      Bucket: BUCKET,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    });
    const document = JSON.parse(String(policy?.call.input.Policy)) as {
      Statement: { Action: string; Resource: string; Condition: { StringEquals: Record<string, string> } }[];
    };
    expect(document.Statement.map((s) => [s.Action, s.Resource])).toEqual([
      ["s3:GetBucketAcl", `arn:aws:s3:::${BUCKET}`],
      ["s3:PutObject", `arn:aws:s3:::${BUCKET}/AWSLogs/123456789012/*`],
    ]);
    for (const statement of document.Statement)
      expect(statement.Condition.StringEquals["aws:SourceArn"]).toBe(TRAIL_ARN);
    expect(document.Statement[1]?.Condition.StringEquals["s3:x-amz-acl"]).toBe("bucket-owner-full-control");
    expect(trail?.call.input).toEqual({
      Name: TRAIL_NAME,
      S3BucketName: BUCKET,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
    });
    expect(trail?.changes).toEqual({ kind: "trails" });
    expect(start?.call.input).toEqual({ Name: TRAIL_NAME });
    expect(change?.reads).toEqual([{ kind: "trails" }]);
    expect(change?.rollback.join(" ")).toMatch(/STAY/);
    expect(JSON.stringify(changes)).not.toContain(PLANTED_SECRET);
  });

  test("in us-east-1 the bucket is created without a location constraint", () => {
    const snapshot = altered(fixture("inherited"), (s) => {
      (s as { region: string }).region = "us-east-1";
    });
    const [change] = planned(fix, snapshot);
    expect(change?.steps[0]?.call.input).toEqual({ Bucket: trailBucket("123456789012", "us-east-1") });
  });

  test("an existing trail that does not pass is left alone and named in the notes", () => {
    const snapshot = altered(fixture("inherited"), (s) => {
      s.trails = {
        status: "known",
        value: [
          {
            trail: { Name: "old-trail", IsMultiRegionTrail: false, HomeRegion: "ap-northeast-1" },
            isLogging: { status: "known", value: true },
            eventSelectors: { status: "known", value: { basic: [{ ReadWriteType: "All" }], advanced: [] } },
          },
        ],
      };
    });
    const [change] = planned(fix, snapshot);
    expect(change?.notes[0]).toMatch(/trail old-trail is left as it is \(it covers one region only\)/);
    expect(change?.risk).toMatch(/second trail/);
  });

  test("clean: a trail logs management events everywhere, so there is nothing to plan", () => {
    expect(failing(fixture("clean"), "cloudtrail-off")).toEqual([]);
  });
});
