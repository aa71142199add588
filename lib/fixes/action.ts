// What apply knows about each write action it may send: how to read the state the call changes, whether that state
// already is what the call would make it (so a second apply, or a rerun after a crash, changes nothing), what the
// step hands to later steps, and which calls undo it. One table entry per action, one file per service
// (lib/fixes/actions/<service>.ts), like the sandbox's handlers.
import type { Aws } from "../aws/client";
import type { Call, Json, ServiceName } from "./plan";

/** A step's input with every marker resolved: what the SDK command is given. */
export type ResolvedInput = Record<string, unknown>;

export interface ActionSpec {
  /** Reads what the call would change; journaled as `before` and `after`, so it must never hold a secret value. */
  readonly observe: (aws: Aws, input: ResolvedInput) => Promise<Json>;
  /** When the observed state already is what the call makes it: the step's output (the step is skipped). */
  readonly satisfied: (observed: Json, input: ResolvedInput) => Json | undefined;
  /** What later steps may use of the response (an ARN): never the whole response, which may echo a secret. */
  readonly output: (response: Record<string, unknown>, input: ResolvedInput) => Json;
  /** The calls that undo the step, from the state before it and its output. Empty: nothing to undo. */
  readonly undo: (input: ResolvedInput, before: Json, output: Json) => Call[];
  /** The IAM action(s) the call needs, for the README's apply policy (default `<prefix>:<Action>`). */
  readonly iam?: readonly string[];
}

export type ActionTable = Readonly<Record<string, ActionSpec>>;

/** IAM prefixes of the services, for the policy a fix needs. */
export const IAM_PREFIX: Readonly<Record<ServiceName, string>> = {
  ecs: "ecs",
  ec2: "ec2",
  elbv2: "elasticloadbalancing",
  iam: "iam",
  secretsManager: "secretsmanager",
  ecr: "ecr",
  cloudTrail: "cloudtrail",
  cloudWatch: "cloudwatch",
  logs: "logs",
  s3: "s3",
};

/** A JSON value from anything the SDK returned: Dates as ISO strings, undefined members dropped. */
export function toJson(value: unknown): Json {
  return JSON.parse(JSON.stringify(value ?? null)) as Json;
}

/** Canonical JSON (keys sorted) for comparing values whose members come back in any order. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) out[key] = sortKeys(member);
  }
  return out;
}

/** Two JSON texts (policies) hold the same document, whatever their key order and spacing. */
export function sameJsonText(a: Json | undefined, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  try {
    return canonical(JSON.parse(a)) === canonical(JSON.parse(b));
  } catch {
    return a === b;
  }
}

/** A member of a JSON object, or undefined. */
export function field(value: Json | undefined, key: string): Json | undefined {
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value)) return undefined;
  return (value as Record<string, Json>)[key];
}

/** The error code of an AWS SDK error ("ResourceNotFoundException"), or "". */
export function awsErrorCode(error: unknown): string {
  if (typeof error !== "object" || error === null) return "";
  const named = error as { name?: unknown; Code?: unknown; code?: unknown };
  return String(named.Code ?? named.name ?? named.code ?? "");
}

/** Runs a read whose "not found" answer means absent (null) rather than failure. */
export async function orAbsent<T>(read: () => Promise<T>, ...notFound: string[]): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (notFound.includes(awsErrorCode(error))) return null;
    throw error;
  }
}
