// The one place SDK clients are made (DESIGN §2): credentials from the standard chain (or a --profile), region,
// endpoint override, a deliberate retry policy, request timeouts that really fail, a user agent, bounded
// concurrency, request counters and the service's clock — the same whether it talks to AWS or to the sandbox.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ECRClient } from "@aws-sdk/client-ecr";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { XRayClient } from "@aws-sdk/client-xray";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  FinalizeRequestMiddleware,
  MiddlewareStack,
} from "@smithy/types";
import { projectRoot } from "../project";
import { createLimit, type Limit } from "./limit";
import { TakeoverRetryStrategy } from "./retry";

// The SDK's Node-version notice would land on stderr, which the CLI keeps for its one error line (DESIGN §8).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/**
 * Eight attempts in standard mode. Throttling backs off from 1 s (random × min(1 s × 2^n, 20 s)), so a call throttled
 * at a rate of 30 % fails all eight attempts with probability 0.3^8 ≈ 7e-5 — across the few thousand calls of the
 * largest audit that is well under one call, so transient throttling never turns a verdict into unknown (DESIGN §9).
 * Successful retries refund the retry quota, so a steady 30 % never drains it either.
 */
export const DEFAULT_MAX_ATTEMPTS = 8;
/** At least 8 requests in flight: the wall-time bench divides by this (calls × latency ÷ concurrency). */
export const DEFAULT_CONCURRENCY = 8;
/** A request with no answer after this long fails (and is retried as transient) instead of hanging discovery. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;
/** A host that does not accept the connection is given up on quickly: an unreachable endpoint is reported in seconds. */
const CONNECTION_TIMEOUT_MS = 3_000;

export interface AwsOptions {
  profile?: string;
  region?: string;
  /** Default: AWS_ENDPOINT_URL (the SDK reads it, and the per-service AWS_ENDPOINT_URL_<SERVICE>). */
  endpoint?: string;
  /** Default: ECS_TAKEOVER_REQUEST_TIMEOUT_MS (set by the CLI's --request-timeout), else 20 s. */
  requestTimeoutMs?: number;
  /** Requests in flight at once, across all clients. Default 8. */
  concurrency?: number;
  maxAttempts?: number;
  /** Explicit credentials (tests); default: the standard chain, or the profile's. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Seconds between a waiter's polls (deployments). Default: the SDK's 15 s, or 0.02 s for a loopback endpoint. */
  pollDelaySeconds?: number;
}

export interface RequestCounters {
  /** HTTP requests sent, retries included. */
  sent: number;
  /** Of those, retries (attempt 2 and later). */
  retried: number;
  /** Requests sent by IAM-style action ("ecs:DescribeServices"), retries included. */
  readonly byAction: Record<string, number>;
}

export interface Aws {
  readonly ecs: ECSClient;
  readonly ec2: EC2Client;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly iam: IAMClient;
  readonly sts: STSClient;
  readonly secretsManager: SecretsManagerClient;
  readonly ecr: ECRClient;
  readonly cloudTrail: CloudTrailClient;
  readonly cloudWatch: CloudWatchClient;
  readonly logs: CloudWatchLogsClient;
  readonly xray: XRayClient;
  readonly s3: S3Client;
  /**
   * Bounded concurrency. Every SDK request attempt already passes through it (a middleware), so callers simply
   * start independent reads together; use `limit` directly only for other work, never around an SDK call.
   */
  readonly limit: Limit;
  readonly concurrency: number;
  /** The service's clock: the local clock corrected by the offset to the last response's `Date` header. */
  now(): Date;
  /** Like now(), but asks the service first when no response has been seen yet ("the last 30 minutes" needs it). */
  serviceNow(): Promise<Date>;
  readonly counters: RequestCounters;
  resetCounters(): void;
  /** The region the clients resolved. */
  region(): Promise<string>;
  /** Poll delays for the SDK's waiters, in seconds. */
  readonly waiter: { readonly minDelay: number; readonly maxDelay: number };
  /** Closes the clients' sockets. */
  destroy(): void;
}

export function createAws(options: AwsOptions = {}): Aws {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const limit = createLimit(concurrency);
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL;
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const requestTimeout = options.requestTimeoutMs ?? envTimeout() ?? DEFAULT_REQUEST_TIMEOUT_MS;
  // One provider for every client, so the chain is walked (and a profile's role assumed) once.
  const credentials =
    options.credentials ?? defaultProvider(options.profile === undefined ? {} : { profile: options.profile });
  const counters: RequestCounters = { sent: 0, retried: 0, byAction: {} };
  let offsetMs = 0;
  let clockKnown = false;

  const common = {
    ...(region === undefined ? {} : { region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    credentials,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: "standard",
    // requestTimeout alone only logs a warning in this SDK version: throwOnRequestTimeout makes a hung call fail.
    requestHandler: { requestTimeout, connectionTimeout: CONNECTION_TIMEOUT_MS, throwOnRequestTimeout: true },
    customUserAgent: [["ecs-takeover", VERSION]] as [string, string][],
  };
  // One strategy per client, as the SDK makes them: each has its own retry quota.
  const withRetry = <T extends object>(config: T) => ({
    ...config,
    retryStrategy: new TakeoverRetryStrategy(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
  });
  const instrument = <I extends object, O extends object>(prefix: string, stack: MiddlewareStack<I, O>) => {
    const counting: FinalizeRequestMiddleware<I, O> = (next, context) => async (args) => {
      const attempt = attemptOf(args.request);
      counters.sent++;
      if (attempt > 1) counters.retried++;
      const action = `${prefix}:${String(context.commandName ?? "").replace(/Command$/, "")}`;
      counters.byAction[action] = (counters.byAction[action] ?? 0) + 1;
      try {
        const result = await limit(() => next(args));
        learnClock(result.response);
        return result;
      } catch (error) {
        learnClock((error as { $response?: unknown } | undefined)?.$response);
        keepSkewRetriesForSkew(error);
        throw error;
      }
    };
    stack.addRelativeTo(counting, {
      relation: "after",
      toMiddleware: "retryMiddleware",
      name: "ecsTakeoverCounter",
      override: true,
    });
  };
  const learnClock = (response: unknown) => {
    const date = headerOf(response, "date");
    const serverTime = date === undefined ? Number.NaN : Date.parse(date);
    if (Number.isNaN(serverTime)) return;
    offsetMs = serverTime - Date.now();
    clockKnown = true;
  };

  const ecs = new ECSClient(withRetry(common));
  const ec2 = new EC2Client(withRetry(common));
  const elbv2 = new ElasticLoadBalancingV2Client(withRetry(common));
  const iam = new IAMClient(withRetry(common));
  const sts = new STSClient(withRetry(common));
  const secretsManager = new SecretsManagerClient(withRetry(common));
  const ecr = new ECRClient(withRetry(common));
  const cloudTrail = new CloudTrailClient(withRetry(common));
  const cloudWatch = new CloudWatchClient(withRetry(common));
  // Logs' GetLogObject and StartLiveTail prefix the host with "stream-": wrong for a custom endpoint.
  const logs = new CloudWatchLogsClient({ ...withRetry(common), ...(endpoint ? { disableHostPrefix: true } : {}) });
  const xray = new XRayClient(withRetry(common));
  // Virtual-host buckets need DNS per bucket: a custom endpoint (the sandbox, LocalStack) takes path style.
  const s3 = new S3Client({ ...withRetry(common), ...(endpoint ? { forcePathStyle: true } : {}) });
  instrument("ecs", ecs.middlewareStack);
  instrument("ec2", ec2.middlewareStack);
  instrument("elasticloadbalancing", elbv2.middlewareStack);
  instrument("iam", iam.middlewareStack);
  instrument("sts", sts.middlewareStack);
  instrument("secretsmanager", secretsManager.middlewareStack);
  instrument("ecr", ecr.middlewareStack);
  instrument("cloudtrail", cloudTrail.middlewareStack);
  instrument("cloudwatch", cloudWatch.middlewareStack);
  instrument("logs", logs.middlewareStack);
  instrument("xray", xray.middlewareStack);
  instrument("s3", s3.middlewareStack);
  const clients = [ecs, ec2, elbv2, iam, sts, secretsManager, ecr, cloudTrail, cloudWatch, logs, xray, s3];

  return {
    ecs,
    ec2,
    elbv2,
    iam,
    sts,
    secretsManager,
    ecr,
    cloudTrail,
    cloudWatch,
    logs,
    xray,
    s3,
    limit,
    concurrency,
    now: () => new Date(Date.now() + offsetMs),
    serviceNow: async () => {
      // Before any response the offset is unknown: one cheap, always-allowed call learns it.
      if (!clockKnown) await sts.send(new GetCallerIdentityCommand({})).catch(() => undefined);
      return new Date(Date.now() + offsetMs);
    },
    counters,
    resetCounters: () => {
      counters.sent = 0;
      counters.retried = 0;
      for (const key of Object.keys(counters.byAction)) delete counters.byAction[key];
    },
    region: () => ecs.config.region(),
    waiter: waiterDelays(options.pollDelaySeconds, endpoint),
    destroy: () => {
      for (const client of clients) client.destroy();
    },
  };
}

/** ecs-takeover's version, for the user agent. */
export const VERSION = readVersion();

function readVersion(): string {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8"));
    const version = (parsed as { version?: unknown }).version;
    return typeof version === "string" ? version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}

function envTimeout(): number | undefined {
  const value = Number(process.env.ECS_TAKEOVER_REQUEST_TIMEOUT_MS);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Errors a wrong local clock can cause: only these are worth a retry after the SDK corrects its clock offset. */
const CLOCK_SKEW_CODES = new Set([
  "RequestTimeTooSkewed",
  "RequestExpired",
  "RequestInTheFuture",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "AuthFailure",
]);

/**
 * The SDK re-measures its clock offset on every response, to the millisecond, against a Date header with one-second
 * resolution; when the skew is over four minutes (a sandbox with a fixed --clock) every error then looks
 * "skew-corrected" and is retried to maxAttempts — a not-found or a denial would cost eight requests. Only errors a
 * skewed clock can cause keep that retry.
 */
function keepSkewRetriesForSkew(error: unknown): void {
  const metadata = (error as { $metadata?: { clockSkewCorrected?: boolean } } | undefined)?.$metadata;
  if (metadata?.clockSkewCorrected && !CLOCK_SKEW_CODES.has((error as Error).name)) metadata.clockSkewCorrected = false;
}

/** The attempt number the retry middleware wrote into `amz-sdk-request: attempt=N; max=M`. */
function attemptOf(request: unknown): number {
  const value = headerOf(request, "amz-sdk-request");
  const attempt = value === undefined ? Number.NaN : Number(/attempt=(\d+)/.exec(value)?.[1]);
  return Number.isNaN(attempt) ? 1 : attempt;
}

function headerOf(message: unknown, name: string): string | undefined {
  const headers = (message as { headers?: unknown } | undefined)?.headers;
  if (typeof headers !== "object" || headers === null) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && typeof value === "string") return value;
  }
  return undefined;
}

/**
 * A local emulator's clock moves per request, not with time (DESIGN §3): polling it every 15 s would only wait. A
 * loopback endpoint is polled quickly; AWS at the SDK's own pace.
 */
function waiterDelays(seconds: number | undefined, endpoint: string | undefined) {
  if (seconds !== undefined) return { minDelay: seconds, maxDelay: Math.max(seconds, 1) };
  const host = endpoint === undefined ? "" : safeHost(endpoint);
  const loopback = host === "localhost" || host.startsWith("127.") || host === "[::1]";
  return loopback ? { minDelay: 0.02, maxDelay: 0.05 } : { minDelay: 15, maxDelay: 120 };
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}
