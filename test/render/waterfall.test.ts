import { describe, expect, test } from "vitest";
import { type SegmentDocument, spanTree } from "../../lib/observe/traces";
import { toSvg } from "../../lib/render/vega";
import { formatMs, STATUS_COLOURS, waterfallRows, waterfallSpec } from "../../lib/render/waterfall";

const T0 = 1_795_822_214;
const NBSP2 = "\u00a0\u00a0";

function doc(fields: Partial<SegmentDocument> & { id: string }): SegmentDocument {
  return fields;
}

// POST /something: 4,750 ms in the app, 100 ms of SQL, an S3 upload, a cache lookup with a nested miss.
const incident = spanTree({
  id: "1-6b0a1286-4b147c2ed4e7cefd26f7f0ed",
  durationMs: 4750,
  segments: [
    doc({
      id: "app",
      name: "my-web-service",
      start_time: T0,
      end_time: T0 + 4.75,
      http: { request: { method: "POST", url: "/something" }, response: { status: 200 } },
      subsegments: [
        doc({ id: "s3", name: "S3", namespace: "aws", start_time: T0 + 4.7, end_time: T0 + 4.74 }),
        doc({
          id: "sql",
          name: "my-db",
          namespace: "remote",
          start_time: T0 + 0.3,
          end_time: T0 + 0.4,
          sql: { sanitized_query: "INSERT INTO something VALUES (?)" },
        }),
        doc({
          id: "cache",
          name: "cache",
          start_time: T0 + 0.05,
          end_time: T0 + 0.2,
          subsegments: [
            doc({ id: "miss", name: "redis", namespace: "remote", start_time: T0 + 0.06, end_time: T0 + 0.1 }),
          ],
        }),
      ],
    }),
  ],
});

const failing = spanTree({
  id: "1-t",
  durationMs: 0,
  segments: [
    doc({
      id: "root",
      name: "api",
      start_time: T0,
      end_time: T0 + 1,
      fault: true,
      http: { response: { status: 500 } },
      subsegments: [
        doc({
          id: "auth",
          name: "auth",
          namespace: "remote",
          start_time: T0 + 0.1,
          end_time: T0 + 0.2,
          http: { response: { status: 403 } },
        }),
        doc({ id: "ok", name: "work", start_time: T0 + 0.2, end_time: T0 + 0.5 }),
      ],
    }),
  ],
});

describe("waterfall rows", () => {
  test("one row per span, depth-first, indented by depth, offsets from the trace start", () => {
    const rows = waterfallRows(incident);
    expect(rows.map((r) => [r.row, r.id, r.depth])).toEqual([
      [0, "app", 0],
      [1, "cache", 1],
      [2, "miss", 2],
      [3, "sql", 1],
      [4, "s3", 1],
    ]);
    expect(rows.map((r) => r.label)).toEqual([
      "my-web-service",
      `${NBSP2}cache`,
      `${NBSP2}${NBSP2}redis (remote)`,
      `${NBSP2}my-db (remote)`,
      `${NBSP2}S3 (aws)`,
    ]);
    const sql = rows[3];
    expect(sql?.offsetMs).toBeCloseTo(300, 3);
    expect(sql?.endMs).toBeCloseTo(400, 3);
    expect(sql?.durationMs).toBeCloseTo(100, 3);
    expect(sql?.durationLabel).toBe("100 ms");
    expect(rows[0]).toMatchObject({ offsetMs: 0, endMs: 4750, durationLabel: "4.75 s", status: "ok" });
    expect(rows[2]).toMatchObject({ service: "redis", status: "ok" });
    expect(rows[1]?.service).toBe("my-web-service");
  });

  test("durations read as people write them", () => {
    expect([formatMs(0.42), formatMs(91.4), formatMs(4841), formatMs(12_345)]).toEqual([
      "0.4 ms",
      "91 ms",
      "4.84 s",
      "12.3 s",
    ]);
  });

  test("errors, faults and throttles are named at the bar's end", () => {
    const rows = waterfallRows(failing);
    expect(rows.map((r) => [r.name, r.status, r.durationLabel])).toEqual([
      ["api", "fault", "1.00 s ✖ fault 500"],
      ["auth", "error", "100 ms ✖ error 403"],
      ["work", "ok", "300 ms"],
    ]);
  });
});

describe("waterfall spec", () => {
  test("rows are ordered by their index, not alphabetically, on one shared ms axis", () => {
    const spec = waterfallSpec(incident);
    const json = JSON.stringify(spec);
    expect(json).not.toMatch(/"url"/);
    expect(spec).toMatchObject({
      data: { values: [{ row: 0, key: "0:my-web-service" }, { row: 1 }, { row: 2 }, { row: 3 }, { row: 4 }] },
      encoding: { y: { field: "key", sort: { field: "row", order: "ascending" } } },
    });
    expect(json).toContain('"x2":{"field":"endMs"}');
    expect(json).toContain('"domain":[0,4750]');
  });

  test("colour by status uses the console's colours; by service, one colour per service", () => {
    const byStatus = JSON.stringify(waterfallSpec(failing));
    for (const colour of Object.values(STATUS_COLOURS)) expect(byStatus).toContain(colour);
    const byService = JSON.stringify(waterfallSpec(incident, { colourBy: "service" }));
    expect(byService).toContain('"field":"service"');
  });

  test("the SVG renders with every span's name and its duration", async () => {
    const svg = await toSvg(waterfallSpec(incident, { width: 500 }));
    expect(svg.startsWith("<svg")).toBe(true);
    for (const text of [
      "my-web-service",
      "cache",
      "redis (remote)",
      "my-db (remote)",
      "S3 (aws)",
      "100 ms",
      "4.75 s",
    ]) {
      expect(svg).toContain(text);
    }
    // The axis shows the label alone, not the row index that orders it.
    expect(svg).toContain(">my-web-service</text>");
    expect(svg).not.toContain(">0:my-web-service</text>");
  });

  test("a trace with a fault and an error shows both colours, and outlines them", async () => {
    const svg = await toSvg(waterfallSpec(failing));
    expect(svg).toContain(`fill="${STATUS_COLOURS.fault}"`);
    expect(svg).toContain(`fill="${STATUS_COLOURS.error}"`);
    expect(svg).toContain(`fill="${STATUS_COLOURS.ok}"`);
    expect(svg).toContain('stroke="#000000"');
    expect(svg).toContain("✖ fault 500");
  });
});
