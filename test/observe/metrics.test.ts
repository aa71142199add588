// Metrics of the incident's service through the SDK against the sandbox: the per-task view finds task B at 99 %
// that the service average (50 %) hides, the ALB's p99 shows the slow requests, and no series exceeds maxPoints.
import { UpdateClusterSettingsCommand } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Aws } from "../../lib/aws";
import { ServiceNotFoundError } from "../../lib/observe/deployments";
import { albMetrics, serviceMetrics, taskMetrics } from "../../lib/observe/metrics";
import type { Series } from "../../lib/observe/series";
import { WEB } from "../../lib/sandbox/scenarios/web-service";
import { sandboxAws } from "../inventory/sandbox";

const [TASK_A, TASK_B, TASK_C] = WEB.taskIds;
const MINUTE = 60_000;
const ref = { cluster: WEB.cluster, service: WEB.service };

const mean = (series: Series | undefined) =>
  (series?.points ?? []).reduce((sum, p) => sum + p.value, 0) / Math.max(1, series?.points.length ?? 0);
const last = (aws: Aws, minutes: number) => {
  const to = aws.now();
  return { from: new Date(to.getTime() - minutes * MINUTE), to };
};

describe("metrics on the incident", () => {
  let aws: Aws;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ aws, close } = await sandboxAws({ scenario: "incident" }));
    // The first response sets the service clock (aws.now()) to the sandbox's.
    await serviceMetrics(aws, { ...ref, ...last(aws, 5) });
  });
  afterAll(() => close());

  test("per task: three series, task B emphasised near 99 %, A and C near 25 %", async () => {
    const result = await taskMetrics(aws, { ...ref, ...last(aws, 30), metric: "cpu", maxPoints: 100 });
    if (result.status !== "per-task") throw new Error(`expected per-task, got ${result.status}`);
    expect(result.source).toBe("container-insights-enhanced");
    expect(result.series.map((s) => s.taskId).sort()).toEqual([TASK_A, TASK_B, TASK_C]);
    const byTask = new Map(result.series.map((s) => [s.taskId, s]));
    expect(byTask.get(TASK_B as string)?.emphasis).toBe(true);
    expect(byTask.get(TASK_B as string)?.recent).toBeGreaterThan(95);
    expect(byTask.get(TASK_B as string)?.label).toBe(`task ${TASK_B?.slice(0, 8)}`);
    for (const task of [TASK_A, TASK_C]) {
      const series = byTask.get(task as string);
      expect(series?.emphasis).toBeUndefined();
      expect(Math.abs((series?.recent ?? 0) - 25)).toBeLessThan(5);
    }
    for (const series of result.series) {
      expect(series.points.length).toBeGreaterThan(0);
      expect(series.points.length).toBeLessThanOrEqual(100);
      expect(series.unit).toBe("Percent");
    }
  });

  test("memory per task: no outlier when every task is alike", async () => {
    const result = await taskMetrics(aws, { ...ref, ...last(aws, 30), metric: "memory" });
    expect(result.status).toBe("per-task");
    if (result.status === "per-task") expect(result.series.filter((s) => s.emphasis)).toEqual([]);
  });

  test("the service average says about 50 %: the hot task is hidden in it", async () => {
    const series = await serviceMetrics(aws, { ...ref, ...last(aws, 30) });
    expect(series.map((s) => s.key)).toEqual(["cpu", "memory"]);
    expect(Math.abs(mean(series[0]) - 50)).toBeLessThan(5);
    expect(series[0]?.unit).toBe("Percent");
  });

  test("the ALB: p99 over 4 s while the average stays well below", async () => {
    const result = await albMetrics(aws, { ...ref, ...last(aws, 30) });
    if (result.status !== "found") throw new Error(result.message);
    expect(result.loadBalancer).toMatch(/^app\/my-web-alb\//);
    expect(result.targetGroup).toMatch(/^targetgroup\/my-web-tg\//);
    expect(result.latency.map((s) => s.key)).toEqual(["average", "p50", "p90", "p99"]);
    const [average, p50, , p99] = result.latency.map(mean);
    expect(p99).toBeGreaterThan(4000);
    expect(average).toBeLessThan(1500);
    expect(p50).toBeLessThan(average as number);
    expect(result.latency[3]?.unit).toBe("Milliseconds");
    expect(mean(result.requests)).toBeGreaterThan(30);
    expect(result.target5xx.unit).toBe("Count");
  });

  test("choosePeriod is honoured: 3 h at 60 points → a period of at least 180 s, ≤ 60 points per series", async () => {
    const window = { ...ref, ...last(aws, 180), maxPoints: 60 };
    const tasks = await taskMetrics(aws, { ...window, metric: "cpu" });
    const alb = await albMetrics(aws, window);
    const service = await serviceMetrics(aws, window);
    if (tasks.status !== "per-task" || alb.status !== "found") throw new Error("expected data");
    expect(tasks.periodSeconds).toBeGreaterThanOrEqual(180);
    expect(alb.periodSeconds).toBeGreaterThanOrEqual(180);
    // 5xx counts exist only for periods that had one: the series is sparse.
    for (const series of [...tasks.series, ...alb.latency, alb.requests, ...service]) {
      expect(series.points.length).toBeGreaterThan(30);
      expect(series.points.length).toBeLessThanOrEqual(60);
    }
    expect(alb.target5xx.points.length).toBeLessThanOrEqual(60);
  });

  test("one GetMetricData call for all the ALB's series", async () => {
    aws.resetCounters();
    await albMetrics(aws, { ...ref, ...last(aws, 60) });
    expect(aws.counters.byAction["cloudwatch:GetMetricData"]).toBe(1);
  });

  test("an unknown service is a typed error", async () => {
    await expect(albMetrics(aws, { ...ref, service: "nope", ...last(aws, 5) })).rejects.toBeInstanceOf(
      ServiceNotFoundError,
    );
    await expect(
      taskMetrics(aws, { cluster: "nope", service: WEB.service, ...last(aws, 5), metric: "cpu" }),
    ).rejects.toBeInstanceOf(ServiceNotFoundError);
  });

  test("under plain enabled, the performance log events give the per-task view, and say so", async () => {
    await aws.ecs.send(
      new UpdateClusterSettingsCommand({
        cluster: WEB.cluster,
        settings: [{ name: "containerInsights", value: "enabled" }],
      }),
    );
    const plain = await taskMetrics(aws, { ...ref, ...last(aws, 30), metric: "cpu" });
    expect(plain.status).toBe("insights-enabled");
    const result = await taskMetrics(aws, {
      ...ref,
      ...last(aws, 30),
      metric: "cpu",
      performanceLogFallback: true,
    });
    if (result.status !== "per-task") throw new Error(`expected per-task, got ${result.status}`);
    expect(result.source).toBe("performance-logs");
    expect(result.note).toMatch(/performance log events/);
    expect(result.series).toHaveLength(3);
    expect(result.series.find((s) => s.emphasis)?.taskId).toBe(TASK_B);
  });
});

describe("metrics on the inherited service", () => {
  let aws: Aws;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ aws, close } = await sandboxAws({ scenario: "inherited" }));
  });
  afterAll(() => close());

  test("Container Insights off: says so and names the fix, without throwing", async () => {
    const result = await taskMetrics(aws, { ...ref, ...last(aws, 30), metric: "cpu" });
    expect(result.status).toBe("insights-off");
    if (result.status === "per-task") return;
    expect(result.message).toMatch(/Container Insights is off/);
    expect(result.fix).toMatch(/containerInsights.*enhanced/);
    expect(result.fixId).toBe("container-insights-off");
  });

  test("once enabled (not enhanced): per-task metrics need enhanced", async () => {
    await aws.ecs.send(
      new UpdateClusterSettingsCommand({
        cluster: WEB.cluster,
        settings: [{ name: "containerInsights", value: "enabled" }],
      }),
    );
    const result = await taskMetrics(aws, { ...ref, ...last(aws, 30), metric: "cpu" });
    expect(result.status).toBe("insights-enabled");
    if (result.status === "per-task") return;
    expect(result.message).toMatch(/need enhanced/);
    expect(result.fix).toMatch(/enhanced/);
  });
});
