import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/observability/container-insights-off";
import { denied, known } from "../fixtures";
import { cleanSnapshot, inheritedSnapshot } from "../runtime/web-service-snapshots";

const cluster = (settings: { name: "containerInsights"; value: string }[]) =>
  known({ clusterName: "my-cluster", settings });

describe("container-insights-off", () => {
  test("fails the inherited cluster, whose setting is disabled", () => {
    expect(run(inheritedSnapshot())).toMatchObject([
      { status: "fail", resource: "cluster my-cluster", detail: expect.stringContaining("disabled (cluster setting)") },
    ]);
  });

  test("passes enabled and enhanced alike; enhanced says it gives per-task metrics", () => {
    expect(run(cleanSnapshot())).toEqual([
      {
        status: "pass",
        resource: "cluster my-cluster",
        detail: "enhanced (cluster setting): per-task and per-container metrics",
      },
    ]);
    expect(run(cleanSnapshot({ cluster: cluster([{ name: "containerInsights", value: "enabled" }]) }))).toMatchObject([
      { status: "pass", detail: expect.stringContaining("enhanced would add per-task") },
    ]);
  });

  test("falls back to the account default when the cluster has no setting of its own", () => {
    const enhanced = cleanSnapshot({ cluster: cluster([]), accountSettings: known({ containerInsights: "enhanced" }) });
    expect(run(enhanced)).toMatchObject([{ status: "pass", detail: expect.stringContaining("account default") }]);
    const unset = cleanSnapshot({ cluster: cluster([]), accountSettings: known({}) });
    expect(run(unset)).toMatchObject([{ status: "fail" }]);
  });

  test("is unknown when the cluster, or the account default it falls back to, could not be read", () => {
    expect(run(cleanSnapshot({ cluster: denied("ecs:DescribeClusters") }))).toMatchObject([
      { status: "unknown", resource: "cluster my-cluster", missing: "ecs:DescribeClusters" },
    ]);
    const noSetting = cleanSnapshot({ cluster: cluster([]), accountSettings: denied("ecs:ListAccountSettings") });
    expect(run(noSetting)).toMatchObject([{ status: "unknown", missing: "ecs:ListAccountSettings" }]);
  });
});
