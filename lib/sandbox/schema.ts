// The SDK's own schemas, walked both ways: a request as the SDK wrote it → the input object it was built from, and
// a handler's output → the JSON the SDK will read back. (The XML half of the walk is in protocols/xml.ts.)
import { NormalizedSchema } from "@smithy/core/schema";
import { AwsError } from "./service";

type SchemaRef = Parameters<typeof NormalizedSchema.of>[0];
type Json = Record<string, unknown>;

export interface OperationSchema {
  readonly name: string;
  readonly namespace: string;
  readonly input: NormalizedSchema;
  readonly output: NormalizedSchema;
  /** restJson1 / restXml binding: method, URI pattern (with `{Label}` and `?literal` parts), success code. */
  readonly http?: { readonly method: string; readonly uri: string; readonly code: number };
}

export interface ErrorShape {
  readonly name: string;
  readonly schema: NormalizedSchema;
  /** The awsQuery code and status (IAM `NoSuchEntity`, 404), when the model gives one. */
  readonly queryCode?: string;
  readonly status?: number;
  readonly fault: "client" | "server";
}

export interface ApiSchemas {
  readonly namespace: string;
  readonly operations: ReadonlyMap<string, OperationSchema>;
  /** By shape name and by awsQuery code. */
  readonly errors: ReadonlyMap<string, ErrorShape>;
}

const apis = new Map<string, ApiSchemas>();

/** Every operation and error schema a client package exports (`Op$` tuples `[9, ns, name, traits, in, out]`). */
export function apiSchemas(clientPackage: string): ApiSchemas {
  const cached = apis.get(clientPackage);
  if (cached) return cached;
  const exported = require(clientPackage) as Record<string, unknown>;
  const operations = new Map<string, OperationSchema>();
  const errors = new Map<string, ErrorShape>();
  let namespace = "";
  for (const [key, value] of Object.entries(exported)) {
    if (!key.endsWith("$") || !Array.isArray(value)) continue;
    const [tag, ns, name, traits] = value as [unknown, unknown, unknown, unknown];
    if (typeof ns !== "string" || typeof name !== "string") continue;
    if (tag === 9) {
      namespace = ns;
      operations.set(name, {
        name,
        namespace: ns,
        input: NormalizedSchema.of(value[4] as SchemaRef),
        output: NormalizedSchema.of(value[5] as SchemaRef),
        http: httpTrait(traits),
      });
    } else if (tag === -3 && !ns.startsWith("smithy.ts.sdk.synthetic")) {
      const shape = errorShape(name, value as SchemaRef, traits);
      errors.set(name, shape);
      if (shape.queryCode && !errors.has(shape.queryCode)) errors.set(shape.queryCode, shape);
    }
  }
  const api = { namespace, operations, errors };
  apis.set(clientPackage, api);
  return api;
}

function httpTrait(traits: unknown): OperationSchema["http"] {
  const http = isObject(traits) ? traits.http : undefined;
  if (!Array.isArray(http)) return undefined;
  const [method, uri, code] = http as [unknown, unknown, unknown];
  return typeof method === "string" && typeof uri === "string"
    ? { method, uri, code: typeof code === "number" ? code : 200 }
    : undefined;
}

function errorShape(name: string, ref: SchemaRef, traits: unknown): ErrorShape {
  const t = isObject(traits) ? traits : {};
  const query = Array.isArray(t.awsQueryError) ? (t.awsQueryError as unknown[]) : [];
  const status = typeof t.httpError === "number" ? t.httpError : typeof query[1] === "number" ? query[1] : undefined;
  return {
    name,
    schema: NormalizedSchema.of(ref),
    queryCode: typeof query[0] === "string" ? query[0] : undefined,
    status,
    fault: t.error === "server" ? "server" : "client",
  };
}

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** Handlers may give a Date, an ISO string or epoch seconds; the wire wants one instant. */
export function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === "number") return new Date(value * 1000);
  if (typeof value === "string" && value !== "") {
    const date = /^-?\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

/** Integers as integers (never `1e+21`), other numbers as JavaScript writes them. */
export function numberText(value: number): string {
  return Number.isInteger(value) && Math.abs(value) >= 1e21 ? BigInt(value).toString() : String(value);
}

export function toBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (typeof value === "string") return new Uint8Array(Buffer.from(value, "base64"));
  return undefined;
}

/** A scalar read from text (query string, XML, header): numbers, booleans, timestamps and blobs by the schema. */
export function scalarFromText(ns: NormalizedSchema, text: string): unknown {
  if (ns.isNumericSchema() || ns.isBigIntegerSchema() || ns.isBigDecimalSchema()) {
    const n = Number(text);
    return Number.isNaN(n) ? undefined : n;
  }
  if (ns.isBooleanSchema()) return text === "true";
  if (ns.isTimestampSchema()) return toDate(text);
  if (ns.isBlobSchema()) return toBytes(text);
  return text;
}

/** Members carried outside the body (restJson1 / restXml headers, labels, query, status). */
export function isHttpBound(member: NormalizedSchema): boolean {
  const t = member.getMergedTraits();
  return Boolean(
    t.httpHeader || t.httpLabel || t.httpQuery || t.httpQueryParams || t.httpPrefixHeaders || t.httpResponseCode,
  );
}

// ---- JSON (awsJson1_0/1_1 bodies, restJson1 bodies) ----

/**
 * A JSON request body → the SDK input (timestamps → Date, blobs → Uint8Array); `jsonName` only for restJson1. A value
 * of the wrong JSON type is the client's error, answered as the JSON services do (a 400, not a handler's crash).
 */
export function readJson(ns: NormalizedSchema, value: unknown, useJsonName: boolean): unknown {
  if (value === null || value === undefined) return undefined;
  const expected = jsonTypeOf(ns);
  if (expected !== undefined && !expected.test(value)) {
    throw new AwsError("SerializationException", `Expected ${expected.name}, got ${describeJson(value)}`);
  }
  if (ns.isStructSchema()) {
    if (!isObject(value)) return undefined;
    const out: Json = {};
    for (const [name, member] of ns.structIterator()) {
      if (isHttpBound(member)) continue;
      const key = useJsonName ? (member.getMergedTraits().jsonName ?? name) : name;
      const read = readJson(member, value[key], useJsonName);
      if (read !== undefined) out[name] = read;
    }
    return out;
  }
  if (ns.isListSchema()) {
    if (!Array.isArray(value)) return undefined;
    const item = ns.getValueSchema();
    return value.map((v) => readJson(item, v, useJsonName) ?? null);
  }
  if (ns.isMapSchema()) {
    if (!isObject(value)) return undefined;
    const item = ns.getValueSchema();
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readJson(item, v, useJsonName) ?? null]));
  }
  if (ns.isTimestampSchema()) return toDate(value);
  if (ns.isBlobSchema()) return toBytes(value);
  return value;
}

/** What a member's JSON value must be; undefined where anything goes (documents) or the reader converts. */
function jsonTypeOf(ns: NormalizedSchema): { name: string; test: (value: unknown) => boolean } | undefined {
  if (ns.isDocumentSchema() || ns.isTimestampSchema() || ns.isBlobSchema()) return undefined;
  if (ns.isStructSchema() || ns.isMapSchema()) return { name: "an object", test: isObject };
  if (ns.isListSchema()) return { name: "an array", test: Array.isArray };
  if (ns.isBooleanSchema()) return { name: "a boolean", test: (v) => typeof v === "boolean" };
  // Floats may travel as "NaN", "Infinity" or "-Infinity" (Smithy's JSON rule for the values JSON cannot hold).
  if (ns.isNumericSchema() || ns.isBigIntegerSchema() || ns.isBigDecimalSchema()) {
    return { name: "a number", test: (v) => typeof v === "number" || /^(NaN|-?Infinity)$/.test(String(v)) };
  }
  if (ns.isStringSchema()) return { name: "a string", test: (v) => typeof v === "string" };
  return undefined;
}

function describeJson(value: unknown): string {
  return Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`;
}

/** An SDK output → the JSON value the SDK will read back (timestamps as epoch seconds, blobs as base64). */
export function writeJson(ns: NormalizedSchema, value: unknown, useJsonName: boolean): unknown {
  if (value === null || value === undefined) return undefined;
  if (ns.isStructSchema()) {
    if (!isObject(value)) return undefined;
    const out: Json = {};
    for (const [name, member] of ns.structIterator()) {
      if (isHttpBound(member) || member.getMergedTraits().httpPayload) continue;
      const written = writeJson(member, value[name], useJsonName);
      if (written !== undefined) out[useJsonName ? (member.getMergedTraits().jsonName ?? name) : name] = written;
    }
    return out;
  }
  if (ns.isListSchema()) {
    if (!Array.isArray(value)) return undefined;
    const item = ns.getValueSchema();
    return value.map((v) => writeJson(item, v, useJsonName) ?? null);
  }
  if (ns.isMapSchema()) {
    if (!isObject(value)) return undefined;
    const item = ns.getValueSchema();
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      const written = writeJson(item, v, useJsonName);
      if (written !== undefined) out[k] = written;
    }
    return out;
  }
  if (ns.isTimestampSchema()) {
    const date = toDate(value);
    return date ? date.getTime() / 1000 : undefined;
  }
  if (ns.isBlobSchema()) {
    const bytes = toBytes(value);
    return bytes ? Buffer.from(bytes).toString("base64") : undefined;
  }
  if (ns.isNumericSchema()) return typeof value === "string" && value !== "" ? Number(value) : value;
  if (ns.isBooleanSchema()) return typeof value === "string" ? value === "true" : value;
  if (ns.isStringSchema()) return typeof value === "number" || typeof value === "boolean" ? String(value) : value;
  return value;
}

// ---- Form bodies (awsQuery, ec2Query) ----

/**
 * A form body → the SDK input, mirroring the SDK's query serializer: awsQuery keys are `xmlName ?? member`, lists
 * `Names.member.1`, maps `Tags.entry.1.key`; ec2Query keys are `ec2QueryName ?? Capitalised(xmlName ?? member)`
 * and every list is flattened (`GroupId.1`, `Filter.1.Value.1`).
 */
export function readForm(ns: NormalizedSchema, params: URLSearchParams, ec2: boolean): Json {
  const values = new Map<string, string>();
  const prefixes = new Set<string>();
  for (const [key, value] of params) {
    values.set(key, value);
    let dot = key.indexOf(".");
    while (dot !== -1) {
      prefixes.add(key.slice(0, dot));
      dot = key.indexOf(".", dot + 1);
    }
    prefixes.add(key);
  }
  const read = (schema: NormalizedSchema, key: string): unknown => {
    const at = (suffix: string) => (key === "" ? suffix : `${key}.${suffix}`);
    if (schema.isStructSchema()) {
      const out: Json = {};
      for (const [name, member] of schema.structIterator()) {
        const traits = member.getMergedTraits();
        const suffix = String(
          ec2 ? (traits.ec2QueryName ?? capitalise(traits.xmlName ?? name)) : (traits.xmlName ?? name),
        );
        if (!prefixes.has(at(suffix))) continue;
        const value = read(member, at(suffix));
        if (value !== undefined) out[name] = value;
      }
      return out;
    }
    if (schema.isListSchema()) {
      const item = schema.getValueSchema();
      const itemTraits = item.getMergedTraits();
      const flat = ec2 || Boolean(schema.getMergedTraits().xmlFlattened);
      const base = flat
        ? key
        : `${key}.${(ec2 ? itemTraits.ec2QueryName : undefined) ?? itemTraits.xmlName ?? "member"}`;
      const out: unknown[] = [];
      for (let i = 1; prefixes.has(`${base}.${i}`); i++) out.push(read(item, `${base}.${i}`));
      return out;
    }
    if (schema.isMapSchema()) {
      const keyName = schema.getKeySchema().getMergedTraits().xmlName ?? "key";
      const valueName = schema.getValueSchema().getMergedTraits().xmlName ?? "value";
      const base = schema.getMergedTraits().xmlFlattened ? key : `${key}.entry`;
      const out: Json = {};
      for (let i = 1; prefixes.has(`${base}.${i}`); i++) {
        const k = values.get(`${base}.${i}.${keyName}`);
        if (k !== undefined) out[k] = read(schema.getValueSchema(), `${base}.${i}.${valueName}`);
      }
      return out;
    }
    const text = values.get(key);
    return text === undefined ? undefined : scalarFromText(schema, text);
  };
  const input = read(ns, "");
  return isObject(input) ? input : {};
}

function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
