// SDK responses made plain for the Snapshot: Dates become ISO strings, bytes become base64, the response metadata
// and undefined members go. What JSON would give back, so a saved and loaded snapshot deep-equals the original.
// Tags are free text too: a tag whose key or value looks secret keeps its key and loses its value (DESIGN §2).
import { detectSecret } from "./secret-detection";
import type { Plain } from "./snapshot";

const REDACTED = "«redacted»";

export function plain<T>(value: T): Plain<T> {
  return toPlain(value) as Plain<T>;
}

function toPlain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      if (member === undefined || key === "$metadata") continue;
      out[key] = toPlain(member);
    }
    return redactTag(out);
  }
  return value;
}

/** `{ key, value }` (ECS) or `{ Key, Value }` (EC2, ELBv2, IAM, …): the value masked when it looks secret. */
function redactTag(record: Record<string, unknown>): Record<string, unknown> {
  for (const [keyName, valueName] of [
    ["key", "value"],
    ["Key", "Value"],
  ] as const) {
    const key = record[keyName];
    const value = record[valueName];
    if (typeof key === "string" && typeof value === "string" && detectSecret(key, value).secret) {
      return { ...record, [valueName]: REDACTED };
    }
  }
  return record;
}
