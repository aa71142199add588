// Logs Insights query templates for the app's access log. Each returns the query text (run it with
// runInsightsQuery); each reads the line format
//   10.0.1.23 - - [28/Nov/2026:00:01:02 +0000] "POST /something" 200 4750ms req=5f3a0c1b2d4e6f708192a3b4
// into method, path, status, latency (ms) and requestId, and the task id from the stream name
// (`<prefix>/<container>/<task id>`), so every row says which task served it.

/** Reads an access-log line and the task id of its stream; lines in another format get no latency and drop out. */
const ACCESS_LINE = [
  `parse @message '"* *" * *ms' as method, path, status, latency`,
  "parse @message 'req=*' as requestId",
  "parse @logStream /(?<taskId>[0-9a-f]{32})$/",
  "filter ispresent(latency)",
].join("\n| ");

/**
 * Requests slower than `thresholdMs`, optionally of one path, slowest first: @timestamp, taskId, method, path,
 * status, latency, requestId (the random part of the request's X-Ray trace id).
 */
export function slowRequests(thresholdMs: number, path?: string, limit = 100): string {
  if (!Number.isFinite(thresholdMs) || thresholdMs < 0)
    throw new RangeError(`threshold must be ≥ 0 ms: ${thresholdMs}`);
  const onPath = path === undefined ? "" : ` and path = ${literal(path)}`;
  return [
    ACCESS_LINE,
    `filter latency > ${thresholdMs}${onPath}`,
    "fields @timestamp, taskId, method, path, status, latency, requestId, @logStream",
    "sort latency desc",
    `limit ${whole(limit)}`,
  ].join("\n| ");
}

/** Requests that answered 5xx, newest first, with the task that served each. */
export function errors(limit = 100): string {
  return [
    ACCESS_LINE,
    "filter status >= 500",
    "fields @timestamp, taskId, method, path, status, latency, requestId, @logStream",
    "sort @timestamp desc",
    `limit ${whole(limit)}`,
  ].join("\n| ");
}

/** Per task: requests, average and maximum latency — the task that stands out, side by side with the rest. */
export function requestsByTask(): string {
  return [
    ACCESS_LINE,
    "stats count(*) as requests, avg(latency) as avgLatencyMs, max(latency) as maxLatencyMs by taskId",
    "sort avgLatencyMs desc",
  ].join("\n| ");
}

/** Latency p50, p90 and p99 (ms) and requests per time bin, e.g. "5m", "1h", "30s"; column `bin(5m)` is its start. */
export function latencyPercentilesOverTime(bin = "5m"): string {
  if (!/^\d+(ms|s|m|h|d)$/.test(bin)) throw new RangeError(`bin must be a duration like 5m or 30s: ${bin}`);
  return [
    ACCESS_LINE,
    `stats pct(latency, 50) as p50, pct(latency, 90) as p90, pct(latency, 99) as p99, count(*) as requests by bin(${bin})`,
    `sort \`bin(${bin})\` asc`,
  ].join("\n| ");
}

/** A double-quoted Logs Insights string. */
function literal(value: string): string {
  return `"${value.replace(/["\\]/g, "\\$&")}"`;
}

function whole(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new RangeError(`limit must be 1…10000: ${limit}`);
  return limit;
}
