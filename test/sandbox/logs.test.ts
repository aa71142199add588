import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  DescribeQueriesCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  GetLogRecordCommand,
  GetQueryResultsCommand,
  InvalidParameterException,
  MalformedQueryException,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  StartQueryCommand,
  StopQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { ECSClient, UpdateClusterSettingsCommand } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildScenario } from "../../lib/sandbox/scenarios";
import { WEB } from "../../lib/sandbox/scenarios/web-service";
import { type Sandbox, startSandbox } from "../../lib/sandbox/server";
import { addLogGroup, putEvents } from "../../lib/sandbox/services/logs";
import { clientConfig } from "./client";

const START = new Date("2026-11-28T00:00:00Z");
const DAY = 86_400_000;
const [TASK_A, TASK_B, TASK_C] = WEB.taskIds;
const APP_GROUP = "/ecs/my-web-app";
const PERFORMANCE = `/aws/ecs/containerinsights/${WEB.cluster}/performance`;

async function untilComplete(logs: CloudWatchLogsClient, queryId: string) {
  const statuses: string[] = [];
  for (let i = 0; i < 10; i++) {
    const out = await logs.send(new GetQueryResultsCommand({ queryId }));
    statuses.push(out.status ?? "");
    if (out.status === "Complete") return { out, statuses };
  }
  throw new Error(`query ${queryId} never completed: ${statuses.join(",")}`);
}

async function query(logs: CloudWatchLogsClient, queryString: string, groups = [APP_GROUP], hours = 3) {
  const end = Math.floor(START.getTime() / 1000) + 3600;
  const { queryId } = await logs.send(
    new StartQueryCommand({ logGroupNames: groups, startTime: end - hours * 3600 - 3600, endTime: end, queryString }),
  );
  const { out } = await untilComplete(logs, queryId ?? "");
  const rows = (out.results ?? []).map((row) => Object.fromEntries(row.map((f) => [f.field ?? "", f.value ?? ""])));
  return { rows, statistics: out.statistics };
}

describe("CloudWatch Logs over the SDK: groups, streams, events", () => {
  let sandbox: Sandbox;
  let logs: CloudWatchLogsClient;

  beforeAll(async () => {
    const state = buildScenario("incident", START);
    addLogGroup(state, { name: APP_GROUP, createdAt: new Date(START.getTime() - 14 * DAY), retentionInDays: 30 });
    addLogGroup(state, { name: "/seeded/app", createdAt: new Date(START.getTime() - DAY) });
    putEvents(state, "/seeded/app", "one", [
      { timestamp: START.getTime() - 3000, message: "ERROR first failure" },
      { timestamp: START.getTime() - 2000, message: '{"level":"info","latency":5,"user":"bob"}' },
      { timestamp: START.getTime() - 2000, message: '{"level":"error","latency":12,"user":"amy"}' },
      { timestamp: START.getTime() - 1000, message: "WARN disk almost full" },
    ]);
    sandbox = await startSandbox({ port: 0, state, clock: START });
    logs = new CloudWatchLogsClient(clientConfig(sandbox.endpoint));
  });
  afterAll(async () => {
    logs?.destroy();
    await sandbox?.stop();
  });

  it("CreateLogGroup, DescribeLogGroups by prefix and pattern with paging, duplicates refused", async () => {
    for (let i = 0; i < 5; i++) await logs.send(new CreateLogGroupCommand({ logGroupName: `/bulk/g${i}` }));
    await expect(logs.send(new CreateLogGroupCommand({ logGroupName: "/bulk/g0" }))).rejects.toBeInstanceOf(
      ResourceAlreadyExistsException,
    );
    await expect(logs.send(new CreateLogGroupCommand({ logGroupName: "bad name!" }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    const first = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/bulk/", limit: 3 }));
    expect(first.logGroups?.map((g) => g.logGroupName)).toEqual(["/bulk/g0", "/bulk/g1", "/bulk/g2"]);
    const second = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: "/bulk/", limit: 3, nextToken: first.nextToken }),
    );
    expect(second.logGroups?.map((g) => g.logGroupName)).toEqual(["/bulk/g3", "/bulk/g4"]);
    expect(second.nextToken).toBeUndefined();
    const pattern = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: "WEB-APP" }));
    const app = pattern.logGroups?.[0];
    expect(app).toMatchObject({
      logGroupName: APP_GROUP,
      retentionInDays: 30,
      arn: `arn:aws:logs:ap-northeast-1:123456789012:log-group:${APP_GROUP}:*`,
      logGroupArn: `arn:aws:logs:ap-northeast-1:123456789012:log-group:${APP_GROUP}`,
    });
    expect(app?.storedBytes).toBeGreaterThan(0);
  });

  it("Container Insights' performance group exists on the incident (insights enhanced)", async () => {
    const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/ecs/containerinsights/" }));
    expect(out.logGroups?.map((g) => g.logGroupName)).toEqual([PERFORMANCE]);
  });

  it("PutRetentionPolicy takes only valid values; DeleteRetentionPolicy and DeleteLogGroup roll back", async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/rollback" }));
    await expect(
      logs.send(new PutRetentionPolicyCommand({ logGroupName: "/rollback", retentionInDays: 2 })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: "/rollback", retentionInDays: 90 }));
    let group = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/rollback" }))).logGroups?.[0];
    expect(group?.retentionInDays).toBe(90);
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: "/rollback" }));
    group = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/rollback" }))).logGroups?.[0];
    expect(group?.retentionInDays).toBeUndefined();
    await logs.send(new DeleteLogGroupCommand({ logGroupName: "/rollback" }));
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/rollback" }))).logGroups).toEqual([]);
    await expect(logs.send(new DeleteLogGroupCommand({ logGroupName: "/rollback" }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it("DescribeLogStreams lists the awslogs streams of the three tasks, ordered and paged", async () => {
    const all = await logs.send(new DescribeLogStreamsCommand({ logGroupName: APP_GROUP }));
    const names = all.logStreams?.map((s) => s.logStreamName);
    expect(names).toEqual([
      ...WEB.taskIds.map((id) => `app/my-web-app/${id}`),
      ...WEB.taskIds.map((id) => `otel/aws-otel-collector/${id}`),
    ]);
    const b = all.logStreams?.find((s) => s.logStreamName === `app/my-web-app/${TASK_B}`);
    expect(b?.firstEventTimestamp).toBe(
      all.logStreams?.[0]?.firstEventTimestamp !== undefined ? b?.firstEventTimestamp : undefined,
    );
    expect(b?.lastEventTimestamp).toBeLessThanOrEqual(sandbox.now().getTime());
    expect(b?.firstEventTimestamp).toBeGreaterThanOrEqual(START.getTime() - 3 * 3_600_000);
    const prefixed = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: APP_GROUP, logStreamNamePrefix: "app/", limit: 2 }),
    );
    expect(prefixed.logStreams).toHaveLength(2);
    const rest = await logs.send(
      new DescribeLogStreamsCommand({
        logGroupName: APP_GROUP,
        logStreamNamePrefix: "app/",
        limit: 2,
        nextToken: prefixed.nextToken,
      }),
    );
    expect(rest.logStreams?.map((s) => s.logStreamName)).toEqual([`app/my-web-app/${TASK_C}`]);
    const recent = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: APP_GROUP, orderBy: "LastEventTime", descending: true }),
    );
    expect(recent.logStreams?.[0]?.logStreamName).toMatch(/^app\//);
    await expect(
      logs.send(
        new DescribeLogStreamsCommand({ logGroupName: APP_GROUP, orderBy: "LastEventTime", logStreamNamePrefix: "a" }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it("GetLogEvents reads forward and backward, and gives the same token back at the end", async () => {
    const stream = `app/my-web-app/${TASK_B}`;
    const head = await logs.send(
      new GetLogEventsCommand({ logGroupName: APP_GROUP, logStreamName: stream, startFromHead: true, limit: 5 }),
    );
    expect(head.events).toHaveLength(5);
    expect(head.events?.[0]?.message).toMatch(
      /^10\.0\.\d+\.\d+ - - \[\d\d\/Nov\/2026:\d\d:\d\d:\d\d \+0000\] "(GET|POST) \/\S*" \d{3} \d+ms req=[0-9a-f]{24}$/,
    );
    const timestamps = head.events?.map((e) => e.timestamp ?? 0) ?? [];
    expect([...timestamps].sort((a, b) => a - b)).toEqual(timestamps);
    const next = await logs.send(
      new GetLogEventsCommand({
        logGroupName: APP_GROUP,
        logStreamName: stream,
        nextToken: head.nextForwardToken,
        limit: 5,
      }),
    );
    expect(next.events?.[0]?.timestamp).toBeGreaterThanOrEqual(timestamps[4] ?? 0);
    expect(next.events?.[0]?.message).not.toBe(head.events?.[4]?.message);
    const back = await logs.send(
      new GetLogEventsCommand({
        logGroupName: APP_GROUP,
        logStreamName: stream,
        nextToken: next.nextBackwardToken,
        limit: 5,
      }),
    );
    expect(back.events?.map((e) => e.message)).toEqual(head.events?.map((e) => e.message));
    const start = await logs.send(
      new GetLogEventsCommand({ logGroupName: APP_GROUP, logStreamName: stream, nextToken: back.nextBackwardToken }),
    );
    expect(start.events).toEqual([]);
    expect(start.nextBackwardToken).toBe(back.nextBackwardToken);

    // Tail: the newest events, then the forward token at the end comes back unchanged.
    const tail = await logs.send(
      new GetLogEventsCommand({ logGroupName: APP_GROUP, logStreamName: stream, endTime: START.getTime(), limit: 3 }),
    );
    expect(tail.events).toHaveLength(3);
    expect(tail.events?.every((e) => (e.timestamp ?? 0) < START.getTime())).toBe(true);
    const caught = await logs.send(
      new GetLogEventsCommand({
        logGroupName: APP_GROUP,
        logStreamName: stream,
        endTime: START.getTime(),
        nextToken: tail.nextForwardToken,
      }),
    );
    expect(caught.events).toEqual([]);
    expect(caught.nextForwardToken).toBe(tail.nextForwardToken);
    await expect(
      logs.send(new GetLogEventsCommand({ logGroupName: APP_GROUP, logStreamName: "nope" })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it("PutLogEvents stores events, rejects too old ones and out-of-order batches", async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: "/seeded/app", logStreamName: "two" }));
    await expect(
      logs.send(new CreateLogStreamCommand({ logGroupName: "/seeded/app", logStreamName: "two" })),
    ).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    const now = sandbox.now().getTime();
    const old = await logs.send(
      new PutLogEventsCommand({
        logGroupName: "/seeded/app",
        logStreamName: "two",
        logEvents: [
          { timestamp: now - 20 * DAY, message: "ancient" },
          { timestamp: now - 20 * DAY + 1000, message: "ancient too" },
        ],
      }),
    );
    expect(old.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 1 });
    const put = await logs.send(
      new PutLogEventsCommand({
        logGroupName: "/seeded/app",
        logStreamName: "two",
        logEvents: [
          { timestamp: now - 5000, message: "hello from two" },
          { timestamp: now - 4000, message: "ERROR in two" },
        ],
      }),
    );
    expect(put.rejectedLogEventsInfo).toBeUndefined();
    await expect(
      logs.send(
        new PutLogEventsCommand({
          logGroupName: "/seeded/app",
          logStreamName: "two",
          logEvents: [
            { timestamp: now - 3 * DAY, message: "a" },
            { timestamp: now - 1000, message: "b" },
          ],
        }),
      ),
    ).rejects.toThrow(/24 hours/);
    await expect(
      logs.send(
        new PutLogEventsCommand({
          logGroupName: "/seeded/app",
          logStreamName: "two",
          logEvents: [
            { timestamp: now - 1000, message: "b" },
            { timestamp: now - 2000, message: "a" },
          ],
        }),
      ),
    ).rejects.toThrow(/chronological order/);
    await expect(
      logs.send(
        new PutLogEventsCommand({
          logGroupName: "/seeded/app",
          logStreamName: "missing",
          logEvents: [{ timestamp: now, message: "x" }],
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    const read = await logs.send(
      new GetLogEventsCommand({ logGroupName: "/seeded/app", logStreamName: "two", startFromHead: true }),
    );
    expect(read.events?.map((e) => e.message)).toEqual(["hello from two", "ERROR in two"]);
  });

  it("FilterLogEvents applies term, exclusion, alternative and JSON patterns, and pages", async () => {
    const messages = async (filterPattern: string) =>
      (await logs.send(new FilterLogEventsCommand({ logGroupName: "/seeded/app", filterPattern }))).events?.map(
        (e) => e.message,
      );
    expect(await messages("ERROR")).toEqual(["ERROR first failure", "ERROR in two"]);
    expect(await messages("ERROR -first")).toEqual(["ERROR in two"]);
    expect(await messages('"disk almost"')).toEqual(["WARN disk almost full"]);
    expect(await messages("?WARN ?failure")).toEqual(["ERROR first failure", "WARN disk almost full"]);
    expect(await messages("{ $.latency > 10 }")).toEqual(['{"level":"error","latency":12,"user":"amy"}']);
    expect(await messages('{ $.level = "info" && $.latency != 12 }')).toEqual([
      '{"level":"info","latency":5,"user":"bob"}',
    ]);
    const streams = await logs.send(
      new FilterLogEventsCommand({ logGroupName: "/seeded/app", logStreamNames: ["two"], filterPattern: "two" }),
    );
    expect(streams.events?.map((e) => e.logStreamName)).toEqual(["two", "two"]);

    const pages: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new FilterLogEventsCommand({ logGroupName: "/seeded/app", limit: 2, nextToken }));
      expect(page.events?.length).toBeLessThanOrEqual(2);
      pages.push(...(page.events?.map((e) => e.message ?? "") ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(pages).toHaveLength(6);
    expect(new Set(pages).size).toBe(6);
  });

  it("FilterLogEvents finds task B's slow POST /something lines and only B's", async () => {
    const out = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: APP_GROUP,
        logStreamNamePrefix: "app/",
        filterPattern: '"POST /something" -" 200 1"',
        startTime: START.getTime() - 10 * 60_000,
        endTime: START.getTime(),
      }),
    );
    const slow = (out.events ?? []).filter((e) => /" 200 4\d{3}ms/.test(e.message ?? ""));
    expect(slow.length).toBeGreaterThan(0);
    expect(slow.every((e) => e.logStreamName?.endsWith(TASK_B ?? ""))).toBe(true);
  });
});

describe("Logs Insights over the SDK", () => {
  let sandbox: Sandbox;
  let logs: CloudWatchLogsClient;

  beforeAll(async () => {
    const state = buildScenario("incident", START);
    addLogGroup(state, { name: APP_GROUP, createdAt: new Date(START.getTime() - 14 * DAY) });
    sandbox = await startSandbox({ port: 0, state, clock: START });
    logs = new CloudWatchLogsClient(clientConfig(sandbox.endpoint));
  });
  afterAll(async () => {
    logs?.destroy();
    await sandbox?.stop();
  });

  it("moves Scheduled → Running → Complete as it is polled", async () => {
    const { queryId } = await logs.send(
      new StartQueryCommand({
        logGroupName: APP_GROUP,
        startTime: Math.floor(START.getTime() / 1000) - 600,
        endTime: Math.floor(START.getTime() / 1000),
        queryString: "stats count(*)",
      }),
    );
    const { out, statuses } = await untilComplete(logs, queryId ?? "");
    expect(statuses).toEqual(["Scheduled", "Running", "Complete"]);
    expect(Number(out.results?.[0]?.[0]?.value)).toBeGreaterThan(500);
    expect(out.statistics?.recordsScanned).toBeGreaterThan(500);
    expect(out.statistics?.bytesScanned).toBeGreaterThan(0);
    const described = await logs.send(new DescribeQueriesCommand({ logGroupName: APP_GROUP }));
    expect(described.queries?.find((q) => q.queryId === queryId)?.status).toBe("Complete");
  });

  it("the observability reference's query finds task B's slow lines and none of A's or C's", async () => {
    const { rows, statistics } = await query(
      logs,
      "fields @timestamp, @message, @logStream | parse @message '\"* *\" * *ms' as method, path, status, latency | filter latency > 4000 | sort latency desc | limit 20",
    );
    expect(rows).toHaveLength(20);
    for (const row of rows) {
      expect(row["@logStream"]).toBe(`app/my-web-app/${TASK_B}`);
      expect(row).toMatchObject({ method: "POST", path: "/something", status: "200" });
      expect(Number(row.latency)).toBeGreaterThan(4000);
      expect(row["@timestamp"]).toMatch(/^2026-11-2[78] \d\d:\d\d:\d\d\.\d{3}$/);
      expect(row["@ptr"]).toBeTruthy();
    }
    const latencies = rows.map((row) => Number(row.latency));
    expect([...latencies].sort((a, b) => b - a)).toEqual(latencies);
    expect(statistics?.recordsMatched).toBeGreaterThan(20);
    const record = await logs.send(new GetLogRecordCommand({ logRecordPointer: rows[0]?.["@ptr"] }));
    expect(record.logRecord?.["@message"]).toBe(rows[0]?.["@message"]);
    const others = await query(
      logs,
      `parse @message '"* *" * *ms' as method, path, status, latency | filter latency > 4000 and (@logStream like "${TASK_A}" or @logStream like "${TASK_C}") | stats count(*) as n`,
    );
    expect(others.rows).toEqual([{ n: "0" }]);
  });

  it("stats by bin(5m) with pct, filter like, sort desc | limit", async () => {
    const { rows } = await query(
      logs,
      `filter @message like /POST \\/something/ | parse @message '"* *" * *ms' as method, path, status, latency | stats count(*) as requests, pct(latency, 99) as p99 by bin(5m)`,
      [APP_GROUP],
      1,
    );
    expect(rows.length).toBeGreaterThan(6);
    for (const row of rows) expect(row["bin(5m)"]).toMatch(/:\d[05]:00\.000$/);
    // Since the incident began, B's slow POSTs put the p99 near 4,750 ms; before it, POSTs took ~160 ms.
    const recent = rows.find((row) => row["bin(5m)"] === "2026-11-27 23:50:00.000");
    const before = rows.find((row) => row["bin(5m)"] === "2026-11-27 23:05:00.000");
    expect(Number(recent?.p99)).toBeGreaterThan(4000);
    expect(Number(before?.p99)).toBeLessThan(1000);
    const top = await query(
      logs,
      `parse @message '"* *" * *ms' as method, path, status, latency | stats avg(latency) as avg by @logStream | sort avg desc | limit 1`,
    );
    expect(top.rows).toEqual([{ "@logStream": `app/my-web-app/${TASK_B}`, avg: expect.any(String) }]);
  });

  it("a query it cannot parse is a MalformedQueryException naming the position", async () => {
    const error = await logs
      .send(
        new StartQueryCommand({
          logGroupName: APP_GROUP,
          startTime: 0,
          endTime: 1,
          queryString: "fields @timestamp | filter latency >",
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedQueryException);
    expect((error as Error).message).toMatch(/at line 1 and position 36/);
    await expect(
      logs.send(
        new StartQueryCommand({ logGroupName: "/nope", startTime: 0, endTime: 1, queryString: "stats count(*)" }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it("StopQuery cancels a query still running", async () => {
    const { queryId } = await logs.send(
      new StartQueryCommand({ logGroupName: APP_GROUP, startTime: 0, endTime: 1, queryString: "limit 1" }),
    );
    expect((await logs.send(new StopQueryCommand({ queryId }))).success).toBe(true);
    expect((await logs.send(new GetQueryResultsCommand({ queryId }))).status).toBe("Cancelled");
  });
});

describe("Container Insights performance events", () => {
  let sandbox: Sandbox;
  let logs: CloudWatchLogsClient;
  let ecs: ECSClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, scenario: "inherited", clock: START });
    logs = new CloudWatchLogsClient(clientConfig(sandbox.endpoint));
    ecs = new ECSClient(clientConfig(sandbox.endpoint));
  });
  afterAll(async () => {
    logs?.destroy();
    ecs?.destroy();
    await sandbox?.stop();
  });

  it("appear only after UpdateClusterSettings turns insights on", async () => {
    const before = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/ecs/" }));
    expect(before.logGroups).toEqual([]);
    const enabledAt = sandbox.now().getTime();
    await ecs.send(
      new UpdateClusterSettingsCommand({
        cluster: WEB.cluster,
        settings: [{ name: "containerInsights", value: "enhanced" }],
      }),
    );
    const after = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/ecs/" }));
    expect(after.logGroups?.map((g) => g.logGroupName)).toEqual([PERFORMANCE]);
    // Events come per minute: move the clock on with cheap requests until the first minute has passed.
    let events: { timestamp?: number; message?: string }[] = [];
    for (let i = 0; i < 150 && events.length === 0; i++) {
      events = (await logs.send(new FilterLogEventsCommand({ logGroupName: PERFORMANCE }))).events ?? [];
    }
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(event.timestamp).toBeGreaterThanOrEqual(enabledAt - 60_000);
      const document = JSON.parse(event.message ?? "{}");
      expect(document).toMatchObject({
        Type: "Task",
        ClusterName: WEB.cluster,
        CpuReserved: 512,
        MemoryReserved: 1024,
      });
      expect(WEB.taskIds).toContain(document.TaskId);
      expect(document.CpuUtilized).toBeGreaterThan(0);
    }
    const { rows } = await (async () => {
      const end = Math.floor(sandbox.now().getTime() / 1000);
      const { queryId } = await logs.send(
        new StartQueryCommand({
          logGroupName: PERFORMANCE,
          startTime: end - 3 * 3600,
          endTime: end,
          queryString: 'filter Type = "Task" | stats max(CpuUtilized) as cpu by TaskId',
        }),
      );
      const { out } = await untilComplete(logs, queryId ?? "");
      return { rows: out.results ?? [] };
    })();
    expect(rows).toHaveLength(3);
  });
});
