import { describe, expect, test } from "vitest";
import type { Check, CheckMeta } from "../../lib/checks/check";
import { audit } from "../../lib/checks/report";
import { formatReport } from "../../lib/render/findings";
import { snapshotOf } from "../checks/fixtures";

const meta = (id: string, severity: CheckMeta["severity"], pillar: CheckMeta["pillar"]): CheckMeta => ({
  id,
  title: `title of ${id}`,
  pillar,
  severity,
  why: `why ${id} matters`,
  references: [{ label: "ECS.2", url: "https://docs.aws.amazon.com/securityhub/" }],
  fix: { id, manual: false },
  reads: [],
});
const report = audit(snapshotOf(), [
  {
    meta: meta("task-sg-open", "high", "network"),
    run: () => [{ status: "fail", resource: "sg-ECSTask", detail: "80 from 10.0.0.0/16" }],
  },
  {
    meta: meta("ecr-scan-off", "medium", "image"),
    run: () => [
      {
        status: "unknown",
        resource: "repository my-web-app",
        reason: "AccessDeniedException: no",
        missing: "ecr:DescribeRepositories",
      },
    ],
  },
  { meta: meta("root-user", "low", "runtime"), run: () => [{ status: "pass", resource: "my-web-app:1" }] },
] satisfies Check[]);

describe("audit formats", () => {
  test("JSON has DESIGN §8's shape, most severe first", () => {
    const json = JSON.parse(formatReport(report, "json"));
    expect(Object.keys(json)).toEqual(["account", "region", "scope", "results", "summary"]);
    expect(json.results[0]).toEqual({
      check: "task-sg-open",
      severity: "high",
      status: "fail",
      resource: "sg-ECSTask",
      title: "title of task-sg-open",
      detail: "80 from 10.0.0.0/16",
      reason: null,
      missing: null,
      fix: "task-sg-open",
    });
    expect(json.results[1]).toMatchObject({
      status: "unknown",
      reason: "AccessDeniedException: no",
      missing: "ecr:DescribeRepositories",
    });
    expect(json.summary).toEqual({ fail: 1, pass: 1, unknown: 1 });
  });

  test("SARIF 2.1.0: one rule per check, results for failures and unknowns only, with levels and fingerprints", () => {
    const sarif = JSON.parse(formatReport(report, "sarif"));
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual([
      "task-sg-open",
      "ecr-scan-off",
      "root-user",
    ]);
    expect(
      run.results.map((r: { ruleId: string; kind: string; level: string }) => [r.ruleId, r.kind, r.level]),
    ).toEqual([
      ["task-sg-open", "fail", "error"],
      ["ecr-scan-off", "review", "warning"],
    ]);
    expect(run.results[0].partialFingerprints.resource).toMatch(/^[0-9a-f]{64}$/);
    expect(run.tool.driver.rules[0].properties["security-severity"]).toBe("8.0");
  });

  test("Markdown groups by pillar and explains why each failing check matters", () => {
    const md = formatReport(report, "md");
    expect(md).toContain("**1 failed, 1 unknown, 1 passed.**");
    expect(md.indexOf("## Network")).toBeLessThan(md.indexOf("## Image"));
    expect(md).toContain("could not be judged: AccessDeniedException: no (needs ecr:DescribeRepositories)");
    expect(md).toContain("- **task-sg-open** — why task-sg-open matters");
    expect(md).not.toContain("- **root-user**");
  });

  test("the table is plain without a TTY and coloured with one", () => {
    const plain = formatReport(report, "table");
    expect(plain).not.toContain("\u001b[");
    expect(plain).toMatch(/FAIL {4}high {5}task-sg-open {2}sg-ECSTask — 80 from 10\.0\.0\.0\/16/);
    expect(plain).toContain("1 failed, 1 unknown, 1 passed");
    expect(formatReport(report, "table", { color: true })).toContain("\u001b[31mFAIL");
  });
});
