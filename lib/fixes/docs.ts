// Documentation generated from the fixes themselves: what each fix changes, and the IAM policy that applying them
// needs (every write a fix or its rollback may send, the reads apply and verify make, and an audit's reads).
import type { Check } from "../checks/check";
import { auditPolicy } from "../checks/docs";
import { IAM_PREFIX } from "./action";
import { ACTIONS } from "./action-table";
import type { Fix } from "./fix";
import type { ServiceName } from "./plan";

export function fixesTable(fixes: readonly Fix[], checks: readonly Check[]): string {
  const lines = ["| fix | what it fixes | applies | what it may call |", "|---|---|---|---|"];
  for (const fix of fixes) {
    const meta = checks.find((check) => check.meta.id === fix.id)?.meta;
    const applies = meta?.fix?.manual ? "plan only" : "yes";
    const writes = fix.writes.length > 0 ? [...new Set(fix.writes)].map((w) => `\`${w}\``).join(", ") : "nothing";
    lines.push(`| \`${fix.id}\` | ${(meta?.title ?? "").replace(/\|/g, "\\|")} | ${applies} | ${writes} |`);
  }
  return lines.join("\n");
}

/** Every IAM action the apply table may need, with its observe reads. */
export function applyActions(fixes: readonly Fix[]): string[] {
  const actions = new Set<string>(["sts:GetCallerIdentity"]);
  for (const fix of fixes) for (const write of fix.writes) actions.add(write);
  for (const [service, table] of Object.entries(ACTIONS) as [ServiceName, (typeof ACTIONS)[ServiceName]][]) {
    for (const [action, spec] of Object.entries(table)) {
      for (const needed of spec.iam ?? [`${IAM_PREFIX[service]}:${action}`]) actions.add(needed);
    }
  }
  return [...actions].sort();
}

/** The policy for `fix --apply` and rollback: the audit's reads (apply reads everything again first) and the writes. */
export function applyPolicy(
  fixes: readonly Fix[],
  checks: readonly Check[],
): { Version: string; Statement: unknown[] } {
  const audit = auditPolicy(checks).Statement[0] as { Action: string[] };
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "EcsTakeoverAuditReadOnly", Effect: "Allow", Action: audit.Action, Resource: "*" },
      { Sid: "EcsTakeoverApplyFixes", Effect: "Allow", Action: applyActions(fixes), Resource: "*" },
    ],
  };
}
