// What every EC2 Describe* shares: filters with wildcards, ids looked up with EC2's error codes, NextToken paging
// and DryRun. Each operation supplies a table of filter name → the item's values for that filter.
import type { Filter, Tag } from "@aws-sdk/client-ec2";
import { AwsError } from "../service";

/** The values an item has for one filter name; booleans and numbers are compared as EC2 prints them. */
export type FilterValues<T> = (
  item: T,
) => ReadonlyArray<string | number | boolean | undefined> | string | number | boolean | undefined;

/** Filter name → values. `tag:<key>`, `tag-key` and `tag-value` come free for items with tags. */
export type FilterTable<T> = Readonly<Record<string, FilterValues<T>>>;

/**
 * EC2's wildcard (`*` any run of characters, `?` exactly one, `\` escapes the next; case-sensitive), compiled once:
 * plain text is compared as is, anything else becomes one regular expression.
 */
export function compileWildcard(pattern: string): (value: string) => boolean {
  if (!/[*?\\]/.test(pattern)) return (value) => value === pattern;
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "\\" && i + 1 < pattern.length) {
      source += escapeRegExp(pattern[++i] as string);
    } else if (c === "*") {
      source += "[\\s\\S]*";
    } else if (c === "?") {
      source += "[\\s\\S]";
    } else {
      source += escapeRegExp(c);
    }
  }
  const regex = new RegExp(`^${source}$`);
  return (value) => regex.test(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function asStrings(values: ReturnType<FilterValues<unknown>>): string[] {
  const list = Array.isArray(values) ? values : [values];
  return list.filter((v) => v !== undefined && v !== null).map((v) => String(v));
}

/**
 * Keeps the items that pass every filter (filters AND, values of one filter OR). An unknown filter name is
 * answered as EC2 does, with InvalidParameterValue.
 */
export function applyFilters<T>(
  items: readonly T[],
  filters: readonly Filter[] | undefined,
  table: FilterTable<T>,
  tagsOf?: (item: T) => readonly Tag[] | undefined,
): T[] {
  if (!filters || filters.length === 0) return [...items];
  const tests = filters.map((filter) => filterTest(filter, table, tagsOf));
  return items.filter((item) => tests.every((test) => test(item)));
}

function filterTest<T>(
  filter: Filter,
  table: FilterTable<T>,
  tagsOf: ((item: T) => readonly Tag[] | undefined) | undefined,
): (item: T) => boolean {
  const name = filter.Name ?? "";
  const patterns = filter.Values ?? [];
  const matchers = patterns.map(compileWildcard); // once per request, not once per item and value
  const matchesAny = (values: string[]) => values.some((v) => matchers.some((matches) => matches(v)));
  if (tagsOf && name.startsWith("tag:")) {
    const key = name.slice(4);
    return (item) => matchesAny((tagsOf(item) ?? []).filter((t) => t.Key === key).map((t) => t.Value ?? ""));
  }
  if (tagsOf && name === "tag-key") return (item) => matchesAny((tagsOf(item) ?? []).map((t) => t.Key ?? ""));
  if (tagsOf && name === "tag-value") return (item) => matchesAny((tagsOf(item) ?? []).map((t) => t.Value ?? ""));
  const values = Object.hasOwn(table, name) ? table[name] : undefined;
  if (!values) throw new AwsError("InvalidParameterValue", `The filter '${name}' is invalid`);
  return (item) => matchesAny(asStrings(values(item)));
}

/** How a resource type's ids look and what EC2 answers when one is missing or malformed. */
export interface IdKind {
  readonly prefix: string;
  /** The request member that names one, for MissingParameter. */
  readonly parameter: string;
  readonly notFound: string;
  readonly malformed: string;
  /** The message for a missing id, as EC2 words it. */
  readonly message: (id: string) => string;
}

export const ID_KINDS = {
  vpc: {
    prefix: "vpc",
    parameter: "VpcId",
    notFound: "InvalidVpcID.NotFound",
    malformed: "InvalidVpcID.Malformed",
    message: (id) => `The vpc ID '${id}' does not exist`,
  },
  subnet: {
    prefix: "subnet",
    parameter: "SubnetId",
    notFound: "InvalidSubnetID.NotFound",
    malformed: "InvalidSubnetID.Malformed",
    message: (id) => `The subnet ID '${id}' does not exist`,
  },
  routeTable: {
    prefix: "rtb",
    parameter: "RouteTableId",
    notFound: "InvalidRouteTableID.NotFound",
    malformed: "InvalidRouteTableId.Malformed",
    message: (id) => `The routeTable ID '${id}' does not exist`,
  },
  securityGroup: {
    prefix: "sg",
    parameter: "GroupId",
    notFound: "InvalidGroup.NotFound",
    malformed: "InvalidGroupId.Malformed",
    message: (id) => `The security group '${id}' does not exist`,
  },
  securityGroupRule: {
    prefix: "sgr",
    parameter: "SecurityGroupRuleId",
    notFound: "InvalidSecurityGroupRuleId.NotFound",
    malformed: "InvalidSecurityGroupRuleId.Malformed",
    message: (id) => `The security group rule ID '${id}' does not exist`,
  },
  networkInterface: {
    prefix: "eni",
    parameter: "NetworkInterfaceId",
    notFound: "InvalidNetworkInterfaceID.NotFound",
    malformed: "InvalidNetworkInterfaceID.Malformed",
    message: (id) => `The networkInterface ID '${id}' does not exist`,
  },
  vpcEndpoint: {
    prefix: "vpce",
    parameter: "VpcEndpointId",
    notFound: "InvalidVpcEndpointId.NotFound",
    malformed: "InvalidVpcEndpointId.Malformed",
    message: (id) => `The Vpc Endpoint Id '${id}' does not exist`,
  },
} as const satisfies Record<string, IdKind>;

/** A fresh id in AWS's long format: prefix, dash, 17 lowercase hex characters. */
export function newId(ids: { hex(length: number): string }, prefix: string): string {
  return `${prefix}-${ids.hex(17)}`;
}

/** Throws EC2's Malformed error for an id that cannot be of this kind. */
export function checkIdFormat(kind: IdKind, id: string): void {
  if (!new RegExp(`^${kind.prefix}-[0-9a-f]{8}([0-9a-f]{9})?$`).test(id)) {
    throw new AwsError(kind.malformed, `Invalid id: "${id}" (expecting "${kind.prefix}-...")`);
  }
}

/**
 * The items with the requested ids, in the order stored; a malformed or missing id fails the whole request as
 * EC2 does (naming every missing id).
 */
export function selectByIds<T>(
  items: readonly T[],
  ids: readonly string[] | undefined,
  idOf: (item: T) => string | undefined,
  kind: IdKind,
): T[] {
  if (!ids || ids.length === 0) return [...items];
  for (const id of ids) checkIdFormat(kind, id);
  const wanted = new Set(ids);
  const found = items.filter((item) => wanted.has(idOf(item) ?? ""));
  const seen = new Set(found.map(idOf));
  const missing = [...wanted].filter((id) => !seen.has(id));
  if (missing.length > 0) throw new AwsError(kind.notFound, kind.message(missing.join(", ")));
  return found;
}

/** The one item with this id, or EC2's NotFound error. */
export function findById<T>(
  items: readonly T[],
  id: string | undefined,
  idOf: (item: T) => string | undefined,
  kind: IdKind,
): T {
  if (!id) throw new AwsError("MissingParameter", `The request must contain the parameter ${kind.parameter}`);
  checkIdFormat(kind, id);
  const item = items.find((candidate) => idOf(candidate) === id);
  if (!item) throw new AwsError(kind.notFound, kind.message(id));
  return item;
}

/** Answers a DryRun request that would have succeeded, as EC2 does: an error with status 412. */
export function dryRun(input: { DryRun?: boolean | undefined }): void {
  if (input.DryRun) {
    throw new AwsError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", { status: 412 });
  }
}

/** The MaxResults range each paginated operation accepts (from the EC2 API reference). */
export interface PageLimits {
  readonly min: number;
  readonly max: number;
}

interface PageToken {
  readonly op: string;
  readonly offset: number;
}

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token), "utf8").toString("base64");
}

function decodeToken(op: string, text: string): number {
  try {
    const token: unknown = JSON.parse(Buffer.from(text, "base64").toString("utf8"));
    if (
      typeof token === "object" &&
      token !== null &&
      "op" in token &&
      token.op === op &&
      "offset" in token &&
      typeof token.offset === "number" &&
      Number.isInteger(token.offset) &&
      token.offset >= 0
    ) {
      return token.offset;
    }
  } catch {
    // falls through to the error below
  }
  throw new AwsError("InvalidPaginationToken", `Invalid pagination token: ${text}`);
}

/**
 * One page of `items`, as EC2 pages: without MaxResults everything (from NextToken on) is returned; with it, at
 * most MaxResults and a NextToken when more remain. The token is opaque and tied to the operation.
 */
export function paginate<T>(
  op: string,
  items: readonly T[],
  input: { MaxResults?: number | undefined; NextToken?: string | undefined },
  limits: PageLimits,
): { page: T[]; NextToken?: string } {
  const max = input.MaxResults;
  if (max !== undefined && (max < limits.min || max > limits.max || !Number.isInteger(max))) {
    throw new AwsError(
      "InvalidParameterValue",
      `Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between ${limits.min} and ${limits.max}.`,
    );
  }
  const start = input.NextToken ? decodeToken(op, input.NextToken) : 0;
  const end = max === undefined ? items.length : Math.min(items.length, start + max);
  const page = items.slice(start, end);
  return end < items.length ? { page, NextToken: encodeToken({ op, offset: end }) } : { page };
}

/** EC2 refuses explicit ids together with MaxResults for some operations (e.g. DescribeNetworkInterfaces). */
export function refuseIdsWithMaxResults(
  parameter: string,
  ids: readonly string[] | undefined,
  maxResults: number | undefined,
): void {
  if (ids && ids.length > 0 && maxResults !== undefined) {
    throw new AwsError(
      "InvalidParameterCombination",
      `The parameter ${parameter} cannot be used with the parameter maxResults`,
    );
  }
}
