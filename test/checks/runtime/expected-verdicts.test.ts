import { describe, expect, test } from "vitest";
import { auditChecks } from "../../../lib/checks/audit";
import type { Check } from "../../../lib/checks/check";
import { imageChecks } from "../../../lib/checks/image";
import { observabilityChecks } from "../../../lib/checks/observability";
import { runtimeChecks } from "../../../lib/checks/runtime";
import type { Snapshot } from "../../../lib/inventory/snapshot";
import { denied } from "../fixtures";
import { cleanSnapshot, inheritedSnapshot } from "./web-service-snapshots";

const checks: readonly Check[] = [...imageChecks, ...auditChecks, ...runtimeChecks, ...observabilityChecks];

function idsWith(snapshot: Snapshot, status: "fail" | "unknown" | "pass"): string[] {
  return checks
    .filter((check) => check.run(snapshot).some((verdict) => verdict.status === status))
    .map((check) => check.meta.id)
    .sort();
}

describe("the image, audit, runtime and observability checks on the web service (DESIGN §3)", () => {
  test("the inherited service fails exactly the expected checks and leaves image-vulnerable unknown", () => {
    const snapshot = inheritedSnapshot();
    expect(idsWith(snapshot, "fail")).toEqual(
      [
        "ecr-tag-mutable",
        "ecr-scan-off",
        "ecr-lifecycle-missing",
        "cloudtrail-off",
        "rootfs-writable",
        "root-user",
        "platform-outdated",
        "untagged",
        "container-insights-off",
        "logging-missing",
        "tracing-missing",
        "alarms-missing",
      ].sort(),
    );
    expect(idsWith(snapshot, "unknown")).toEqual(["image-vulnerable"]);
  });

  test("the clean service has no failure and no unknown", () => {
    const snapshot = cleanSnapshot();
    const problems = checks.flatMap((check) =>
      check
        .run(snapshot)
        .filter((v) => v.status !== "pass")
        .map((v) => ({ check: check.meta.id, ...v })),
    );
    expect(problems).toEqual([]);
  });

  test("with the task definitions denied, every check that reads them is unknown naming the action, none passes", () => {
    const snapshot = cleanSnapshot({
      taskDefinitions: {
        [Object.keys(cleanSnapshot().taskDefinitions)[0] ?? ""]: denied("ecs:DescribeTaskDefinition"),
      },
    });
    for (const check of checks.filter((c) => c.meta.reads.includes("ecs:DescribeTaskDefinition"))) {
      const verdicts = check.run(snapshot).filter((v) => v.resource === "my-web-app:1");
      expect(verdicts, check.meta.id).not.toHaveLength(0);
      for (const verdict of verdicts)
        expect(verdict, check.meta.id).toMatchObject({ status: "unknown", missing: "ecs:DescribeTaskDefinition" });
    }
  });

  test("every check's metadata is complete: an id, a why, references, reads, and a fix named for the check", () => {
    const ids = checks.map((check) => check.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { meta } of checks) {
      expect(meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(meta.why.length, meta.id).toBeGreaterThan(60);
      expect(meta.references.length, meta.id).toBeGreaterThan(0);
      expect(meta.reads.length, meta.id).toBeGreaterThan(0);
      for (const action of meta.reads) expect(action).toMatch(/^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]+$/);
      expect(meta.fix?.id).toBe(meta.id);
    }
    const manual = checks.filter((check) => check.meta.fix?.manual).map((check) => check.meta.id);
    expect(manual).toEqual(expect.arrayContaining(["rootfs-writable", "root-user", "untagged", "image-vulnerable"]));
  });
});
