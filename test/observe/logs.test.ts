// Logs of the incident's service through the SDK against the sandbox: where the service logs, a slow-requests query
// that finds only task B's lines, progress, clear errors, and the latest lines with their task ids.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Aws } from "../../lib/aws";
import { findService } from "../../lib/observe/deployments";
import {
  errors,
  InsightsQueryError,
  latencyPercentilesOverTime,
  logGroupsOf,
  type QueryProgress,
  requestsByTask,
  runInsightsQuery,
  slowRequests,
  tail,
  taskIdOfStream,
} from "../../lib/observe/logs";
import { WEB } from "../../lib/sandbox/scenarios/web-service";
import { sandboxAws } from "../inventory/sandbox";

const [TASK_A, TASK_B, TASK_C] = WEB.taskIds;
const MINUTE = 60_000;
const ref = { cluster: WEB.cluster, service: WEB.service };
const GROUP = "/ecs/my-web-app";

describe("taskIdOfStream", () => {
  test.each([
    [`app/my-web-app/${TASK_B}`, TASK_B],
    [`firelens/my-web-app-firelens-${TASK_A}`, TASK_A],
    [`FargateTelemetry-${TASK_C}`, TASK_C],
    ["app/my-web-app/not-a-task", undefined],
  ])("%s → %s", (stream, taskId) => {
    expect(taskIdOfStream(stream)).toBe(taskId);
  });
});

describe("query templates", () => {
  test("quote a path and refuse a bad bin or threshold", () => {
    expect(slowRequests(3000, '/a"b')).toContain('path = "/a\\"b"');
    expect(() => latencyPercentilesOverTime("5 minutes")).toThrow(RangeError);
    expect(() => slowRequests(-1)).toThrow(RangeError);
  });
});

describe("logs on the incident", () => {
  let aws: Aws;
  let close: () => Promise<void>;
  const last = (minutes: number) => {
    const to = aws.now();
    return { from: new Date(to.getTime() - minutes * MINUTE), to };
  };
  const run = (query: string, minutes = 30, onProgress?: (p: QueryProgress) => void) =>
    runInsightsQuery(aws, {
      logGroups: [GROUP],
      query,
      ...last(minutes),
      pollIntervalMs: 10,
      ...(onProgress ? { onProgress } : {}),
    });
  beforeAll(async () => {
    ({ aws, close } = await sandboxAws({ scenario: "incident" }));
    await findService(aws, ref); // the first response sets the service clock
  });
  afterAll(() => close());

  test("the log groups come from the task definition", async () => {
    const logs = await logGroupsOf(aws, ref);
    expect(logs.taskDefinition).toBe("my-web-app:1");
    expect(logs.destinations).toEqual([
      { container: WEB.container, driver: "awslogs", logGroup: GROUP, streamPrefix: "app", region: "ap-northeast-1" },
      {
        container: "aws-otel-collector",
        driver: "awslogs",
        logGroup: GROUP,
        streamPrefix: "otel",
        region: "ap-northeast-1",
      },
    ]);
    expect(logs.elsewhere).toEqual([]);
  });

  test("slow POST /something requests come only from task B, at about 4750 ms, with progress", async () => {
    const progress: QueryProgress[] = [];
    const { rows, statistics } = await run(slowRequests(3000, "/something"), 30, (p) => progress.push(p));
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      expect(row.taskId).toBe(TASK_B);
      expect([row.method, row.path]).toEqual(["POST", "/something"]);
      expect(Math.abs(Number(row.latency) - 4750)).toBeLessThan(250);
      expect(row.requestId).toMatch(/^[0-9a-f]{24}$/);
    }
    const latencies = rows.map((row) => Number(row.latency));
    expect(latencies).toEqual([...latencies].sort((a, b) => b - a));
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)?.status).toBe("Complete");
    expect(progress.some((p) => p.status !== "Complete")).toBe(true);
    expect(statistics.recordsScanned).toBeGreaterThan(rows.length);
  });

  test("requests by task and latency percentiles over time", async () => {
    const byTask = (await run(requestsByTask())).rows;
    expect(byTask.map((row) => row.taskId).sort()).toEqual([TASK_A, TASK_B, TASK_C].sort());
    expect(byTask[0]?.taskId).toBe(TASK_B);
    const bins = (await run(latencyPercentilesOverTime("10m"), 60)).rows;
    expect(bins.length).toBeGreaterThanOrEqual(6);
    // Before the incident (40 minutes ago) p99 is the normal POST; after it, task B's 4.75 s.
    expect(Number(bins[0]?.p99)).toBeLessThan(1000);
    expect(bins.filter((bin) => Number(bin.p99) > 4000).length).toBeGreaterThanOrEqual(3);
    for (const bin of bins) expect(Number(bin.p50)).toBeLessThan(500);
    const failing = await run(errors(), 180);
    for (const row of failing.rows) expect(Number(row.status)).toBeGreaterThanOrEqual(500);
  });

  test("a malformed query is a clear error naming the position", async () => {
    const error = await run("fields @timestamp | filter latency >").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsightsQueryError);
    expect((error as InsightsQueryError).status).toBe("Malformed");
    expect((error as InsightsQueryError).details.position).toBeTypeOf("number");
    expect((error as Error).message).toMatch(/rejected the query at line 1, position \d+/);
  });

  test("a query past its timeout is stopped and reported", async () => {
    const error = await runInsightsQuery(aws, {
      logGroups: [GROUP],
      query: requestsByTask(),
      ...last(30),
      timeoutMs: 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsightsQueryError);
    expect((error as InsightsQueryError).status).toBe("Timeout");
  });

  test("an aborted query is stopped and reported", async () => {
    const controller = new AbortController();
    const pending = runInsightsQuery(aws, {
      logGroups: [GROUP],
      query: requestsByTask(),
      ...last(30),
      pollIntervalMs: 10_000,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(pending).rejects.toMatchObject({ name: "InsightsQueryError", status: "Aborted" });
  });

  test("tail: the latest lines, newest last, each with its task id", async () => {
    const lines = await tail(aws, { logGroup: GROUP, streamPrefix: `app/${WEB.container}/`, limit: 20 });
    expect(lines).toHaveLength(20);
    const times = lines.map((line) => line.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(lines.map((line) => line.taskId))).toEqual(new Set(WEB.taskIds));
    for (const line of lines) expect(line.message).toMatch(/^\d+\.\d+\.\d+\.\d+ - - \[.*\] "[A-Z]+ \S+" \d{3} \d+ms/);
  });
});
