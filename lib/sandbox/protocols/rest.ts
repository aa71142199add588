// The HTTP bindings restJson1 and restXml share: finding the operation by method, path and query literals, and
// moving members between the input/output and labels, query parameters, headers and the status code.
import type { NormalizedSchema } from "@smithy/core/schema";
import { isObject, type OperationSchema, scalarFromText } from "../schema";
import type { WireRequest } from "./types";
import { scalarText } from "./xml";

export interface RouteMatch {
  readonly operation: OperationSchema;
  readonly labels: Readonly<Record<string, string>>;
}

/** The operation whose URI pattern fits the request best (the most literal path segments and query keys). */
export function matchRoute(
  operations: Iterable<OperationSchema>,
  method: string,
  segments: readonly string[],
  query: URLSearchParams,
  accept: (operation: OperationSchema) => boolean = () => true,
): RouteMatch | undefined {
  let best: (RouteMatch & { score: number }) | undefined;
  for (const operation of operations) {
    if (!operation.http || operation.http.method !== method || !accept(operation)) continue;
    const found = matchUri(operation.http.uri, segments, query);
    if (found && (!best || found.score > best.score)) best = { operation, ...found };
  }
  return best;
}

function matchUri(
  uri: string,
  segments: readonly string[],
  query: URLSearchParams,
): { labels: Record<string, string>; score: number } | undefined {
  const [pathPart = "", queryPart = ""] = uri.split("?");
  const pattern = pathPart.split("/").filter(Boolean);
  const labels: Record<string, string> = {};
  let score = 0;
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i] ?? "";
    const label = /^\{(\w+)(\+)?\}$/.exec(part);
    if (label?.[1] && label[2]) {
      if (i >= segments.length) return undefined;
      labels[label[1]] = segments.slice(i).map(decodeURIComponent).join("/");
      return finishQuery(queryPart, query, labels, score);
    }
    const segment = segments[i];
    if (segment === undefined) return undefined;
    if (label?.[1]) labels[label[1]] = decodeURIComponent(segment);
    else if (part === segment) score += 2;
    else return undefined;
  }
  if (segments.length !== pattern.length) return undefined;
  return finishQuery(queryPart, query, labels, score);
}

function finishQuery(queryPart: string, query: URLSearchParams, labels: Record<string, string>, score: number) {
  for (const literal of queryPart.split("&").filter(Boolean)) {
    const [key = "", value] = literal.split("=");
    if (!query.has(key) || (value !== undefined && query.get(key) !== value)) return undefined;
    score += 1;
  }
  return { labels, score };
}

/** The input members carried by the URI, query string and headers. */
export function readHttpBindings(
  input: NormalizedSchema,
  request: WireRequest,
  labels: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const bound = new Set<string>();
  for (const [name, member] of input.structIterator()) {
    const traits = member.getMergedTraits();
    if (traits.httpLabel) {
      const label = labels[name];
      if (label !== undefined) out[name] = scalarFromText(member, label);
    } else if (typeof traits.httpQuery === "string") {
      bound.add(traits.httpQuery);
      const values = request.query.getAll(traits.httpQuery);
      if (values.length === 0) continue;
      out[name] = member.isListSchema()
        ? values.map((v) => scalarFromText(member.getValueSchema(), v))
        : scalarFromText(member, values[0] ?? "");
    } else if (typeof traits.httpHeader === "string") {
      const header = request.headers[traits.httpHeader.toLowerCase()];
      if (header === undefined) continue;
      out[name] = member.isListSchema()
        ? header.split(",").map((v) => scalarFromText(member.getValueSchema(), v.trim()))
        : scalarFromText(member, header);
    } else if (typeof traits.httpPrefixHeaders === "string") {
      const prefix = traits.httpPrefixHeaders.toLowerCase();
      const map: Record<string, string> = {};
      for (const [key, value] of Object.entries(request.headers)) {
        if (key.startsWith(prefix) && value !== undefined) map[key.slice(prefix.length)] = value;
      }
      if (Object.keys(map).length > 0) out[name] = map;
    }
  }
  for (const [name, member] of input.structIterator()) {
    if (!member.getMergedTraits().httpQueryParams) continue;
    const map: Record<string, string> = {};
    for (const [key, value] of request.query) if (!bound.has(key)) map[key] = value;
    out[name] = map;
  }
  return out;
}

/** The output members that travel as headers, and the status code (`httpResponseCode` or the operation's own). */
export function writeHttpBindings(
  operation: OperationSchema,
  output: unknown,
): { status: number; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  let status = operation.http?.code ?? 200;
  if (!isObject(output)) return { status, headers };
  for (const [name, member] of operation.output.structIterator()) {
    const traits = member.getMergedTraits();
    const value = output[name];
    if (value === undefined || value === null) continue;
    if (typeof traits.httpHeader === "string") {
      const text = member.isListSchema()
        ? (Array.isArray(value) ? value : [])
            .map((v) => scalarText(member.getValueSchema(), v))
            .filter((v) => v !== undefined)
            .join(", ")
        : scalarText(member, value);
      if (text !== undefined) headers[traits.httpHeader.toLowerCase()] = text;
    } else if (typeof traits.httpPrefixHeaders === "string" && isObject(value)) {
      for (const [key, v] of Object.entries(value)) {
        if (typeof v === "string") headers[`${traits.httpPrefixHeaders}${key}`.toLowerCase()] = v;
      }
    } else if (traits.httpResponseCode && typeof value === "number") {
      status = value;
    }
  }
  return { status, headers };
}

/** The member that is the whole body (`httpPayload`), if the structure has one. */
export function payloadMember(schema: NormalizedSchema): [string, NormalizedSchema] | undefined {
  for (const entry of schema.structIterator()) if (entry[1].getMergedTraits().httpPayload) return entry;
  return undefined;
}
