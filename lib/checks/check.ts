// What a check is: metadata beside one pure function from a Snapshot to verdicts, one per resource it judges.
import type { Snapshot } from "../inventory/snapshot";

export type Severity = "critical" | "high" | "medium" | "low";
export type Pillar = "network" | "secrets" | "iam" | "image" | "audit" | "runtime" | "observability";

export const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];
export const PILLARS: readonly Pillar[] = ["network", "secrets", "iam", "image", "audit", "runtime", "observability"];

export interface Reference {
  readonly label: string;
  readonly url?: string;
}

export interface CheckMeta {
  /** kebab-case; also the id of the fix when there is one. */
  readonly id: string;
  readonly title: string;
  readonly pillar: Pillar;
  readonly severity: Severity;
  /** One or two sentences an operator new to ECS understands: what is at risk and why. */
  readonly why: string;
  /** Security Hub control, seed-talk step, AWS documentation. */
  readonly references: readonly Reference[];
  /** The fix id when the tool can fix it, and whether that fix is a plan only (a person has to act). */
  readonly fix?: { readonly id: string; readonly manual: boolean };
  /** The read-only IAM actions the check's data needs (the README's audit policy is generated from these). */
  readonly reads: readonly string[];
}

/** One check's judgement of one resource. The compiler refuses a check that forgets `unknown`. */
export type Verdict =
  | { readonly status: "pass"; readonly resource: string; readonly detail?: string }
  | { readonly status: "fail"; readonly resource: string; readonly detail: string }
  | { readonly status: "unknown"; readonly resource: string; readonly reason: string; readonly missing?: string };

export interface Check {
  readonly meta: CheckMeta;
  /** Pure: no network, no clock, no randomness. A check with nothing to judge returns []. */
  readonly run: (snapshot: Snapshot) => Verdict[];
}

/** A verdict with the check that gave it. */
export type Finding = Verdict & { readonly check: CheckMeta };
