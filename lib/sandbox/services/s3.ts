// S3, bucket level only: what a CloudTrail trail needs (a bucket, its policy, its public access block).
import type { PublicAccessBlockConfiguration, Tag } from "@aws-sdk/client-s3";
import { AwsError, type RequestContext, type ServiceDefinition } from "../service";
import type { SandboxState } from "../state";

export interface StoredBucket {
  Name: string;
  CreationDate: Date;
  Region: string;
  Policy?: string;
  PublicAccessBlock?: PublicAccessBlockConfiguration;
  Tags: Tag[];
}

export interface S3State {
  buckets: StoredBucket[];
}

export function emptyS3State(): S3State {
  return { buckets: [] };
}

type Input = Record<string, unknown>;

function noSuchBucket(): AwsError {
  return new AwsError("NoSuchBucket", "The specified bucket does not exist", { status: 404 });
}

function bucketName(input: Input): string {
  const name = input.Bucket;
  if (typeof name !== "string" || name === "") throw noSuchBucket();
  return name;
}

/** The bucket, for other services (CloudTrail checks that its trail's bucket exists). */
export function findBucket(state: SandboxState, name: string): StoredBucket | undefined {
  return state.s3.buckets.find((b) => b.Name === name);
}

function bucketOf(state: SandboxState, input: Input): StoredBucket {
  const bucket = findBucket(state, bucketName(input));
  if (!bucket) throw noSuchBucket();
  return bucket;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Adds a bucket as CreateBucket would; scenarios and the handler share it. */
export function addBucket(
  state: SandboxState,
  now: Date,
  spec: {
    name: string;
    region?: string;
    policy?: string | object;
    publicAccessBlock?: PublicAccessBlockConfiguration;
    tags?: Readonly<Record<string, string>>;
  },
): StoredBucket {
  if (!BUCKET_NAME.test(spec.name) || spec.name.includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(spec.name)) {
    throw new AwsError("InvalidBucketName", "The specified bucket is not valid.");
  }
  if (findBucket(state, spec.name)) {
    throw new AwsError(
      "BucketAlreadyOwnedByYou",
      "Your previous request to create the named bucket succeeded and you already own it.",
      { status: 409 },
    );
  }
  const bucket: StoredBucket = {
    Name: spec.name,
    CreationDate: now,
    Region: spec.region ?? state.region,
    ...(spec.policy === undefined
      ? {}
      : { Policy: typeof spec.policy === "string" ? spec.policy : JSON.stringify(spec.policy) }),
    ...(spec.publicAccessBlock === undefined ? {} : { PublicAccessBlock: { ...spec.publicAccessBlock } }),
    Tags: Object.entries(spec.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
  };
  state.s3.buckets.push(bucket);
  return bucket;
}

function policyText(input: Input): string {
  const policy = input.Policy;
  const text = typeof policy === "string" ? policy : policy instanceof Uint8Array ? Buffer.from(policy).toString() : "";
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || !text.trimStart().startsWith("{")) {
    throw new AwsError("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'");
  }
  return text;
}

const handlers: Record<string, (input: Input, context: RequestContext) => unknown> = {
  CreateBucket: (input, context) => {
    const config = (input.CreateBucketConfiguration ?? {}) as { LocationConstraint?: string; Tags?: Tag[] };
    const constraint = config.LocationConstraint;
    // Outside us-east-1 the constraint must name the endpoint's region, as real S3 insists.
    const expected = context.region === "us-east-1" ? undefined : context.region;
    if (constraint !== expected && !(constraint === "us-east-1" && expected === undefined)) {
      throw new AwsError(
        "IllegalLocationConstraintException",
        constraint === undefined
          ? "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."
          : `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`,
      );
    }
    const bucket = addBucket(context.state, context.now, {
      name: bucketName(input),
      region: context.region,
      tags: Object.fromEntries((config.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])),
    });
    context.changed();
    return { Location: `/${bucket.Name}` };
  },

  DeleteBucket: (input, context) => {
    const bucket = bucketOf(context.state, input);
    context.state.s3.buckets = context.state.s3.buckets.filter((b) => b !== bucket);
    context.changed();
    return {};
  },

  HeadBucket: (input, { state }) => {
    const bucket = findBucket(state, bucketName(input));
    // HEAD answers carry no body: the SDK sees only the status, so the code is the generic NotFound.
    if (!bucket) throw new AwsError("NotFound", "Not Found", { status: 404 });
    return { BucketRegion: bucket.Region, AccessPointAlias: false };
  },

  ListBuckets: (input, { state }) => {
    const prefix = typeof input.Prefix === "string" ? input.Prefix : "";
    const region = typeof input.BucketRegion === "string" ? input.BucketRegion : undefined;
    const all = [...state.s3.buckets]
      .filter((b) => b.Name.startsWith(prefix) && (region === undefined || b.Region === region))
      .sort((a, b) => (a.Name < b.Name ? -1 : 1));
    const token = typeof input.ContinuationToken === "string" ? input.ContinuationToken : undefined;
    const after = token === undefined ? all : all.filter((b) => b.Name > Buffer.from(token, "base64").toString());
    const max = input.MaxBuckets === undefined ? 10000 : Number(input.MaxBuckets);
    const page = after.slice(0, max);
    const last = page[page.length - 1];
    return {
      Buckets: page.map((b) => ({ Name: b.Name, CreationDate: b.CreationDate, BucketRegion: b.Region })),
      Owner: { ID: "0".repeat(64) },
      ...(after.length > max && last ? { ContinuationToken: Buffer.from(last.Name).toString("base64") } : {}),
      ...(prefix === "" ? {} : { Prefix: prefix }),
    };
  },

  GetBucketLocation: (input, { state }) => {
    const bucket = bucketOf(state, input);
    return bucket.Region === "us-east-1" ? {} : { LocationConstraint: bucket.Region };
  },

  PutBucketPolicy: (input, context) => {
    const bucket = bucketOf(context.state, input);
    bucket.Policy = policyText(input);
    context.changed();
    return {};
  },

  GetBucketPolicy: (input, { state }) => {
    const bucket = bucketOf(state, input);
    if (bucket.Policy === undefined) {
      throw new AwsError("NoSuchBucketPolicy", "The bucket policy does not exist", { status: 404 });
    }
    return { Policy: bucket.Policy };
  },

  DeleteBucketPolicy: (input, context) => {
    const bucket = bucketOf(context.state, input);
    delete bucket.Policy;
    context.changed();
    return {};
  },

  PutPublicAccessBlock: (input, context) => {
    const bucket = bucketOf(context.state, input);
    const config = (input.PublicAccessBlockConfiguration ?? {}) as PublicAccessBlockConfiguration;
    bucket.PublicAccessBlock = {
      BlockPublicAcls: config.BlockPublicAcls === true,
      IgnorePublicAcls: config.IgnorePublicAcls === true,
      BlockPublicPolicy: config.BlockPublicPolicy === true,
      RestrictPublicBuckets: config.RestrictPublicBuckets === true,
    };
    context.changed();
    return {};
  },

  GetPublicAccessBlock: (input, { state }) => {
    const bucket = bucketOf(state, input);
    if (!bucket.PublicAccessBlock) {
      throw new AwsError(
        "NoSuchPublicAccessBlockConfiguration",
        "The public access block configuration was not found",
        { status: 404 },
      );
    }
    return { PublicAccessBlockConfiguration: { ...bucket.PublicAccessBlock } };
  },

  DeletePublicAccessBlock: (input, context) => {
    const bucket = bucketOf(context.state, input);
    delete bucket.PublicAccessBlock;
    context.changed();
    return {};
  },
};

export const s3Service: ServiceDefinition = {
  signingName: "s3",
  protocol: "restXml",
  handlers,
};
