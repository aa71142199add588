// What apply knows of each s3 write action (see ../action.ts): the private bucket a new CloudTrail trail writes to.
import {
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  type PublicAccessBlockConfiguration,
} from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { Aws } from "../../aws/client";
import {
  type ActionTable,
  awsErrorCode,
  canonical,
  field,
  orAbsent,
  type ResolvedInput,
  sameJsonText,
} from "../action";
import type { Call, Json } from "../plan";

function bucketOf(input: ResolvedInput): string {
  return String(input.Bucket);
}

function s3Call(action: string, input: Record<string, Json>): Call {
  return { service: "s3", action, input };
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

/**
 * Whether the bucket exists in this account. A bucket of that name that this account does not own (S3 answers 403
 * to HeadBucket with ExpectedBucketOwner) is refused outright: a trail must never write to somebody else's bucket.
 */
async function observeBucket(aws: Aws, input: ResolvedInput): Promise<Json> {
  const bucket = bucketOf(input);
  const { Account } = await aws.sts.send(new GetCallerIdentityCommand({}));
  try {
    const head = await aws.s3.send(
      new HeadBucketCommand({ Bucket: bucket, ...(Account ? { ExpectedBucketOwner: Account } : {}) }),
    );
    return { exists: true, region: head.BucketRegion ?? null };
  } catch (error) {
    const code = awsErrorCode(error);
    if (code === "NotFound" || code === "NoSuchBucket" || httpStatus(error) === 404) return { exists: false };
    if (code === "Forbidden" || httpStatus(error) === 403) {
      throw new Error(
        `bucket ${bucket} exists but account ${Account ?? "(unknown)"} does not own it or may not read it: refusing to use it`,
      );
    }
    throw error;
  }
}

/** The four settings, each true or false (S3 leaves an omitted one false). */
function publicAccessBlock(config: unknown): Record<string, boolean> {
  const value = (config ?? {}) as PublicAccessBlockConfiguration;
  return {
    BlockPublicAcls: value.BlockPublicAcls === true,
    IgnorePublicAcls: value.IgnorePublicAcls === true,
    BlockPublicPolicy: value.BlockPublicPolicy === true,
    RestrictPublicBuckets: value.RestrictPublicBuckets === true,
  };
}

/** The bucket policy text (a policy is configuration, never a secret), or null when the bucket has none. */
async function bucketPolicy(aws: Aws, input: ResolvedInput): Promise<Json> {
  const found = await orAbsent(
    () => aws.s3.send(new GetBucketPolicyCommand({ Bucket: bucketOf(input) })),
    "NoSuchBucketPolicy",
    "NoSuchBucket",
  );
  return { Policy: found?.Policy ?? null };
}

function restorePolicy(input: ResolvedInput, before: Json): Call[] {
  const policy = field(before, "Policy");
  return typeof policy === "string"
    ? [s3Call("PutBucketPolicy", { Bucket: bucketOf(input), Policy: policy })]
    : [s3Call("DeleteBucketPolicy", { Bucket: bucketOf(input) })];
}

export const S3_ACTIONS: ActionTable = {
  CreateBucket: {
    observe: observeBucket,
    satisfied: (observed) => (field(observed, "exists") === true ? {} : undefined),
    output: () => ({}),
    // The bucket stays, with whatever was delivered to it: deleting an audit record is a person's decision.
    undo: () => [],
    iam: ["s3:CreateBucket", "s3:ListBucket", "sts:GetCallerIdentity"],
  },

  PutPublicAccessBlock: {
    observe: async (aws, input) => {
      const found = await orAbsent(
        () => aws.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucketOf(input) })),
        "NoSuchPublicAccessBlockConfiguration",
        "NoSuchBucket",
      );
      return { PublicAccessBlockConfiguration: found ? publicAccessBlock(found.PublicAccessBlockConfiguration) : null };
    },
    satisfied: (observed, input) => {
      const current = field(observed, "PublicAccessBlockConfiguration");
      return current !== null &&
        current !== undefined &&
        canonical(current) === canonical(publicAccessBlock(input.PublicAccessBlockConfiguration))
        ? {}
        : undefined;
    },
    output: () => ({}),
    // A previous block comes back; where there was none the block stays, as the bucket stays: logs remain private.
    undo: (input, before) => {
      const previous = field(before, "PublicAccessBlockConfiguration");
      return previous === null || previous === undefined
        ? []
        : [s3Call("PutPublicAccessBlock", { Bucket: bucketOf(input), PublicAccessBlockConfiguration: previous })];
    },
    iam: ["s3:PutBucketPublicAccessBlock", "s3:GetBucketPublicAccessBlock"],
  },

  PutBucketPolicy: {
    observe: bucketPolicy,
    satisfied: (observed, input) => (sameJsonText(field(observed, "Policy"), input.Policy) ? {} : undefined),
    output: () => ({}),
    undo: restorePolicy,
    iam: ["s3:PutBucketPolicy", "s3:GetBucketPolicy"],
  },

  DeleteBucketPolicy: {
    observe: bucketPolicy,
    satisfied: (observed) => (field(observed, "Policy") === null ? {} : undefined),
    output: () => ({}),
    undo: (input, before) => (typeof field(before, "Policy") === "string" ? restorePolicy(input, before) : []),
    iam: ["s3:DeleteBucketPolicy", "s3:GetBucketPolicy"],
  },
};
