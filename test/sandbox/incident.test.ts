// The incident scenario, found through the SDK alone as an on-call engineer would: the hot task in the metrics, its
// slow lines in the logs, and a trace that shows the time is spent in the app, not in SQL.
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  StartQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { ECSClient, ListTasksCommand, StopTaskCommand } from "@aws-sdk/client-ecs";
import { BatchGetTracesCommand, GetTraceSummariesCommand, XRayClient } from "@aws-sdk/client-xray";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { WEB } from "../../lib/sandbox/scenarios/web-service";
import { type Sandbox, startSandbox } from "../../lib/sandbox/server";
import { clientConfig } from "./client";

const [TASK_A, TASK_B, TASK_C] = WEB.taskIds;
const MINUTE = 60_000;

interface Segment {
  id: string;
  name: string;
  start_time: number;
  end_time: number;
  subsegments?: Segment[];
  sql?: unknown;
  aws?: { ecs?: { task_arn?: string } };
}

describe("the incident, through the SDK alone", () => {
  let sandbox: Sandbox;
  let config: ReturnType<typeof clientConfig>;
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: "incident", clock: "2026-11-28T00:00:00Z" });
    config = clientConfig(sandbox.endpoint);
  });
  afterAll(() => sandbox.stop());

  test("metrics: task B has the highest TaskCpuUtilization, near 99 %, A and C near 25 %", async () => {
    const now = sandbox.now();
    const { MetricDataResults } = await new CloudWatchClient(config).send(
      new GetMetricDataCommand({
        StartTime: new Date(now.getTime() - 30 * MINUTE),
        EndTime: now,
        MetricDataQueries: [
          {
            Id: "cpu",
            Expression: `SEARCH('{ECS/ContainerInsights,ClusterName,ServiceName,TaskId} MetricName="TaskCpuUtilization" ClusterName="${WEB.cluster}"', 'Average', 300)`,
          },
        ],
      }),
    );
    const average = (values: number[] = []) => values.reduce((sum, v) => sum + v, 0) / values.length;
    const byTask = new Map((MetricDataResults ?? []).map((r) => [r.Label?.split(" ").pop() ?? "", average(r.Values)]));
    const hottest = [...byTask.entries()].sort((a, b) => b[1] - a[1])[0];
    expect(hottest?.[0]).toBe(TASK_B);
    expect(hottest?.[1]).toBeGreaterThan(95);
    for (const task of [TASK_A, TASK_C]) expect(byTask.get(task as string)).toBeLessThan(35);
  });

  test("logs: a Logs Insights query finds task B's slow POST /something lines, and none of A's or C's", async () => {
    const logs = new CloudWatchLogsClient(config);
    const now = sandbox.now();
    const { queryId } = await logs.send(
      new StartQueryCommand({
        logGroupName: "/ecs/my-web-app",
        startTime: Math.floor((now.getTime() - 30 * MINUTE) / 1000),
        endTime: Math.floor(now.getTime() / 1000),
        queryString:
          "fields @timestamp, @logStream | parse @message '\"* *\" * *ms' as method, path, status, latency | filter latency > 3000 | stats count(*) as slow by @logStream, method, path",
      }),
    );
    let results: GetQueryResultsCommandOutput;
    do results = await logs.send(new GetQueryResultsCommand({ queryId }));
    while (results.status !== "Complete");
    const rows = (results.results ?? []).map((row) => Object.fromEntries(row.map((c) => [c.field, c.value])));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row["@logStream"]).toBe(`app/${WEB.container}/${TASK_B}`);
      expect([row.method, row.path]).toEqual(["POST", "/something"]);
    }
  });

  test("traces: a slow trace's app segment holds > 90 % of its time, its SQL subsegment < 5 %", async () => {
    const xray = new XRayClient(config);
    const now = sandbox.now();
    const { TraceSummaries } = await xray.send(
      new GetTraceSummariesCommand({
        StartTime: new Date(now.getTime() - 30 * MINUTE),
        EndTime: now,
        FilterExpression: `responsetime > 3 AND service("${WEB.service}") AND http.url CONTAINS "/something"`,
      }),
    );
    expect(TraceSummaries?.length).toBeGreaterThan(0);
    const { Traces } = await xray.send(new BatchGetTracesCommand({ TraceIds: [TraceSummaries?.[0]?.Id as string] }));
    const trace = Traces?.[0];
    const segments = (trace?.Segments ?? []).map((s) => JSON.parse(s.Document ?? "{}") as Segment);
    expect(segments.map((s) => s.name)).not.toContain(expect.stringMatching(/elb|alb|load/i));
    const app = segments.find((s) => s.name === WEB.service) as Segment;
    const duration = (trace?.Duration ?? 0) * 1000;
    const appMs = (app.end_time - app.start_time) * 1000;
    const sql = (app.subsegments ?? []).find((s) => s.sql !== undefined) as Segment;
    expect(app.aws?.ecs?.task_arn).toContain(TASK_B);
    expect(appMs / duration).toBeGreaterThan(0.9);
    expect(((sql.end_time - sql.start_time) * 1000) / duration).toBeLessThan(0.05);
  });

  test("stopping task B ends the incident from that moment on", async () => {
    const ecs = new ECSClient(config);
    await ecs.send(
      new StopTaskCommand({ cluster: WEB.cluster, task: TASK_B, reason: "hot task: replaced by on-call" }),
    );
    const stoppedAt = sandbox.now();
    const xray = new XRayClient(config);
    // The clock moves a second per request: let three minutes of sandbox time pass.
    for (let i = 0; i < 180; i++) await ecs.send(new ListTasksCommand({ cluster: WEB.cluster }));
    const running = await ecs.send(new ListTasksCommand({ cluster: WEB.cluster, serviceName: WEB.service }));
    expect(running.taskArns).toHaveLength(3);
    expect(running.taskArns?.some((arn) => arn.endsWith(TASK_B as string))).toBe(false);
    const after = await xray.send(
      new GetTraceSummariesCommand({
        StartTime: stoppedAt,
        EndTime: sandbox.now(),
        FilterExpression: "responsetime > 3",
      }),
    );
    const all = await xray.send(new GetTraceSummariesCommand({ StartTime: stoppedAt, EndTime: sandbox.now() }));
    expect(all.TraceSummaries?.length).toBeGreaterThan(0);
    expect(after.TraceSummaries ?? []).toEqual([]);
  });
});
