// The logs of one ECS service: where its containers write (awslogs or FireLens to CloudWatch, from the task
// definition), Logs Insights queries run to the end with progress, a timeout and cancellation, and the latest lines.
// The query templates live in logs-queries.ts.
import {
  type FilteredLogEvent,
  FilterLogEventsCommand,
  GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  StartQueryCommand,
  StopQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { type Aws, errorCode } from "../aws/index";
import { redactText } from "../render/redaction";
import { findService, type ServiceRef } from "./deployments";

export {
  errors,
  latencyPercentilesOverTime,
  requestsByTask,
  slowRequests,
} from "./logs-queries";

// ---------------------------------------------------------------------------------------------------------------
// Where a service logs

export interface LogDestination {
  readonly container: string;
  readonly driver: "awslogs" | "awsfirelens";
  readonly logGroup: string;
  /** Streams are `<prefix>/<container>/<task id>` (awslogs) or start with it (FireLens). */
  readonly streamPrefix?: string;
  readonly region?: string;
}

export interface ServiceLogs {
  /** The task definition the service runs ("my-web-app:1"). */
  readonly taskDefinition: string;
  readonly destinations: readonly LogDestination[];
  /** Containers whose output does not reach CloudWatch Logs (no log configuration, or another destination). */
  readonly elsewhere: readonly { readonly container: string; readonly driver?: string }[];
}

/** The CloudWatch log groups and stream prefixes of the service's containers, from its task definition. */
export async function logGroupsOf(aws: Aws, ref: ServiceRef): Promise<ServiceLogs> {
  const service = await findService(aws, ref);
  const arn = service.taskDefinition ?? "";
  const { taskDefinition } = await aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
  const destinations: LogDestination[] = [];
  const elsewhere: { container: string; driver?: string }[] = [];
  for (const container of taskDefinition?.containerDefinitions ?? []) {
    const name = container.name ?? "";
    const log = container.logConfiguration;
    const options = log?.options ?? {};
    const region = options["awslogs-region"] ?? options.region;
    const destination = (group: string | undefined, prefix: string | undefined): void => {
      if (!group || !log) {
        elsewhere.push({ container: name, ...(log?.logDriver ? { driver: log.logDriver } : {}) });
        return;
      }
      destinations.push({
        container: name,
        driver: log.logDriver === "awslogs" ? "awslogs" : "awsfirelens",
        logGroup: group,
        ...(prefix ? { streamPrefix: prefix } : {}),
        ...(region ? { region } : {}),
      });
    };
    if (log?.logDriver === "awslogs") destination(options["awslogs-group"], options["awslogs-stream-prefix"]);
    else if (log?.logDriver === "awsfirelens" && ["cloudwatch_logs", "cloudwatch"].includes(options.Name ?? ""))
      destination(options.log_group_name, options.log_stream_prefix);
    else destination(undefined, undefined);
  }
  return { taskDefinition: arn.split("/").pop() ?? arn, destinations, elsewhere };
}

/**
 * The task id in a stream name: `app/my-web-app/<task id>` (awslogs), `<prefix><container>-firelens-<task id>`
 * (FireLens), `FargateTelemetry-<task id>` (Container Insights). Undefined when the name carries none.
 */
export function taskIdOfStream(stream: string): string | undefined {
  return /(?:^|[/-])([0-9a-f]{32})$/.exec(stream)?.[1];
}

// ---------------------------------------------------------------------------------------------------------------
// Logs Insights

export type QueryStatus = "Scheduled" | "Running" | "Complete" | "Failed" | "Cancelled" | "Timeout" | "Unknown";

export interface QueryProgress {
  readonly queryId: string;
  readonly status: QueryStatus;
  readonly recordsMatched: number;
  readonly recordsScanned: number;
  readonly bytesScanned: number;
  readonly elapsedMs: number;
}

export interface InsightsQuery {
  /** Names (up to 50). */
  readonly logGroups: readonly string[];
  readonly query: string;
  readonly from: Date;
  readonly to: Date;
  /** Rows returned at most (Logs Insights' own cap is 10,000). */
  readonly limit?: number;
  /** Give up (and StopQuery) after this long. Default 60 s. */
  readonly timeoutMs?: number;
  /** Between polls of GetQueryResults. Default 500 ms. */
  readonly pollIntervalMs?: number;
  readonly onProgress?: (progress: QueryProgress) => void;
  /** Aborting stops the query (StopQuery) and rejects with InsightsQueryError status "Aborted". */
  readonly signal?: AbortSignal;
}

export interface InsightsResult {
  readonly queryId: string;
  /** Each row: field → value, as Logs Insights returns them (strings); `@ptr` left out. */
  readonly rows: readonly Readonly<Record<string, string>>[];
  readonly statistics: {
    readonly recordsMatched: number;
    readonly recordsScanned: number;
    readonly bytesScanned: number;
  };
}

export type QueryFailure = "Malformed" | "Failed" | "Cancelled" | "Timeout" | "Aborted" | "Unknown";

/** A query that did not complete: rejected as malformed (with where), failed, cancelled, timed out or aborted. */
export class InsightsQueryError extends Error {
  override name = "InsightsQueryError";
  constructor(
    message: string,
    readonly status: QueryFailure,
    readonly details: { readonly queryId?: string; readonly line?: number; readonly position?: number } = {},
  ) {
    super(message);
  }
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_POLL_MS = 500;

/** Starts a Logs Insights query and polls it to the end, reporting progress; returns its rows. */
export async function runInsightsQuery(aws: Aws, query: InsightsQuery): Promise<InsightsResult> {
  const { signal } = query;
  if (signal?.aborted) throw new InsightsQueryError("the Logs Insights query was aborted before it started", "Aborted");
  const started = Date.now();
  let queryId: string;
  try {
    const output = await aws.logs.send(
      new StartQueryCommand({
        logGroupNames: [...query.logGroups],
        queryString: query.query,
        startTime: Math.floor(query.from.getTime() / 1000),
        endTime: Math.ceil(query.to.getTime() / 1000),
        ...(query.limit === undefined ? {} : { limit: query.limit }),
      }),
    );
    queryId = output.queryId ?? "";
  } catch (error) {
    if (errorCode(error) === "MalformedQueryException") throw malformed(error);
    throw error;
  }
  const stop = async () => {
    try {
      await aws.logs.send(new StopQueryCommand({ queryId }));
    } catch {
      // Already finished: nothing to stop.
    }
  };
  const timeoutMs = query.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const interval = query.pollIntervalMs ?? DEFAULT_POLL_MS;
  for (;;) {
    const output: GetQueryResultsCommandOutput = await aws.logs.send(new GetQueryResultsCommand({ queryId }));
    const status = (output.status ?? "Unknown") as QueryStatus;
    const statistics = {
      recordsMatched: output.statistics?.recordsMatched ?? 0,
      recordsScanned: output.statistics?.recordsScanned ?? 0,
      bytesScanned: output.statistics?.bytesScanned ?? 0,
    };
    query.onProgress?.({ queryId, status, ...statistics, elapsedMs: Date.now() - started });
    if (status === "Complete") {
      const rows = (output.results ?? []).map((row) => {
        const record: Record<string, string> = {};
        for (const cell of row) {
          if (!cell.field || cell.field === "@ptr") continue;
          // Log lines are the app's own text: a password it logged must not reach a notebook's output (DESIGN §2).
          record[cell.field] = redactText(cell.value ?? "");
        }
        return record;
      });
      return { queryId, rows, statistics };
    }
    if (status === "Failed" || status === "Cancelled" || status === "Timeout" || status === "Unknown") {
      throw new InsightsQueryError(`the Logs Insights query ${queryId} ended with status ${status}`, status, {
        queryId,
      });
    }
    const elapsed = Date.now() - started;
    if (elapsed >= timeoutMs) {
      await stop();
      throw new InsightsQueryError(
        `the Logs Insights query ${queryId} did not complete within ${timeoutMs} ms (stopped)`,
        "Timeout",
        { queryId },
      );
    }
    const aborted = await sleep(Math.min(interval, timeoutMs - elapsed), signal);
    if (aborted) {
      await stop();
      throw new InsightsQueryError(`the Logs Insights query ${queryId} was aborted (stopped)`, "Aborted", { queryId });
    }
  }
}

/** MalformedQueryException says "… at line 1 and position 23"; the error keeps both and says them first. */
function malformed(error: unknown): InsightsQueryError {
  const text = error instanceof Error ? error.message : String(error);
  const where = /line (\d+) and position (\d+)/.exec(text);
  const line = where ? Number(where[1]) : undefined;
  const position = where ? Number(where[2]) : undefined;
  const at = where ? ` at line ${line}, position ${position}` : "";
  return new InsightsQueryError(`Logs Insights rejected the query${at}: ${text}`, "Malformed", {
    ...(line === undefined ? {} : { line }),
    ...(position === undefined ? {} : { position }),
  });
}

/** Waits `ms`; true when the signal aborted the wait. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(true);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve(false);
      },
      Math.max(0, ms),
    );
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Tail

export interface TailOptions {
  readonly logGroup: string;
  /** Only streams whose name starts with this (e.g. "app/my-web-app/"). */
  readonly streamPrefix?: string;
  /** Default: five minutes before the service's clock. */
  readonly since?: Date;
  /** The newest lines kept. Default 100. */
  readonly limit?: number;
}

export interface LogLine {
  readonly time: number;
  readonly stream: string;
  readonly taskId?: string;
  readonly message: string;
}

/** Pages read at most: tail is for a glance, a longer range is a Logs Insights query. */
const TAIL_MAX_PAGES = 50;

/** The latest lines of a log group (FilterLogEvents), newest last, each with the task id from its stream. */
export async function tail(aws: Aws, options: TailOptions): Promise<LogLine[]> {
  const limit = options.limit ?? 100;
  const now = aws.now();
  const startTime = (options.since ?? new Date(now.getTime() - 5 * 60_000)).getTime();
  let kept: FilteredLogEvent[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await aws.logs.send(
      new FilterLogEventsCommand({
        logGroupName: options.logGroup,
        startTime,
        ...(options.streamPrefix ? { logStreamNamePrefix: options.streamPrefix } : {}),
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    kept = [...kept, ...(page.events ?? [])];
    if (kept.length > limit * 2) kept = newest(kept, limit);
    nextToken = page.nextToken;
  } while (nextToken && ++pages < TAIL_MAX_PAGES);
  return newest(kept, limit).map((event) => {
    const stream = event.logStreamName ?? "";
    const taskId = taskIdOfStream(stream);
    return {
      time: event.timestamp ?? 0,
      stream,
      ...(taskId ? { taskId } : {}),
      message: redactText((event.message ?? "").replace(/\n$/, "")),
    };
  });
}

function newest(events: readonly FilteredLogEvent[], limit: number): FilteredLogEvent[] {
  const sorted = [...events].sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  return sorted.slice(Math.max(0, sorted.length - limit));
}
