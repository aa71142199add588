import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/runtime/untagged";
import { denied, known } from "../fixtures";
import { cleanSnapshot, inheritedSnapshot, TD_ARN } from "./web-service-snapshots";

describe("untagged", () => {
  test("fails the inherited cluster, service and task definition, each by name", () => {
    expect(run(inheritedSnapshot())).toEqual([
      { status: "fail", resource: "cluster my-cluster", detail: "no tags" },
      { status: "fail", resource: "service my-web-service", detail: "no tags" },
      { status: "fail", resource: "my-web-app:1", detail: "no tags" },
    ]);
  });

  test("does not count AWS's own aws: tags", () => {
    const snapshot = cleanSnapshot({
      cluster: known({ clusterName: "my-cluster", tags: [{ key: "aws:cloudformation:stack-name", value: "web" }] }),
    });
    expect(run(snapshot)[0]).toEqual({ status: "fail", resource: "cluster my-cluster", detail: "no tags" });
  });

  test("passes the tagged clean resources", () => {
    expect(run(cleanSnapshot()).map((v) => v.status)).toEqual(["pass", "pass", "pass"]);
  });

  test("is unknown for what could not be read, and still judges the rest", () => {
    const snapshot = cleanSnapshot({
      cluster: denied("ecs:DescribeClusters"),
      taskDefinitions: { [TD_ARN]: denied("ecs:DescribeTaskDefinition") },
    });
    expect(run(snapshot)).toMatchObject([
      { status: "unknown", resource: "cluster my-cluster", missing: "ecs:DescribeClusters" },
      { status: "pass", resource: "service my-web-service" },
      { status: "unknown", resource: "my-web-app:1", missing: "ecs:DescribeTaskDefinition" },
    ]);
  });
});
