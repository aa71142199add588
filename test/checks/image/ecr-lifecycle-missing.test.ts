import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/image/ecr-lifecycle-missing";
import { denied, known } from "../fixtures";
import { cleanSnapshot, inheritedSnapshot } from "../runtime/web-service-snapshots";

describe("ecr-lifecycle-missing", () => {
  test("fails the inherited repository, which has no lifecycle policy", () => {
    expect(run(inheritedSnapshot())).toEqual([
      { status: "fail", resource: "repository my-web-app", detail: "no lifecycle policy: every image pushed is kept" },
    ]);
  });

  test("passes a repository with a lifecycle policy", () => {
    expect(run(cleanSnapshot())).toMatchObject([{ status: "pass", resource: "repository my-web-app" }]);
  });

  test("is unknown when the policy could not be read", () => {
    const snapshot = inheritedSnapshot({
      repositories: known([
        { repository: { repositoryName: "my-web-app" }, lifecyclePolicy: denied("ecr:GetLifecyclePolicy") },
      ]),
    });
    expect(run(snapshot)).toEqual([
      {
        status: "unknown",
        resource: "repository my-web-app",
        reason: "AccessDeniedException: not authorized to perform: ecr:GetLifecyclePolicy",
        missing: "ecr:GetLifecyclePolicy",
      },
    ]);
  });
});
