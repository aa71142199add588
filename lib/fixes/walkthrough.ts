// The takeover step by step, as the runbooks walk it (notebooks/01-secure, 02-observe, 04-handover): read the account
// afresh, judge one topic's checks and plan the fixes of their failures (`reviewStep`); then apply that plan only when
// asked and read again to show each check passing, or why not (`completeStep`). Every step reads afresh because a
// plan made before the previous step applied is refused as stale. And the journal as a handover reads it: what each
// plan changed in this account, and what rolling it back would undo (`journalByPlan`).
import type { Aws } from "../aws/client";
import type { Finding } from "../checks/check";
import { CHECKS } from "../checks/registry";
import { audit } from "../checks/report";
import { discover } from "../inventory/discover";
import type { Snapshot } from "../inventory/snapshot";
import { apply, type StepEvent } from "./apply";
import type { JournalEntry } from "./journal";
import { needsPerson, type Plan } from "./plan";
import { plan as makePlan } from "./planner";
import { rollbackSteps } from "./rollback";

export interface StepScope {
  readonly cluster: string;
  /** Empty or undefined: every service of the cluster. */
  readonly service?: string | undefined;
}

export interface StepReview {
  readonly scope: StepScope;
  /** The checks of this step, as asked. */
  readonly checks: readonly string[];
  /** Their verdicts on what was just read. */
  readonly findings: readonly Finding[];
  /** The plan for their failures: what applying would change, and what needs a person. */
  readonly plan: Plan;
}

/** One step of the plan as apply carried it out. */
export interface AppliedStep {
  readonly check: string;
  readonly title: string;
  readonly status: "applied" | "unchanged" | "failed";
  readonly error?: string;
}

export type StepOutcome =
  /** `apply` was false: nothing was changed. */
  | { readonly status: "not-asked" }
  /** The plan has no step to apply (every check passes, or what fails needs a person). */
  | { readonly status: "nothing-to-apply" }
  /** Apply refused the plan (a resource changed since it was read): nothing was changed. */
  | { readonly status: "refused"; readonly reasons: readonly string[] }
  | {
      readonly status: "applied" | "failed";
      readonly steps: readonly AppliedStep[];
      readonly failed?: { readonly step: string; readonly error: string };
    };

export interface StepResult extends StepReview {
  readonly outcome: StepOutcome;
  /** The step's verdicts read again after applying; the reviewed findings when nothing was applied. */
  readonly after: readonly Finding[];
  /** What is still to do among these checks, planned on the fresh read (for manual fixes: what a person decides). */
  readonly left: Plan;
}

export interface CompleteOptions {
  /** Apply the plan (with confirm: true); false shows that nothing was changed. */
  readonly apply: boolean;
  /** Default: ECS_TAKEOVER_JOURNAL or .takeover/journal.jsonl. */
  readonly journal?: string;
  readonly onStep?: (event: StepEvent) => void;
  /** Told once apply is over (not called when nothing was applied). */
  readonly onDone?: (outcome: StepOutcome) => void;
}

/** Reads the account, judges `checks` and plans the fixes of their failures. Changes nothing. */
export async function reviewStep(aws: Aws, scope: StepScope, checks: readonly string[]): Promise<StepReview> {
  const unknown = checks.filter((id) => !CHECKS.some((check) => check.meta.id === id));
  if (unknown.length > 0) throw new Error(`no check has the id ${unknown.join(", ")}`);
  const fresh = scopeOf(scope);
  const snapshot = await discover(aws, fresh);
  const findings = findingsOf(snapshot, checks);
  return { scope: fresh, checks, findings, plan: makePlan(snapshot, findings, { checks }) };
}

/** Applies the reviewed plan when asked, then reads again and judges the step's checks on what is there now. */
export async function completeStep(aws: Aws, review: StepReview, options: CompleteOptions): Promise<StepResult> {
  const unchanged = (outcome: StepOutcome): StepResult => ({
    ...review,
    outcome,
    after: review.findings,
    left: review.plan,
  });
  if (!hasStepsToApply(review.plan)) return unchanged({ status: "nothing-to-apply" });
  if (!options.apply) return unchanged({ status: "not-asked" });
  const steps: AppliedStep[] = [];
  const result = await apply(aws, review.plan, {
    confirm: true,
    ...(options.journal === undefined ? {} : { journal: options.journal }),
    onStep: (event) => {
      if (event.status === "applied" || event.status === "unchanged" || event.status === "failed") {
        steps.push({
          check: event.change.check,
          title: event.step.title,
          status: event.status,
          ...(event.error === undefined ? {} : { error: event.error }),
        });
      }
      options.onStep?.(event);
    },
  });
  if (result.refused.length > 0) return unchanged({ status: "refused", reasons: result.refused });
  const outcome: StepOutcome = result.failed
    ? { status: "failed", steps, failed: result.failed }
    : { status: "applied", steps };
  options.onDone?.(outcome);
  const snapshot = await discover(aws, review.scope);
  const after = findingsOf(snapshot, review.checks);
  return { ...review, outcome, after, left: makePlan(snapshot, after, { checks: review.checks }) };
}

/** Whether applying the plan would call anything (manual changes have no steps). */
function hasStepsToApply(plan: Plan): boolean {
  return plan.changes.some((change) => !change.manual && change.steps.length > 0);
}

/** The `ecs-takeover fix` line that applies the same fixes from a terminal. */
export function fixCommand(plan: Plan): string {
  const checks = [
    ...new Set(plan.changes.filter((c) => !needsPerson(c) && c.check !== "deploy").map((change) => change.check)),
  ];
  return [
    "npx ecs-takeover fix",
    `--cluster ${plan.scope.cluster}`,
    ...(plan.scope.service ? [`--service ${plan.scope.service}`] : []),
    ...checks.map((check) => `--check ${check}`),
    "--apply",
  ].join(" ");
}

/** What one plan's apply changed, as the journal tells it. */
export interface JournaledPlan {
  readonly plan: string;
  /** The steps that changed something, oldest first. */
  readonly applied: readonly JournalEntry[];
  /** Steps that failed. */
  readonly failed: readonly JournalEntry[];
  /** What `rollback(aws, { plan, confirm: true })` would undo now, newest first. */
  readonly undo: readonly JournalEntry[];
  /** Undo steps already carried out. */
  readonly rolledBack: readonly JournalEntry[];
}

/** The account of an ARN (`arn:aws:iam::123456789012:user/x` → `123456789012`). */
export function accountOf(arn: string): string {
  return arn.split(":")[4] ?? "";
}

/** The journal's applies in `account`, one per plan in the order they began; plans that changed nothing are left out. */
export function journalByPlan(entries: readonly JournalEntry[], account: string): JournaledPlan[] {
  const mine = entries.filter((entry) => accountOf(entry.identity) === account);
  const plans = [...new Set(mine.map((entry) => entry.plan))];
  return plans
    .map((plan) => {
      const ofPlan = mine.filter((entry) => entry.plan === plan);
      return {
        plan,
        applied: ofPlan.filter((e) => e.kind === "apply" && e.phase === "applied"),
        failed: ofPlan.filter((e) => e.kind === "apply" && e.phase === "failed"),
        undo: rollbackSteps(mine, plan),
        rolledBack: ofPlan.filter((e) => e.kind === "rollback" && e.phase === "applied"),
      };
    })
    .filter((p) => p.applied.length > 0 || p.failed.length > 0);
}

function scopeOf(scope: StepScope): StepScope {
  return scope.service ? { cluster: scope.cluster, service: scope.service } : { cluster: scope.cluster };
}

function findingsOf(snapshot: Snapshot, checks: readonly string[]): Finding[] {
  return [
    ...audit(
      snapshot,
      CHECKS.filter((check) => checks.includes(check.meta.id)),
    ).findings,
  ];
}
