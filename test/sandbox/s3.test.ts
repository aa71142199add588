import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  NoSuchBucket,
  NotFound,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  paginateListBuckets,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox } from "../../lib/sandbox/server";
import { addBucket } from "../../lib/sandbox/services/s3";
import { emptyState } from "../../lib/sandbox/state";
import { clientConfig } from "./client";

const START = new Date("2026-11-01T00:00:00Z");
const trailPolicy = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "AWSCloudTrailWrite",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::trail-logs/AWSLogs/123456789012/*",
      Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
    },
  ],
};

describe("S3 over the SDK", () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let s3: S3Client;

  beforeAll(async () => {
    const state = emptyState("test");
    addBucket(state, START, { name: "my-web-uploads" });
    for (let i = 0; i < 25; i += 1) addBucket(state, START, { name: `bulk-${String(i).padStart(2, "0")}` });
    sandbox = await startSandbox({ port: 0, state, clock: START });
    s3 = new S3Client({ ...clientConfig(sandbox.endpoint), forcePathStyle: true });
  });
  afterAll(async () => {
    s3?.destroy();
    await sandbox?.stop();
  });

  it("CreateBucket in the region, then HeadBucket finds it; creating it again is BucketAlreadyOwnedByYou", async () => {
    const created = await s3.send(
      new CreateBucketCommand({
        Bucket: "trail-logs",
        CreateBucketConfiguration: { LocationConstraint: "ap-northeast-1" },
      }),
    );
    expect(created.Location).toBe("/trail-logs");
    const head = await s3.send(new HeadBucketCommand({ Bucket: "trail-logs" }));
    expect(head.BucketRegion).toBe("ap-northeast-1");
    await expect(
      s3.send(
        new CreateBucketCommand({
          Bucket: "trail-logs",
          CreateBucketConfiguration: { LocationConstraint: "ap-northeast-1" },
        }),
      ),
    ).rejects.toBeInstanceOf(BucketAlreadyOwnedByYou);
  });

  it("CreateBucket with a location constraint other than the endpoint's region is refused, as S3 does", async () => {
    await expect(
      s3.send(
        new CreateBucketCommand({
          Bucket: "elsewhere",
          CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
        }),
      ),
    ).rejects.toMatchObject({ name: "IllegalLocationConstraintException" });
  });

  it("HeadBucket on a missing bucket is a bodiless 404 NotFound", async () => {
    const error = await s3.send(new HeadBucketCommand({ Bucket: "missing-bucket" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFound);
    expect((error as NotFound).$metadata.httpStatusCode).toBe(404);
  });

  it("bucket policy: NoSuchBucketPolicy, put, get the same JSON, delete", async () => {
    const missing = await s3.send(new GetBucketPolicyCommand({ Bucket: "my-web-uploads" })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(S3ServiceException);
    expect((missing as S3ServiceException).name).toBe("NoSuchBucketPolicy");
    await s3.send(new PutBucketPolicyCommand({ Bucket: "my-web-uploads", Policy: JSON.stringify(trailPolicy) }));
    const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket: "my-web-uploads" }));
    expect(JSON.parse(Policy ?? "")).toEqual(trailPolicy);
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: "my-web-uploads" }));
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: "my-web-uploads" }))).rejects.toMatchObject({
      name: "NoSuchBucketPolicy",
    });
    await expect(
      s3.send(new PutBucketPolicyCommand({ Bucket: "my-web-uploads", Policy: "not json" })),
    ).rejects.toMatchObject({ name: "MalformedPolicy" });
  });

  it("operations on a missing bucket throw NoSuchBucket", async () => {
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: "missing-bucket" }))).rejects.toBeInstanceOf(
      NoSuchBucket,
    );
    await expect(
      s3.send(new PutBucketPolicyCommand({ Bucket: "missing-bucket", Policy: JSON.stringify(trailPolicy) })),
    ).rejects.toBeInstanceOf(NoSuchBucket);
  });

  it("public access block round-trips", async () => {
    await expect(s3.send(new GetPublicAccessBlockCommand({ Bucket: "my-web-uploads" }))).rejects.toMatchObject({
      name: "NoSuchPublicAccessBlockConfiguration",
    });
    const config = {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    };
    await s3.send(
      new PutPublicAccessBlockCommand({ Bucket: "my-web-uploads", PublicAccessBlockConfiguration: config }),
    );
    const got = await s3.send(new GetPublicAccessBlockCommand({ Bucket: "my-web-uploads" }));
    expect(got.PublicAccessBlockConfiguration).toEqual(config);
  });

  it("ListBuckets' paginator returns every bucket", async () => {
    const names: string[] = [];
    for await (const page of paginateListBuckets({ client: s3, pageSize: 7 }, {})) {
      names.push(...(page.Buckets ?? []).map((b) => b.Name ?? ""));
    }
    expect(names.filter((n) => n.startsWith("bulk-"))).toHaveLength(25);
    expect(new Set(names).size).toBe(names.length);
  });
});
