// CloudTrail event history: the management events LookupEvents answers from. Data events (S3 objects, SQS messages,
// Lambda invokes, DynamoDB items) are never stored, since event history never shows them.
import { createHash } from "node:crypto";
import type { Event } from "@aws-sdk/client-cloudtrail";
import { drawHex } from "../clock";
import { AwsError, type RequestContext } from "../service";
import type { SandboxState } from "../state";
import { defaultCallerIdentity } from "./sts";

/** One stored event, in the shape LookupEvents returns it; `CloudTrailEvent` is the full record as JSON. */
export interface StoredEvent {
  EventId: string;
  EventName: string;
  ReadOnly: "true" | "false";
  AccessKeyId?: string;
  EventTime: Date;
  EventSource: string;
  Username?: string;
  Resources: { ResourceType: string; ResourceName: string }[];
  CloudTrailEvent: string;
}

export type IdentityType = "IAMUser" | "AssumedRole" | "Root" | "AWSService";

/** What a scenario or a service says happened; recordEvent turns it into the record CloudTrail would keep. */
export interface ManagementEventSpec {
  readonly time: Date;
  /** `ecs.amazonaws.com`, `iam.amazonaws.com`, … */
  readonly eventSource: string;
  readonly eventName: string;
  /** An IAM user's name, an assumed role's session name, `root`, or the calling service for AWSService. */
  readonly username: string;
  /** Default IAMUser. */
  readonly identityType?: IdentityType;
  /** The role an AssumedRole session belongs to. */
  readonly role?: string;
  /** Default: a key stable per user (`AKIA…`), none for AWSService. */
  readonly accessKeyId?: string;
  /** Default: true for Describe*, List*, Get*, Lookup*, BatchGet*, Head*. */
  readonly readOnly?: boolean;
  readonly resources?: readonly { readonly type: string; readonly name: string }[];
  readonly requestParameters?: Readonly<Record<string, unknown>> | null;
  readonly responseElements?: Readonly<Record<string, unknown>> | null;
  readonly sourceIPAddress?: string;
  readonly userAgent?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** "Data" events are dropped, as are the known data-event names below whatever this says. */
  readonly category?: "Management" | "Data";
  readonly region?: string;
}

/** Event names CloudTrail logs only as data events, by event source. */
const DATA_EVENTS: Readonly<Record<string, ReadonlySet<string>>> = {
  "s3.amazonaws.com": new Set([
    "GetObject",
    "PutObject",
    "DeleteObject",
    "DeleteObjects",
    "HeadObject",
    "CopyObject",
    "GetObjectAcl",
    "PutObjectAcl",
    "GetObjectTagging",
    "PutObjectTagging",
    "DeleteObjectTagging",
    "CreateMultipartUpload",
    "UploadPart",
    "UploadPartCopy",
    "CompleteMultipartUpload",
    "AbortMultipartUpload",
    "ListObjects",
    "ListObjectsV2",
    "ListObjectVersions",
    "ListParts",
    "RestoreObject",
    "SelectObjectContent",
  ]),
  "sqs.amazonaws.com": new Set([
    "SendMessage",
    "SendMessageBatch",
    "ReceiveMessage",
    "DeleteMessage",
    "DeleteMessageBatch",
    "ChangeMessageVisibility",
    "ChangeMessageVisibilityBatch",
  ]),
  "lambda.amazonaws.com": new Set(["Invoke", "InvokeWithResponseStream"]),
  "dynamodb.amazonaws.com": new Set([
    "GetItem",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "Query",
    "Scan",
    "BatchGetItem",
    "BatchWriteItem",
    "TransactGetItems",
    "TransactWriteItems",
  ]),
  "sns.amazonaws.com": new Set(["Publish", "PublishBatch"]),
};

export function isDataEvent(spec: Pick<ManagementEventSpec, "eventSource" | "eventName" | "category">): boolean {
  return spec.category === "Data" || DATA_EVENTS[spec.eventSource]?.has(spec.eventName) === true;
}

const READ_ONLY = /^(Describe|List|Get|Lookup|BatchGet|Head)/;

function uuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** An AWS-style id (`AKIA…`, `AIDA…`) stable for a name, so lookups by AccessKeyId find the same person again. */
function stableId(prefix: string, seed: string): string {
  const bytes = createHash("sha256").update(seed).digest();
  return prefix + [...bytes.subarray(0, 16)].map((b) => BASE32[b % 32]).join("");
}

function userIdentity(state: SandboxState, spec: ManagementEventSpec, accessKeyId: string | undefined) {
  const account = state.account;
  switch (spec.identityType ?? "IAMUser") {
    case "AWSService":
      return { type: "AWSService", invokedBy: spec.username };
    case "Root":
      return {
        type: "Root",
        principalId: account,
        arn: `arn:aws:iam::${account}:root`,
        accountId: account,
        ...(accessKeyId ? { accessKeyId } : {}),
      };
    case "AssumedRole": {
      const role = spec.role ?? spec.username;
      const roleId = state.iam.roles.find((r) => r.RoleName === role)?.RoleId ?? stableId("AROA", `role/${role}`);
      return {
        type: "AssumedRole",
        principalId: `${roleId}:${spec.username}`,
        arn: `arn:aws:sts::${account}:assumed-role/${role}/${spec.username}`,
        accountId: account,
        ...(accessKeyId ? { accessKeyId } : {}),
        sessionContext: {
          sessionIssuer: {
            type: "Role",
            principalId: roleId,
            arn: `arn:aws:iam::${account}:role/${role}`,
            accountId: account,
            userName: role,
          },
          attributes: { creationDate: spec.time.toISOString().replace(/\.\d{3}Z$/, "Z"), mfaAuthenticated: "false" },
        },
      };
    }
    default: {
      const userId =
        state.iam.users.find((u) => u.UserName === spec.username)?.UserId ?? stableId("AIDA", `user/${spec.username}`);
      return {
        type: "IAMUser",
        principalId: userId,
        arn: `arn:aws:iam::${account}:user/${spec.username}`,
        accountId: account,
        ...(accessKeyId ? { accessKeyId } : {}),
        userName: spec.username,
      };
    }
  }
}

/** Newest first; among events of the same second, the one recorded last comes first. */
function insertNewestFirst(events: StoredEvent[], event: StoredEvent): void {
  const time = event.EventTime.getTime();
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((events[mid] as StoredEvent).EventTime.getTime() > time) low = mid + 1;
    else high = mid;
  }
  events.splice(low, 0, event);
}

/**
 * Records one management event in the account's event history and returns it; a data event is dropped (undefined),
 * because LookupEvents never returns one. Event and request ids are drawn from the state's deterministic sequence.
 */
export function recordEvent(
  state: SandboxState,
  spec: ManagementEventSpec,
  hex: (length: number) => string = (length) => drawHex(state, length),
): StoredEvent | undefined {
  if (isDataEvent(spec)) return undefined;
  const identityType = spec.identityType ?? "IAMUser";
  const accessKeyId =
    spec.accessKeyId ??
    (identityType === "AWSService"
      ? undefined
      : stableId(identityType === "AssumedRole" ? "ASIA" : "AKIA", `key/${spec.username}`));
  const readOnly = spec.readOnly ?? READ_ONLY.test(spec.eventName);
  const eventId = uuid(hex(32));
  const region = spec.region ?? state.region;
  const record = {
    eventVersion: "1.09",
    userIdentity: userIdentity(state, spec, accessKeyId),
    eventTime: spec.time.toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource: spec.eventSource,
    eventName: spec.eventName,
    awsRegion: region,
    sourceIPAddress: spec.sourceIPAddress ?? (identityType === "AWSService" ? spec.username : "192.0.2.1"),
    userAgent: spec.userAgent ?? (identityType === "AWSService" ? spec.username : "aws-cli/2.17.20"),
    ...(spec.errorCode ? { errorCode: spec.errorCode, errorMessage: spec.errorMessage ?? "" } : {}),
    requestParameters: spec.requestParameters ?? null,
    responseElements: spec.responseElements ?? null,
    requestID: uuid(hex(32)),
    eventID: eventId,
    readOnly,
    ...(spec.resources && spec.resources.length > 0
      ? { resources: spec.resources.map((r) => ({ accountId: state.account, type: r.type, ARN: r.name })) }
      : {}),
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: state.account,
    eventCategory: "Management",
    ...(identityType === "AWSService"
      ? {}
      : {
          tlsDetails: {
            tlsVersion: "TLSv1.3",
            cipherSuite: "TLS_AES_128_GCM_SHA256",
            clientProvidedHostHeader: `${spec.eventSource.replace(".amazonaws.com", "")}.${region}.amazonaws.com`,
          },
        }),
  };
  const event: StoredEvent = {
    EventId: eventId,
    EventName: spec.eventName,
    ReadOnly: readOnly ? "true" : "false",
    ...(accessKeyId ? { AccessKeyId: accessKeyId } : {}),
    EventTime: spec.time,
    EventSource: spec.eventSource,
    ...(identityType === "AWSService" ? {} : { Username: spec.username }),
    Resources: (spec.resources ?? []).map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
    CloudTrailEvent: JSON.stringify(record),
  };
  insertNewestFirst(state.cloudTrail.events, event);
  return event;
}

/** Seeds a scenario's history (in time order, so ids are drawn the same way whatever order the specs come in). */
export function seedEventHistory(
  state: SandboxState,
  ids: { hex(length: number): string },
  events: readonly ManagementEventSpec[],
): number {
  let kept = 0;
  const ordered = events.map((spec, index) => ({ spec, index }));
  ordered.sort((a, b) => a.spec.time.getTime() - b.spec.time.getTime() || a.index - b.index);
  for (const { spec } of ordered) if (recordEvent(state, spec, (n) => ids.hex(n))) kept += 1;
  return kept;
}

/** CloudTrail writes request parameters with lower-camel member names, whatever the API's own casing. */
export function requestParametersOf(input: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const lower = (value: unknown): unknown => {
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return value.map(lower);
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [`${k.charAt(0).toLowerCase()}${k.slice(1)}`, lower(v)]),
      );
    }
    return value;
  };
  return lower(input) as Record<string, unknown>;
}

/**
 * Records a sandbox request as its caller made it: the STS identity the scenario set (else `user/new-owner`),
 * at the request's virtual time. Services call it from their mutating handlers.
 */
export function recordCall(
  context: RequestContext,
  call: {
    eventSource: string;
    eventName: string;
    resources?: readonly { type: string; name: string }[];
    requestParameters?: Readonly<Record<string, unknown>> | null;
    responseElements?: Readonly<Record<string, unknown>> | null;
  },
): void {
  const { state } = context;
  const arn = (state.sts.callerIdentity ?? defaultCallerIdentity(state.account)).Arn;
  const assumed = /:assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  const identity: Pick<ManagementEventSpec, "username" | "identityType" | "role"> = assumed
    ? { username: assumed[2] as string, identityType: "AssumedRole", role: assumed[1] as string }
    : arn.endsWith(":root")
      ? { username: "root", identityType: "Root" }
      : { username: arn.slice(arn.lastIndexOf("/") + 1), identityType: "IAMUser" };
  if (recordEvent(state, { ...call, ...identity, time: context.now, sourceIPAddress: "127.0.0.1" })) context.changed();
}

// LookupEvents: filters, time range, paging.

const LOOKUP_KEYS = new Set([
  "EventId",
  "EventName",
  "ReadOnly",
  "Username",
  "ResourceType",
  "ResourceName",
  "EventSource",
  "AccessKeyId",
]);
const RETENTION_MS = 90 * 86_400_000;

function lookupError(message: string): AwsError {
  return new AwsError("InvalidLookupAttributesException", message);
}

function attributeFilter(input: Readonly<Record<string, unknown>>): ((event: StoredEvent) => boolean) | undefined {
  const attributes = input.LookupAttributes;
  if (!Array.isArray(attributes) || attributes.length === 0) return undefined;
  if (attributes.length > 1) throw lookupError("You cannot specify more than one lookup attribute.");
  const { AttributeKey: key, AttributeValue: value } = attributes[0] as {
    AttributeKey?: string;
    AttributeValue?: string;
  };
  if (typeof key !== "string" || !LOOKUP_KEYS.has(key)) {
    throw lookupError(`The attribute key ${String(key)} is not valid.`);
  }
  if (typeof value !== "string" || value === "" || value.length > 2000) {
    throw lookupError("The attribute value must be between 1 and 2000 characters.");
  }
  switch (key) {
    case "ReadOnly":
      if (value !== "true" && value !== "false")
        throw lookupError("The ReadOnly attribute value must be true or false.");
      return (e) => e.ReadOnly === value;
    case "ResourceType":
      return (e) => e.Resources.some((r) => r.ResourceType === value);
    case "ResourceName":
      return (e) => e.Resources.some((r) => r.ResourceName === value);
    default:
      return (e) => e[key as "EventId" | "EventName" | "Username" | "EventSource" | "AccessKeyId"] === value;
  }
}

function dateOf(value: unknown): Date | undefined {
  return value instanceof Date ? value : undefined;
}

/** The token names the last event returned and the query it belongs to, so a token reused elsewhere is refused. */
function tokenFor(query: string, lastEventId: string): string {
  return Buffer.from(JSON.stringify({ q: query, e: lastEventId })).toString("base64");
}

export function lookupEvents(
  state: SandboxState,
  now: Date,
  input: Readonly<Record<string, unknown>>,
): { Events: Event[]; NextToken?: string } {
  const filter = attributeFilter(input);
  const start = dateOf(input.StartTime);
  const end = dateOf(input.EndTime);
  if (start && end && start.getTime() > end.getTime()) {
    throw new AwsError("InvalidTimeRangeException", "Start time must be before end time.");
  }
  const max = input.MaxResults === undefined ? 50 : Number(input.MaxResults);
  if (!Number.isInteger(max) || max < 1 || max > 50) {
    throw new AwsError("InvalidMaxResultsException", "MaxResults must be between 1 and 50.");
  }
  const query = createHash("sha256")
    .update(
      JSON.stringify([
        input.LookupAttributes ?? null,
        start?.getTime() ?? null,
        end?.getTime() ?? null,
        input.EventCategory ?? null,
      ]),
    )
    .digest("hex")
    .slice(0, 16);
  // Insights are never enabled in the sandbox: an insight lookup finds nothing.
  if (input.EventCategory === "insight") return { Events: [] };
  const oldest = now.getTime() - RETENTION_MS;
  const matching = state.cloudTrail.events.filter((e) => {
    const time = e.EventTime.getTime();
    return (
      time >= oldest &&
      time <= now.getTime() &&
      (!start || time >= start.getTime()) &&
      (!end || time <= end.getTime()) &&
      (!filter || filter(e))
    );
  });
  let from = 0;
  if (typeof input.NextToken === "string") {
    let decoded: { q?: unknown; e?: unknown } | undefined;
    try {
      decoded = JSON.parse(Buffer.from(input.NextToken, "base64").toString("utf8")) as { q?: unknown; e?: unknown };
    } catch {
      decoded = undefined;
    }
    const index = decoded?.q === query ? matching.findIndex((e) => e.EventId === decoded?.e) : -1;
    if (index < 0) throw new AwsError("InvalidNextTokenException", "Invalid NextToken.");
    from = index + 1;
  }
  const page = matching.slice(from, from + max);
  const last = page[page.length - 1];
  return {
    Events: page.map((e) => ({
      ...e,
      Resources: e.Resources.map((r) => ({ ...r })),
    })),
    ...(last && from + max < matching.length ? { NextToken: tokenFor(query, last.EventId) } : {}),
  };
}
