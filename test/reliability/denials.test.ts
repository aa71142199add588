// Denials (DESIGN §2 "fail closed", §9 "unknown, never pass, on denied reads"): for every read in DISCOVERY_READS,
// an audit with that action denied on inherited and on clean. Each check either gives its fault-free verdicts, or
// says unknown naming the denied action — never a pass or fail it did not give before, and never silently fewer
// verdicts. A check that declares the read must end up unknown naming it unless its verdict rests on other data
// (the short list below says why for each). The summary counts the unknowns, and --fail-on/--unknown decide as §8.
import { beforeAll, describe, expect, test } from "vitest";
import { type Finding, SEVERITIES, type Severity } from "../../lib/checks/check";
import { CHECKS } from "../../lib/checks/registry";
import { type AuditReport, failsThreshold } from "../../lib/checks/report";
import { DISCOVERY_READS } from "../../lib/inventory/reads";
import { cli, expectOneLine } from "../cli/cli";
import { type AuditRun, auditInProcess, CLOCK, figure, verdictLines } from "./harness";

type Scenario = "inherited" | "clean";
const SCENARIOS: readonly Scenario[] = ["inherited", "clean"];

/**
 * Checks that declare a read and still pass with it denied, because the verdict rests on data read otherwise.
 * Keyed `scenario action`; each entry says why the pass is not a pass on denied data.
 */
const JUDGED_WITHOUT: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "inherited iam:GetRole": { "passrole-escalation": "ecs-operators has no iam:PassRole at all: no role to read" },
  "inherited iam:ListAttachedRolePolicies": { "passrole-escalation": "ecs-operators has no iam:PassRole at all" },
  "inherited iam:ListRolePolicies": { "passrole-escalation": "ecs-operators has no iam:PassRole at all" },
  "inherited iam:GetPolicy": { "passrole-escalation": "ecs-operators has no iam:PassRole at all" },
  "inherited iam:GetPolicyVersion": { "passrole-escalation": "ecs-operators has no iam:PassRole at all" },
  "clean ecs:ListAccountSettings": {
    "container-insights-off": "the cluster's own setting (enhanced) overrides the account default",
  },
  "clean ec2:DescribeSubnets": {
    "service-public-ip": "assignPublicIp DISABLED is the verdict; the subnets only name where the tasks run",
  },
  "clean ec2:DescribeRouteTables": {
    "service-public-ip": "assignPublicIp DISABLED is the verdict; the routes only say which subnets are public",
  },
  "clean iam:GetPolicy": {
    "task-role-admin": "the task role has no managed policy: only its inline policy is read",
    "task-role-broad": "the task role has no managed policy: only its inline policy is read",
  },
  "clean iam:GetPolicyVersion": {
    "task-role-admin": "the task role has no managed policy: only its inline policy is read",
    "task-role-broad": "the task role has no managed policy: only its inline policy is read",
  },
  "clean ecr:DescribeImages": {
    "image-vulnerable": "the verdict is the scan's findings (DescribeImageScanFindings), read regardless",
  },
};

const baselines = new Map<Scenario, AuditRun>();
beforeAll(async () => {
  for (const scenario of SCENARIOS) baselines.set(scenario, await auditInProcess({ scenario }));
});

function baseline(scenario: Scenario): AuditRun {
  const run = baselines.get(scenario);
  if (!run) throw new Error(`no fault-free audit of ${scenario}`);
  return run;
}

const isUnknownNaming = (finding: Finding, action: string) =>
  finding.status === "unknown" && finding.missing === action;

/** `resource status` of each verdict, as a multiset (a check may give one resource two verdicts). */
function minus(a: readonly Finding[], b: readonly Finding[]): Finding[] {
  const left = b.map((f) => `${f.resource} ${f.status}`);
  return a.filter((f) => {
    const at = left.indexOf(`${f.resource} ${f.status}`);
    if (at < 0) return true;
    left.splice(at, 1);
    return false;
  });
}

/** What is wrong with an audit under `deny=action` against the fault-free one, one line per problem. */
function failClosedProblems(calm: AuditReport, denied: AuditReport, action: string, scenario: Scenario): string[] {
  const problems: string[] = [];
  const allowed = JUDGED_WITHOUT[`${scenario} ${action}`] ?? {};
  for (const { meta } of CHECKS) {
    const before = calm.findings.filter((f) => f.check.id === meta.id);
    const after = denied.findings.filter((f) => f.check.id === meta.id);
    const added = minus(after, before);
    const lost = minus(before, after);
    const namesIt = after.some((f) => isUnknownNaming(f, action));
    for (const finding of added) {
      if (!isUnknownNaming(finding, action)) {
        problems.push(`${meta.id}: ${finding.resource} is ${finding.status}, not unknown naming ${action}`);
      }
    }
    if (lost.length > 0 && !namesIt) {
      const what = lost.map((f) => `${f.resource} (${f.status})`).join(", ");
      problems.push(`${meta.id}: ${what} vanished without an unknown naming ${action}`);
    }
    if (meta.reads.includes(action) && !namesIt && after.some((f) => f.status === "pass") && !allowed[meta.id]) {
      problems.push(`${meta.id} reads ${action} but still passes with it denied`);
    }
    if (allowed[meta.id] && added.length + lost.length > 0) {
      problems.push(`${meta.id} is listed as judged without ${action}, yet its verdicts changed`);
    }
  }
  return problems;
}

/** The most severe severity among findings with the status, or undefined. */
function worst(report: AuditReport, status: Finding["status"]): Severity | undefined {
  const ranks = report.findings.filter((f) => f.status === status).map((f) => SEVERITIES.indexOf(f.check.severity));
  return ranks.length === 0 ? undefined : SEVERITIES[Math.max(...ranks)];
}

describe("denials", () => {
  test("discovery calls only DISCOVERY_READS, and each of them (but ListClusters, for discoverAll) on some scenario", async () => {
    const incident = await auditInProcess({ scenario: "incident" });
    const runs = [baseline("inherited"), baseline("clean"), incident];
    const used = new Set(runs.flatMap((run) => Object.keys(run.byAction)));
    expect([...used].filter((action) => !DISCOVERY_READS.includes(action))).toEqual([]);
    expect(DISCOVERY_READS.filter((action) => !used.has(action))).toEqual(["ecs:ListClusters"]);
  });

  test.for(DISCOVERY_READS.flatMap((action) => SCENARIOS.map((scenario) => [action, scenario] as const)))(
    "deny=%s on %s",
    async ([action, scenario], { task }) => {
      const calm = baseline(scenario);
      const faults = `deny=${action}`;
      if (action === "sts:GetCallerIdentity") {
        // The first call: nothing can be read, so the audit stops with exit 3 (DESIGN §8) instead of judging.
        await expect(auditInProcess({ scenario, faults })).rejects.toMatchObject({
          exitCode: 3,
          message: expect.stringMatching(/access denied before anything could be read \(sts:GetCallerIdentity\)/),
        });
        figure(task.meta, "exit 3: access denied before anything could be read");
        return;
      }
      const denied = await auditInProcess({ scenario, faults });
      expect(Object.keys(denied.byAction).filter((a) => !DISCOVERY_READS.includes(a))).toEqual([]);
      if (!calm.byAction[action]) {
        // Not read on this scenario (nothing to read it for): the denial must change nothing.
        expect(verdictLines(denied.report.findings)).toEqual(verdictLines(calm.report.findings));
        figure(task.meta, "not read on this scenario; verdicts unchanged");
        return;
      }
      expect(failClosedProblems(calm.report, denied.report, action, scenario)).toEqual([]);

      const unknowns = denied.report.findings.filter((f) => f.status === "unknown");
      expect(denied.report.summary.unknown).toBe(unknowns.length);
      const naming = [...new Set(unknowns.filter((f) => f.missing === action).map((f) => f.check.id))].sort();
      const undeclared = naming.filter((id) => !CHECKS.find((c) => c.meta.id === id)?.meta.reads.includes(action));
      expect(undeclared, "checks judged from the read without declaring it in meta.reads").toEqual([]);
      expect(denied.report.summary.unknown).toBeGreaterThanOrEqual(calm.report.summary.unknown);

      // DESIGN §8: with --unknown fail an unknown fails at its check's severity; with ignore only failures count.
      const unknownAt = worst(denied.report, "unknown");
      const failAt = worst(denied.report, "fail");
      for (const mode of ["fail", "ignore"] as const) expect(failsThreshold(denied.report, "none", mode)).toBe(false);
      if (unknownAt) expect(failsThreshold(denied.report, unknownAt, "fail")).toBe(true);
      for (const severity of SEVERITIES.filter((s) => !failAt || SEVERITIES.indexOf(s) > SEVERITIES.indexOf(failAt))) {
        expect(failsThreshold(denied.report, severity, "ignore"), `--fail-on ${severity} --unknown ignore`).toBe(false);
        const byUnknown = unknownAt !== undefined && SEVERITIES.indexOf(unknownAt) >= SEVERITIES.indexOf(severity);
        expect(failsThreshold(denied.report, severity, "fail"), `--fail-on ${severity}`).toBe(byUnknown);
      }
      figure(
        task.meta,
        `unknown ${calm.report.summary.unknown} → ${denied.report.summary.unknown}` +
          (naming.length === 0
            ? "; no verdict rests on it here"
            : `; naming it: ${naming.length > 6 ? `${naming.length} checks` : naming.join(", ")}`),
      );
    },
  );

  describe("--fail-on and --unknown on the command line (clean, deny=ecr:DescribeRepositories)", () => {
    const audit = (...args: string[]) =>
      cli([
        "audit",
        "--sandbox=clean",
        "--cluster",
        "my-cluster",
        "--clock",
        CLOCK,
        "--faults",
        "deny=ecr:DescribeRepositories",
        "--format",
        "json",
        ...args,
      ]);

    test.concurrent("--fail-on high: exit 1, the unknowns counted as failures, the summary counts them", async ({
      expect,
    }) => {
      const result = await audit("--fail-on", "high");
      expect(result.code).toBe(1);
      expect(expectOneLine(result.stderr)).toBe(
        "ecs-takeover: findings at or above high (0 failed, 3 unknown counted as failures)",
      );
      const json = JSON.parse(result.stdout) as {
        results: { check: string; status: string; missing: string | null }[];
        summary: { fail: number; unknown: number };
      };
      expect(json.summary).toMatchObject({ fail: 0, unknown: 3 });
      expect(json.results.filter((r) => r.status === "unknown").map((r) => [r.check, r.missing])).toEqual([
        ["ecr-scan-off", "ecr:DescribeRepositories"],
        ["ecr-lifecycle-missing", "ecr:DescribeRepositories"],
        ["ecr-tag-mutable", "ecr:DescribeRepositories"],
      ]);
    });

    test.concurrent("--fail-on high --unknown ignore: exit 0", async ({ expect }) => {
      const result = await audit("--fail-on", "high", "--unknown", "ignore");
      expect([result.code, result.stderr]).toEqual([0, ""]);
    });

    test.concurrent("--fail-on critical: exit 0 (the unknowns are high and medium)", async ({ expect }) => {
      const result = await audit("--fail-on", "critical");
      expect([result.code, result.stderr]).toEqual([0, ""]);
    });

    test.concurrent("--fail-on medium --unknown ignore: exit 0; --fail-on medium: exit 1", async ({ expect }) => {
      const [ignored, counted] = await Promise.all([
        audit("--fail-on", "medium", "--unknown", "ignore"),
        audit("--fail-on", "medium"),
      ]);
      expect([ignored.code, counted.code]).toEqual([0, 1]);
    });
  });
});
