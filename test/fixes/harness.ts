// A sandbox account with everything a fix test needs: the SDK clients pointed at it, discovery, the audit, the
// planner, apply, verify and rollback, with a journal in a temporary directory of its own.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { type Aws, createAws } from "../../lib/aws/client";
import type { Verdict } from "../../lib/checks/check";
import { CHECKS, findCheck } from "../../lib/checks/registry";
import { audit } from "../../lib/checks/report";
import { apply } from "../../lib/fixes/apply";
import { readJournal } from "../../lib/fixes/journal";
import type { Plan } from "../../lib/fixes/plan";
import { plan } from "../../lib/fixes/planner";
import { rollback } from "../../lib/fixes/rollback";
import { verify } from "../../lib/fixes/verify";
import { discover } from "../../lib/inventory/discover";
import type { Snapshot } from "../../lib/inventory/snapshot";
import type { ScenarioName } from "../../lib/sandbox/scenarios/index";
import { WEB } from "../../lib/sandbox/scenarios/web-service";
import { type Sandbox, startSandbox } from "../../lib/sandbox/server";
import { clientConfig } from "../sandbox/client";

export const CLOCK = "2026-11-28T00:00:00Z";
export const SCOPE = { cluster: "my-cluster", service: "my-web-service" } as const;

export interface FixSandbox {
  readonly sandbox: Sandbox;
  readonly aws: Aws;
  readonly journal: string;
  snapshot(): Promise<Snapshot>;
  /** The plan for these checks' failures (all fixable failures when omitted), from a fresh snapshot. */
  plan(checks?: readonly string[]): Promise<Plan>;
  apply(plan: Plan): ReturnType<typeof apply>;
  verify(plan: Plan): ReturnType<typeof verify>;
  rollback(plan: Plan): ReturnType<typeof rollback>;
  /** One check's verdicts on a fresh snapshot. */
  verdicts(check: string): Promise<Verdict[]>;
  journalEntries(): ReturnType<typeof readJournal>;
  close(): Promise<void>;
}

export async function fixSandbox(scenario: ScenarioName = "inherited", faults?: string): Promise<FixSandbox> {
  const sandbox = await startSandbox({ port: 0, scenario, clock: CLOCK, ...(faults ? { faults } : {}) });
  const config = clientConfig(sandbox.endpoint);
  const aws = createAws({ endpoint: config.endpoint, region: config.region, credentials: config.credentials });
  const directory = mkdtempSync(join(tmpdir(), "ecs-takeover-fix-"));
  const journal = join(directory, "journal.jsonl");
  const snapshot = () => discover(aws, SCOPE);
  return {
    sandbox,
    aws,
    journal,
    snapshot,
    plan: async (checks) => {
      const taken = await snapshot();
      return plan(taken, audit(taken, CHECKS).findings, checks === undefined ? {} : { checks });
    },
    apply: (p) => apply(aws, p, { confirm: true, journal }),
    verify: (p) => verify(aws, p),
    rollback: (p) => rollback(aws, { plan: p.id, confirm: true, journal }),
    verdicts: async (check) => {
      const found = findCheck(check);
      if (!found) throw new Error(`no check ${check}`);
      return found.run(await snapshot());
    },
    journalEntries: () => readJournal(journal),
    close: async () => {
      aws.destroy();
      await sandbox.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A check's verdicts as [resource, status] pairs. */
export const statuses = (verdicts: readonly Verdict[]) => verdicts.map((v) => [v.resource, v.status]);

export const stepIds = (plan: Plan) => plan.changes.flatMap((c) => c.steps.map((s) => s.id));

export function expectNoSecret(value: unknown): void {
  expect(JSON.stringify(value)).not.toContain(WEB.dbPassword);
}

/**
 * The round trip every fix must survive: the check fails; the plan applies every step; the check passes and verify
 * says so; a second apply changes nothing and a new plan is empty; rollback makes the resources that failed fail again
 * as they did (a fix that deploys leaves its new revision registered, and that one passes) and restores `state`.
 */
export async function roundTrip(
  box: FixSandbox,
  check: string,
  state: () => Promise<unknown>,
): Promise<{ plan: Plan; after: unknown }> {
  const failing = statuses(await box.verdicts(check));
  expect(failing.length).toBeGreaterThan(0);
  expect(failing.every(([, status]) => status === "fail")).toBe(true);
  const original = await state();

  const plan = await box.plan([check]);
  expectNoSecret(plan);
  const first = await box.apply(plan);
  expect(first.failed).toBeUndefined();
  expect(first).toMatchObject({ refused: [], unchanged: [] });
  expect(first.applied).toEqual(stepIds(plan));
  const passing = await box.verdicts(check);
  expect(passing.length).toBeGreaterThan(0);
  expect(passing.every((v) => v.status === "pass")).toBe(true);
  const verified = await box.verify(plan);
  expect(verified.filter((v) => v.check === check).every((v) => v.passed)).toBe(true);
  const after = await state();

  const second = await box.apply(plan);
  expect(second).toMatchObject({ refused: [], applied: [] });
  expect(second.unchanged).toEqual(stepIds(plan));
  expect((await box.plan([check])).changes).toEqual([]);

  const undone = await box.rollback(plan);
  expect(undone.failed).toBeUndefined();
  const resources = new Set(failing.map(([resource]) => resource));
  const now = statuses(await box.verdicts(check));
  expect(now.filter(([resource]) => resources.has(resource))).toEqual(failing);
  expect(now.filter(([resource]) => !resources.has(resource)).every(([, status]) => status === "pass")).toBe(true);
  expect(await state()).toEqual(original);
  expectNoSecret(box.journalEntries());
  return { plan, after };
}
