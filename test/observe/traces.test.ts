import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Aws, createAws } from "../../lib/aws/client";
import {
  criticalPath,
  depthFirst,
  findTraces,
  getTrace,
  getTraces,
  type SegmentDocument,
  spanTree,
  type TraceSummary,
  timeShares,
  whereTimeWent,
} from "../../lib/observe/traces";
import { sanitizeQuery } from "../../lib/observe/traces-tree";
import { waterfallRows } from "../../lib/render/waterfall";
import { type Sandbox, startSandbox } from "../../lib/sandbox/server";

const SLOW_SOMETHING = 'responsetime > 3 AND http.url CONTAINS "/something"';

describe("traces against the incident sandbox", () => {
  let sandbox: Sandbox;
  let aws: Aws;
  let slow: TraceSummary[];

  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: "incident", clock: "2026-11-28T00:00:00Z" });
    aws = createAws({
      endpoint: sandbox.endpoint,
      region: "ap-northeast-1",
      credentials: { accessKeyId: "AKIATEST", secretAccessKey: "x" },
    });
    const to = sandbox.now();
    slow = await findTraces(aws, { filter: SLOW_SOMETHING, from: new Date(to.getTime() - 30 * 60_000), to });
  });

  afterAll(async () => {
    aws.destroy();
    await sandbox.stop();
  });

  test("findTraces pages through the slow /something traces, as plain summaries", () => {
    // More than one page of 100: paging followed NextToken.
    expect(slow.length).toBeGreaterThan(100);
    expect(aws.counters.byAction["xray:GetTraceSummaries"]).toBeGreaterThan(1);
    expect(new Set(slow.map((s) => s.id)).size).toBe(slow.length);
    for (const summary of slow) {
      expect(summary.responseTimeMs).toBeGreaterThan(3000);
      expect(summary.http.url).toContain("/something");
    }
    const first = slow[0] as TraceSummary;
    expect(first).toMatchObject({ http: { method: "POST", status: 200 }, fault: false, error: false });
    expect(first.services[0]).toBe("my-web-service");
    expect(first.annotations.route).toEqual(["POST /something"]);
    expect(first.id).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });

  test("findTraces stops at the limit", async () => {
    const to = sandbox.now();
    const some = await findTraces(aws, {
      filter: SLOW_SOMETHING,
      from: new Date(to.getTime() - 30 * 60_000),
      to,
      limit: 7,
    });
    expect(some).toHaveLength(7);
  });

  test("findTraces splits a range over 24 hours into windows X-Ray accepts", async () => {
    const to = sandbox.now();
    aws.resetCounters();
    // 50 hours: 24 + 24 + 2. The sandbox, like X-Ray, refuses a single call over 24 hours.
    const found = await findTraces(aws, {
      filter: "responsetime > 1000",
      from: new Date(to.getTime() - 50 * 3_600_000),
      to,
    });
    expect(found).toEqual([]);
    expect(aws.counters.byAction["xray:GetTraceSummaries"]).toBe(3);
  });

  test("the slowest trace: the app segment is the root, SQL a remote child with a sanitized query", async () => {
    const slowest = [...slow].sort((a, b) => b.durationMs - a.durationMs)[0] as TraceSummary;
    const trace = await getTrace(aws, slowest.id);
    expect(trace).toBeDefined();
    if (trace === undefined) return;
    const tree = spanTree(trace);
    expect(tree.partial).toBe(false);
    expect(tree.root).toMatchObject({ name: "my-web-service", kind: "segment", namespace: "local", status: "ok" });
    expect(tree.root.ecsTaskId).toMatch(/^[0-9a-f]{32}$/);
    // Load balancers send no segments: nothing in the tree is the ALB.
    for (const span of depthFirst(tree.root)) expect(span.name).not.toMatch(/alb|elb/i);
    expect(tree.durationMs).toBeCloseTo(slowest.durationMs, 0);

    const sql = tree.root.children.find((span) => span.sql !== undefined);
    expect(sql).toMatchObject({ kind: "subsegment", namespace: "remote", parentId: tree.root.id });
    expect(sql?.sql?.query).toMatch(/^INSERT INTO something .* VALUES \(\?, \?, \?\)$/);
    expect(sql?.sql?.databaseType).toBe("MySQL");
    expect(sql?.service).toBe(sql?.name);

    const where = whereTimeWent(tree);
    expect(where.app.service).toBe("my-web-service");
    expect(where.app.share).toBeGreaterThan(0.9);
    const db = where.downstream.find((call) => call.namespace === "remote");
    expect(db?.share).toBeLessThan(0.05);
    expect(db?.ms).toBeCloseTo(sql?.durationMs ?? -1, 3);

    const path = criticalPath(tree);
    expect(path[0]).toBe(tree.root);
    for (let i = 1; i < path.length; i++) expect(path[i - 1]?.children).toContain(path[i]);

    // Its waterfall: one row per span, the app first, the SQL call one level in at its offset.
    const rows = waterfallRows(tree);
    expect(rows).toHaveLength(tree.spanCount);
    expect(rows[0]).toMatchObject({ row: 0, depth: 0, label: "my-web-service", offsetMs: 0 });
    const sqlRow = rows.find((row) => row.id === sql?.id);
    expect(sqlRow?.depth).toBe(1);
    expect(sqlRow?.offsetMs).toBeCloseTo((sql?.start ?? 0) - tree.start, 3);

    const shares = timeShares(tree);
    expect(shares).toHaveLength(tree.spanCount);
    expect(shares[0]?.share).toBe(1);
    expect(shares[0]?.selfShare).toBeGreaterThan(0.9);
  });

  test("getTraces asks BatchGetTraces five ids at a time: 12 ids, 3 calls", async () => {
    const ids = slow.slice(0, 12).map((s) => s.id);
    aws.resetCounters();
    const traces = await getTraces(aws, ids);
    expect(aws.counters.byAction["xray:BatchGetTraces"]).toBe(3);
    expect(traces.map((t) => t.id)).toEqual(ids);
    for (const trace of traces) expect(trace.segments.length).toBeGreaterThan(0);
  });

  test("an unknown trace id gives undefined", async () => {
    expect(await getTrace(aws, "1-6b0a1286-000000000000000000000000")).toBeUndefined();
  });
});

const T0 = 1_795_822_214;

function doc(fields: Partial<SegmentDocument> & { id: string }): SegmentDocument {
  return fields;
}

describe("spanTree on documents", () => {
  test("independent subsegments join their parents; nested ones nest; children in start order", () => {
    const tree = spanTree({
      id: "1-t",
      durationMs: 1000,
      segments: [
        doc({
          id: "seg-api",
          name: "api",
          start_time: T0,
          end_time: T0 + 1,
          aws: { ecs: { task_arn: "arn:aws:ecs:r:1:task/c/abc123" } },
          subsegments: [
            doc({ id: "later", name: "render", start_time: T0 + 0.5, end_time: T0 + 0.9 }),
            doc({
              id: "http-call",
              name: "orders",
              namespace: "remote",
              start_time: T0 + 0.1,
              end_time: T0 + 0.4,
              http: { response: { status: 503 } },
            }),
          ],
        }),
        doc({ id: "seg-orders", name: "orders", parent_id: "http-call", start_time: T0 + 0.15, end_time: T0 + 0.35 }),
        doc({
          id: "indep",
          type: "subsegment",
          parent_id: "later",
          name: "template",
          start_time: T0 + 0.6,
          end_time: T0 + 0.7,
        }),
      ],
    });
    expect(tree.partial).toBe(false);
    expect(tree.spanCount).toBe(5);
    expect(tree.root.children.map((s) => s.id)).toEqual(["http-call", "later"]);
    const [call, later] = tree.root.children;
    expect(call).toMatchObject({ status: "fault", service: "orders", ecsTaskId: "abc123", durationMs: 300 });
    expect(call?.children[0]).toMatchObject({ id: "seg-orders", kind: "segment", service: "orders" });
    expect(later).toMatchObject({ service: "api", namespace: "local" });
    expect(later?.children[0]).toMatchObject({ id: "indep", kind: "subsegment", service: "api" });
    expect(criticalPath(tree).map((s) => s.id)).toEqual(["seg-api", "later", "indep"]);
  });

  test("a span whose parent is missing hangs from the root and marks the tree partial", () => {
    const tree = spanTree({
      id: "1-t",
      durationMs: 0,
      segments: [
        doc({ id: "root", name: "api", start_time: T0, end_time: T0 + 1 }),
        doc({
          id: "lost",
          type: "subsegment",
          parent_id: "nowhere",
          name: "x",
          start_time: T0 + 0.2,
          end_time: T0 + 0.3,
        }),
        doc({ id: "running", name: "job", parent_id: "root", start_time: T0 + 0.4, in_progress: true }),
      ],
    });
    expect(tree.partial).toBe(true);
    expect(tree.root.id).toBe("root");
    expect(tree.root.children.map((s) => s.id)).toEqual(["lost", "running"]);
    expect(tree.root.children[0]?.orphan).toBe(true);
    expect(tree.root.children[1]).toMatchObject({ inProgress: true, durationMs: 0 });
  });

  test("status: 4xx error, 5xx fault, 429 throttle", () => {
    const tree = spanTree({
      id: "1-t",
      durationMs: 0,
      segments: [
        doc({
          id: "root",
          name: "api",
          start_time: T0,
          end_time: T0 + 1,
          subsegments: [
            doc({ id: "a", name: "a", start_time: T0, end_time: T0 + 0.1, error: true }),
            doc({ id: "b", name: "b", start_time: T0 + 0.1, end_time: T0 + 0.2, error: true, throttle: true }),
            doc({ id: "c", name: "c", start_time: T0 + 0.2, end_time: T0 + 0.3, fault: true }),
          ],
        }),
      ],
    });
    expect(tree.root.children.map((s) => s.status)).toEqual(["error", "throttle", "fault"]);
  });

  test("self time subtracts what children cover (overlaps once); where time went groups calls by system", () => {
    const tree = spanTree({
      id: "1-t",
      durationMs: 0,
      segments: [
        doc({
          id: "root",
          name: "api",
          start_time: T0,
          end_time: T0 + 1,
          subsegments: [
            doc({ id: "q1", name: "db", namespace: "remote", start_time: T0 + 0.1, end_time: T0 + 0.3 }),
            doc({ id: "q2", name: "db", namespace: "remote", start_time: T0 + 0.2, end_time: T0 + 0.4 }),
            doc({ id: "s3", name: "S3", namespace: "aws", start_time: T0 + 0.8, end_time: T0 + 0.9 }),
          ],
        }),
      ],
    });
    const root = timeShares(tree)[0];
    expect(root?.selfMs).toBeCloseTo(600, 6);
    const where = whereTimeWent(tree);
    expect(where.totalMs).toBe(1000);
    expect(where.app.ms).toBeCloseTo(600, 6);
    expect(where.downstream.map((d) => [d.name, d.calls, Math.round(d.ms)])).toEqual([
      ["db", 2, 300],
      ["S3", 1, 100],
    ]);
  });

  test("queries lose their literals; connection URLs their credentials", () => {
    expect(sanitizeQuery("SELECT * FROM t2 WHERE name = 'o''brien' AND id = 42 LIMIT 10")).toBe(
      "SELECT * FROM t2 WHERE name = ? AND id = ? LIMIT ?",
    );
    const tree = spanTree({
      id: "1-t",
      durationMs: 0,
      segments: [
        doc({
          id: "root",
          name: "api",
          start_time: T0,
          end_time: T0 + 1,
          sql: { url: "jdbc:mysql://user:secret@db:3306/app", sanitized_query: "SELECT 1" },
        }),
      ],
    });
    expect(tree.root.sql).toEqual({ url: "jdbc:mysql://db:3306/app", query: "SELECT ?" });
  });
});
