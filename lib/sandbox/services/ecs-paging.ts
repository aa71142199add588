// ECS list paging: `maxResults` within the operation's bounds and an opaque `nextToken` that only the operation
// which issued it accepts. The token carries the offset of the next item; ECS lists are stable between pages.
import { AwsError } from "../service";

export interface PageLimits {
  /** Items per page when the caller sends no maxResults. */
  readonly default: number;
  /** The largest maxResults accepted. */
  readonly max: number;
}

/** Page sizes from the ECS API reference. */
export const PAGE_LIMITS = {
  ListClusters: { default: 100, max: 100 },
  ListServices: { default: 10, max: 100 },
  ListTasks: { default: 100, max: 100 },
  ListTaskDefinitions: { default: 100, max: 100 },
  ListTaskDefinitionFamilies: { default: 100, max: 100 },
  ListAccountSettings: { default: 10, max: 10 },
} as const satisfies Record<string, PageLimits>;

export type PagedOperation = keyof typeof PAGE_LIMITS;

export interface PageRequest {
  nextToken?: string | undefined;
  maxResults?: number | undefined;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export function page<T>(operation: PagedOperation, items: readonly T[], request: PageRequest): Page<T> {
  const limits = PAGE_LIMITS[operation];
  const size = request.maxResults ?? limits.default;
  if (!Number.isInteger(size) || size < 1 || size > limits.max) {
    throw new AwsError("InvalidParameterException", `maxResults must be between 1 and ${limits.max}.`);
  }
  const start = request.nextToken ? readToken(operation, request.nextToken) : 0;
  const end = start + size;
  const result: Page<T> = { items: items.slice(start, end) };
  if (end < items.length) result.nextToken = writeToken(operation, end);
  return result;
}

function writeToken(operation: string, offset: number): string {
  return Buffer.from(JSON.stringify({ v: 1, op: operation, offset })).toString("base64");
}

function readToken(operation: string, token: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64").toString("utf8"));
    if (typeof parsed === "object" && parsed !== null && "op" in parsed && "offset" in parsed) {
      const { op, offset } = parsed;
      if (op === operation && typeof offset === "number" && Number.isInteger(offset) && offset >= 0) return offset;
    }
  } catch {
    // An unreadable token is answered like a forged one, below.
  }
  throw new AwsError("InvalidParameterException", "Invalid nextToken.");
}
