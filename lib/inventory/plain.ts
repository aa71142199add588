// SDK responses made plain for the Snapshot: Dates become ISO strings, bytes become base64, the response metadata
// and undefined members go. What JSON would give back, so a saved and loaded snapshot deep-equals the original.
import type { Plain } from "./snapshot";

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
    return out;
  }
  return value;
}
