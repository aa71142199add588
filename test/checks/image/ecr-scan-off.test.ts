import { describe, expect, test } from "vitest";
import { filterMatches, run } from "../../../lib/checks/image/ecr-scan-off";
import { denied, known } from "../fixtures";
import { cleanSnapshot, inheritedSnapshot } from "../runtime/web-service-snapshots";

const rule = (scanFrequency: "SCAN_ON_PUSH" | "CONTINUOUS_SCAN", filter: string) => ({
  scanFrequency,
  repositoryFilters: [{ filter, filterType: "WILDCARD" as const }],
});

describe("ecr-scan-off", () => {
  test("fails the inherited repository: no scan on push, basic scanning without rules", () => {
    expect(run(inheritedSnapshot())).toEqual([
      {
        status: "fail",
        resource: "repository my-web-app",
        detail: "scan on push is off and no registry scanning rule covers this repository",
      },
    ]);
  });

  test("passes the repository's own scan on push under basic scanning", () => {
    expect(run(cleanSnapshot())).toEqual([
      { status: "pass", resource: "repository my-web-app", detail: "scan on push" },
    ]);
  });

  test("passes a basic registry rule that covers the repository, as registry-level scanning satisfies it", () => {
    const snapshot = inheritedSnapshot({
      registryScanning: known({ scanType: "BASIC", rules: [rule("SCAN_ON_PUSH", "*")] }),
    });
    expect(run(snapshot)).toMatchObject([
      { status: "pass", detail: "basic scanning by the registry's SCAN_ON_PUSH rule '*'" },
    ]);
  });

  test("passes enhanced scanning with a matching filter; fails it when no rule matches, whatever scanOnPush says", () => {
    const covered = inheritedSnapshot({
      registryScanning: known({ scanType: "ENHANCED", rules: [rule("CONTINUOUS_SCAN", "my-*")] }),
    });
    expect(run(covered)).toMatchObject([{ status: "pass" }]);
    const uncovered = cleanSnapshot({
      registryScanning: known({ scanType: "ENHANCED", rules: [rule("CONTINUOUS_SCAN", "batch-*")] }),
    });
    expect(run(uncovered)).toMatchObject([
      { status: "fail", detail: expect.stringContaining("scanOnPush is ignored") },
    ]);
  });

  test("matches filters as ECR documents: without a wildcard by containment, with one over the whole name", () => {
    expect(filterMatches("web", "my-web-app")).toBe(true);
    expect(filterMatches("my-*", "my-web-app")).toBe(true);
    expect(filterMatches("*-app", "my-web-app")).toBe(true);
    expect(filterMatches("web*", "my-web-app")).toBe(false);
    expect(filterMatches("batch", "my-web-app")).toBe(false);
  });

  test("is unknown when the registry's scanning configuration could not be read", () => {
    const snapshot = cleanSnapshot({ registryScanning: denied("ecr:GetRegistryScanningConfiguration") });
    expect(run(snapshot)).toMatchObject([
      { status: "unknown", resource: "repository my-web-app", missing: "ecr:GetRegistryScanningConfiguration" },
    ]);
  });
});
