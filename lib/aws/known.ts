// Turning AWS failures into data: a read that fails becomes `unknown` with its error code and, for a denial, the
// IAM action that was missing (DESIGN §2, fail closed). Failures of the environment itself — no credentials,
// expired credentials, an endpoint that does not answer — are told apart so the CLI can exit 3.
import type { Known } from "../inventory/snapshot";
import { redactText } from "../render/redaction";

/** Error codes each protocol family uses for a denied action. */
const DENIAL_CODES = new Set([
  "AccessDeniedException", // JSON services (ECS, ECR, Secrets Manager, Logs, CloudTrail, X-Ray)
  "AccessDenied", // awsQuery services (IAM, STS, ELBv2, CloudWatch) and S3
  "UnauthorizedOperation", // EC2
  "UnauthorizedException",
  "AuthorizationError",
]);

const EXPIRED_CODES = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "RequestExpired",
  "TokenRefreshRequired",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "AuthFailure",
]);

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "EPIPE",
  "TimeoutError",
  "RequestTimeout",
]);

export type EnvironmentProblem = "no-credentials" | "expired-credentials" | "unreachable" | "no-region";

export interface EnvironmentClassification {
  readonly problem: EnvironmentProblem;
  /** One line for people, with what to do about it. */
  readonly message: string;
}

/** The error's code as AWS or Node names it: `name` for SDK errors, `code` for socket errors. */
export function errorCode(error: unknown): string {
  if (!(error instanceof Error)) return "Error";
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && code !== "" && error.name === "Error") return code;
  const cause = (error as { cause?: unknown }).cause;
  if (error.name === "Error" && cause instanceof Error) return errorCode(cause);
  return error.name || "Error";
}

export function isDenial(error: unknown): boolean {
  return DENIAL_CODES.has(errorCode(error));
}

/** The action named in a denial message ("… is not authorized to perform: ecs:DescribeTaskDefinition …"). */
export function deniedAction(message: string): string | undefined {
  return /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/i.exec(message)?.[1];
}

/**
 * No credentials, expired or invalid credentials, an unreachable endpoint, or no region: things wrong with where
 * and as whom we run, not with what we read. `undefined` for anything else.
 */
export function classifyEnvironmentError(error: unknown): EnvironmentClassification | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = errorCode(error);
  if (error.name === "CredentialsProviderError" || /could not load credentials/i.test(error.message)) {
    return {
      problem: "no-credentials",
      message:
        "no AWS credentials found: set AWS_PROFILE or --profile, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or use --sandbox",
    };
  }
  if (EXPIRED_CODES.has(code)) {
    return {
      problem: "expired-credentials",
      message: `the AWS credentials were refused (${code}): refresh them (e.g. aws sso login) and try again`,
    };
  }
  if (/region is missing/i.test(error.message)) {
    return { problem: "no-region", message: "no AWS region: set AWS_REGION or pass --region" };
  }
  if (UNREACHABLE_CODES.has(code) || /ECONNREFUSED|ENOTFOUND|getaddrinfo|socket hang up/.test(error.message)) {
    return {
      problem: "unreachable",
      message: `the AWS endpoint did not answer (${code}): check --endpoint and the network`,
    };
  }
  return undefined;
}

/** One line, short, with nothing after the first line break: messages go into snapshots and outputs. */
export function oneLine(message: string, max = 300): string {
  const line = message.split(/\r?\n/)[0]?.trim() ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * The unknown that an error stands for, reading `action` ("ecs:DescribeTaskDefinition"). The message goes into the
 * Snapshot and every output: AWS messages may quote request values, so it passes the redaction filter first.
 */
export function unknownFrom<T>(action: string, error: unknown): Known<T> {
  const code = errorCode(error);
  const text = error instanceof Error ? error.message : String(error);
  const message = redactText(oneLine(text || code));
  if (isDenial(error)) {
    return { status: "unknown", error: code, missing: deniedAction(text) ?? action, message };
  }
  return { status: "unknown", error: code, message: `${action}: ${message}` };
}

/** Runs one read group; a failure (past the SDK's retries) becomes unknown instead of an exception. */
export async function known<T>(action: string, read: () => Promise<T>): Promise<Known<T>> {
  try {
    return { status: "known", value: await read() };
  } catch (error) {
    return unknownFrom<T>(action, error);
  }
}

export function knownValue<T>(value: T): Known<T> {
  return { status: "known", value };
}
