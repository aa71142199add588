import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  InvalidParameterValueException,
  ListMetricsCommand,
  type MetricDataQuery,
  type MetricDataResult,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import { ECSClient, UpdateClusterSettingsCommand } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox } from "../../lib/sandbox/server";
import { clientConfig } from "./client";

const CLOCK = "2026-11-28T00:00:00Z";
const NOW = new Date(CLOCK).getTime();
const MINUTE = 60_000;
const TASK_A = "0a1b2c3d4e5f4a6b8c9d0e1f2a3b4c5d";
const TASK_B = "1b2c3d4e5f6a4b7c9d0e1f2a3b4c5d6e";
const TASK_C = "2c3d4e5f6a7b4c8d0e1f2a3b4c5d6e7f";
const SERVICE = [
  { Name: "ClusterName", Value: "my-cluster" },
  { Name: "ServiceName", Value: "my-web-service" },
];

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

function stat(
  id: string,
  namespace: string,
  metricName: string,
  dimensions: { Name: string; Value: string }[],
  statistic: string,
  period: number,
  extra: Partial<MetricDataQuery> = {},
): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dimensions },
      Period: period,
      Stat: statistic,
    },
    ...extra,
  };
}

function mean(values: readonly number[] | undefined): number {
  const list = values ?? [];
  return list.reduce((a, b) => a + b, 0) / list.length;
}

async function rejection(promise: Promise<unknown>): Promise<Error & { Code?: string; Type?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { Code?: string; Type?: string };
  }
  throw new Error("expected a rejection");
}

/** Every page of a GetMetricData call, results merged by Id and label in page order. */
async function allPages(cw: CloudWatchClient, input: GetMetricDataCommandInput) {
  const merged = new Map<string, { Timestamps: Date[]; Values: number[] }>();
  let token: string | undefined;
  let pages = 0;
  do {
    const out = await cw.send(new GetMetricDataCommand({ ...input, NextToken: token }));
    pages++;
    for (const r of out.MetricDataResults ?? []) {
      const key = `${r.Id}|${r.Label}`;
      const entry = merged.get(key) ?? { Timestamps: [], Values: [] };
      entry.Timestamps.push(...(r.Timestamps ?? []));
      entry.Values.push(...(r.Values ?? []));
      merged.set(key, entry);
    }
    token = out.NextToken;
  } while (token);
  return { merged, pages };
}

describe("CloudWatch on the incident scenario", () => {
  let sandbox: Sandbox;
  let cw: CloudWatchClient;
  let loadBalancer: string;
  let targetGroup: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, scenario: "incident", clock: CLOCK });
    cw = new CloudWatchClient(clientConfig(sandbox.endpoint));
    const lbArn = sandbox.state.elbv2.loadBalancers[0]?.LoadBalancerArn ?? "";
    const tgArn = sandbox.state.elbv2.targetGroups[0]?.TargetGroupArn ?? "";
    loadBalancer = lbArn.slice(lbArn.indexOf(":loadbalancer/") + ":loadbalancer/".length);
    targetGroup = tgArn.slice(tgArn.lastIndexOf(":") + 1);
  });
  afterAll(async () => {
    cw?.destroy();
    await sandbox?.stop();
  });

  it("names ALB dimensions by ARN tail", () => {
    expect(loadBalancer).toMatch(/^app\/my-web-alb\/[0-9a-f]{16}$/);
    expect(targetGroup).toMatch(/^targetgroup\/my-web-tg\/[0-9a-f]{16}$/);
  });

  it("SEARCH returns one TaskCpuUtilization series per task; task B is the hot one", async () => {
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(NOW - 30 * MINUTE),
        EndTime: new Date(NOW),
        MetricDataQueries: [
          {
            Id: "tasks",
            Expression: `SEARCH('{ECS/ContainerInsights,ClusterName,ServiceName,TaskId} MetricName="TaskCpuUtilization" ClusterName="my-cluster"', 'Average', 300)`,
          },
        ],
      }),
    );
    const results = out.MetricDataResults ?? [];
    expect(results).toHaveLength(3);
    const byTask = new Map(results.map((r) => [r.Label ?? "", mean(r.Values)]));
    expect([...byTask.keys()].sort()).toEqual([TASK_A, TASK_B, TASK_C]);
    const hottest = [...byTask.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    expect(hottest).toBe(TASK_B);
    expect(byTask.get(TASK_B)).toBeGreaterThan(95);
    expect(byTask.get(TASK_A)).toBeCloseTo(25, -1);
    expect(byTask.get(TASK_C)).toBeCloseTo(25, -1);
    for (const r of results) {
      expect(r.Id).toBe("tasks");
      expect(r.Timestamps).toHaveLength(6);
    }
  });

  it("AWS/ECS service CPU averages about 50 % while its Maximum shows task B", async () => {
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(NOW - 30 * MINUTE),
        EndTime: new Date(NOW),
        MetricDataQueries: [
          stat("avg", "AWS/ECS", "CPUUtilization", SERVICE, "Average", 1800),
          stat("max", "AWS/ECS", "CPUUtilization", SERVICE, "Maximum", 1800),
        ],
      }),
    );
    const [avg, max] = out.MetricDataResults ?? [];
    expect(avg?.Label).toBe("CPUUtilization");
    expect(avg?.StatusCode).toBe("Complete");
    expect(avg?.Values?.[0]).toBeGreaterThan(45);
    expect(avg?.Values?.[0]).toBeLessThan(55);
    expect(max?.Values?.[0]).toBeGreaterThan(95);
  });

  it("ALB TargetResponseTime: p99 shows the slow POST /something; the average is diluted by fast requests", async () => {
    const lb = [{ Name: "LoadBalancer", Value: loadBalancer }];
    const tg = [
      { Name: "LoadBalancer", Value: loadBalancer },
      { Name: "TargetGroup", Value: targetGroup },
    ];
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(NOW - 30 * MINUTE),
        EndTime: new Date(NOW),
        MetricDataQueries: [
          stat("avg", "AWS/ApplicationELB", "TargetResponseTime", lb, "Average", 1800),
          stat("p50", "AWS/ApplicationELB", "TargetResponseTime", lb, "p50", 1800),
          stat("p99", "AWS/ApplicationELB", "TargetResponseTime", tg, "p99", 1800),
          stat("requests", "AWS/ApplicationELB", "RequestCount", lb, "Sum", 1800),
          stat("ok", "AWS/ApplicationELB", "HTTPCode_Target_2XX_Count", tg, "Sum", 1800),
        ],
      }),
    );
    const value = (id: string) => out.MetricDataResults?.find((r) => r.Id === id)?.Values?.[0] ?? Number.NaN;
    // 3 tasks × ~20 requests a minute; 2/10 of B's requests take ~4.75 s: the average is ~0.3 s, not 4.8 s.
    expect(value("avg")).toBeGreaterThan(0.2);
    expect(value("avg")).toBeLessThan(1);
    expect(value("p50")).toBeLessThan(0.2);
    expect(value("p99")).toBeGreaterThan(4);
    expect(value("requests")).toBeGreaterThan(1500);
    expect(value("ok")).toBeLessThanOrEqual(value("requests"));
  });

  it("evaluates arithmetic expressions and hides intermediates with ReturnData false", async () => {
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(NOW - 10 * MINUTE),
        EndTime: new Date(NOW),
        MetricDataQueries: [
          stat("used", "ECS/ContainerInsights", "CpuUtilized", SERVICE, "Average", 60, { ReturnData: false }),
          stat("reserved", "ECS/ContainerInsights", "CpuReserved", SERVICE, "Average", 60, { ReturnData: false }),
          { Id: "pct", Expression: "100 * used / reserved", Label: "CPU %" },
          { Id: "both", Expression: "used + reserved" },
        ],
      }),
    );
    const results = out.MetricDataResults ?? [];
    expect(results.map((r) => r.Id)).toEqual(["pct", "both"]);
    const pct = results[0] as MetricDataResult;
    expect(pct.Label).toBe("CPU %");
    expect(pct.Values).toHaveLength(10);
    expect(mean(pct.Values)).toBeGreaterThan(45);
    expect(mean(pct.Values)).toBeLessThan(55);
    expect(results[1]?.Values?.[0]).toBeGreaterThan(1536); // 3 × 512 reserved plus what is used
  });

  it("pages by MaxDatapoints, in either scan order, to the same points as one call", async () => {
    const input = {
      StartTime: new Date(NOW - 3 * 60 * MINUTE),
      EndTime: new Date(NOW),
      MetricDataQueries: [
        stat("cpu", "AWS/ECS", "CPUUtilization", SERVICE, "Average", 60),
        stat("mem", "AWS/ECS", "MemoryUtilization", SERVICE, "Average", 60),
      ],
    };
    const whole = await cw.send(new GetMetricDataCommand(input));
    expect(whole.NextToken).toBeUndefined();
    const cpu = whole.MetricDataResults?.[0];
    expect(cpu?.Values).toHaveLength(180);
    const times = (cpu?.Timestamps ?? []).map((t) => t.getTime());
    expect(times[0]).toBe(NOW - MINUTE); // newest first by default
    expect(times[0]).toBeGreaterThan(times[1] ?? 0);

    const first = await cw.send(new GetMetricDataCommand({ ...input, MaxDatapoints: 50 }));
    expect(first.NextToken).toBeDefined();
    expect(first.MetricDataResults?.[0]?.StatusCode).toBe("PartialData");
    const paged = await allPages(cw, { ...input, MaxDatapoints: 50 });
    expect(paged.pages).toBe(8);
    expect(paged.merged.get("cpu|CPUUtilization")?.Values).toEqual(cpu?.Values);
    expect(paged.merged.get("mem|MemoryUtilization")?.Values).toEqual(whole.MetricDataResults?.[1]?.Values);

    const ascending = await cw.send(new GetMetricDataCommand({ ...input, ScanBy: "TimestampAscending" }));
    expect(ascending.MetricDataResults?.[0]?.Values).toEqual([...(cpu?.Values ?? [])].reverse());
  });

  it("answers the same values for the same clock and calls", async () => {
    const other = await startSandbox({ port: 0, scenario: "incident", clock: CLOCK });
    const otherCw = new CloudWatchClient(clientConfig(other.endpoint));
    try {
      const input = {
        StartTime: new Date(NOW - 60 * MINUTE),
        EndTime: new Date(NOW),
        MetricDataQueries: [
          stat(
            "p99",
            "AWS/ApplicationELB",
            "TargetResponseTime",
            [{ Name: "LoadBalancer", Value: loadBalancer }],
            "p99",
            300,
          ),
        ],
      };
      const a = await cw.send(new GetMetricDataCommand(input));
      const b = await otherCw.send(new GetMetricDataCommand(input));
      expect(b.MetricDataResults).toEqual(a.MetricDataResults);
    } finally {
      otherCw.destroy();
      await other.stop();
    }
  });

  it("ListMetrics filters by namespace, name and dimensions, and RecentlyActive", async () => {
    const tasks = await cw.send(
      new ListMetricsCommand({
        Namespace: "ECS/ContainerInsights",
        MetricName: "TaskCpuUtilization",
        Dimensions: [{ Name: "ServiceName", Value: "my-web-service" }],
      }),
    );
    const ids = (tasks.Metrics ?? []).map((m) => m.Dimensions?.find((d) => d.Name === "TaskId")?.Value);
    expect(ids.sort()).toEqual([TASK_A, TASK_B, TASK_C]);
    const alb = await cw.send(new ListMetricsCommand({ Namespace: "AWS/ApplicationELB", RecentlyActive: "PT3H" }));
    const names = new Set((alb.Metrics ?? []).map((m) => m.MetricName));
    expect(names).toEqual(
      new Set(["RequestCount", "TargetResponseTime", "HTTPCode_Target_2XX_Count", "HTTPCode_Target_5XX_Count"]),
    );
    const ecs = await cw.send(new ListMetricsCommand({ Namespace: "AWS/ECS" }));
    expect(ecs.Metrics?.some((m) => m.MetricName === "CPUUtilization" && m.Dimensions?.length === 2)).toBe(true);
  });

  it("rejects bad queries with InvalidParameterValue", async () => {
    const base = { StartTime: new Date(NOW - 60 * MINUTE), EndTime: new Date(NOW) };
    const upper = await rejection(
      cw.send(
        new GetMetricDataCommand({
          ...base,
          MetricDataQueries: [stat("M1", "AWS/ECS", "CPUUtilization", SERVICE, "Average", 60)],
        }),
      ),
    );
    expect(upper).toBeInstanceOf(InvalidParameterValueException);
    expect(upper.Code).toBe("InvalidParameterValue");
    expect(upper.Type).toBe("Sender");
    const many = Array.from({ length: 501 }, (_, i) =>
      stat(`m${i}`, "AWS/ECS", "CPUUtilization", SERVICE, "Average", 60),
    );
    expect((await rejection(cw.send(new GetMetricDataCommand({ ...base, MetricDataQueries: many })))).Code).toBe(
      "InvalidParameterValue",
    );
    const period = await rejection(
      cw.send(
        new GetMetricDataCommand({
          ...base,
          MetricDataQueries: [stat("m1", "AWS/ECS", "CPUUtilization", SERVICE, "Average", 90)],
        }),
      ),
    );
    expect(period).toBeInstanceOf(InvalidParameterValueException);
    const tooMany = await rejection(
      cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(NOW - 200 * 86_400_000),
          EndTime: new Date(NOW),
          MetricDataQueries: [stat("m1", "AWS/ECS", "CPUUtilization", SERVICE, "Average", 60)],
        }),
      ),
    );
    expect(tooMany.message).toContain("100800");
    const badExpression = await rejection(
      cw.send(new GetMetricDataCommand({ ...base, MetricDataQueries: [{ Id: "e1", Expression: "m9 * 2" }] })),
    );
    expect(badExpression).toBeInstanceOf(InvalidParameterValueException);
  });

  it("returns nothing when the period does not suit the data's age", async () => {
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(NOW - 20 * 86_400_000),
        EndTime: new Date(NOW),
        MetricDataQueries: [stat("m1", "AWS/ECS", "CPUUtilization", SERVICE, "Average", 60)],
      }),
    );
    expect(out.MetricDataResults?.[0]?.Values).toEqual([]);
  });
});

describe("CloudWatch follows Container Insights on the inherited scenario", () => {
  let sandbox: Sandbox;
  let cw: CloudWatchClient;
  let ecs: ECSClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, scenario: "inherited", clock: CLOCK });
    cw = new CloudWatchClient(clientConfig(sandbox.endpoint));
    ecs = new ECSClient(clientConfig(sandbox.endpoint));
  });
  afterAll(async () => {
    cw?.destroy();
    ecs?.destroy();
    await sandbox?.stop();
  });

  /** The virtual clock moves one second per request: this lets minutes pass. */
  async function pass(seconds: number): Promise<void> {
    for (let i = 0; i < seconds; i++) await cw.send(new DescribeAlarmsCommand({ MaxRecords: 1 }));
  }

  it("has AWS/ECS service CPU around 50 % and ALB latency for the last 3 hours, but no Container Insights", async () => {
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(NOW - 4 * 60 * MINUTE),
        EndTime: new Date(NOW),
        MetricDataQueries: [
          stat("cpu", "AWS/ECS", "CPUUtilization", SERVICE, "Average", 3600),
          stat("ci", "ECS/ContainerInsights", "CpuUtilized", SERVICE, "Average", 3600),
        ],
      }),
    );
    const [cpu, ci] = out.MetricDataResults ?? [];
    expect(cpu?.Values).toHaveLength(3);
    for (const v of cpu?.Values ?? []) expect(Math.abs(v - 50)).toBeLessThan(3);
    expect(ci?.Values).toEqual([]);
    const listed = await cw.send(new ListMetricsCommand({ Namespace: "ECS/ContainerInsights" }));
    expect(listed.Metrics).toEqual([]);
  });

  it("after UpdateClusterSettings enhanced, TaskId series exist for the minutes after the change only", async () => {
    const changedAt = sandbox.now().getTime();
    await ecs.send(
      new UpdateClusterSettingsCommand({
        cluster: "my-cluster",
        settings: [{ name: "containerInsights", value: "enhanced" }],
      }),
    );
    await pass(130);
    const end = sandbox.now();
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(NOW - 60 * MINUTE),
        EndTime: end,
        ScanBy: "TimestampAscending",
        MetricDataQueries: [
          {
            Id: "tasks",
            Expression: `SEARCH('{ECS/ContainerInsights,ClusterName,ServiceName,TaskId} MetricName="TaskCpuUtilization"', 'Average', 60)`,
          },
          stat("svc", "ECS/ContainerInsights", "CpuUtilized", SERVICE, "Average", 60),
        ],
      }),
    );
    const tasks = (out.MetricDataResults ?? []).filter((r) => r.Id === "tasks");
    expect(tasks).toHaveLength(3);
    for (const series of tasks) {
      const times = (series.Timestamps ?? []).map((t) => t.getTime());
      expect(times.length).toBeGreaterThanOrEqual(1);
      for (const t of times) expect(t).toBeGreaterThanOrEqual(changedAt);
    }
    const svc = out.MetricDataResults?.find((r) => r.Id === "svc");
    expect(svc?.Values?.length).toBeGreaterThanOrEqual(1);
    for (const t of svc?.Timestamps ?? []) expect(t.getTime()).toBeGreaterThanOrEqual(changedAt);
  });
});

describe("Container Insights enabled (not enhanced)", () => {
  it("gives cluster and service series but no TaskId series", async () => {
    const sandbox = await startSandbox({ port: 0, scenario: "inherited", clock: CLOCK });
    const cw = new CloudWatchClient(clientConfig(sandbox.endpoint));
    const ecs = new ECSClient(clientConfig(sandbox.endpoint));
    try {
      await ecs.send(
        new UpdateClusterSettingsCommand({
          cluster: "my-cluster",
          settings: [{ name: "containerInsights", value: "enabled" }],
        }),
      );
      for (let i = 0; i < 130; i++) await cw.send(new DescribeAlarmsCommand({ MaxRecords: 1 }));
      const listed = await cw.send(new ListMetricsCommand({ Namespace: "ECS/ContainerInsights" }));
      const metrics = listed.Metrics ?? [];
      expect(metrics.some((m) => m.MetricName === "RunningTaskCount")).toBe(true);
      expect(metrics.some((m) => m.MetricName === "CpuUtilized" && m.Dimensions?.length === 1)).toBe(true);
      expect(metrics.some((m) => m.Dimensions?.some((d) => d.Name === "TaskId"))).toBe(false);
      const out = await cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(NOW),
          EndTime: sandbox.now(),
          MetricDataQueries: [
            stat("running", "ECS/ContainerInsights", "RunningTaskCount", SERVICE, "Maximum", 60),
            stat(
              "task",
              "ECS/ContainerInsights",
              "TaskCpuUtilization",
              [...SERVICE, { Name: "TaskId", Value: TASK_B }],
              "Average",
              60,
            ),
          ],
        }),
      );
      expect(out.MetricDataResults?.[0]?.Values?.[0]).toBe(3);
      expect(out.MetricDataResults?.[1]?.Values).toEqual([]);
    } finally {
      cw.destroy();
      ecs.destroy();
      await sandbox.stop();
    }
  });
});

describe("CloudWatch user data and alarms", () => {
  let sandbox: Sandbox;
  let cw: CloudWatchClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, scenario: "inherited", clock: CLOCK });
    cw = new CloudWatchClient(clientConfig(sandbox.endpoint));
  });
  afterAll(async () => {
    cw?.destroy();
    await sandbox?.stop();
  });

  it("PutMetricData (gzipped past 10 KiB) stores points that GetMetricData and ListMetrics read back", async () => {
    const at = new Date(NOW - 5 * MINUTE);
    const MetricData = Array.from({ length: 300 }, (_, i) => ({
      MetricName: "Latency",
      Dimensions: [{ Name: "Route", Value: `route-${i}` }],
      Timestamp: at,
      Values: [i, i + 10],
      Counts: [1, 3],
      Unit: "Milliseconds" as const,
    }));
    await cw.send(new PutMetricDataCommand({ Namespace: "MyApp", MetricData }));
    await cw.send(
      new PutMetricDataCommand({
        Namespace: "MyApp",
        MetricData: [
          {
            MetricName: "Latency",
            Dimensions: [{ Name: "Route", Value: "route-7" }],
            Timestamp: at,
            StatisticValues: { SampleCount: 2, Sum: 100, Minimum: 40, Maximum: 60 },
          },
        ],
      }),
    );
    const route7 = [{ Name: "Route", Value: "route-7" }];
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(NOW - 10 * MINUTE),
        EndTime: new Date(NOW),
        MetricDataQueries: [
          stat("avg", "MyApp", "Latency", route7, "Average", 60),
          stat("n", "MyApp", "Latency", route7, "SampleCount", 60),
          stat("max", "MyApp", "Latency", route7, "Maximum", 60),
          stat("p75", "MyApp", "Latency", route7, "p75", 60),
        ],
      }),
    );
    const value = (id: string) => out.MetricDataResults?.find((r) => r.Id === id)?.Values?.[0];
    expect(out.MetricDataResults?.[0]?.Timestamps).toEqual([at]);
    expect(value("n")).toBe(6);
    expect(value("avg")).toBeCloseTo((7 + 17 * 3 + 100) / 6);
    expect(value("max")).toBe(60);
    expect(value("p75")).toBe(17);
    const listed = await cw.send(new ListMetricsCommand({ Namespace: "MyApp" }));
    expect(listed.Metrics).toHaveLength(300);
    const search = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(NOW - 10 * MINUTE),
        EndTime: new Date(NOW),
        MetricDataQueries: [{ Id: "s", Expression: `SEARCH('{MyApp,Route} Route="route-1"', 'Sum', 60)` }],
      }),
    );
    expect(search.MetricDataResults?.map((r) => r.Values)).toEqual([[1 + 11 * 3]]);
    const reserved = await rejection(
      cw.send(new PutMetricDataCommand({ Namespace: "AWS/ECS", MetricData: [{ MetricName: "X", Value: 1 }] })),
    );
    expect(reserved.Code).toBe("InvalidParameterValue");
  });

  it("PutMetricAlarm creates or replaces; DescribeAlarms filters and pages; DeleteAlarms removes", async () => {
    for (const name of ["web-cpu-high", "web-5xx", "db-connections", "web-latency-p99"]) {
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          Namespace: "AWS/ECS",
          MetricName: "CPUUtilization",
          Dimensions: SERVICE,
          Statistic: "Average",
          Period: 60,
          EvaluationPeriods: 3,
          Threshold: 80,
          ComparisonOperator: "GreaterThanThreshold",
          AlarmActions: ["arn:aws:sns:ap-northeast-1:123456789012:ops"],
        }),
      );
    }
    const one = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ["web-cpu-high"] }));
    expect(one.MetricAlarms).toHaveLength(1);
    expect(one.MetricAlarms?.[0]).toMatchObject({
      AlarmName: "web-cpu-high",
      AlarmArn: "arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:web-cpu-high",
      StateValue: "INSUFFICIENT_DATA",
      Threshold: 80,
      ActionsEnabled: true,
    });
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: "web-cpu-high",
        Namespace: "AWS/ECS",
        MetricName: "CPUUtilization",
        Dimensions: SERVICE,
        Statistic: "Maximum",
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 90,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      }),
    );
    const prefixed = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: "web-" }));
    expect(prefixed.MetricAlarms?.map((a) => a.AlarmName)).toEqual(["web-5xx", "web-cpu-high", "web-latency-p99"]);
    expect(prefixed.MetricAlarms?.find((a) => a.AlarmName === "web-cpu-high")?.Threshold).toBe(90);
    expect((await cw.send(new DescribeAlarmsCommand({ StateValue: "OK" }))).MetricAlarms).toEqual([]);

    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 3, NextToken: token }));
      names.push(...(page.MetricAlarms ?? []).map((a) => a.AlarmName ?? ""));
      token = page.NextToken;
    } while (token);
    expect(names).toEqual(["db-connections", "web-5xx", "web-cpu-high", "web-latency-p99"]);

    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ["web-5xx", "db-connections", "never-existed"] }));
    const left = await cw.send(new DescribeAlarmsCommand({}));
    expect(left.MetricAlarms?.map((a) => a.AlarmName)).toEqual(["web-cpu-high", "web-latency-p99"]);

    const invalid = await rejection(
      cw.send(
        new PutMetricAlarmCommand({
          AlarmName: "bad",
          Namespace: "AWS/ECS",
          MetricName: "CPUUtilization",
          Statistic: "Average",
          Period: 45,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: "GreaterThanThreshold",
        }),
      ),
    );
    expect(invalid.Code).toBe("InvalidParameterValue");
  });
});

describe("CloudWatch on the large scenario", () => {
  it("serves 100 services × 1 day at 60 s through NextToken paging", async () => {
    const sandbox = await startSandbox({ port: 0, scenario: "large", clock: CLOCK });
    const cw = new CloudWatchClient(clientConfig(sandbox.endpoint));
    try {
      const queries = Array.from({ length: 100 }, (_, n) =>
        stat(
          `m${n}`,
          "AWS/ECS",
          "CPUUtilization",
          [
            { Name: "ClusterName", Value: `cluster-${String(Math.floor(n / 50)).padStart(2, "0")}` },
            { Name: "ServiceName", Value: `service-${String(n % 50).padStart(2, "0")}` },
          ],
          "Average",
          60,
        ),
      );
      const { merged, pages } = await allPages(cw, {
        StartTime: new Date(NOW - 86_400_000),
        EndTime: new Date(NOW),
        MetricDataQueries: queries,
      });
      expect(pages).toBe(2);
      expect(merged.size).toBe(100);
      for (const series of merged.values()) expect(series.Values).toHaveLength(1440);
    } finally {
      cw.destroy();
      await sandbox.stop();
    }
  }, 60_000);
});
