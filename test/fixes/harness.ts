// A sandbox account with everything a fix test needs: the SDK clients pointed at it, discovery, the audit, the
// planner, apply, verify and rollback, with a journal in a temporary directory of its own.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
