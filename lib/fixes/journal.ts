// The journal: one JSON line per step before and after it runs (`.takeover/journal.jsonl`), with who (STS), when (the
// service's clock), the call as planned (markers, never a resolved secret), the state before and after, and the
// calls that undo it. It is synced to disk line by line, so a process killed mid-apply leaves the story up to then.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { projectRoot } from "../project";
import { redactCredentials, redactText } from "../render/redaction";
import type { Call, Json } from "./plan";

export type JournalPhase = "started" | "applied" | "unchanged" | "failed";

export interface JournalEntry {
  readonly time: string;
  readonly identity: string;
  /** The plan's id. */
  readonly plan: string;
  /** "apply" while applying a plan; "rollback" while undoing one. */
  readonly kind: "apply" | "rollback";
  readonly check: string;
  readonly resource: string;
  readonly step: string;
  readonly title: string;
  readonly phase: JournalPhase;
  readonly call: Call;
  readonly before?: Json;
  readonly after?: Json;
  readonly output?: Json;
  /** The rollback handle: the calls that undo this step. */
  readonly undo?: readonly Call[];
  readonly error?: string;
}

export function defaultJournalPath(): string {
  return process.env.ECS_TAKEOVER_JOURNAL ?? join(projectRoot, ".takeover", "journal.jsonl");
}

/** Appends one entry and syncs it to disk before returning. */
export function appendJournal(path: string, entry: JournalEntry): void {
  mkdirSync(dirname(path), { recursive: true });
  // Belt and braces: entries hold no secret by construction. An error message may quote one (the full filter); the
  // other values are ours and structured, so only credential formats are masked there ("SecretString" is a key).
  const safe = { ...entry, ...(entry.error === undefined ? {} : { error: redactText(entry.error) }) };
  const line = `${JSON.stringify(safe, (_key, value: unknown) => (typeof value === "string" ? redactCredentials(value) : value))}\n`;
  const fd = openSync(path, "a", 0o600);
  try {
    writeSync(fd, line);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Every entry, oldest first. A line cut short by a crash mid-write is skipped. */
export function readJournal(path: string): JournalEntry[] {
  if (!existsSync(path)) return [];
  const entries: JournalEntry[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch {
      // A torn last line: the step it began is re-observed on the next run.
    }
  }
  return entries;
}
