// The takeover's steps as a runbook shows them (lib/fixes/walkthrough.ts): what was found, the plan, what apply did,
// what the checks say now, and — for the handover — what the journal says was changed, the audit by pillar and what
// is left. Each function returns one notebook display (Markdown for notebooks and exports, text for terminals) and
// is pure, except `applyProgress`, which draws a line that updates in place while a plan is applied.
import { type Finding, PILLARS } from "../checks/check";
import type { AuditReport } from "../checks/report";
import type { StepEvent } from "../fixes/apply";
import { LEAST_PRIVILEGE_POLICY } from "../fixes/iam/task-role";
import type { JournalEntry } from "../fixes/journal";
import { type Change, needsPerson, type Plan } from "../fixes/plan";
import {
  fixCommand,
  type JournaledPlan,
  type StepOutcome,
  type StepResult,
  type StepReview,
} from "../fixes/walkthrough";
import type { MimeBundle } from "./display";
import { progress } from "./display";
import { ordered } from "./findings";
import { applicableSteps, displayInput, planMarkdown } from "./plans";
import { redactText } from "./redaction";
import { type Row, table, tableBundle } from "./tables";

const STATUS: Readonly<Record<Finding["status"], string>> = { fail: "✖ fail", unknown: "? unknown", pass: "✔ pass" };
const TASK_ROLE_CHECKS = ["task-role-admin", "task-role-broad"];

/** A Markdown display: rendered by Jupyter, kept as is by the export, readable as text in a terminal. */
export function markdownBundle(markdown: string): MimeBundle {
  const safe = redactText(markdown);
  return { "text/markdown": safe, "text/plain": safe };
}

/** What a finding says: the detail, or why it could not be judged. */
export function findingText(finding: Finding): string {
  if (finding.status === "unknown") {
    return `could not be judged: ${finding.reason}${finding.missing ? ` (needs ${finding.missing})` : ""}`;
  }
  return finding.detail ?? "";
}

/**
 * The step's checks as found: one row per resource judged — failures, then what could not be judged, then passes,
 * each most severe first — and a row for a check with nothing to judge.
 */
export function findingRows(review: Pick<StepReview, "checks" | "findings">): Row[] {
  const rank = { fail: 0, unknown: 1, pass: 2 } as const;
  const sorted = ordered(review.findings).sort((a, b) => rank[a.status] - rank[b.status]);
  const rows: Row[] = sorted.map((finding) => ({
    "": STATUS[finding.status],
    check: finding.check.id,
    severity: finding.check.severity,
    resource: finding.resource,
    "what was found": findingText(finding),
  }));
  for (const check of review.checks) {
    if (review.findings.some((finding) => finding.check.id === check)) continue;
    rows.push({ "": "—", check, severity: null, resource: null, "what was found": "nothing here for it to judge" });
  }
  return rows;
}

export function findingsBundle(review: Pick<StepReview, "checks" | "findings">): MimeBundle {
  return tableBundle(findingRows(review));
}

/** One line on what the checks found: "4 of 5 checks fail; 1 cannot be judged." */
export function findingsSummary(review: Pick<StepReview, "checks" | "findings">): string {
  const checksWith = (status: Finding["status"]) =>
    new Set(review.findings.filter((f) => f.status === status).map((f) => f.check.id)).size;
  const failing = checksWith("fail");
  const unknown = checksWith("unknown");
  const total = review.checks.length;
  if (failing === 0 && unknown === 0) {
    const idle = review.checks.filter((check) => !review.findings.some((f) => f.check.id === check)).length;
    return `Nothing fails: ${total - idle} of ${total} checks pass${idle > 0 ? `, ${idle} have nothing here to judge` : ""}.`;
  }
  return [failing > 0 ? `${failing} of ${total} checks fail` : "", unknown > 0 ? `${unknown} cannot be judged` : ""]
    .filter((part) => part !== "")
    .join("; ")
    .concat(".");
}

/** The plan: how many steps, what needs a person, then every change with its steps, outcome, risk and rollback. */
export function planBundle(plan: Plan): MimeBundle {
  if (plan.changes.length === 0) return markdownBundle("**Nothing to change** in this step: its checks pass.");
  const automatic = plan.changes.filter((c) => !needsPerson(c));
  const manual = plan.changes.filter(needsPerson);
  const steps = applicableSteps(plan).length;
  const lead = [
    steps > 0
      ? `**Plan \`${plan.id}\`: ${steps} ${plural(steps, "step")} in ${automatic.length} ${plural(automatic.length, "change")}**`
      : `**Plan \`${plan.id}\`: nothing this tool can apply**`,
    manual.length > 0 ? ` — and ${manual.length} ${plural(manual.length, "change")} only a person can make` : "",
    `, from what was read at ${plan.basedOn}. Nothing has changed yet.`,
  ].join("");
  return markdownBundle(`${lead}\n\n${planMarkdown(plan)}`);
}

/**
 * The least-privilege policy proposed for a task role, pretty-printed for review, with what it was inferred from.
 * Empty when the plan replaces no task role's permissions.
 */
export function inferredPolicyMarkdown(plan: Plan): string {
  const parts: string[] = [];
  for (const change of plan.changes.filter((c) => TASK_ROLE_CHECKS.includes(c.check))) {
    const put = change.steps.find(
      (step) => step.call.action === "PutRolePolicy" && step.call.input.PolicyName === LEAST_PRIVILEGE_POLICY,
    );
    parts.push(`#### Proposed for ${change.resource}${change.manual ? " (not applicable as is)" : ""}`, "");
    if (put) {
      const role = String(put.call.input.RoleName ?? change.resource);
      const document = put.call.input.PolicyDocument;
      parts.push(
        `Inline policy \`${LEAST_PRIVILEGE_POLICY}\` on role \`${role}\`, **inferred — review it before applying**:`,
        "",
        "```json",
        JSON.stringify(document === undefined ? null : displayInput(document), null, 2),
        "```",
        "",
      );
    }
    // The proposal's one-line JSON is shown pretty above; its evidence and gaps are kept as written.
    const notes = change.notes.filter((note) => !(put && note.startsWith("INFERRED")));
    for (const note of notes) parts.push(`- ${note}`);
    parts.push("");
  }
  return parts.join("\n").trim();
}

export function inferredPolicyBundle(plan: Plan): MimeBundle {
  const markdown = inferredPolicyMarkdown(plan);
  return markdownBundle(
    markdown === "" ? "No task role needs a least-privilege policy here: none is an administrator or broad." : markdown,
  );
}

/** What apply did: nothing (and how to apply), the steps it carried out, or why it stopped. */
export function appliedMarkdown(result: StepResult): string {
  const outcome = result.outcome;
  switch (outcome.status) {
    case "nothing-to-apply":
      return result.plan.changes.length === 0
        ? "**Nothing to apply**: every check of this step passes."
        : "**Nothing to apply**: what is left in the plan needs a person (see its notes above). This tool changes none of it.";
    case "not-asked":
      return [
        "**Nothing was changed**: `apply` is `false`, so this runbook only read the account and showed the plan.",
        "",
        "To apply it, set `apply = true` in the parameters cell and run the notebook again (each step reads the account",
        "afresh and plans again), or run from a terminal, with the same profile and region:",
        "",
        "```sh",
        fixCommand(result.plan),
        "```",
      ].join("\n");
    case "refused":
      return [
        "**The plan was refused; nothing was changed.** Something it relied on changed since it was read:",
        "",
        ...outcome.reasons.map((reason) => `- ${reason}`),
        "",
        "Run this step again from its first cell: it reads the account afresh and plans again.",
      ].join("\n");
    case "applied":
    case "failed": {
      const applied = outcome.steps.filter((s) => s.status === "applied").length;
      const already = outcome.steps.filter((s) => s.status === "unchanged").length;
      const lines = [
        `**Applied ${applied} ${plural(applied, "step")}**${already > 0 ? `; ${already} ${already === 1 ? "was" : "were"} already as planned` : ""}. ` +
          "Each is in the journal, with how to undo it (see `04-handover`).",
        "",
        table(
          outcome.steps.map((s) => ({
            check: s.check,
            step: s.title,
            result:
              s.status === "unchanged"
                ? "already done"
                : s.status === "failed"
                  ? `✖ failed: ${s.error ?? ""}`
                  : "✔ applied",
          })),
        ).markdown,
      ];
      if (outcome.failed) {
        lines.push(
          "",
          `**Step \`${outcome.failed.step}\` failed**: ${outcome.failed.error}`,
          "",
          "Apply stopped there; the steps before it stay applied and journaled. Fix the cause and run this step again " +
            "(it resumes: what is done is skipped), or roll the plan back (`04-handover` shows how).",
        );
      }
      return lines.join("\n");
    }
  }
}

export function appliedBundle(result: StepResult): MimeBundle {
  return markdownBundle(appliedMarkdown(result));
}

/** The checks the step touched, judged again: one row per resource of a check that failed before or fails now. */
export function verificationRows(result: StepResult): Row[] {
  const touched = new Set(
    [...result.findings, ...result.after].filter((f) => f.status !== "pass").map((f) => f.check.id),
  );
  return ordered(result.after.filter((f) => touched.has(f.check.id))).map((finding) => ({
    check: finding.check.id,
    resource: finding.resource,
    now: STATUS[finding.status],
    "what the check says": findingText(finding),
  }));
}

/** The verification: each check passing, or why not, and what a person must still decide. */
export function verificationMarkdown(result: StepResult): string {
  const outcome = result.outcome.status;
  const failing = result.after.filter((f) => f.status !== "pass").length;
  if (outcome === "not-asked" || outcome === "refused") {
    return (
      "**Nothing was applied, so there is nothing to verify**: the findings above still stand" +
      `${failing > 0 ? ` (${failing} ${plural(failing, "resource")} not passing)` : ""}.`
    );
  }
  const rows = verificationRows(result);
  const lines: string[] = [];
  if (rows.length === 0) {
    lines.push("✔ **Every check of this step passes.**");
  } else {
    const verified = new Set(result.after.filter((f) => f.status === "pass").map((f) => f.check.id));
    for (const f of result.after) if (f.status !== "pass") verified.delete(f.check.id);
    const fixed = [...verified].filter((check) => rows.some((row) => row.check === check));
    lines.push(
      outcome === "nothing-to-apply"
        ? "Nothing was applied; the checks stand as found:"
        : `Read again after applying${fixed.length > 0 ? ` — **verified: ${fixed.map((c) => `\`${c}\``).join(", ")}**` : ""}:`,
      "",
      table(rows).markdown,
    );
  }
  const left = leftChangesMarkdown(result.left);
  if (left !== "") lines.push("", "**Still to do** (nothing here is changed by this tool until you act):", "", left);
  return lines.join("\n");
}

export function verificationBundle(result: StepResult): MimeBundle {
  return markdownBundle(verificationMarkdown(result));
}

/** What is left in a plan, change by change: a person's decisions with their notes, and fixes not yet applied. */
export function leftChangesMarkdown(plan: Plan): string {
  const lines: string[] = [];
  for (const change of plan.changes) {
    if (change.check === "deploy") continue;
    lines.push(`- **${change.check}** — ${change.resource}: ${change.title}${leftNote(plan, change)}`);
    if (needsPerson(change)) for (const note of change.notes) lines.push(`  - ${note}`);
  }
  return lines.join("\n");
}

function leftNote(plan: Plan, change: Change): string {
  if (change.manual) return " *(plan only: a person decides)*";
  if (needsPerson(change)) return " *(cannot be planned yet: see why)*";
  return ` *(fixable: \`${fixCommand({ ...plan, changes: [change] })}\`)*`;
}

/**
 * A line that updates in place while a plan is applied (on AWS a deployment takes minutes), then says what was done.
 * Spread it into `completeStep`'s options; it shows nothing when nothing is applied.
 */
export function applyProgress(plan: Plan): {
  onStep: (event: StepEvent) => void;
  onDone: (outcome: StepOutcome) => void;
} {
  const total = applicableSteps(plan).length;
  const line = progress("Applying the plan", total);
  let done = 0;
  return {
    onStep: (event) => {
      if (event.status === "applied" || event.status === "unchanged" || event.status === "failed") done++;
      if (event.status === "applying") line.update(done, event.step.title);
      if (event.status === "waiting") {
        line.update(done, `waiting for the deployment of ${event.step.waitForService?.service ?? "the service"}`);
      }
    },
    onDone: (outcome) => {
      if (outcome.status !== "applied" && outcome.status !== "failed") return;
      const applied = outcome.steps.filter((s) => s.status === "applied").length;
      line.finish(
        outcome.status === "failed"
          ? `stopped at a failed step, after ${applied} applied`
          : `${applied} ${plural(applied, "step")} applied, ${outcome.steps.length - applied} already as planned`,
      );
    },
  };
}

/** One row per step of a runbook: what did not pass when read, what was applied, what does not pass now. */
export function stepsSummaryRows(steps: Readonly<Record<string, StepResult>>): Row[] {
  const notPassing = (findings: readonly Finding[]) =>
    [...new Set(ordered(findings.filter((f) => f.status !== "pass")).map((f) => f.check.id))].join(", ") || "—";
  return Object.entries(steps).map(([name, result]) => {
    const outcome = result.outcome;
    const applied =
      outcome.status === "applied" || outcome.status === "failed"
        ? `${outcome.steps.filter((s) => s.status === "applied").length}${outcome.status === "failed" ? " (then a step failed)" : ""}`
        : outcome.status === "not-asked"
          ? "not asked (apply = false)"
          : outcome.status === "refused"
            ? "refused: plan again"
            : "nothing to apply";
    return {
      step: name,
      "not passing when read": notPassing(result.findings),
      "steps applied": applied,
      "not passing now": notPassing(result.after),
      "changes left to a person": result.left.changes.filter(needsPerson).length,
    };
  });
}

export function stepsSummaryBundle(steps: Readonly<Record<string, StepResult>>): MimeBundle {
  return tableBundle(stepsSummaryRows(steps));
}

// --- The handover (04-handover) ---

/** The time of a journal entry to the second, as people read it: "2026-11-28 00:01:27 UTC". */
export function journalTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** How a journaled step is undone: the calls of its rollback handle, or why there is nothing to undo. */
export function undoText(entry: JournalEntry): string {
  const undo = entry.undo ?? [];
  if (undo.length > 0) return undo.map((call) => `${call.service}.${call.action}`).join(", ");
  if (entry.call.action === "RegisterTaskDefinition") return "stays registered (the service goes back to the old one)";
  return "nothing to undo (it stays)";
}

/** What each plan changed, when and by whom, how each step is undone, and the call that rolls the plan back. */
export function journalMarkdown(plans: readonly JournaledPlan[]): string {
  if (plans.length === 0) {
    return "**The journal holds no change in this account.** Nothing was applied by ecs-takeover here (or the journal is elsewhere: `ECS_TAKEOVER_JOURNAL`).";
  }
  const steps = plans.reduce((sum, plan) => sum + plan.applied.length, 0);
  const times = plans.flatMap((plan) => [...plan.applied, ...plan.failed].map((entry) => entry.time)).sort();
  const lines = [
    `**${plans.length} ${plural(plans.length, "plan")} changed this account: ${steps} ${plural(steps, "step")} applied**, ` +
      `from ${journalTime(times[0] ?? "")} to ${journalTime(times.at(-1) ?? "")}. Under each plan, the call that ` +
      'rolls it back (in a cell of this notebook, after `import { rollback } from "./lib/fixes/rollback";`).',
    "",
  ];
  for (const plan of plans) {
    const entries = [...plan.applied, ...plan.failed];
    const who = [...new Set(entries.map((e) => e.identity))];
    lines.push(
      `#### Plan \`${plan.plan}\`: ${planLabel(entries)}`,
      "",
      `Applied from ${journalTime(entries[0]?.time ?? "")} by ${who.join(", ")}. ${rollbackLine(plan)}`,
      "",
      table(
        entries.map((entry) => ({
          when: journalTime(entry.time),
          check: entry.check,
          step: entry.title,
          result: entry.phase === "failed" ? `✖ failed: ${entry.error ?? ""}` : "applied",
          "how it is undone": undoText(entry),
        })),
      ).markdown,
      "",
    );
  }
  return lines.join("\n").trim();
}

/** "task-sg-open, alb-http-no-redirect and a deployment of my-web-service": what a plan's journal entries fixed. */
function planLabel(entries: readonly JournalEntry[]): string {
  const checks = [...new Set(entries.map((e) => e.check).filter((check) => check !== "deploy"))];
  const deployed = [...new Set(entries.filter((e) => e.check === "deploy").map((e) => e.resource))];
  const parts = [
    ...checks.map((check) => `\`${check}\``),
    ...deployed.map((service) => `${checks.length > 0 ? "and " : ""}a deployment of ${service}`),
  ];
  return parts.join(", ").replace(", and ", " and ");
}

function rollbackLine(plan: JournaledPlan): string {
  if (plan.undo.length > 0) {
    return (
      `To roll it back (${plan.undo.length} undo ${plural(plan.undo.length, "step")}, newest first): ` +
      `\`await rollback(aws, { plan: "${plan.plan}", confirm: true })\``
    );
  }
  if (plan.rolledBack.length > 0) {
    return `**Rolled back** (${plan.rolledBack.length} undo steps, the last at ${journalTime(plan.rolledBack.at(-1)?.time ?? "")}).`;
  }
  return "Nothing of it can be undone by a call (what it made stays).";
}

export function journalBundle(plans: readonly JournaledPlan[]): MimeBundle {
  return markdownBundle(journalMarkdown(plans));
}

/** The audit now, one row per pillar: how many resources fail, cannot be judged or pass, and which checks fail. */
export function pillarRows(report: AuditReport): Row[] {
  return PILLARS.flatMap((pillar) => {
    const findings = report.findings.filter((f) => f.check.pillar === pillar);
    if (findings.length === 0) return [];
    const count = (status: Finding["status"]) => findings.filter((f) => f.status === status).length;
    const checks = (status: Finding["status"]) =>
      [...new Set(ordered(findings.filter((f) => f.status === status)).map((f) => f.check.id))].join(", ");
    return [
      {
        pillar,
        fail: count("fail"),
        unknown: count("unknown"),
        pass: count("pass"),
        "failing checks": checks("fail") || null,
        "not judged": checks("unknown") || null,
      },
    ];
  });
}

export function pillarsBundle(report: AuditReport): MimeBundle {
  return tableBundle(pillarRows(report));
}

/**
 * What is left after the takeover, check by check (most severe first): why it matters, each resource that does not
 * pass, and what to do — a person's decision with its notes, a fix not applied yet, or the read that was missing.
 */
export function leftMarkdown(report: AuditReport, plan: Plan): string {
  const open = ordered(report.findings.filter((f) => f.status !== "pass"));
  if (open.length === 0) return "**Nothing is left**: every check passes.";
  const lines: string[] = [];
  for (const id of [...new Set(open.map((f) => f.check.id))]) {
    const findings = open.filter((f) => f.check.id === id);
    const meta = (findings[0] as Finding).check;
    lines.push(`#### \`${id}\` — ${meta.title} (${meta.severity})`, "", meta.why, "");
    for (const finding of findings) {
      lines.push(`- **${finding.resource}**: ${findingText(finding)}`);
      const change = plan.changes.find((c) => c.check === id && c.resource === finding.resource);
      if (finding.status === "unknown") {
        lines.push(
          `  - To do: ${finding.missing ? `allow ${finding.missing} to whoever audits` : "resolve what kept it from being judged"}, then audit again; until then it is not known to pass.`,
        );
      } else if (change === undefined) {
        lines.push("  - To do: this tool has no fix for it; see the check's references.");
      } else if (needsPerson(change)) {
        lines.push(`  - To do (a person decides): ${change.title}`);
        for (const note of change.notes) lines.push(`  - ${note}`);
      } else {
        lines.push(`  - To do: apply its fix — \`${fixCommand({ ...plan, changes: [change] })}\``);
      }
    }
    lines.push("");
  }
  return lines.join("\n").trim();
}

export function leftBundle(report: AuditReport, plan: Plan): MimeBundle {
  return markdownBundle(leftMarkdown(report, plan));
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
