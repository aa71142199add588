// `--state FILE`: the sandbox state as JSON, Dates and bytes kept as tagged objects, written atomically.
import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "../files";
import type { SandboxState } from "./state";

export const STATE_VERSION = 1;

/** A `--state` file that cannot be used: not JSON, or another version. The command line makes it a usage error. */
export class StateFileError extends Error {
  override name = "StateFileError";
}

export function encodeState(state: SandboxState): string {
  return `${JSON.stringify(state, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return { $date: raw.toISOString() };
    if (raw instanceof Uint8Array) return { $bytes: Buffer.from(raw).toString("base64") };
    return value;
  })}\n`;
}

export function decodeState(text: string, source = "state"): SandboxState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_key, value: unknown) => {
      if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        const tagged = value as Record<string, unknown>;
        const keys = Object.keys(tagged);
        if (keys.length === 1 && typeof tagged.$date === "string") return new Date(tagged.$date);
        if (keys.length === 1 && typeof tagged.$bytes === "string") {
          return new Uint8Array(Buffer.from(tagged.$bytes, "base64"));
        }
      }
      return value;
    });
  } catch (error) {
    // Only where: the parser's own message quotes the file, and the state holds the account's secrets.
    const at = /at position (\d+)/.exec((error as Error).message)?.[1];
    throw new StateFileError(`${source}: not valid JSON${at ? ` (at position ${at})` : ""}`);
  }
  const version = (parsed as { version?: unknown } | null)?.version;
  if (version !== STATE_VERSION) {
    throw new StateFileError(
      `${source}: state version ${String(version)} is not the version ${STATE_VERSION} this sandbox reads`,
    );
  }
  return parsed as SandboxState;
}

export function saveState(path: string, state: SandboxState): void {
  writeFileAtomic(path, encodeState(state));
}

/** The saved state, or undefined when the file does not exist yet. */
export function loadState(path: string): SandboxState | undefined {
  if (!existsSync(path)) return undefined;
  return decodeState(readFileSync(path, "utf8"), path);
}
