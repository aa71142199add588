import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/image/image-vulnerable";
import type { SnapshotImage } from "../../../lib/inventory/snapshot";
import { denied, known } from "../fixtures";
import { cleanSnapshot, IMAGE, inheritedSnapshot, TD_ARN } from "../runtime/web-service-snapshots";

const scanned = (findings: Record<string, number>): SnapshotImage => ({
  image: IMAGE,
  repositoryName: "my-web-app",
  tag: "v1",
  detail: known({ repositoryName: "my-web-app", imageTags: ["v1"], imageScanStatus: { status: "COMPLETE" } }),
  findings: known(findings),
});

describe("image-vulnerable", () => {
  test("is unknown, saying it was never scanned, for the inherited image", () => {
    const verdicts = run(inheritedSnapshot());
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatchObject({ status: "unknown", resource: "image my-web-app:v1" });
    expect(verdicts[0]?.status === "unknown" && verdicts[0].reason).toMatch(/^never scanned/);
  });

  test("fails on CRITICAL findings and reports HIGH beside them", () => {
    const snapshot = inheritedSnapshot({ images: [scanned({ HIGH: 5, CRITICAL: 2 })] });
    expect(run(snapshot)).toEqual([
      {
        status: "fail",
        resource: "image my-web-app:v1",
        detail: "2 CRITICAL, 5 HIGH findings in the latest scan: rebuild on patched packages",
      },
    ]);
  });

  test("passes without CRITICAL findings, still showing the HIGH ones", () => {
    expect(run(inheritedSnapshot({ images: [scanned({ HIGH: 5, MEDIUM: 1 })] }))).toEqual([
      {
        status: "pass",
        resource: "image my-web-app:v1",
        detail: "no CRITICAL findings in the latest scan (5 HIGH, 1 MEDIUM)",
      },
    ]);
  });

  test("does not judge images from other registries, which have no scan here", () => {
    expect(run(cleanSnapshot()).map((v) => v.resource)).toEqual(["image my-web-app:v1"]);
  });

  test("is unknown when the findings could not be read", () => {
    const image = { ...scanned({}), findings: denied<Record<string, number> | null>("ecr:DescribeImageScanFindings") };
    expect(run(inheritedSnapshot({ images: [image] }))).toMatchObject([
      { status: "unknown", missing: "ecr:DescribeImageScanFindings" },
    ]);
  });

  test("is unknown for a task definition it could not read, whose images it cannot know", () => {
    const snapshot = cleanSnapshot({ taskDefinitions: { [TD_ARN]: denied("ecs:DescribeTaskDefinition") }, images: [] });
    expect(run(snapshot)).toMatchObject([
      { status: "unknown", resource: "my-web-app:1", missing: "ecs:DescribeTaskDefinition" },
    ]);
  });
});

describe("image-vulnerable, while a scan has not completed", () => {
  test("is unknown with the scan's status rather than a verdict", () => {
    const image: SnapshotImage = {
      ...scanned({}),
      detail: known({ repositoryName: "my-web-app", imageScanStatus: { status: "IN_PROGRESS" } }),
      findings: known(null),
    };
    expect(run(inheritedSnapshot({ images: [image] }))).toMatchObject([
      { status: "unknown", reason: expect.stringMatching(/^no scan result \(scan status IN_PROGRESS\)/) },
    ]);
  });
});
