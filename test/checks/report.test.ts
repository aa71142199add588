import { describe, expect, test } from "vitest";
import type { Check, CheckMeta } from "../../lib/checks/check";
import { audit, failsThreshold } from "../../lib/checks/report";
import { snapshotOf } from "./fixtures";

const meta = (id: string, severity: CheckMeta["severity"]): CheckMeta => ({
  id,
  title: id,
  pillar: "network",
  severity,
  why: "because",
  references: [],
  reads: [],
});

const checks: Check[] = [
  { meta: meta("high-fail", "high"), run: () => [{ status: "fail", resource: "a", detail: "open" }] },
  {
    meta: meta("critical-unknown", "critical"),
    run: () => [{ status: "unknown", resource: "b", reason: "denied", missing: "ecs:X" }],
  },
  { meta: meta("low-pass", "low"), run: () => [{ status: "pass", resource: "c" }] },
  { meta: meta("nothing", "medium"), run: () => [] },
];

describe("audit", () => {
  test("runs every check and counts verdicts", () => {
    const report = audit(snapshotOf(), checks);
    expect(report.summary).toEqual({ fail: 1, pass: 1, unknown: 1 });
    expect(report.findings.map((finding) => finding.check.id)).toEqual(["high-fail", "critical-unknown", "low-pass"]);
  });

  test("a check that throws becomes unknown instead of crashing the audit", () => {
    const broken: Check = {
      meta: meta("broken", "medium"),
      run: () => {
        throw new Error("bug");
      },
    };
    const report = audit(snapshotOf(), [broken]);
    expect(report.findings).toEqual([
      expect.objectContaining({ status: "unknown", resource: "my-cluster", reason: "the check failed: bug" }),
    ]);
  });

  test.each([
    ["none", "fail", false],
    ["critical", "fail", true], // the critical unknown counts as a critical failure: fail closed
    ["critical", "ignore", false],
    ["high", "ignore", true],
    ["low", "ignore", true],
  ] as const)("--fail-on %s --unknown %s → exit 1: %s", (failOn, unknown, expected) => {
    expect(failsThreshold(audit(snapshotOf(), checks), failOn, unknown)).toBe(expected);
  });
});
