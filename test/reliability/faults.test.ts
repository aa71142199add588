// Faults (DESIGN §9: "the same verdicts under throttling and 5xx faults as without"): audits of inherited and clean
// under throttle=0.3,error=0.1 with several seeds give exactly the fault-free verdicts; with latency=200 and a short
// request timeout an audit finishes, or names the reads that timed out — never a pass on a read that did not answer.
import { beforeAll, describe, test } from "vitest";
import { DEFAULT_MAX_ATTEMPTS } from "../../lib/aws/client";
import type { Finding } from "../../lib/checks/check";
import { cli, expectOneLine } from "../cli/cli";
import { type AuditRun, auditInProcess, CLOCK, figure, linesOf, seconds, verdictLines } from "./harness";

type Scenario = "inherited" | "clean";
const SCENARIOS: readonly Scenario[] = ["inherited", "clean"];
const SEEDS = [7, 11, 23];
const THROTTLE = 0.3;
const ERROR = 0.1;
/** A call fails an attempt when throttled, or else answered 500: 0.3 + 0.7 × 0.1 = 0.37. */
const FAULT_RATE = THROTTLE + (1 - THROTTLE) * ERROR;

const baselines = new Map<Scenario, AuditRun>();
beforeAll(async () => {
  for (const scenario of SCENARIOS) baselines.set(scenario, await auditInProcess({ scenario }));
});

const key = (finding: Finding) => `${finding.check.id} ${finding.resource}`;

function baseline(scenario: Scenario): AuditRun {
  const run = baselines.get(scenario);
  if (!run) throw new Error(`no fault-free audit of ${scenario}`);
  return run;
}

describe("faults", () => {
  test.concurrent.for(SCENARIOS.flatMap((scenario) => SEEDS.map((seed) => [scenario, seed] as const)))(
    "%s under throttle=0.3,error=0.1,seed=%i: exactly the fault-free verdicts, no unknown from a transient fault",
    { timeout: 180_000 },
    async ([scenario, seed], { expect, task }) => {
      const calm = baseline(scenario);
      const stormy = await auditInProcess({ scenario, faults: `throttle=${THROTTLE},error=${ERROR},seed=${seed}` });
      // Residual risk, stated rather than hidden: a read fails for good only if all its attempts are faulted.
      const perRead = FAULT_RATE ** DEFAULT_MAX_ATTEMPTS;
      figure(
        task.meta,
        `${calm.sent} reads took ${stormy.sent} requests (${stormy.retried} retried) in ${seconds(stormy.ms)}; ` +
          `P(a read faulted on all ${DEFAULT_MAX_ATTEMPTS} attempts) = ${FAULT_RATE}^${DEFAULT_MAX_ATTEMPTS} = ` +
          `${perRead.toExponential(1)}, ≈ ${(calm.sent * perRead * 100).toFixed(2)} % for this audit`,
      );
      expect(stormy.retried).toBeGreaterThan(0);
      const calmUnknown = new Set(calm.report.findings.filter((f) => f.status === "unknown").map(key));
      const transient = stormy.report.findings.filter((f) => f.status === "unknown" && !calmUnknown.has(key(f)));
      expect(transient.map((f) => `${key(f)}: ${f.status === "unknown" ? f.reason : ""}`)).toEqual([]);
      expect(verdictLines(stormy.report.findings)).toEqual(verdictLines(calm.report.findings));
      expect(stormy.report.summary).toEqual(calm.report.summary);
    },
  );

  test.concurrent("inherited with latency=200 and a 1 s request timeout: finishes with the fault-free verdicts", async ({
    expect,
    task,
  }) => {
    const slow = await auditInProcess({ scenario: "inherited", faults: "latency=200" }, { requestTimeoutMs: 1000 });
    figure(task.meta, `${slow.sent} requests at 200 ms each, ${slow.retried} retried, ${seconds(slow.ms)}`);
    expect(verdictLines(slow.report.findings)).toEqual(verdictLines(baseline("inherited").report.findings));
  });

  test.concurrent("clean with latency=200, three reads that never answer and a 1 s request timeout: those checks are unknown naming the read, never pass; the rest as fault-free", {
    timeout: 180_000,
  }, async ({ expect, task }) => {
    const hung = ["iam:GetAccountAuthorizationDetails", "ecr:GetLifecyclePolicy", "cloudwatch:DescribeAlarms"];
    const run = await auditInProcess(
      { scenario: "clean", faults: `latency=200,hang=${hung.join("+")}` },
      { requestTimeoutMs: 1000 },
    );
    const calm = baseline("clean").report.findings;
    const affected = new Set(
      run.report.findings.filter((f) => f.check.reads.some((read) => hung.includes(read))).map((f) => f.check.id),
    );
    figure(
      task.meta,
      `${hung.length} hung reads, ${run.sent} requests (${run.retried} retried after timing out) in ${seconds(run.ms)}; ` +
        `unknown: ${[...affected].sort().join(", ")}`,
    );
    expect([...affected].sort()).toEqual([
      "alarms-missing",
      "cluster-access-unscoped",
      "ecr-lifecycle-missing",
      "passrole-escalation",
    ]);
    for (const finding of run.report.findings) {
      if (!affected.has(finding.check.id)) continue;
      expect(finding.status, `${finding.check.id} ${finding.resource}`).toBe("unknown");
      const reason = finding.status === "unknown" ? finding.reason : "";
      expect(reason).toMatch(/TimeoutError/);
      expect(
        hung.some((read) => reason.includes(read)),
        reason,
      ).toBe(true);
    }
    for (const check of new Set(calm.map((f) => f.check.id))) {
      if (affected.has(check)) continue;
      expect(linesOf(run.report.findings, check), check).toEqual(linesOf(calm, check));
    }
  });

  test.concurrent("latency=200 with --request-timeout 150 (shorter than every answer): exit 3, one line naming the timeout, no verdict printed", async ({
    expect,
  }) => {
    const result = await cli([
      "audit",
      "--sandbox",
      "--cluster",
      "my-cluster",
      "--clock",
      CLOCK,
      "--faults",
      "latency=200",
      "--request-timeout",
      "150",
      "--format",
      "json",
    ]);
    expect(result.code).toBe(3);
    expect(expectOneLine(result.stderr)).toMatch(/did not answer \(TimeoutError\)/);
    expect(result.stdout).toBe("");
  });
});
