import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/image/ecr-tag-mutable";
import type { SnapshotRepository } from "../../../lib/inventory/snapshot";
import { denied, known } from "../fixtures";
import { cleanSnapshot, inheritedSnapshot } from "../runtime/web-service-snapshots";

const repository = (patch: SnapshotRepository["repository"]): SnapshotRepository => ({
  repository: { repositoryName: "my-web-app", ...patch },
  lifecyclePolicy: known(null),
});

describe("ecr-tag-mutable", () => {
  test("fails the inherited MUTABLE repository", () => {
    expect(run(inheritedSnapshot())).toEqual([
      { status: "fail", resource: "repository my-web-app", detail: "tags can be overwritten (MUTABLE)" },
    ]);
  });

  test("passes IMMUTABLE, and IMMUTABLE_WITH_EXCLUSION naming the exclusions; fails MUTABLE_WITH_EXCLUSION", () => {
    expect(run(cleanSnapshot())).toEqual([
      { status: "pass", resource: "repository my-web-app", detail: "tags are immutable" },
    ]);
    const exclusions = [{ filter: "dev-*", filterType: "WILDCARD" as const }];
    const snapshot = cleanSnapshot({
      repositories: known([
        repository({ imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: exclusions }),
        repository({ repositoryName: "batch", imageTagMutability: "MUTABLE_WITH_EXCLUSION" }),
      ]),
    });
    expect(run(snapshot)).toMatchObject([
      { status: "pass", detail: "tags are immutable except dev-*" },
      { status: "fail", resource: "repository batch" },
    ]);
  });

  test("is unknown for each repository the images come from when the repositories could not be read", () => {
    expect(run(inheritedSnapshot({ repositories: denied("ecr:DescribeRepositories") }))).toMatchObject([
      { status: "unknown", resource: "repository my-web-app", missing: "ecr:DescribeRepositories" },
    ]);
  });

  test("judges nothing when no image comes from this account's ECR", () => {
    expect(run(cleanSnapshot({ repositories: known([]) }))).toEqual([]);
  });
});
