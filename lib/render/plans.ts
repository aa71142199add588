// Plans for people and for tools: text for the terminal, Markdown for notebooks and handover documents, the JSON of
// DESIGN §8. Markers show what they stand for; the secret value, and its HMAC, are only ever «redacted». A plan is
// made from a Snapshot, whose secret values are already redacted, so only credential formats are masked here: the
// name-based filter would mask a secret's ARN ("secret:my-app/db-passwd-…") and the step that creates it.
import type { ApplyResult } from "../fixes/apply";
import {
  type Change,
  type Input,
  isJsonString,
  isSecretFrom,
  isStepOutput,
  isTaskDefinitionFrom,
  needsPerson,
  type Plan,
  type Step,
} from "../fixes/plan";
import { describeEdit } from "../fixes/task-definition";
import { REDACTED, redactCredentials } from "./redaction";

/** A step's input as shown: markers replaced by what they stand for. */
export function displayInput(input: Input): unknown {
  if (input === null || typeof input !== "object") return input;
  if (Array.isArray(input)) return input.map((item: Input) => displayInput(item));
  // Step ids read "service:Action:resource": shown with spaces, so no "name: value" pair is mistaken for a secret.
  if (isStepOutput(input)) return `(the ${input.path} returned by step "${input.$output.replace(/:/g, " ")}")`;
  if (isSecretFrom(input)) return REDACTED;
  if (isJsonString(input)) return displayInput(input.$json);
  if (isTaskDefinitionFrom(input)) {
    const { base, edits } = input.$taskDefinition;
    return { from: base.split("/").pop() ?? base, edits: edits.map(describeEdit) };
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input as Record<string, Input>)) out[key] = displayInput(value);
  return out;
}

/** The plans of DESIGN §8's `fix --format json`. */
export function planJson(plan: Plan, result?: ApplyResult, verified?: unknown): string {
  const plans = plan.changes.map((change) => ({
    check: change.check,
    ...(change.checks ? { checks: change.checks } : {}),
    resource: change.resource,
    title: change.title,
    steps: change.steps.map((step) => ({
      id: step.id,
      title: step.title,
      call: { service: step.call.service, action: step.call.action, input: displayInput(step.call.input) },
    })),
    outcome: change.outcome,
    risk: change.risk,
    rollback: change.rollback,
    notes: change.notes,
    manual: change.manual,
  }));
  const body = {
    plan: plan.id,
    account: plan.account,
    region: plan.region,
    scope: plan.scope,
    plans,
    applied: result?.applied ?? [],
    unchanged: result?.unchanged ?? [],
    refused: result?.refused ?? [],
    ...(result?.failed ? { failed: result.failed } : {}),
    ...(verified === undefined ? {} : { verified }),
  };
  // Structured: each string value is checked for credential formats; the text filter would break the JSON.
  return `${JSON.stringify(body, (_key, value: unknown) => (typeof value === "string" ? redactCredentials(value) : value), 2)}\n`;
}

/** Steps to run, across the plan's changes (manual ones have none). */
export function applicableSteps(plan: Plan): Step[] {
  return plan.changes.filter((c) => !c.manual).flatMap((c) => c.steps);
}

/** The plan as terminal text: each change, its steps with their calls, risk, rollback and notes. */
export function planText(plan: Plan): string {
  const lines: string[] = [];
  const automatic = plan.changes.filter((c) => !needsPerson(c));
  const other = plan.changes.filter(needsPerson);
  lines.push(
    `Plan ${plan.id} for ${plan.scope.service ?? "every service"} in ${plan.scope.cluster} (account ${plan.account}, ` +
      `${plan.region}), from what was read at ${plan.basedOn}:`,
  );
  lines.push(`${applicableSteps(plan).length} steps in ${automatic.length} changes; ${other.length} need a person.`);
  for (const change of automatic) lines.push("", ...changeText(change));
  if (other.length > 0) {
    lines.push("", "Needs a person (nothing here is changed by this tool):");
    for (const change of other) {
      lines.push(`  ${change.check} — ${change.resource}: ${change.title}`);
      for (const note of change.notes) lines.push(`      ${note}`);
    }
  }
  return `${redactCredentials(lines.join("\n"))}\n`;
}

function changeText(change: Change): string[] {
  const lines = [`${change.check}${change.checks ? ` (${change.checks.join(", ")})` : ""} — ${change.resource}`];
  lines.push(`  ${change.title}`);
  if (change.steps.length === 0 && change.deploy) lines.push("  (its changes go into the deployment below)");
  for (const [index, step] of change.steps.entries()) {
    lines.push(`  ${index + 1}. ${step.title}`);
    lines.push(`     ${step.call.service}.${step.call.action} ${compact(displayInput(step.call.input))}`);
  }
  lines.push(`  outcome: ${change.outcome}`);
  lines.push(`  risk: ${change.risk}`);
  for (const rollback of change.rollback) lines.push(`  rollback: ${rollback}`);
  for (const note of change.notes) lines.push(`  note: ${note}`);
  return lines;
}

/** The plan as Markdown (notebooks, handover documents). */
export function planMarkdown(plan: Plan): string {
  const out: string[] = [];
  for (const change of plan.changes) {
    const label = change.check === "deploy" ? `deploy (${(change.checks ?? []).join(", ")})` : change.check;
    out.push(`#### ${label} — ${change.resource}${change.manual ? " (manual)" : ""}`, "", change.title, "");
    for (const [index, step] of change.steps.entries()) {
      out.push(`${index + 1}. ${step.title} — \`${step.call.service}.${step.call.action}\``);
    }
    if (change.steps.length > 0) out.push("");
    if (!change.manual) out.push(`- **Outcome:** ${change.outcome}`, `- **Risk:** ${change.risk}`);
    for (const rollback of change.rollback) out.push(`- **Rollback:** ${rollback}`);
    for (const note of change.notes) out.push(`- **Note:** ${note}`);
    out.push("");
  }
  if (plan.changes.length === 0) out.push("Nothing to change.");
  return redactCredentials(out.join("\n"));
}

function compact(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
}
