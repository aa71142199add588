// CloudTrail: trails (which need an S3 bucket whose policy lets CloudTrail write), logging status, event selectors,
// and the account's event history of management events (cloudtrail-events.ts).
import type { AdvancedEventSelector, EventSelector, Tag, Trail } from "@aws-sdk/client-cloudtrail";
import { AwsError, type RequestContext, type ServiceDefinition } from "../service";
import type { SandboxState } from "../state";
import { lookupEvents, recordCall, type StoredEvent } from "./cloudtrail-events";
import { findBucket } from "./s3";

export {
  type ManagementEventSpec,
  recordCall,
  recordEvent,
  type StoredEvent,
  seedEventHistory,
} from "./cloudtrail-events";
export { inheritedHistory } from "./cloudtrail-history";

export interface StoredTrail {
  Name: string;
  TrailARN: string;
  HomeRegion: string;
  S3BucketName: string;
  S3KeyPrefix?: string;
  SnsTopicName?: string;
  SnsTopicARN?: string;
  IncludeGlobalServiceEvents: boolean;
  IsMultiRegionTrail: boolean;
  LogFileValidationEnabled: boolean;
  CloudWatchLogsLogGroupArn?: string;
  CloudWatchLogsRoleArn?: string;
  KmsKeyId?: string;
  /** Exactly one of the two is set: basic selectors (the default) or advanced ones. */
  EventSelectors?: EventSelector[];
  AdvancedEventSelectors?: AdvancedEventSelector[];
  HasCustomEventSelectors: boolean;
  Tags: Tag[];
  CreatedAt: Date;
  IsLogging: boolean;
  StartLoggingTime?: Date;
  StopLoggingTime?: Date;
}

export interface CloudTrailState {
  trails: StoredTrail[];
  /** Management events only, newest first. */
  events: StoredEvent[];
}

export function emptyCloudTrailState(): CloudTrailState {
  return { trails: [], events: [] };
}

type Input = Record<string, unknown>;
type Ids = { hex(length: number): string; readonly now: Date };

const SOURCE = "cloudtrail.amazonaws.com";
/** CloudTrail delivers log files to S3 about every 5 minutes, digests hourly, to CloudWatch Logs about every minute. */
const DELIVERY_MS = 5 * 60_000;
const DIGEST_MS = 60 * 60_000;
const CLOUDWATCH_MS = 60_000;

function string(input: Input, name: string): string | undefined {
  const value = input[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function trailArn(state: SandboxState, name: string): string {
  return `arn:aws:cloudtrail:${state.region}:${state.account}:trail/${name}`;
}

function trailNotFound(state: SandboxState, nameOrArn: string): AwsError {
  const arn = nameOrArn.startsWith("arn:") ? nameOrArn : trailArn(state, nameOrArn);
  return new AwsError("TrailNotFoundException", `Unknown trail: ${arn} for the user: ${state.account}`);
}

/** By name or ARN, as every trail operation accepts. */
function findTrail(state: SandboxState, nameOrArn: string | undefined): StoredTrail {
  if (nameOrArn === undefined) throw new AwsError("InvalidTrailNameException", "Trail name or ARN can't be empty.");
  const trail = state.cloudTrail.trails.find((t) => t.Name === nameOrArn || t.TrailARN === nameOrArn);
  if (!trail) throw trailNotFound(state, nameOrArn);
  return trail;
}

function validateName(name: string): void {
  const invalid = (message: string) => new AwsError("InvalidTrailNameException", message);
  if (name.length < 3 || name.length > 128) {
    throw invalid(`Trail name must be between 3 and 128 characters long. Specified name length: ${name.length}.`);
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]$/.test(name)) {
    throw invalid(
      "Trail name must start and end with a letter or number and contain only letters, numbers, periods, underscores and dashes.",
    );
  }
  if (/[._-]{2}/.test(name)) throw invalid("Trail name must not have adjacent periods, underscores or dashes.");
}

function statements(policy: string): Record<string, unknown>[] {
  try {
    const parsed = JSON.parse(policy) as { Statement?: unknown };
    const list = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
    return list.filter((s): s is Record<string, unknown> => typeof s === "object" && s !== null);
  } catch {
    return [];
  }
}

function mentions(value: unknown, wanted: (text: string) => boolean): boolean {
  if (typeof value === "string") return wanted(value);
  if (Array.isArray(value)) return value.some((v) => mentions(v, wanted));
  if (typeof value === "object" && value !== null) return Object.values(value).some((v) => mentions(v, wanted));
  return false;
}

/** CloudTrail refuses a bucket whose policy does not let cloudtrail.amazonaws.com put objects into it. */
function bucketLetsCloudTrailWrite(policy: string | undefined): boolean {
  if (policy === undefined) return false;
  return statements(policy).some(
    (s) =>
      s.Effect === "Allow" &&
      mentions(s.Principal, (p) => p === "cloudtrail.amazonaws.com" || p === "*") &&
      mentions(s.Action, (a) => a === "s3:PutObject" || a === "s3:*" || a === "*"),
  );
}

function roleTrustsCloudTrail(state: SandboxState, roleArn: string): boolean {
  const role = state.iam.roles.find((r) => r.Arn === roleArn);
  if (!role) return false;
  let document = role.AssumeRolePolicyDocument;
  try {
    document = decodeURIComponent(document);
  } catch {
    // Already plain JSON.
  }
  return document.includes("cloudtrail.amazonaws.com");
}

const DEFAULT_SELECTORS: EventSelector[] = [
  { ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] },
];

/** Adds a trail as CreateTrail would (not logging until StartLogging, as AWS does); scenarios and the handler share it. */
export function addTrail(
  state: SandboxState,
  ids: Ids,
  spec: {
    name: string;
    s3BucketName: string;
    s3KeyPrefix?: string;
    snsTopicName?: string;
    isMultiRegionTrail?: boolean;
    includeGlobalServiceEvents?: boolean;
    enableLogFileValidation?: boolean;
    cloudWatchLogsLogGroupArn?: string;
    cloudWatchLogsRoleArn?: string;
    kmsKeyId?: string;
    tags?: Readonly<Record<string, string>> | readonly Tag[];
    /** Starts logging at once (a scenario's trail that has been on all along). */
    logging?: boolean;
  },
): StoredTrail {
  validateName(spec.name);
  if (state.cloudTrail.trails.some((t) => t.Name === spec.name)) {
    throw new AwsError(
      "TrailAlreadyExistsException",
      `Trail ${spec.name} already exists for customer: ${state.account}`,
    );
  }
  const bucket = findBucket(state, spec.s3BucketName);
  if (!bucket) {
    throw new AwsError("S3BucketDoesNotExistException", `S3 bucket ${spec.s3BucketName} does not exist.`);
  }
  if (!bucketLetsCloudTrailWrite(bucket.Policy)) {
    throw new AwsError(
      "InsufficientS3BucketPolicyException",
      `Incorrect S3 bucket policy is detected for bucket: ${spec.s3BucketName}`,
    );
  }
  const group = spec.cloudWatchLogsLogGroupArn;
  const role = spec.cloudWatchLogsRoleArn;
  if ((group === undefined) !== (role === undefined)) {
    throw new AwsError(
      "InvalidParameterCombinationException",
      "You must specify both a CloudWatch Logs log group ARN and a CloudWatch Logs role ARN, or neither.",
    );
  }
  if (group !== undefined && !/^arn:aws[\w-]*:logs:[\w-]+:\d{12}:log-group:[\w#/.-]+:\*$/.test(group)) {
    throw new AwsError("InvalidCloudWatchLogsLogGroupArnException", "CloudWatch Logs log group ARN is not valid.");
  }
  if (role !== undefined && !roleTrustsCloudTrail(state, role)) {
    throw new AwsError(
      "InvalidCloudWatchLogsRoleArnException",
      "Access denied. Verify in IAM that the role has adequate permissions.",
    );
  }
  const tags = Array.isArray(spec.tags)
    ? (spec.tags as readonly Tag[]).map((t) => ({ ...t }))
    : Object.entries(spec.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  const trail: StoredTrail = {
    Name: spec.name,
    TrailARN: trailArn(state, spec.name),
    HomeRegion: state.region,
    S3BucketName: spec.s3BucketName,
    ...(spec.s3KeyPrefix === undefined ? {} : { S3KeyPrefix: spec.s3KeyPrefix }),
    ...(spec.snsTopicName === undefined
      ? {}
      : {
          SnsTopicName: spec.snsTopicName,
          SnsTopicARN: `arn:aws:sns:${state.region}:${state.account}:${spec.snsTopicName}`,
        }),
    IncludeGlobalServiceEvents: spec.includeGlobalServiceEvents ?? true,
    IsMultiRegionTrail: spec.isMultiRegionTrail ?? false,
    LogFileValidationEnabled: spec.enableLogFileValidation ?? false,
    ...(group === undefined ? {} : { CloudWatchLogsLogGroupArn: group, CloudWatchLogsRoleArn: role }),
    ...(spec.kmsKeyId === undefined ? {} : { KmsKeyId: spec.kmsKeyId }),
    EventSelectors: DEFAULT_SELECTORS.map((s) => ({ ...s })),
    HasCustomEventSelectors: false,
    Tags: tags,
    CreatedAt: ids.now,
    IsLogging: spec.logging === true,
    ...(spec.logging === true ? { StartLoggingTime: ids.now } : {}),
  };
  if (trail.IsMultiRegionTrail && !trail.IncludeGlobalServiceEvents) {
    throw new AwsError(
      "InvalidParameterCombinationException",
      "Multi-Region trail must include global service events.",
    );
  }
  state.cloudTrail.trails.push(trail);
  return trail;
}

function describeTrail(trail: StoredTrail): Trail {
  return {
    Name: trail.Name,
    S3BucketName: trail.S3BucketName,
    ...(trail.S3KeyPrefix === undefined ? {} : { S3KeyPrefix: trail.S3KeyPrefix }),
    ...(trail.SnsTopicName === undefined ? {} : { SnsTopicName: trail.SnsTopicName, SnsTopicARN: trail.SnsTopicARN }),
    IncludeGlobalServiceEvents: trail.IncludeGlobalServiceEvents,
    IsMultiRegionTrail: trail.IsMultiRegionTrail,
    HomeRegion: trail.HomeRegion,
    TrailARN: trail.TrailARN,
    LogFileValidationEnabled: trail.LogFileValidationEnabled,
    ...(trail.CloudWatchLogsLogGroupArn === undefined
      ? {}
      : {
          CloudWatchLogsLogGroupArn: trail.CloudWatchLogsLogGroupArn,
          CloudWatchLogsRoleArn: trail.CloudWatchLogsRoleArn,
        }),
    ...(trail.KmsKeyId === undefined ? {} : { KmsKeyId: trail.KmsKeyId }),
    HasCustomEventSelectors: trail.HasCustomEventSelectors,
    HasInsightSelectors: false,
    IsOrganizationTrail: false,
  };
}

/** The last multiple of `every` since logging started, as of now or of when logging stopped. */
function lastDelivery(trail: StoredTrail, now: Date, every: number): Date | undefined {
  if (!trail.StartLoggingTime) return undefined;
  const started = trail.StartLoggingTime.getTime();
  const until = trail.IsLogging ? now.getTime() : (trail.StopLoggingTime?.getTime() ?? now.getTime());
  const steps = Math.floor((until - started) / every);
  return steps >= 1 ? new Date(started + steps * every) : undefined;
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function trailStatus(trail: StoredTrail, now: Date) {
  const delivery = lastDelivery(trail, now, DELIVERY_MS);
  const digest = trail.LogFileValidationEnabled ? lastDelivery(trail, now, DIGEST_MS) : undefined;
  const cloudWatch = trail.CloudWatchLogsLogGroupArn ? lastDelivery(trail, now, CLOUDWATCH_MS) : undefined;
  return {
    IsLogging: trail.IsLogging,
    ...(delivery
      ? {
          LatestDeliveryTime: delivery,
          LatestDeliveryAttemptTime: isoSeconds(delivery),
          LatestDeliveryAttemptSucceeded: isoSeconds(delivery),
        }
      : { LatestDeliveryAttemptTime: "", LatestDeliveryAttemptSucceeded: "" }),
    ...(digest ? { LatestDigestDeliveryTime: digest } : {}),
    ...(cloudWatch ? { LatestCloudWatchLogsDeliveryTime: cloudWatch } : {}),
    ...(trail.StartLoggingTime
      ? { StartLoggingTime: trail.StartLoggingTime, TimeLoggingStarted: isoSeconds(trail.StartLoggingTime) }
      : {}),
    ...(trail.StopLoggingTime
      ? { StopLoggingTime: trail.StopLoggingTime, TimeLoggingStopped: isoSeconds(trail.StopLoggingTime) }
      : {}),
    LatestNotificationAttemptTime: "",
    LatestNotificationAttemptSucceeded: "",
  };
}

// Event selectors: rough validation in CloudTrail's terms.

const DATA_RESOURCE_TYPES = new Set(["AWS::S3::Object", "AWS::Lambda::Function", "AWS::DynamoDB::Table"]);
const ADVANCED_FIELDS = new Set([
  "eventCategory",
  "eventSource",
  "eventName",
  "eventType",
  "readOnly",
  "resources.type",
  "resources.ARN",
  "errorCode",
  "sessionCredentialFromConsole",
  "userIdentity.arn",
  "vpcEndpointId",
]);

function invalidSelectors(message: string): AwsError {
  return new AwsError("InvalidEventSelectorsException", message);
}

function validateBasic(selectors: readonly EventSelector[]): EventSelector[] {
  if (selectors.length > 5) throw invalidSelectors("You can specify up to 5 event selectors per trail.");
  let values = 0;
  const validated = selectors.map((s): EventSelector => {
    const readWrite = s.ReadWriteType ?? "All";
    if (!["All", "ReadOnly", "WriteOnly"].includes(readWrite)) {
      throw invalidSelectors(`Value ${readWrite} for ReadWriteType is invalid.`);
    }
    const resources = (s.DataResources ?? []).map((r) => {
      if (!r.Type || !DATA_RESOURCE_TYPES.has(r.Type)) {
        throw invalidSelectors(`Value ${String(r.Type)} for DataResources.Type is invalid.`);
      }
      const list = r.Values ?? [];
      values += list.length;
      if (r.Type === "AWS::S3::Object" && list.some((v) => !v.startsWith("arn:aws:s3:::"))) {
        throw invalidSelectors("Value for DataResources.Values is invalid: S3 values must start with arn:aws:s3:::");
      }
      return { Type: r.Type, Values: [...list] };
    });
    return {
      ReadWriteType: readWrite,
      IncludeManagementEvents: s.IncludeManagementEvents ?? true,
      DataResources: resources,
      ExcludeManagementEventSources: [...(s.ExcludeManagementEventSources ?? [])],
    };
  });
  if (values > 250) throw invalidSelectors("You can specify up to 250 data resource values across all selectors.");
  return validated;
}

function validateAdvanced(selectors: readonly AdvancedEventSelector[]): AdvancedEventSelector[] {
  if (selectors.length > 500) throw invalidSelectors("You can specify up to 500 advanced event selectors per trail.");
  return selectors.map((s) => {
    const fields = s.FieldSelectors ?? [];
    if (fields.length === 0) throw invalidSelectors("An advanced event selector needs at least one field selector.");
    for (const f of fields) {
      if (!f.Field || !ADVANCED_FIELDS.has(f.Field)) {
        throw invalidSelectors(`Field ${String(f.Field)} is not a valid field for advanced event selectors.`);
      }
    }
    const category = fields.find((f) => f.Field === "eventCategory");
    const categories = category?.Equals ?? [];
    if (categories.length !== 1 || !["Management", "Data"].includes(categories[0] as string)) {
      throw invalidSelectors(
        "Each advanced event selector must have an eventCategory field equal to Management or Data.",
      );
    }
    if (categories[0] === "Data" && !fields.some((f) => f.Field === "resources.type")) {
      throw invalidSelectors("A data event selector must have a resources.type field.");
    }
    return {
      ...(s.Name === undefined ? {} : { Name: s.Name }),
      FieldSelectors: fields.map((f) => ({ ...f })),
    };
  });
}

function selectorsOf(trail: StoredTrail) {
  return trail.AdvancedEventSelectors
    ? { TrailARN: trail.TrailARN, AdvancedEventSelectors: trail.AdvancedEventSelectors }
    : { TrailARN: trail.TrailARN, EventSelectors: trail.EventSelectors ?? [] };
}

function recordTrailCall(context: RequestContext, name: string, trail: StoredTrail, input: Input, response?: Input) {
  recordCall(context, {
    eventSource: SOURCE,
    eventName: name,
    resources: [{ type: "AWS::CloudTrail::Trail", name: trail.TrailARN }],
    requestParameters: Object.fromEntries(
      Object.entries(input).map(([k, v]) => [`${k.charAt(0).toLowerCase()}${k.slice(1)}`, v]),
    ),
    responseElements: response ?? null,
  });
}

const handlers: Record<string, (input: Input, context: RequestContext) => unknown> = {
  CreateTrail: (input, context) => {
    const name = string(input, "Name");
    if (name === undefined) throw new AwsError("InvalidTrailNameException", "Trail name can't be empty.");
    const bucket = string(input, "S3BucketName");
    if (bucket === undefined) throw new AwsError("InvalidS3BucketNameException", "S3 bucket name can't be empty.");
    if (input.IsOrganizationTrail === true) {
      throw new AwsError("OrganizationsNotInUseException", "This account is not a member of an organization.");
    }
    const trail = addTrail(context.state, context, {
      name,
      s3BucketName: bucket,
      s3KeyPrefix: string(input, "S3KeyPrefix"),
      snsTopicName: string(input, "SnsTopicName"),
      isMultiRegionTrail: input.IsMultiRegionTrail === undefined ? undefined : input.IsMultiRegionTrail === true,
      includeGlobalServiceEvents:
        input.IncludeGlobalServiceEvents === undefined ? undefined : input.IncludeGlobalServiceEvents === true,
      enableLogFileValidation: input.EnableLogFileValidation === true,
      cloudWatchLogsLogGroupArn: string(input, "CloudWatchLogsLogGroupArn"),
      cloudWatchLogsRoleArn: string(input, "CloudWatchLogsRoleArn"),
      kmsKeyId: string(input, "KmsKeyId"),
      tags: Array.isArray(input.TagsList) ? (input.TagsList as Tag[]) : undefined,
    });
    context.changed();
    const { HomeRegion: _home, HasCustomEventSelectors: _c, HasInsightSelectors: _i, ...output } = describeTrail(trail);
    recordTrailCall(context, "CreateTrail", trail, input, output);
    return output;
  },

  // The settings a trail fix changes (log file validation, regions, bucket); a member left out keeps its value.
  UpdateTrail: (input, context) => {
    const { state } = context;
    const trail = findTrail(state, string(input, "Name"));
    const unsupported = [
      "KmsKeyId",
      "SnsTopicName",
      "CloudWatchLogsLogGroupArn",
      "CloudWatchLogsRoleArn",
      "IsOrganizationTrail",
    ];
    const asked = unsupported.filter((name) => input[name] !== undefined);
    // A gap must be visible, never a silent no-op.
    if (asked.length > 0) {
      throw new AwsError(
        "UnsupportedOperationException",
        `The sandbox's UpdateTrail does not change ${asked.join(", ")}.`,
      );
    }
    const flag = (name: string, current: boolean) => (input[name] === undefined ? current : input[name] === true);
    const multiRegion = flag("IsMultiRegionTrail", trail.IsMultiRegionTrail);
    const globalEvents = flag("IncludeGlobalServiceEvents", trail.IncludeGlobalServiceEvents);
    if (multiRegion && !globalEvents) {
      throw new AwsError(
        "InvalidParameterCombinationException",
        "Multi-Region trail must include global service events.",
      );
    }
    const bucketName = string(input, "S3BucketName");
    if (bucketName !== undefined) {
      const bucket = findBucket(state, bucketName);
      if (!bucket) throw new AwsError("S3BucketDoesNotExistException", `S3 bucket ${bucketName} does not exist.`);
      if (!bucketLetsCloudTrailWrite(bucket.Policy)) {
        throw new AwsError(
          "InsufficientS3BucketPolicyException",
          `Incorrect S3 bucket policy is detected for bucket: ${bucketName}`,
        );
      }
      trail.S3BucketName = bucketName;
    }
    // An empty string clears a text member, as UpdateTrail documents.
    if (typeof input.S3KeyPrefix === "string") {
      if (input.S3KeyPrefix === "") delete trail.S3KeyPrefix;
      else trail.S3KeyPrefix = input.S3KeyPrefix;
    }
    trail.IsMultiRegionTrail = multiRegion;
    trail.IncludeGlobalServiceEvents = globalEvents;
    trail.LogFileValidationEnabled = flag("EnableLogFileValidation", trail.LogFileValidationEnabled);
    context.changed();
    const { HomeRegion: _home, HasCustomEventSelectors: _c, HasInsightSelectors: _i, ...output } = describeTrail(trail);
    recordTrailCall(context, "UpdateTrail", trail, input, output);
    return output;
  },

  DescribeTrails: (input, { state }) => {
    const names = Array.isArray(input.trailNameList) ? (input.trailNameList as string[]) : [];
    // One region in the sandbox: a multi-Region trail has no shadow copies here, so includeShadowTrails changes nothing.
    const trails =
      names.length === 0
        ? state.cloudTrail.trails
        : state.cloudTrail.trails.filter((t) => names.includes(t.Name) || names.includes(t.TrailARN));
    return { trailList: trails.map(describeTrail) };
  },

  ListTrails: (_input, { state }) => ({
    Trails: state.cloudTrail.trails.map((t) => ({ TrailARN: t.TrailARN, Name: t.Name, HomeRegion: t.HomeRegion })),
  }),

  GetTrail: (input, { state }) => ({ Trail: describeTrail(findTrail(state, string(input, "Name"))) }),

  GetTrailStatus: (input, { state, now }) => trailStatus(findTrail(state, string(input, "Name")), now),

  StartLogging: (input, context) => {
    const trail = findTrail(context.state, string(input, "Name"));
    if (!trail.IsLogging) {
      trail.IsLogging = true;
      trail.StartLoggingTime = context.now;
    }
    context.changed();
    recordTrailCall(context, "StartLogging", trail, input);
    return {};
  },

  StopLogging: (input, context) => {
    const trail = findTrail(context.state, string(input, "Name"));
    if (trail.IsLogging) {
      trail.IsLogging = false;
      trail.StopLoggingTime = context.now;
    }
    context.changed();
    recordTrailCall(context, "StopLogging", trail, input);
    return {};
  },

  DeleteTrail: (input, context) => {
    const trail = findTrail(context.state, string(input, "Name"));
    context.state.cloudTrail.trails = context.state.cloudTrail.trails.filter((t) => t !== trail);
    context.changed();
    recordTrailCall(context, "DeleteTrail", trail, input);
    return {};
  },

  GetEventSelectors: (input, { state }) => selectorsOf(findTrail(state, string(input, "TrailName"))),

  PutEventSelectors: (input, context) => {
    const trail = findTrail(context.state, string(input, "TrailName"));
    const basic = Array.isArray(input.EventSelectors) ? (input.EventSelectors as EventSelector[]) : undefined;
    const advanced = Array.isArray(input.AdvancedEventSelectors)
      ? (input.AdvancedEventSelectors as AdvancedEventSelector[])
      : undefined;
    if ((basic === undefined) === (advanced === undefined)) {
      throw invalidSelectors("Specify either EventSelectors or AdvancedEventSelectors, but not both.");
    }
    if (basic) {
      trail.EventSelectors = validateBasic(basic);
      delete trail.AdvancedEventSelectors;
    } else {
      trail.AdvancedEventSelectors = validateAdvanced(advanced ?? []);
      delete trail.EventSelectors;
    }
    trail.HasCustomEventSelectors = true;
    context.changed();
    const output = selectorsOf(trail);
    recordTrailCall(context, "PutEventSelectors", trail, input);
    return output;
  },

  AddTags: (input, context) => {
    const trail = findTrail(context.state, string(input, "ResourceId"));
    for (const tag of Array.isArray(input.TagsList) ? (input.TagsList as Tag[]) : []) {
      const existing = trail.Tags.find((t) => t.Key === tag.Key);
      if (existing) existing.Value = tag.Value;
      else trail.Tags.push({ Key: tag.Key, ...(tag.Value === undefined ? {} : { Value: tag.Value }) });
    }
    if (trail.Tags.length > 50) throw new AwsError("TagsLimitExceededException", "The number of tags exceeds 50.");
    context.changed();
    recordTrailCall(context, "AddTags", trail, input);
    return {};
  },

  ListTags: (input, { state }) => {
    const ids = Array.isArray(input.ResourceIdList) ? (input.ResourceIdList as string[]) : [];
    return {
      ResourceTagList: ids.map((id) => {
        const trail = findTrail(state, id);
        return { ResourceId: trail.TrailARN, TagsList: trail.Tags.map((t) => ({ ...t })) };
      }),
    };
  },

  LookupEvents: (input, { state, now }) => lookupEvents(state, now, input),
};

export const cloudTrailService: ServiceDefinition = {
  signingName: "cloudtrail",
  protocol: "awsJson1_1",
  handlers,
};
