// What the reliability cases share: an audit run in-process exactly as `ecs-takeover audit` runs it (startSandbox,
// createAws, discover, audit), verdicts in a comparable form, and figures for the report.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TaskMeta } from "vitest";
import { createAws } from "../../lib/aws/client";
import type { Finding } from "../../lib/checks/check";
import { CHECKS } from "../../lib/checks/registry";
import { type AuditReport, audit } from "../../lib/checks/report";
import { discover } from "../../lib/inventory/discover";
import { type SandboxOptions, startSandbox } from "../../lib/sandbox/server";

export const CLOCK = "2026-11-28T00:00:00Z";
/** One redaction key for the whole suite, outside the project's own `.takeover/`. */
export const KEY_DIR = mkdtempSync(join(tmpdir(), "takeover-reliability-"));
export const KEY_PATH = join(KEY_DIR, "key");
export const DUMMY_CREDENTIALS = {
  accessKeyId: "AKIASANDBOXEXAMPLE00",
  secretAccessKey: "sandbox-only-not-a-real-key",
};

export interface AuditRun {
  readonly report: AuditReport;
  /** IAM actions discovery sent, retries included, e.g. { "ecs:DescribeServices": 1 }. */
  readonly byAction: Readonly<Record<string, number>>;
  readonly sent: number;
  readonly retried: number;
  readonly ms: number;
}

/** An audit of my-cluster on a sandbox started for it, through createAws with the CLI's defaults. */
export async function auditInProcess(
  sandboxOptions: SandboxOptions,
  awsOptions: { requestTimeoutMs?: number } = {},
): Promise<AuditRun> {
  const sandbox = await startSandbox({ clock: CLOCK, ...sandboxOptions });
  const aws = createAws({
    endpoint: sandbox.endpoint,
    region: "ap-northeast-1",
    credentials: DUMMY_CREDENTIALS,
    ...awsOptions,
  });
  const started = Date.now();
  try {
    const snapshot = await discover(aws, { cluster: "my-cluster", keyPath: KEY_PATH });
    return {
      report: audit(snapshot, CHECKS),
      byAction: { ...aws.counters.byAction },
      sent: aws.counters.sent,
      retried: aws.counters.retried,
      ms: Date.now() - started,
    };
  } finally {
    aws.destroy();
    await sandbox.stop();
  }
}

/** `check resource status`, one line per verdict, sorted: two audits agree when these are equal. */
export function verdictLines(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.check.id} ${f.resource} ${f.status}`).sort();
}

/** The verdicts of one check, as `resource status` lines. */
export function linesOf(findings: readonly Finding[], check: string): string[] {
  return findings
    .filter((f) => f.check.id === check)
    .map((f) => `${f.resource} ${f.status}`)
    .sort();
}

/** Records a line for the reliability report. */
export function figure(meta: TaskMeta, line: string): void {
  meta.figures = [...(meta.figures ?? []), line];
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
