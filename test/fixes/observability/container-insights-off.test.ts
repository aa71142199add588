import { describe, expect, test } from "vitest";
import { fix } from "../../../lib/fixes/observability/container-insights-off";
import { actions, altered, failing, fixture, PLANTED_SECRET } from "../image/fixture-verdicts";
import { onlyChange } from "./plans";

describe("container-insights-off fix", () => {
  test("turns the inherited cluster's Container Insights to enhanced, relying on the cluster's settings", () => {
    const change = onlyChange(fix, fixture("inherited"));
    expect(change).toMatchObject({ check: "container-insights-off", resource: "cluster my-cluster", manual: false });
    expect(change.steps).toEqual([
      {
        id: "ecs:UpdateClusterSettings:my-cluster/containerInsights",
        title: "cluster my-cluster: containerInsights enhanced",
        call: {
          service: "ecs",
          action: "UpdateClusterSettings",
          input: { cluster: "my-cluster", settings: [{ name: "containerInsights", value: "enhanced" }] },
        },
        changes: { kind: "cluster" },
      },
    ]);
    expect(change.reads).toEqual([{ kind: "cluster" }]);
    expect(change.deploy).toBeUndefined();
    expect(change.rollback.join(" ")).toContain("back to disabled");
    expect(change.risk).toMatch(/charges/);
    expect(JSON.stringify(change)).not.toContain(PLANTED_SECRET);
  });

  test("a cluster without a setting of its own follows the account default, so the plan relies on it too", () => {
    const snapshot = altered(fixture("inherited"), (copy) => {
      if (copy.cluster.status === "known") copy.cluster.value.settings = [];
    });
    const change = onlyChange(fix, snapshot);
    expect(actions(change)).toEqual(["ecs:UpdateClusterSettings"]);
    expect(change.reads).toEqual([{ kind: "cluster" }, { kind: "account-settings" }]);
  });

  test("nothing to plan on the clean cluster", () => {
    expect(failing(fixture("clean"), "container-insights-off")).toEqual([]);
  });
});
