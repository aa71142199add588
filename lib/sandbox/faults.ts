// `--faults`: throttling, 5xx, latency, denied and hanging actions, expired credentials — each answered the way the
// service's own wire family does, drawn from a seeded RNG so that a run can be repeated exactly.
import { AwsError, type Protocol } from "./service";

export interface FaultSpec {
  /** Fraction of calls throttled, 0..1. */
  readonly throttle: number;
  /** Fraction of calls answered with an internal (500) error, 0..1. */
  readonly error: number;
  /** Milliseconds of (real) latency added to every answer. */
  readonly latency: number;
  /** IAM actions (`ecs:DescribeTaskDefinition`, or `ecs:*`) answered as denied. */
  readonly deny: readonly string[];
  /** IAM actions never answered: the socket stays open until the sandbox stops. */
  readonly hang: readonly string[];
  /** Every call answered as made with expired credentials. */
  readonly expired: boolean;
  readonly seed: number;
}

export const NO_FAULTS: FaultSpec = { throttle: 0, error: 0, latency: 0, deny: [], hang: [], expired: false, seed: 1 };

/** Parses `throttle=0.3,error=0.1,latency=20,deny=ecs:X+iam:Y,hang=ecs:Z,expired,seed=7`. */
export function parseFaults(spec: string): FaultSpec {
  const faults = { ...NO_FAULTS, deny: [] as string[], hang: [] as string[] };
  for (const item of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [key = "", value, extra] = item.split("=");
    const bad = (why: string): never => {
      throw new Error(`--faults: "${item}" ${why}`);
    };
    if (extra !== undefined) bad("has more than one '='");
    if (key === "expired") {
      if (value !== undefined) bad("takes no value");
      faults.expired = true;
      continue;
    }
    if (value === undefined || value === "") bad("needs a value");
    const text = value ?? "";
    if (key === "throttle" || key === "error") {
      const fraction = Number(text);
      if (!/^\d*\.?\d+$/.test(text) || fraction > 1) bad("must be a fraction between 0 and 1");
      faults[key] = fraction;
    } else if (key === "latency" || key === "seed") {
      if (!/^\d+$/.test(text)) bad("must be a whole number");
      faults[key] = Number(text);
    } else if (key === "deny" || key === "hang") {
      for (const action of text.split("+")) {
        if (!/^[a-z0-9-]+:([A-Za-z0-9]+|\*)$/.test(action))
          bad(`has "${action}", not an action like ecs:DescribeServices`);
        faults[key].push(action);
      }
    } else {
      bad("is not one of throttle, error, latency, deny, hang, expired, seed");
    }
  }
  return faults;
}

export type FaultDecision =
  | { readonly kind: "none"; readonly latency: number }
  | { readonly kind: "hang" }
  | { readonly kind: "error"; readonly error: AwsError; readonly latency: number };

/** Decides each request's fault in order; two RNG draws per request keep later decisions stable. */
export class FaultInjector {
  private state: number;

  constructor(readonly spec: FaultSpec) {
    this.state = spec.seed >>> 0 || 1;
  }

  decide(action: string, protocol: Protocol, caller: string): FaultDecision {
    const throttleDraw = this.random();
    const errorDraw = this.random();
    const latency = this.spec.latency;
    const matches = (list: readonly string[]) =>
      list.some((a) => a === action || (a.endsWith(":*") && action.startsWith(a.slice(0, -1))));
    if (this.spec.expired) return { kind: "error", error: faultError("expired", protocol, action, caller), latency };
    if (matches(this.spec.hang)) return { kind: "hang" };
    if (matches(this.spec.deny)) return { kind: "error", error: faultError("deny", protocol, action, caller), latency };
    if (throttleDraw < this.spec.throttle) {
      return { kind: "error", error: faultError("throttle", protocol, action, caller), latency };
    }
    if (errorDraw < this.spec.error) {
      return { kind: "error", error: faultError("internal", protocol, action, caller), latency };
    }
    return { kind: "none", latency };
  }

  /** mulberry32: small, fast and good enough to pick faults. */
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

type FaultKind = "throttle" | "internal" | "deny" | "expired";

/** [code, status, message] per family, as each service answers (EC2 throttles with 503, X-Ray with 429, …). */
const CODES: Readonly<
  Record<Protocol, Readonly<Record<Exclude<FaultKind, "deny">, readonly [string, number, string]>>>
> = {
  awsJson1_1: {
    throttle: ["ThrottlingException", 400, "Rate exceeded"],
    internal: ["InternalFailure", 500, "The request processing has failed because of an unknown error."],
    expired: ["ExpiredTokenException", 400, "The security token included in the request is expired"],
  },
  awsJson1_0: {
    throttle: ["Throttling", 400, "Rate exceeded"],
    internal: ["InternalFailure", 500, "The request processing has failed because of an unknown error."],
    expired: ["ExpiredTokenException", 400, "The security token included in the request is expired"],
  },
  awsQuery: {
    throttle: ["Throttling", 400, "Rate exceeded"],
    internal: ["InternalFailure", 500, "The request processing has failed because of an unknown error."],
    expired: ["ExpiredToken", 403, "The security token included in the request is expired"],
  },
  ec2Query: {
    throttle: ["RequestLimitExceeded", 503, "Request limit exceeded."],
    internal: ["InternalError", 500, "An internal error has occurred"],
    expired: ["RequestExpired", 400, "Request has expired."],
  },
  restJson1: {
    throttle: ["ThrottledException", 429, "Rate exceeded"],
    internal: ["InternalFailure", 500, "The request processing has failed because of an unknown error."],
    expired: ["ExpiredTokenException", 403, "The security token included in the request is expired"],
  },
  restXml: {
    throttle: ["SlowDown", 503, "Please reduce your request rate."],
    internal: ["InternalError", 500, "We encountered an internal error. Please try again."],
    expired: ["ExpiredToken", 400, "The provided token has expired."],
  },
};

const DENIED: Readonly<Record<Protocol, readonly [string, number]>> = {
  awsJson1_1: ["AccessDeniedException", 400],
  awsJson1_0: ["AccessDenied", 403],
  awsQuery: ["AccessDenied", 403],
  ec2Query: ["UnauthorizedOperation", 403],
  restJson1: ["AccessDeniedException", 403],
  restXml: ["AccessDenied", 403],
};

/** `caller` is the ARN a denial names, as AWS does ("User: arn:aws:iam::…:user/x is not authorized …"). */
export function faultError(kind: FaultKind, protocol: Protocol, action: string, caller: string): AwsError {
  if (kind === "deny") {
    const [code, status] = DENIED[protocol];
    const detail = `User: ${caller} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
    const message = protocol === "ec2Query" ? `You are not authorized to perform this operation. ${detail}` : detail;
    return new AwsError(code, message, { status });
  }
  const [code, status, message] = CODES[protocol][kind];
  return new AwsError(code, message, { status });
}

/** A handler's unexpected exception, as the family reports an internal failure (message only, never a stack). */
export function internalError(protocol: Protocol, message: string): AwsError {
  const [code] = CODES[protocol].internal;
  return new AwsError(code, message, { status: 500 });
}
