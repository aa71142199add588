// An audit's result: every check run over one snapshot, the summary, and the exit decision of DESIGN §8.
import type { Snapshot } from "../inventory/snapshot";
import { type Check, type Finding, SEVERITIES, type Severity } from "./check";

export interface AuditReport {
  readonly account: string;
  readonly region: string;
  readonly scope: { readonly cluster: string; readonly service?: string };
  readonly takenAt: string;
  readonly findings: readonly Finding[];
  readonly summary: { readonly fail: number; readonly pass: number; readonly unknown: number };
}

/** Runs the checks; a check that throws is a bug, reported as unknown for its scope rather than crashing the audit. */
export function audit(snapshot: Snapshot, checks: readonly Check[]): AuditReport {
  const findings: Finding[] = checks.flatMap((check) => {
    try {
      return check.run(snapshot).map((verdict) => ({ ...verdict, check: check.meta }));
    } catch (error) {
      const reason = `the check failed: ${error instanceof Error ? error.message : String(error)}`;
      return [{ status: "unknown" as const, resource: snapshot.scope.cluster, reason, check: check.meta }];
    }
  });
  const count = (status: Finding["status"]) => findings.filter((finding) => finding.status === status).length;
  return {
    account: snapshot.account,
    region: snapshot.region,
    scope: snapshot.scope,
    takenAt: snapshot.takenAt,
    findings,
    summary: { fail: count("fail"), pass: count("pass"), unknown: count("unknown") },
  };
}

export type FailOn = Severity | "none";

/**
 * Whether the audit should exit 1: a failure at or above `failOn`; with `unknown: "fail"` an unknown counts as a
 * failure of its check's severity (fail closed). `failOn: "none"` never fails.
 */
export function failsThreshold(report: AuditReport, failOn: FailOn, unknown: "fail" | "ignore"): boolean {
  if (failOn === "none") return false;
  const threshold = SEVERITIES.indexOf(failOn);
  return report.findings.some(
    (finding) =>
      (finding.status === "fail" || (finding.status === "unknown" && unknown === "fail")) &&
      SEVERITIES.indexOf(finding.check.severity) >= threshold,
  );
}
