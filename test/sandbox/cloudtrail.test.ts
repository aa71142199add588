import {
  AddTagsCommand,
  CloudTrailClient,
  CreateTrailCommand,
  DeleteTrailCommand,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  InsufficientS3BucketPolicyException,
  InvalidEventSelectorsException,
  InvalidLookupAttributesException,
  InvalidNextTokenException,
  InvalidTimeRangeException,
  InvalidTrailNameException,
  ListTagsCommand,
  ListTrailsCommand,
  LookupEventsCommand,
  PutEventSelectorsCommand,
  paginateLookupEvents,
  S3BucketDoesNotExistException,
  StartLoggingCommand,
  StopLoggingCommand,
  TrailAlreadyExistsException,
  TrailNotFoundException,
} from "@aws-sdk/client-cloudtrail";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawHex } from "../../lib/sandbox/clock";
import { type Sandbox, startSandbox } from "../../lib/sandbox/server";
import {
  addTrail,
  inheritedHistory,
  type ManagementEventSpec,
  recordEvent,
  seedEventHistory,
} from "../../lib/sandbox/services/cloudtrail";
import { addBucket } from "../../lib/sandbox/services/s3";
import { emptyState, type SandboxState } from "../../lib/sandbox/state";
import { clientConfig } from "./client";

const START = new Date("2026-11-01T00:00:00Z");
const DAY = 86_400_000;
const TRAIL_BUCKET_POLICY = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "AWSCloudTrailWrite",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::trail-logs/AWSLogs/123456789012/*",
    },
  ],
};

function build(): SandboxState {
  const state = emptyState("test");
  const ids = { now: START, hex: (n: number) => drawHex(state, n) };
  addBucket(state, START, { name: "trail-logs", policy: TRAIL_BUCKET_POLICY });
  addBucket(state, START, { name: "no-policy" });
  const anHourAgo = { ...ids, now: new Date(START.getTime() - 3_600_000) };
  addTrail(state, anHourAgo, { name: "seeded", s3BucketName: "trail-logs", isMultiRegionTrail: true, logging: true });
  const history = inheritedHistory(state, START);
  // Data events offered alongside: the history must never keep them.
  const data: ManagementEventSpec[] = [
    { time: new Date(START.getTime() - DAY), eventSource: "s3.amazonaws.com", eventName: "PutObject", username: "x" },
    { time: new Date(START.getTime() - DAY), eventSource: "s3.amazonaws.com", eventName: "GetObject", username: "x" },
    {
      time: new Date(START.getTime() - DAY),
      eventSource: "sqs.amazonaws.com",
      eventName: "SendMessage",
      username: "x",
    },
    {
      time: new Date(START.getTime() - DAY),
      eventSource: "ecs.amazonaws.com",
      eventName: "X",
      username: "x",
      category: "Data",
    },
  ];
  seedEventHistory(state, ids, [...history, ...data]);
  // Older than 90 days: kept in the store, never returned.
  recordEvent(state, {
    time: new Date(START.getTime() - 120 * DAY),
    eventSource: "ecs.amazonaws.com",
    eventName: "DeleteCluster",
    username: "alice",
  });
  return state;
}

describe("CloudTrail over the SDK", () => {
  let sandbox: Sandbox;
  let ct: CloudTrailClient;
  let state: SandboxState;

  beforeAll(async () => {
    state = build();
    sandbox = await startSandbox({ port: 0, state, clock: START });
    ct = new CloudTrailClient(clientConfig(sandbox.endpoint));
  });
  afterAll(async () => {
    ct?.destroy();
    await sandbox?.stop();
  });

  it("the store never holds a data event", () => {
    const names = state.cloudTrail.events.map((e) => `${e.EventSource}:${e.EventName}`);
    expect(names).not.toContain("s3.amazonaws.com:PutObject");
    expect(names).not.toContain("s3.amazonaws.com:GetObject");
    expect(names).not.toContain("sqs.amazonaws.com:SendMessage");
    expect(state.cloudTrail.events.some((e) => e.EventName === "X")).toBe(false);
  });

  it("DescribeTrails lists trails, by name or ARN, and omits unknown names", async () => {
    const all = await ct.send(new DescribeTrailsCommand({}));
    expect(all.trailList).toEqual([
      {
        Name: "seeded",
        S3BucketName: "trail-logs",
        IncludeGlobalServiceEvents: true,
        IsMultiRegionTrail: true,
        HomeRegion: "ap-northeast-1",
        TrailARN: "arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/seeded",
        LogFileValidationEnabled: false,
        HasCustomEventSelectors: false,
        HasInsightSelectors: false,
        IsOrganizationTrail: false,
      },
    ]);
    const byArn = await ct.send(
      new DescribeTrailsCommand({
        trailNameList: ["arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/seeded"],
        includeShadowTrails: false,
      }),
    );
    expect(byArn.trailList?.map((t) => t.Name)).toEqual(["seeded"]);
    expect((await ct.send(new DescribeTrailsCommand({ trailNameList: ["nope"] }))).trailList).toEqual([]);
  });

  it("CreateTrail needs an existing bucket whose policy lets CloudTrail write", async () => {
    await expect(
      ct.send(new CreateTrailCommand({ Name: "trail-1", S3BucketName: "missing-bucket" })),
    ).rejects.toBeInstanceOf(S3BucketDoesNotExistException);
    await expect(
      ct.send(new CreateTrailCommand({ Name: "trail-1", S3BucketName: "no-policy" })),
    ).rejects.toBeInstanceOf(InsufficientS3BucketPolicyException);
    await expect(ct.send(new CreateTrailCommand({ Name: "a", S3BucketName: "trail-logs" }))).rejects.toBeInstanceOf(
      InvalidTrailNameException,
    );
  });

  it("CreateTrail creates a trail that is not logging until StartLogging; a second is TrailAlreadyExists", async () => {
    const created = await ct.send(
      new CreateTrailCommand({
        Name: "management-events",
        S3BucketName: "trail-logs",
        IsMultiRegionTrail: true,
        EnableLogFileValidation: true,
        TagsList: [{ Key: "Project", Value: "my-web" }],
      }),
    );
    expect(created).toMatchObject({
      Name: "management-events",
      TrailARN: "arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/management-events",
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      LogFileValidationEnabled: true,
    });
    const status = await ct.send(new GetTrailStatusCommand({ Name: "management-events" }));
    expect(status.IsLogging).toBe(false);
    expect(status.LatestDeliveryTime).toBeUndefined();
    await expect(
      ct.send(new CreateTrailCommand({ Name: "management-events", S3BucketName: "trail-logs" })),
    ).rejects.toBeInstanceOf(TrailAlreadyExistsException);
    const tags = await ct.send(new ListTagsCommand({ ResourceIdList: [created.TrailARN as string] }));
    expect(tags.ResourceTagList?.[0]?.TagsList).toEqual([{ Key: "Project", Value: "my-web" }]);
    await ct.send(new AddTagsCommand({ ResourceId: "management-events", TagsList: [{ Key: "Owner", Value: "me" }] }));
    const more = await ct.send(new ListTagsCommand({ ResourceIdList: ["management-events"] }));
    expect(more.ResourceTagList?.[0]?.TagsList).toHaveLength(2);
    expect((await ct.send(new ListTrailsCommand({}))).Trails?.map((t) => t.Name)).toEqual([
      "seeded",
      "management-events",
    ]);
  });

  it("StartLogging and StopLogging turn logging on and off, with times in GetTrailStatus", async () => {
    await ct.send(new StartLoggingCommand({ Name: "management-events" }));
    const on = await ct.send(new GetTrailStatusCommand({ Name: "management-events" }));
    expect(on.IsLogging).toBe(true);
    expect(on.StartLoggingTime).toBeInstanceOf(Date);
    expect(on.TimeLoggingStarted).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await ct.send(
      new StopLoggingCommand({ Name: "arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/management-events" }),
    );
    const off = await ct.send(new GetTrailStatusCommand({ Name: "management-events" }));
    expect(off.IsLogging).toBe(false);
    expect(off.StopLoggingTime).toBeInstanceOf(Date);
    await expect(ct.send(new StartLoggingCommand({ Name: "ghost" }))).rejects.toBeInstanceOf(TrailNotFoundException);
  });

  it("a trail logging for an hour reports its latest delivery, on the five-minute cadence", async () => {
    const status = await ct.send(new GetTrailStatusCommand({ Name: "seeded" }));
    expect(status.IsLogging).toBe(true);
    expect(status.StartLoggingTime).toEqual(new Date(START.getTime() - 3_600_000));
    expect(status.LatestDeliveryTime?.getTime()).toBe(START.getTime());
    expect(status.LatestDigestDeliveryTime).toBeUndefined();
  });

  it("GetTrailStatus answers TrailNotFoundException with AWS's message", async () => {
    const error = await ct.send(new GetTrailStatusCommand({ Name: "ghost" })).catch((e) => e);
    expect(error).toBeInstanceOf(TrailNotFoundException);
    expect(error.message).toBe(
      "Unknown trail: arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/ghost for the user: 123456789012",
    );
  });

  it("GetEventSelectors shows the default; PutEventSelectors sets basic or advanced selectors", async () => {
    const before = await ct.send(new GetEventSelectorsCommand({ TrailName: "management-events" }));
    expect(before.EventSelectors).toEqual([
      { ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] },
    ]);
    const basic = await ct.send(
      new PutEventSelectorsCommand({
        TrailName: "management-events",
        EventSelectors: [
          {
            ReadWriteType: "WriteOnly",
            IncludeManagementEvents: true,
            DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3:::my-web-uploads/"] }],
          },
        ],
      }),
    );
    expect(basic.EventSelectors?.[0]).toMatchObject({ ReadWriteType: "WriteOnly" });
    const advanced = await ct.send(
      new PutEventSelectorsCommand({
        TrailName: "management-events",
        AdvancedEventSelectors: [
          { Name: "Management events", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] },
        ],
      }),
    );
    expect(advanced.AdvancedEventSelectors).toHaveLength(1);
    const after = await ct.send(new GetEventSelectorsCommand({ TrailName: "management-events" }));
    expect(after.EventSelectors).toBeUndefined();
    expect(after.AdvancedEventSelectors?.[0]?.Name).toBe("Management events");
    const [trail] =
      (await ct.send(new DescribeTrailsCommand({ trailNameList: ["management-events"] }))).trailList ?? [];
    expect(trail?.HasCustomEventSelectors).toBe(true);
    await expect(
      ct.send(
        new PutEventSelectorsCommand({
          TrailName: "management-events",
          AdvancedEventSelectors: [{ FieldSelectors: [{ Field: "readOnly", Equals: ["true"] }] }],
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidEventSelectorsException);
    await expect(
      ct.send(new PutEventSelectorsCommand({ TrailName: "ghost", EventSelectors: [] })),
    ).rejects.toBeInstanceOf(TrailNotFoundException);
  });

  it("LookupEvents by Username=deploy-bot finds only deploy-bot, newest first, with the full record", async () => {
    const out = await ct.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "Username", AttributeValue: "deploy-bot" }] }),
    );
    const events = out.Events ?? [];
    expect(events.length).toBe(50);
    expect(out.NextToken).toBeDefined();
    expect(events.every((e) => e.Username === "deploy-bot")).toBe(true);
    const times = events.map((e) => e.EventTime?.getTime() ?? 0);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const record = JSON.parse(events[0]?.CloudTrailEvent ?? "{}");
    expect(record).toMatchObject({
      userIdentity: { type: "IAMUser", userName: "deploy-bot", accountId: "123456789012" },
      eventID: events[0]?.EventId,
      awsRegion: "ap-northeast-1",
      managementEvent: true,
      eventCategory: "Management",
      recipientAccountId: "123456789012",
    });
  });

  it("LookupEvents by EventName finds the changes: AttachRolePolicy on AdministratorAccessRole, PutImage", async () => {
    const attach = await ct.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "AttachRolePolicy" }],
      }),
    );
    expect(attach.Events).toHaveLength(1);
    expect(attach.Events?.[0]).toMatchObject({ Username: "bob", EventSource: "iam.amazonaws.com", ReadOnly: "false" });
    expect(attach.Events?.[0]?.Resources).toContainEqual({
      ResourceType: "AWS::IAM::Role",
      ResourceName: "AdministratorAccessRole",
    });
    const push = await ct.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "PutImage" }] }),
    );
    expect(push.Events?.map((e) => e.Username)).toEqual(["deploy-bot"]);
    for (const name of [
      "RegisterTaskDefinition",
      "UpdateService",
      "CreateService",
      "PutRolePolicy",
      "AuthorizeSecurityGroupIngress",
      "ModifyListener",
      "CreateRepository",
    ]) {
      const found = await ct.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: name }] }),
      );
      expect(found.Events?.length, name).toBeGreaterThan(0);
    }
  });

  it("LookupEvents by ReadOnly, EventSource, ResourceType, ResourceName, AccessKeyId and EventId", async () => {
    const lookup = async (
      AttributeKey: "ReadOnly" | "EventSource" | "ResourceType" | "ResourceName" | "AccessKeyId" | "EventId",
      AttributeValue: string,
    ) =>
      (await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey, AttributeValue }] }))).Events ?? [];
    expect((await lookup("ReadOnly", "false")).every((e) => e.ReadOnly === "false")).toBe(true);
    expect((await lookup("EventSource", "elasticloadbalancing.amazonaws.com")).length).toBeGreaterThan(0);
    expect((await lookup("ResourceType", "AWS::ECR::Repository")).map((e) => e.EventName).sort()).toEqual([
      "CreateRepository",
      "PutImage",
    ]);
    const byRole = await lookup("ResourceName", "AdministratorAccessRole");
    expect(byRole.map((e) => e.EventName)).toEqual(["DeleteRolePolicy", "AttachRolePolicy", "PutRolePolicy"]);
    const [first] = byRole;
    expect((await lookup("AccessKeyId", first?.AccessKeyId as string)).every((e) => e.Username === "bob")).toBe(true);
    expect((await lookup("EventId", first?.EventId as string)).map((e) => e.EventName)).toEqual(["DeleteRolePolicy"]);
  });

  it("paginateLookupEvents returns every event of the last 90 days, and never a data event", async () => {
    const all: string[] = [];
    for await (const page of paginateLookupEvents({ client: ct, pageSize: 50 }, {})) {
      for (const e of page.Events ?? []) all.push(`${e.EventSource}:${e.EventName}`);
    }
    const recent = state.cloudTrail.events.filter((e) => e.EventTime.getTime() >= sandbox.now().getTime() - 90 * DAY);
    expect(all).toHaveLength(recent.length);
    expect(all.length).toBeGreaterThan(100);
    expect(all).not.toContain("ecs.amazonaws.com:DeleteCluster");
    for (const data of ["s3.amazonaws.com:GetObject", "s3.amazonaws.com:PutObject", "sqs.amazonaws.com:SendMessage"]) {
      expect(all).not.toContain(data);
    }
  });

  it("LookupEvents honours StartTime and EndTime", async () => {
    const StartTime = new Date(START.getTime() - 7 * DAY);
    const EndTime = new Date(START.getTime() - 5 * DAY);
    const events: Date[] = [];
    for await (const page of paginateLookupEvents({ client: ct }, { StartTime, EndTime })) {
      events.push(...(page.Events ?? []).map((e) => e.EventTime as Date));
    }
    expect(events.length).toBeGreaterThan(0);
    for (const t of events) {
      expect(t.getTime()).toBeGreaterThanOrEqual(StartTime.getTime());
      expect(t.getTime()).toBeLessThanOrEqual(EndTime.getTime());
    }
  });

  it("LookupEvents refuses bad attributes, time ranges, page sizes and tokens with CloudTrail's exceptions", async () => {
    await expect(
      ct.send(
        new LookupEventsCommand({
          LookupAttributes: [
            { AttributeKey: "Username", AttributeValue: "bob" },
            { AttributeKey: "EventName", AttributeValue: "GetRole" },
          ],
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidLookupAttributesException);
    await expect(
      ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "ReadOnly", AttributeValue: "maybe" }] })),
    ).rejects.toBeInstanceOf(InvalidLookupAttributesException);
    await expect(
      ct.send(new LookupEventsCommand({ StartTime: START, EndTime: new Date(START.getTime() - DAY) })),
    ).rejects.toBeInstanceOf(InvalidTimeRangeException);
    await expect(ct.send(new LookupEventsCommand({ MaxResults: 51 }))).rejects.toMatchObject({
      name: "InvalidMaxResultsException",
    });
    await expect(ct.send(new LookupEventsCommand({ NextToken: "bogus" }))).rejects.toBeInstanceOf(
      InvalidNextTokenException,
    );
    const page = await ct.send(new LookupEventsCommand({ MaxResults: 5 }));
    await expect(
      ct.send(
        new LookupEventsCommand({
          NextToken: page.NextToken,
          LookupAttributes: [{ AttributeKey: "Username", AttributeValue: "bob" }],
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidNextTokenException);
  });

  it("the sandbox records its own trail changes: StopLogging by the caller shows in the history", async () => {
    const stop = await ct.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "StopLogging" }] }),
    );
    expect(stop.Events).toHaveLength(1);
    expect(stop.Events?.[0]).toMatchObject({
      Username: "new-owner",
      EventSource: "cloudtrail.amazonaws.com",
      Resources: [
        {
          ResourceType: "AWS::CloudTrail::Trail",
          ResourceName: "arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/management-events",
        },
      ],
    });
  });

  it("DeleteTrail removes the trail; deleting it again is TrailNotFoundException", async () => {
    await ct.send(new DeleteTrailCommand({ Name: "management-events" }));
    expect((await ct.send(new DescribeTrailsCommand({}))).trailList?.map((t) => t.Name)).toEqual(["seeded"]);
    await expect(ct.send(new DeleteTrailCommand({ Name: "management-events" }))).rejects.toBeInstanceOf(
      TrailNotFoundException,
    );
  });

  it("inheritedHistory is deterministic and spans about 30 days", () => {
    const a = build().cloudTrail.events;
    const b = build().cloudTrail.events;
    expect(a.map((e) => e.CloudTrailEvent)).toEqual(b.map((e) => e.CloudTrailEvent));
    const times = inheritedHistory(emptyState("x"), START).map((e) => e.time.getTime());
    expect(Math.min(...times)).toBeGreaterThanOrEqual(START.getTime() - 31 * DAY);
    expect(Math.max(...times)).toBeLessThan(START.getTime());
  });
});
