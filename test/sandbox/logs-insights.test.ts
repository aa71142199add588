import { describe, expect, it } from "vitest";
import { compileFilterPattern } from "../../lib/sandbox/services/logs-filter-pattern";
import { compareForSort, type LogRecord, runQuery } from "../../lib/sandbox/services/logs-insights-engine";
import { parseQuery, QuerySyntaxError } from "../../lib/sandbox/services/logs-insights-parser";

const BASE = Date.UTC(2026, 10, 28);

function access(i: number): LogRecord {
  const post = i % 2 === 1;
  return {
    timestamp: BASE + i * 60_000,
    ingestionTime: BASE + i * 60_000 + 500,
    message: `10.0.1.${i} - - [28/Nov/2026:00:00:00 +0000] "${post ? "POST /something" : "GET /"}" 200 ${i * 300}ms req=r${i}`,
    logStream: `app/my-web-app/${i % 3 === 0 ? "b" : "a"}`,
    log: "123456789012:/ecs/my-web-app",
  };
}
const RECORDS = Array.from({ length: 20 }, (_, i) => access(i));
const PARSE = `parse @message '"* *" * *ms' as method, path, status, latency`;

function rows(query: string, records: readonly LogRecord[] = RECORDS) {
  return runQuery(query, records).rows.map((row) => Object.fromEntries(row.map((f) => [f.field, f.value])));
}

describe("Logs Insights parser", () => {
  it("parses every command, aliases and names unaliased expressions by their text", () => {
    const commands = parseQuery(
      `fields @timestamp, strlen(@message) as len # a comment
       | filter (len > 3 and @message like /x/i) or not ispresent(y) | ${PARSE}
       | stats count(*), avg(latency) as avg by bin(5m) | sort avg desc, \`bin(5m)\` asc | limit 5 | display avg`,
    );
    expect(commands.map((c) => c.kind)).toEqual(["fields", "filter", "parse", "stats", "sort", "limit", "display"]);
    const stats = commands[3];
    expect(stats?.kind === "stats" && stats.items.map((i) => i.name)).toEqual(["count(*)", "avg"]);
    expect(stats?.kind === "stats" && stats.by.map((i) => i.name)).toEqual(["bin(5m)"]);
  });

  it("reads a regex after parse's field and a division between operands", () => {
    const [parse, fields] = parseQuery("parse @message /(?<a>\\d+)\\/(?<b>\\d+)/ | fields a / b as r");
    expect(parse?.kind === "parse" && parse.names).toEqual(["a", "b"]);
    expect(fields?.kind === "fields" && fields.items[0]?.expr.kind).toBe("binary");
  });

  it("names the line and position of what it cannot parse", () => {
    expect(() => parseQuery("fields @timestamp | filter x >")).toThrow(/at line 1 and position 30/);
    expect(() => parseQuery("fields a\n| bogus b")).toThrow(/found bogus at line 2 and position 2/);
    expect(() => parseQuery("fields a | stats b")).toThrow(QuerySyntaxError);
    expect(() => parseQuery(`parse @message '* *' as a`)).toThrow(QuerySyntaxError);
    expect(() => parseQuery("filter count(*) > 1")).toThrow(/only be used in stats/);
    expect(() => parseQuery("")).toThrow(QuerySyntaxError);
  });
});

describe("Logs Insights engine", () => {
  it("runs the observability reference's query", () => {
    const out = rows(
      `fields @timestamp, @message, @logStream | ${PARSE} | filter latency > 3000 | sort latency desc | limit 3`,
    );
    expect(out.map((r) => r.latency)).toEqual(["5700", "5400", "5100"]);
    expect(out[0]).toMatchObject({
      method: "POST",
      path: "/something",
      status: "200",
      "@timestamp": "2026-11-28 00:19:00.000",
    });
    expect(Object.keys(out[0] ?? {})).toEqual([
      "@timestamp",
      "@message",
      "@logStream",
      "method",
      "path",
      "status",
      "latency",
    ]);
  });

  it("returns the newest records first when there is no sort, and limits", () => {
    const out = rows("fields @timestamp | limit 2");
    expect(out.map((r) => r["@timestamp"])).toEqual(["2026-11-28 00:19:00.000", "2026-11-28 00:18:00.000"]);
    expect(runQuery("fields @message", RECORDS, { limit: 4 }).rows).toHaveLength(4);
  });

  it("stats: count, avg, min, max, sum, pct and earliest/latest by bin and by fields", () => {
    const out = rows(
      `${PARSE} | stats count(*) as n, avg(latency) as avg, min(latency) as lo, max(latency) as hi, sum(latency) as total, pct(latency, 50) as p50, latest(latency) as last by bin(5m)`,
    );
    expect(out.map((r) => r["bin(5m)"])).toEqual([
      "2026-11-28 00:15:00.000",
      "2026-11-28 00:10:00.000",
      "2026-11-28 00:05:00.000",
      "2026-11-28 00:00:00.000",
    ]);
    expect(out[3]).toMatchObject({ n: "5", avg: "600", lo: "0", hi: "1200", total: "3000", p50: "600", last: "1200" });
    const byMethod = rows(`${PARSE} | stats count(*) by method, path | sort method`);
    expect(byMethod).toEqual([
      { method: "GET", path: "/", "count(*)": "10" },
      { method: "POST", path: "/something", "count(*)": "10" },
    ]);
    expect(rows("stats count(*) as n | filter n > 100")).toEqual([]);
    expect(rows("filter @message like 'nothing' | stats count(*) as n")).toEqual([{ n: "0" }]);
  });

  it("filter: comparisons, like, =~, in, not, arithmetic, numeric strings as numbers", () => {
    const count = (where: string) => rows(`${PARSE} | filter ${where} | stats count(*) as n`)[0]?.n;
    expect(count("latency >= 3000")).toBe("10");
    expect(count("latency / 100 < 3")).toBe("1");
    expect(count('method = "POST" and latency != 300')).toBe("9");
    expect(count("@message like /POST/ or latency = 0")).toBe("11");
    expect(count('path =~ "some"')).toBe("10");
    expect(count('method in ["GET", "PUT"]')).toBe("10");
    expect(count('method not in ["GET"]')).toBe("10");
    expect(count("not (latency > 300)")).toBe("2");
    expect(count("@logStream like /b$/")).toBe("7");
    expect(count("missing > 1")).toBe("0");
  });

  it("parse with a regex, JSON fields, dedup and display", () => {
    const json: LogRecord[] = [1, 2, 3].map((i) => ({
      ...access(i),
      message: JSON.stringify({ level: i === 2 ? "error" : "info", latency: i * 10, http: { status: 200 + i } }),
    }));
    expect(rows("filter latency > 10 | fields level, http.status | sort latency", json)).toEqual([
      { level: "error", "http.status": "202" },
      { level: "info", "http.status": "203" },
    ]);
    expect(rows("dedup level | display level | sort level", json)).toEqual([{ level: "error" }, { level: "info" }]);
    expect(rows(`parse @message /req=(?<id>r\\d+)$/ | filter id = "r7" | display id`)).toEqual([{ id: "r7" }]);
  });

  it("sorts numbers after text, naturally", () => {
    const sorted = ["A9", "10", "a12", "#", "5A", "111A", "2"].sort(compareForSort);
    expect(sorted).toEqual(["#", "5A", "111A", "A9", "a12", "2", "10"]);
  });

  it("keeps only what it needs over many records: a million-record stats query streams", () => {
    function* many(n: number): Generator<LogRecord> {
      for (let i = 0; i < n; i++) yield access(i % 1000);
    }
    const out = runQuery(`${PARSE} | stats count(*) as n, pct(latency, 95) as p95 by method`, many(200_000));
    expect(out.recordsScanned).toBe(200_000);
    expect(out.rows).toHaveLength(2);
  });
});

describe("filter patterns", () => {
  const messages = ["ERROR first failure", "WARN disk full", '{"level":"error","latency":12,"tags":["a"]}', "INFO ok"];
  const match = (pattern: string) => messages.filter(compileFilterPattern(pattern));
  it("terms, phrases, exclusions and alternatives", () => {
    expect(match("")).toHaveLength(4);
    expect(match("ERROR")).toEqual(["ERROR first failure"]);
    expect(match("ERROR failure")).toEqual(["ERROR first failure"]);
    expect(match('"disk full"')).toEqual(["WARN disk full"]);
    expect(match("?WARN ?INFO")).toEqual(["WARN disk full", "INFO ok"]);
    expect(match("-ERROR -WARN")).toEqual(['{"level":"error","latency":12,"tags":["a"]}', "INFO ok"]);
    expect(match("%f[iu][rl]%")).toEqual(["ERROR first failure", "WARN disk full"]);
  });
  it("JSON patterns", () => {
    expect(match("{ $.latency > 3 }")).toHaveLength(1);
    expect(match('{ $.level = "err*" && $.latency != 1 }')).toHaveLength(1);
    expect(match('{ ($.level = "info") || $.tags[0] = "a" }')).toHaveLength(1);
    expect(match("{ $.missing NOT EXISTS }")).toHaveLength(1);
    expect(() => compileFilterPattern("{ $.a ~ 1 }")).toThrow();
  });
  it("space-delimited patterns", () => {
    const line = ['10.0.0.1 - bob [28/Nov/2026:00:00:00 +0000] "GET /" 500 1200'];
    expect(line.filter(compileFilterPattern("[ip, dash, user, time, request, status=5*, bytes>1000]"))).toHaveLength(1);
    expect(line.filter(compileFilterPattern("[ip, ..., status=4*, bytes]"))).toHaveLength(0);
  });
});
