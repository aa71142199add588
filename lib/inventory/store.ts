// Saving and loading snapshots: atomic writes, and a version check so an old or foreign file is refused clearly.
import { readFileSync } from "node:fs";
import { UsageError } from "../errors";
import { writeFileAtomic } from "../files";
import { isRecord } from "../json";
import type { Snapshot } from "./snapshot";

export function saveSnapshot(path: string, snapshot: Snapshot): void {
  writeFileAtomic(path, `${JSON.stringify(snapshot, null, 2)}\n`);
}

export function loadSnapshot(path: string): Snapshot {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UsageError(`cannot read snapshot ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isRecord(parsed) || parsed.version !== 1 || typeof parsed.account !== "string" || !isRecord(parsed.scope)) {
    throw new UsageError(`${path} is not a version 1 snapshot`);
  }
  return parsed as unknown as Snapshot;
}
