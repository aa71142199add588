// Documentation generated from the checks themselves, so the README can never drift from the code: the table of
// checks, and the read-only IAM policy an audit needs.
import { DISCOVERY_READS } from "../inventory/reads";
import { type Check, PILLARS, SEVERITIES } from "./check";

export function checksTable(checks: readonly Check[]): string {
  const rows = [...checks].sort(
    (a, b) =>
      PILLARS.indexOf(a.meta.pillar) - PILLARS.indexOf(b.meta.pillar) ||
      SEVERITIES.indexOf(b.meta.severity) - SEVERITIES.indexOf(a.meta.severity) ||
      a.meta.id.localeCompare(b.meta.id),
  );
  const lines = ["| id | pillar | severity | what it finds | fix | reference |", "|---|---|---|---|---|---|"];
  for (const { meta } of rows) {
    const fix = meta.fix ? (meta.fix.manual ? "plan only" : "yes") : "—";
    const reference = meta.references
      .map((r) => (r.url ? `[${r.label}](${r.url})` : r.label))
      .join(", ")
      .replace(/\|/g, "\\|");
    lines.push(
      `| \`${meta.id}\` | ${meta.pillar} | ${meta.severity} | ${meta.title.replace(/\|/g, "\\|")} | ${fix} | ${reference} |`,
    );
  }
  return lines.join("\n");
}

/** The read-only policy an audit needs: every action discovery may call and every action a check reads. */
export function auditPolicy(checks: readonly Check[]): { Version: string; Statement: unknown[] } {
  const actions = new Set<string>(DISCOVERY_READS);
  for (const check of checks) for (const action of check.meta.reads) actions.add(action);
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "EcsTakeoverAuditReadOnly", Effect: "Allow", Action: [...actions].sort(), Resource: "*" }],
  };
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceSection(document: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from < 0 || to < from) throw new Error(`the document has no ${start} … ${end} section`);
  return `${document.slice(0, from + start.length)}\n${content}\n${document.slice(to)}`;
}
