// What a triage looks at, as a person asks it: one service, one endpoint ("POST /something", as the access log
// writes it), a look-back ("45m") that ends at the service's now — never the local clock (DESIGN §3) — and what
// counts as slow. The result is the query metrics, logs and diagnosis functions take.

export interface TriageQuestion {
  readonly cluster: string;
  readonly service: string;
  /** "POST /something", or the path alone. */
  readonly endpoint: string;
  /** How far back to look: "45m", "2h", "1h30m". */
  readonly since: string;
  /** What counts as slow; default 1,000 ms. */
  readonly slowMs?: number;
}

export interface TriageScope {
  readonly cluster: string;
  readonly service: string;
  /** "POST /something" as given. */
  readonly endpoint: string;
  /** The method, when the endpoint names one. */
  readonly method?: string;
  /** The path the access log and the traces carry: "/something". */
  readonly path: string;
  readonly from: Date;
  readonly to: Date;
  readonly slowMs: number;
}

const MINUTE_MS = 60_000;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: MINUTE_MS, h: 60 * MINUTE_MS, d: 24 * 60 * MINUTE_MS };

/** "45m", "2h", "1h30m", "90s", "1d" in milliseconds; anything else is a RangeError saying what is expected. */
export function parseLookback(text: string): number {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)];
  const total = parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * (UNIT_MS[unit as string] ?? 0), 0);
  if (parts.length === 0 || parts.map((part) => part[0]).join("") !== trimmed || total <= 0) {
    throw new RangeError(`a look-back is a duration like 45m, 2h or 1h30m, not "${text}"`);
  }
  return total;
}

/** "POST /something" → method POST, path /something; "/something" → the path alone. */
export function parseEndpoint(text: string): { method?: string; path: string } {
  const match = /^\s*(?:([A-Za-z]+)\s+)?(\/\S*)\s*$/.exec(text);
  if (!match) throw new RangeError(`an endpoint is a path like "/something" or "POST /something", not "${text}"`);
  const [, method, path] = match;
  return method ? { method: method.toUpperCase(), path: path as string } : { path: path as string };
}

/**
 * The question as a query over the window ending at `now` — take it from `aws.serviceNow()`, the account's clock.
 * The window ends at the last whole minute: the minute still in progress has only part of its data points and
 * would draw a false dip at the end of every chart (and a rerun on the sandbox reads the same window).
 */
export function triageScope(question: TriageQuestion, now: Date): TriageScope {
  const slowMs = question.slowMs ?? 1000;
  if (!Number.isFinite(slowMs) || slowMs < 0) throw new RangeError(`slowMs must be ≥ 0: ${slowMs}`);
  const to = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  return {
    cluster: question.cluster,
    service: question.service,
    endpoint: question.endpoint.trim(),
    ...parseEndpoint(question.endpoint),
    from: new Date(to - parseLookback(question.since)),
    to: new Date(to),
    slowMs,
  };
}
