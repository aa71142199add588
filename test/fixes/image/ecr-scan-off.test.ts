import { describe, expect, test } from "vitest";
import { CHECKS } from "../../../lib/checks/registry";
import { audit } from "../../../lib/checks/report";
import { fix } from "../../../lib/fixes/image/ecr-scan-off";
import { plan } from "../../../lib/fixes/planner";
import type { Snapshot } from "../../../lib/inventory/snapshot";
import { actions, altered, failing, fixture, PLANTED_SECRET, planned } from "./fixture-verdicts";

const DIGEST = "sha256:475bc01830298ac04af741fd05057c37128fe0d19d3b162a0ab2033f8f20a29b";

/** Enhanced scanning with these rules, and a second repository `batch-jobs` as unscanned as my-web-app. */
function enhanced(rules: unknown[]): Snapshot {
  return altered(fixture("inherited"), (s) => {
    s.registryScanning = { status: "known", value: { scanType: "ENHANCED", rules } } as Snapshot["registryScanning"];
    if (s.repositories.status !== "known") throw new Error("fixture");
    const batch = structuredClone(s.repositories.value[0]) as { repository: Record<string, unknown> };
    batch.repository.repositoryName = "batch-jobs";
    s.repositories.value.push(batch as (typeof s.repositories.value)[number]);
  });
}

describe("ecr-scan-off fix", () => {
  test("inherited (basic scanning): scan on push for the repository, and a scan of the image in use by digest", () => {
    const changes = planned(fix, fixture("inherited"));
    expect(changes).toHaveLength(1);
    const [change] = changes;
    expect(change).toMatchObject({ resource: "repository my-web-app", manual: false });
    expect(actions(change)).toEqual(["ecr:PutImageScanningConfiguration", "ecr:StartImageScan"]);
    expect(change?.steps[0]?.call.input).toEqual({
      repositoryName: "my-web-app",
      imageScanningConfiguration: { scanOnPush: true },
    });
    expect(change?.steps[1]).toMatchObject({
      id: `ecr:StartImageScan:my-web-app@${DIGEST}`,
      call: { input: { repositoryName: "my-web-app", imageId: { imageDigest: DIGEST } } },
      changes: { kind: "image" },
    });
    expect(change?.reads).toEqual([
      { kind: "repository", name: "my-web-app" },
      { kind: "registry-scanning" },
      { kind: "image", image: "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/my-web-app:v1" },
    ]);
    expect(change?.risk).toMatch(/image-vulnerable then fails/);
    expect(JSON.stringify(changes)).not.toContain(PLANTED_SECRET);
  });

  test("clean: scan on push is on, so there is nothing to plan", () => {
    expect(failing(fixture("clean"), "ecr-scan-off")).toEqual([]);
  });

  test("an image reference that is not in the repository is not scanned, and the notes say so", () => {
    const snapshot = altered(fixture("inherited"), (s) => {
      (s.images[0] as { detail: unknown }).detail = { status: "known", value: null };
    });
    const [change] = planned(fix, snapshot);
    expect(actions(change)).toEqual(["ecr:PutImageScanningConfiguration"]);
    expect(change?.notes.join(" ")).toMatch(/is not in repository my-web-app/);
  });

  test("enhanced scanning without rules: one new SCAN_ON_PUSH registry rule for every failing repository", () => {
    const snapshot = enhanced([]);
    const changes = planned(fix, snapshot);
    expect(changes.map((c) => c.resource)).toEqual(["repository my-web-app", "repository batch-jobs"]);
    for (const change of changes) {
      expect(actions(change)).toEqual(["ecr:PutRegistryScanningConfiguration"]);
      expect(change.steps[0]?.call.input).toEqual({
        scanType: "ENHANCED",
        rules: [
          {
            scanFrequency: "SCAN_ON_PUSH",
            repositoryFilters: [
              { filter: "batch-jobs", filterType: "WILDCARD" },
              { filter: "my-web-app", filterType: "WILDCARD" },
            ],
          },
        ],
      });
    }
    // Both fixes plan the one identical call: the planner keeps it once instead of throwing.
    const whole = plan(snapshot, audit(snapshot, CHECKS).findings, { checks: ["ecr-scan-off"] });
    expect(whole.changes.flatMap((c) => c.steps).map((s) => s.id)).toEqual(["ecr:PutRegistryScanningConfiguration"]);
  });

  test("enhanced scanning: an existing SCAN_ON_PUSH rule is extended and a CONTINUOUS_SCAN rule kept as it is", () => {
    const continuous = {
      scanFrequency: "CONTINUOUS_SCAN",
      repositoryFilters: [{ filter: "prod-*", filterType: "WILDCARD" }],
    };
    const onPush = { scanFrequency: "SCAN_ON_PUSH", repositoryFilters: [{ filter: "api-*", filterType: "WILDCARD" }] };
    const [change] = planned(fix, enhanced([continuous, onPush]));
    expect(change?.steps[0]?.call.input).toEqual({
      scanType: "ENHANCED",
      rules: [
        continuous,
        {
          scanFrequency: "SCAN_ON_PUSH",
          repositoryFilters: [
            { filter: "api-*", filterType: "WILDCARD" },
            { filter: "batch-jobs", filterType: "WILDCARD" },
            { filter: "my-web-app", filterType: "WILDCARD" },
          ],
        },
      ],
    });
  });

  test("enhanced scanning with two rules that cannot take a filter: no steps, the notes say what to do", () => {
    const manual = (filter: string) => ({
      scanFrequency: "MANUAL",
      repositoryFilters: [{ filter, filterType: "WILDCARD" }],
    });
    const [change] = planned(fix, enhanced([manual("a"), manual("b")]));
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change?.notes.join(" ")).toMatch(/allows 2 rules/);
  });
});
