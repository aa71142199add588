// X-Ray over the real SDK client: generated traces of the web service's scenarios, and what PutTraceSegments stores.
import {
  BatchGetTracesCommand,
  GetServiceGraphCommand,
  GetTraceGraphCommand,
  GetTraceSummariesCommand,
  InvalidRequestException,
  PutTraceSegmentsCommand,
  paginateGetTraceSummaries,
  type TraceSummary,
  XRayClient,
} from "@aws-sdk/client-xray";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INCIDENT_MS, WEB } from "../../lib/sandbox/scenarios/web-service";
import { startSandbox } from "../../lib/sandbox/server";
import { clientConfig } from "./client";

const CLOCK = "2026-11-28T00:00:00Z";
const START = new Date(CLOCK);
const MINUTE = 60_000;
const [TASK_A, TASK_B, TASK_C] = WEB.taskIds;

interface Doc {
  id: string;
  name: string;
  start_time: number;
  end_time: number;
  origin?: string;
  namespace?: string;
  sql?: { database_type?: string; sanitized_query?: string };
  aws?: { ecs?: { task_arn?: string; container?: string } };
  annotations?: Record<string, unknown>;
  subsegments?: Doc[];
}

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

async function allSummaries(xray: XRayClient, input: ConstructorParameters<typeof GetTraceSummariesCommand>[0]) {
  const summaries: TraceSummary[] = [];
  const pages: number[] = [];
  for await (const page of paginateGetTraceSummaries({ client: xray }, input)) {
    pages.push(page.TraceSummaries?.length ?? 0);
    summaries.push(...(page.TraceSummaries ?? []));
  }
  return { summaries, pages };
}

async function documents(xray: XRayClient, ids: readonly string[]): Promise<Map<string, Doc[]>> {
  const out = new Map<string, Doc[]>();
  for (let i = 0; i < ids.length; i += 5) {
    const batch = await xray.send(new BatchGetTracesCommand({ TraceIds: ids.slice(i, i + 5) }));
    expect(batch.UnprocessedTraceIds).toEqual([]);
    for (const trace of batch.Traces ?? []) {
      out.set(
        trace.Id ?? "",
        (trace.Segments ?? []).map((segment) => JSON.parse(segment.Document ?? "{}") as Doc),
      );
    }
  }
  return out;
}

function taskOf(segments: readonly Doc[]): string | undefined {
  return segments
    .find((s) => s.aws?.ecs)
    ?.aws?.ecs?.task_arn?.split("/")
    .pop();
}

const ago = (ms: number) => new Date(START.getTime() - ms);

describe("X-Ray on the incident scenario", () => {
  let sandbox: Sandbox;
  let xray: XRayClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, scenario: "incident", clock: CLOCK });
    xray = new XRayClient(clientConfig(sandbox.endpoint));
  });
  afterAll(async () => {
    xray?.destroy();
    await sandbox?.stop();
  });

  it("the slow POST /something traces are all served by task B, and only since the incident began", async () => {
    const { summaries } = await allSummaries(xray, {
      StartTime: ago(60 * MINUTE),
      EndTime: START,
      FilterExpression: 'responsetime > 3 AND service("my-web-service") AND http.url CONTAINS "/something"',
    });
    expect(summaries.length).toBeGreaterThan(100);
    for (const summary of summaries) {
      expect(summary.ResponseTime).toBeGreaterThan(3);
      expect(summary.Http?.HttpURL).toContain("/something");
      expect(summary.Http?.HttpMethod).toBe("POST");
      expect(summary.Annotations?.route?.[0]?.AnnotationValue).toEqual({ StringValue: "POST /something" });
      expect(summary.EntryPoint?.Name).toBe(WEB.service);
      expect(summary.StartTime?.getTime()).toBeGreaterThanOrEqual(START.getTime() - INCIDENT_MS);
    }
    const sample = summaries.filter((_, i) => i % 10 === 0).map((s) => s.Id ?? "");
    const docs = await documents(xray, sample);
    expect(docs.size).toBe(sample.length);
    for (const segments of docs.values()) expect(taskOf(segments)).toBe(TASK_B);
  });

  it("in a slow trace the app's segment holds the time and its SQL subsegment is short", async () => {
    const found = await xray.send(
      new GetTraceSummariesCommand({
        StartTime: ago(10 * MINUTE),
        EndTime: START,
        FilterExpression: 'responsetime > 3 AND annotation.route = "POST /something"',
      }),
    );
    const summary = found.TraceSummaries?.[0];
    expect(summary?.Id).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const batch = await xray.send(new BatchGetTracesCommand({ TraceIds: [summary?.Id ?? ""] }));
    const trace = batch.Traces?.[0];
    const duration = trace?.Duration ?? 0;
    expect(duration).toBeGreaterThan(4.5);
    expect(duration).toBeLessThan(5.1);
    expect(trace?.Segments).toHaveLength(1);
    const app = JSON.parse(trace?.Segments?.[0]?.Document ?? "{}") as Doc;
    expect(app).toMatchObject({ name: WEB.service, origin: "AWS::ECS::Container" });
    expect(app.aws?.ecs?.container).toBe(WEB.container);
    expect(app.end_time - app.start_time).toBeGreaterThan(0.9 * duration);
    const sql = app.subsegments?.find((s) => s.sql);
    expect(sql).toMatchObject({ name: WEB.dbHost, namespace: "remote", sql: { database_type: "MySQL" } });
    const sqlTime = (sql?.end_time ?? 0) - (sql?.start_time ?? 0);
    expect(sqlTime).toBeGreaterThan(0.05);
    expect(sqlTime).toBeLessThan(0.05 * duration);
    expect(sql?.start_time).toBeGreaterThanOrEqual(app.start_time);
    expect(sql?.end_time).toBeLessThanOrEqual(app.end_time);
    const s3 = app.subsegments?.find((s) => s.namespace === "aws");
    expect(s3?.name).toBe("S3");
  });

  it("fast traces of POST /something come from tasks A and C", async () => {
    const { summaries } = await allSummaries(xray, {
      StartTime: ago(15 * MINUTE),
      EndTime: START,
      FilterExpression: 'http.url ENDSWITH "/something" AND responsetime < 1',
    });
    expect(summaries.length).toBeGreaterThan(20);
    const docs = await documents(
      xray,
      summaries.slice(0, 40).map((s) => s.Id ?? ""),
    );
    const tasks = new Set([...docs.values()].map(taskOf));
    expect(tasks).toEqual(new Set([TASK_A, TASK_C]));
  });

  it("no trace has a load balancer segment: every trace starts at the app", async () => {
    const { summaries } = await allSummaries(xray, { StartTime: ago(5 * MINUTE), EndTime: START });
    expect(summaries.length).toBeGreaterThan(100);
    for (const summary of summaries) {
      expect(summary.EntryPoint?.Name).toBe(WEB.service);
      for (const id of summary.ServiceIds ?? []) {
        expect(id.Type ?? "").not.toMatch(/ElasticLoadBalancing/);
        expect(id.Name).not.toBe(WEB.loadBalancer);
      }
      // Never a trace still running at the sandbox's clock.
      const end = (summary.StartTime?.getTime() ?? 0) + (summary.Duration ?? 0) * 1000;
      expect(end).toBeLessThanOrEqual(sandbox.now().getTime());
    }
    const docs = await documents(
      xray,
      summaries.slice(0, 10).map((s) => s.Id ?? ""),
    );
    for (const segments of docs.values()) {
      expect(segments.map((s) => s.name)).toEqual([WEB.service]);
    }
  });

  it("pages summaries 100 at a time; TracesProcessedCount counts the range", async () => {
    const input = { StartTime: ago(30 * MINUTE), EndTime: ago(20 * MINUTE) };
    const first = await xray.send(new GetTraceSummariesCommand(input));
    expect(first.TraceSummaries).toHaveLength(100);
    expect(first.NextToken).toBeTruthy();
    const { summaries, pages } = await allSummaries(xray, input);
    expect(pages.slice(0, -1).every((n) => n === 100)).toBe(true);
    expect(summaries.length).toBe(first.TracesProcessedCount);
    expect(new Set(summaries.map((s) => s.Id)).size).toBe(summaries.length);
    // Three tasks, about 20 requests a minute each, for 10 minutes.
    expect(summaries.length).toBeGreaterThan(500);
    expect(summaries.length).toBeLessThan(700);
    const starts = summaries.map((s) => s.StartTime?.getTime() ?? 0);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
  });

  it("TimeRangeType Event and Sampling narrow the same range", async () => {
    const input = { StartTime: ago(11 * MINUTE), EndTime: ago(10 * MINUTE) };
    const byEvent = await allSummaries(xray, { ...input, TimeRangeType: "Event" });
    for (const summary of byEvent.summaries) {
      expect(summary.StartTime?.getTime()).toBeGreaterThanOrEqual(input.StartTime.getTime());
      expect(summary.StartTime?.getTime()).toBeLessThanOrEqual(input.EndTime.getTime());
    }
    const sampled = await allSummaries(xray, {
      ...input,
      Sampling: true,
      SamplingStrategy: { Name: "FixedRate", Value: 0.5 },
    });
    expect(sampled.summaries.length).toBeGreaterThan(0);
    expect(sampled.summaries.length).toBeLessThan(byEvent.summaries.length);
  });

  it("GetServiceGraph: client → my-web-service → the database (and S3), no load balancer node", async () => {
    const graph = await xray.send(new GetServiceGraphCommand({ StartTime: ago(10 * MINUTE), EndTime: START }));
    const services = graph.Services ?? [];
    const byName = (name: string) => services.find((s) => s.Name === name);
    const client = services.find((s) => s.Type === "client");
    const app = byName(WEB.service);
    const db = byName(WEB.dbHost);
    expect(client && app && db).toBeTruthy();
    expect(services.some((s) => /ElasticLoadBalancing/.test(s.Type ?? ""))).toBe(false);
    expect(client?.Edges?.map((e) => e.ReferenceId)).toEqual([app?.ReferenceId]);
    expect(app).toMatchObject({ Root: true, Type: "AWS::ECS::Container" });
    expect(db?.Type).toBe("Database::SQL");
    const toDb = app?.Edges?.find((e) => e.ReferenceId === db?.ReferenceId);
    expect(toDb?.SummaryStatistics?.TotalCount).toBeGreaterThan(100);
    const stats = app?.SummaryStatistics;
    expect(stats?.TotalCount).toBe(
      (stats?.OkCount ?? 0) + (stats?.ErrorStatistics?.TotalCount ?? 0) + (stats?.FaultStatistics?.TotalCount ?? 0),
    );
    // The slow requests raise the app's average response time, not the database's.
    const average = (s: typeof stats) => (s?.TotalResponseTime ?? 0) / (s?.TotalCount ?? 1);
    expect(average(stats)).toBeGreaterThan(5 * average(db?.SummaryStatistics));
    expect(app?.ResponseTimeHistogram?.length).toBeGreaterThan(0);
  });

  it("GetTraceGraph draws the services of the traces asked for", async () => {
    const found = await xray.send(
      new GetTraceSummariesCommand({
        StartTime: ago(5 * MINUTE),
        EndTime: START,
        FilterExpression: "responsetime > 3",
      }),
    );
    const graph = await xray.send(new GetTraceGraphCommand({ TraceIds: [found.TraceSummaries?.[0]?.Id ?? ""] }));
    const names = (graph.Services ?? []).map((s) => s.Name);
    expect(names).toEqual(expect.arrayContaining([WEB.service, WEB.dbHost]));
  });

  it("answers a range over 24 hours, a malformed filter and too many trace ids with InvalidRequestException", async () => {
    await expect(
      xray.send(new GetTraceSummariesCommand({ StartTime: ago(25 * 60 * MINUTE), EndTime: START })),
    ).rejects.toBeInstanceOf(InvalidRequestException);
    const malformed = xray.send(
      new GetTraceSummariesCommand({ StartTime: ago(MINUTE), EndTime: START, FilterExpression: "responsetime >> 3" }),
    );
    await expect(malformed).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(malformed).rejects.toThrow(/Invalid filter expression/);
    await expect(
      xray.send(new BatchGetTracesCommand({ TraceIds: ["a", "b", "c", "d", "e", "f"] })),
    ).rejects.toBeInstanceOf(InvalidRequestException);
  });
});

describe("X-Ray on the inherited scenario", () => {
  let sandbox: Sandbox;
  let xray: XRayClient;
  const traceId = `1-${Math.floor(START.getTime() / 1000 - 120).toString(16)}-0123456789abcdef01234567`;
  const t0 = START.getTime() / 1000 - 120;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, scenario: "inherited", clock: CLOCK });
    xray = new XRayClient(clientConfig(sandbox.endpoint));
  });
  afterAll(async () => {
    xray?.destroy();
    await sandbox?.stop();
  });

  it("has no generated traces: no tracing sidecar", async () => {
    const out = await xray.send(new GetTraceSummariesCommand({ StartTime: ago(3 * 60 * MINUTE), EndTime: START }));
    expect(out.TraceSummaries).toEqual([]);
    expect(out.TracesProcessedCount).toBe(0);
    const graph = await xray.send(new GetServiceGraphCommand({ StartTime: ago(60 * MINUTE), EndTime: START }));
    expect(graph.Services).toEqual([]);
  });

  it("PutTraceSegments stores segments and joins an independent subsegment; malformed ones come back", async () => {
    const segment = {
      trace_id: traceId,
      id: "aaaaaaaaaaaaaaaa",
      name: "my-put-service",
      origin: "AWS::ECS::Container",
      start_time: t0,
      end_time: t0 + 1.5,
      http: { request: { method: "GET", url: "http://example.com/put" }, response: { status: 502 } },
      fault: true,
      annotations: { team: "web", attempt: 3 },
    };
    const subsegment = {
      type: "subsegment",
      trace_id: traceId,
      parent_id: "aaaaaaaaaaaaaaaa",
      id: "bbbbbbbbbbbbbbbb",
      name: "downstream.example.com",
      namespace: "remote",
      start_time: t0 + 0.2,
      end_time: t0 + 1.2,
      http: { request: { method: "GET", url: "http://downstream.example.com/" }, response: { status: 504 } },
    };
    const put = await xray.send(
      new PutTraceSegmentsCommand({
        TraceSegmentDocuments: [
          JSON.stringify(segment),
          JSON.stringify(subsegment),
          "{not json",
          JSON.stringify({ ...segment, id: "cccccccccccccccc", trace_id: "nope" }),
          JSON.stringify({ ...segment, id: "dddddddddddddddd", end_time: undefined }),
        ],
      }),
    );
    expect(put.UnprocessedTraceSegments?.map((u) => u.Id)).toEqual([undefined, "cccccccccccccccc", "dddddddddddddddd"]);
    expect(put.UnprocessedTraceSegments?.every((u) => u.ErrorCode && u.Message)).toBe(true);

    const found = await xray.send(
      new GetTraceSummariesCommand({
        StartTime: ago(10 * MINUTE),
        EndTime: START,
        FilterExpression: 'service("my-put-service") { fault } AND annotation.attempt = 3',
      }),
    );
    expect(found.TraceSummaries).toHaveLength(1);
    expect(found.TraceSummaries?.[0]).toMatchObject({
      Id: traceId,
      Duration: 1.5,
      ResponseTime: 1.5,
      HasFault: true,
      HasError: false,
      Http: { HttpURL: "http://example.com/put", HttpStatus: 502, HttpMethod: "GET" },
      EntryPoint: { Name: "my-put-service", Type: "AWS::ECS::Container" },
      Revision: 2,
      IsPartial: false,
    });
    expect(found.TraceSummaries?.[0]?.ServiceIds?.map((s) => s.Name)).toEqual([
      "my-put-service",
      "downstream.example.com",
    ]);

    const batch = await xray.send(
      new BatchGetTracesCommand({ TraceIds: [traceId, "1-00000000-000000000000000000000000"] }),
    );
    expect(batch.UnprocessedTraceIds).toEqual(["1-00000000-000000000000000000000000"]);
    const segments = batch.Traces?.[0]?.Segments ?? [];
    expect(segments.map((s) => s.Id)).toEqual(["aaaaaaaaaaaaaaaa"]);
    const doc = JSON.parse(segments[0]?.Document ?? "{}") as Doc;
    expect(doc.annotations).toEqual({ team: "web", attempt: 3 });
    expect(doc.subsegments?.map((s) => [s.id, s.name])).toEqual([["bbbbbbbbbbbbbbbb", "downstream.example.com"]]);
    expect(doc.subsegments?.[0]).not.toHaveProperty("parent_id");

    const graph = await xray.send(new GetServiceGraphCommand({ StartTime: ago(10 * MINUTE), EndTime: START }));
    const names = (graph.Services ?? []).map((s) => s.Name ?? s.Type);
    expect(names).toEqual(["client", "my-put-service", "downstream.example.com"]);
  });

  it("an in-progress segment makes the trace partial until it is sent again complete", async () => {
    const id = `1-${Math.floor(t0).toString(16)}-fedcba9876543210fedcba98`;
    const open = { trace_id: id, id: "eeeeeeeeeeeeeeee", name: "worker", start_time: t0, in_progress: true };
    await xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [JSON.stringify(open)] }));
    const query = { StartTime: ago(10 * MINUTE), EndTime: START, FilterExpression: 'service("worker")' };
    const before = await xray.send(new GetTraceSummariesCommand(query));
    expect(before.TraceSummaries?.[0]).toMatchObject({ Id: id, IsPartial: true, Revision: 1 });
    const closed = { ...open, in_progress: undefined, end_time: t0 + 2 };
    await xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [JSON.stringify(closed)] }));
    const after = await xray.send(new GetTraceSummariesCommand(query));
    expect(after.TraceSummaries?.[0]).toMatchObject({ Id: id, IsPartial: false, Revision: 2, Duration: 2 });
    const batch = await xray.send(new BatchGetTracesCommand({ TraceIds: [id] }));
    expect(batch.Traces?.[0]?.Segments).toHaveLength(1);
  });
});
