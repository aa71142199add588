// The triage question answered against the incident sandbox through the SDK: where did POST /something's 5 s go?
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ECSClient, UpdateClusterSettingsCommand } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Aws, createAws } from "../../lib/aws";
import { type Diagnosis, diagnoseSlowEndpoint } from "../../lib/observe/diagnose";
import { depthFirst } from "../../lib/observe/traces-tree";
import { toSvg } from "../../lib/render/vega";
import { waterfallRows, waterfallSpec } from "../../lib/render/waterfall";
import { WEB } from "../../lib/sandbox/scenarios/web-service";
import { type Sandbox, startSandbox } from "../../lib/sandbox/server";
import { clientConfig } from "../sandbox/client";

const TASK_B = WEB.taskIds[1];
const MINUTE = 60_000;
process.env.ECS_TAKEOVER_KEY_FILE ??= join(mkdtempSync(join(tmpdir(), "diagnose-")), "key");

function connect(sandbox: Sandbox): Aws {
  return createAws({
    endpoint: sandbox.endpoint,
    region: "ap-northeast-1",
    credentials: { accessKeyId: "AKIATEST", secretAccessKey: "x" },
  });
}

describe("diagnoseSlowEndpoint on the incident", () => {
  let sandbox: Sandbox;
  let diagnosis: Diagnosis;
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: "incident", clock: "2026-11-28T00:00:00Z" });
    const aws = connect(sandbox);
    diagnosis = await diagnoseSlowEndpoint(aws, {
      cluster: WEB.cluster,
      service: WEB.service,
      path: "/something",
      since: new Date((await aws.serviceNow()).getTime() - 30 * MINUTE),
    });
    aws.destroy();
  });
  afterAll(() => sandbox.stop());

  test("names task B as the hot task, with its CPU, against A and C", () => {
    if (diagnosis.metrics.status !== "found") throw new Error(diagnosis.metrics.reason);
    expect(diagnosis.metrics.hot.map((task) => task.taskId)).toEqual([TASK_B]);
    expect(diagnosis.metrics.hot[0]?.cpuPercent).toBeGreaterThan(95);
    for (const task of diagnosis.metrics.others) expect(task.cpuPercent).toBeLessThan(35);
    expect(diagnosis.metrics.evidence.source).toContain("TaskCpuUtilization");
  });

  test("returns task B's slow log lines, and only B's", () => {
    if (diagnosis.logs.status !== "found") throw new Error(diagnosis.logs.reason);
    expect(diagnosis.logs.lines.length).toBeGreaterThan(10);
    expect(new Set(diagnosis.logs.lines.map((line) => line.taskId))).toEqual(new Set([TASK_B]));
    for (const line of diagnosis.logs.lines) {
      expect([line.method, line.path]).toEqual(["POST", "/something"]);
      expect(line.latencyMs).toBeGreaterThan(4000);
    }
    expect(diagnosis.logs.evidence.source).toContain("/ecs/my-web-app");
  });

  test("the slowest trace spent > 90 % in the app and < 5 % in SQL, served by B", () => {
    if (diagnosis.traces.status !== "found") throw new Error(diagnosis.traces.reason);
    expect(diagnosis.traces.taskId).toBe(TASK_B);
    expect(diagnosis.traces.where.app.share).toBeGreaterThan(0.9);
    const sql = diagnosis.traces.where.downstream.find((call) => call.namespace === "remote");
    expect(sql?.share).toBeLessThan(0.05);
    expect(diagnosis.traces.evidence.source).toContain(diagnosis.traces.traceId);
  });

  test("says it in sentences, each citing its evidence", () => {
    expect(diagnosis.findings).toHaveLength(3);
    expect(diagnosis.findings[0]).toMatch(/^task 1b2c3d4e runs at 9\d(\.\d)? % CPU .*\[metrics: /);
    expect(diagnosis.findings[1]).toMatch(/100 % of them served by task 1b2c3d4e .*\[logs: /);
    expect(diagnosis.findings[2]).toMatch(/9\d % of the time was spent in the app itself.*\[traces: X-Ray trace 1-/);
  });

  test("the slowest trace's waterfall: one row per span, in depth-first order, at the right offsets, rendered", async () => {
    if (diagnosis.traces.status !== "found") throw new Error(diagnosis.traces.reason);
    const tree = diagnosis.traces.tree;
    const rows = waterfallRows(tree);
    const spans = [...depthFirst(tree.root)];
    expect(rows.map((row) => row.id)).toEqual(spans.map((span) => span.id));
    expect(rows[0]).toMatchObject({ depth: 0, offsetMs: 0, name: WEB.service });
    for (const [index, row] of rows.entries()) {
      const span = spans[index];
      expect(row.offsetMs).toBeCloseTo((span?.start ?? 0) - tree.start, 3);
      expect(row.durationMs).toBeCloseTo(span?.durationMs ?? 0, 3);
    }
    const svg = await toSvg(waterfallSpec(tree));
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain(WEB.service);
  });
});

describe("diagnoseSlowEndpoint where the pillars are missing", () => {
  test("inherited (no Container Insights, no logs, no traces): says what is missing and the fix, without failing", async () => {
    const sandbox = await startSandbox({ scenario: "inherited", clock: "2026-11-28T00:00:00Z" });
    try {
      const aws = connect(sandbox);
      const diagnosis = await diagnoseSlowEndpoint(aws, {
        cluster: WEB.cluster,
        service: WEB.service,
        path: "/something",
        since: new Date((await aws.serviceNow()).getTime() - 30 * MINUTE),
      });
      aws.destroy();
      expect(diagnosis.metrics).toMatchObject({ status: "unavailable", fix: "container-insights-off" });
      expect(diagnosis.logs).toMatchObject({ status: "unavailable", fix: "logging-missing" });
      expect(diagnosis.traces).toMatchObject({ status: "unavailable", fix: "tracing-missing" });
      expect(diagnosis.findings[0]).toMatch(/^Per-task metrics are not available: .*Container Insights/);
    } finally {
      await sandbox.stop();
    }
  });

  test("after enhanced is turned on, per-task metrics appear for the time after the change", async () => {
    const sandbox = await startSandbox({ scenario: "inherited", clock: "2026-11-28T00:00:00Z" });
    try {
      await new ECSClient(clientConfig(sandbox.endpoint)).send(
        new UpdateClusterSettingsCommand({
          cluster: WEB.cluster,
          settings: [{ name: "containerInsights", value: "enhanced" }],
        }),
      );
      const aws = connect(sandbox);
      // let a few sandbox minutes pass (the clock moves a second per request)
      for (let i = 0; i < 200; i++)
        await aws.ecs.send(new UpdateClusterSettingsCommand({ cluster: WEB.cluster, settings: [] }));
      const diagnosis = await diagnoseSlowEndpoint(aws, {
        cluster: WEB.cluster,
        service: WEB.service,
        path: "/something",
        since: new Date((await aws.serviceNow()).getTime() - 30 * MINUTE),
      });
      aws.destroy();
      expect(diagnosis.metrics.status).toBe("found");
    } finally {
      await sandbox.stop();
    }
  });
});
