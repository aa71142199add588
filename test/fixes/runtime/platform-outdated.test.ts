import { describe, expect, test } from "vitest";
import { CHECKS } from "../../../lib/checks/registry";
import { audit } from "../../../lib/checks/report";
import { plan } from "../../../lib/fixes/planner";
import { fix } from "../../../lib/fixes/runtime/platform-outdated";
import { failing, fixture, PLANTED_SECRET, planned } from "../image/fixture-verdicts";
import { TD_ARN } from "./definitions";

describe("platform-outdated fix", () => {
  test("inherited: no steps of its own, a deploy request for platformVersion LATEST, reading the service", () => {
    const changes = planned(fix, fixture("inherited"));
    expect(changes).toHaveLength(1);
    const [change] = changes;
    expect(change).toMatchObject({
      resource: "service my-web-service",
      manual: false,
      steps: [],
      deploy: {
        cluster: "my-cluster",
        service: "my-web-service",
        base: TD_ARN,
        edits: [],
        serviceUpdate: { platformVersion: "LATEST" },
      },
      reads: [{ kind: "service", name: "my-web-service" }],
    });
    expect(change?.risk).toMatch(/rolls its tasks/);
    expect(change?.rollback[0]).toMatch(/back to platform version 1\.3\.0/);
  });

  test("through the planner: one UpdateService with platformVersion LATEST on the running revision, then a wait", () => {
    const snapshot = fixture("inherited");
    const whole = plan(snapshot, audit(snapshot, CHECKS).findings, { checks: ["platform-outdated"] });
    const deploy = whole.changes.find((c) => c.check === "deploy");
    expect(deploy?.steps).toEqual([
      expect.objectContaining({
        call: {
          service: "ecs",
          action: "UpdateService",
          input: {
            cluster: "my-cluster",
            service: "my-web-service",
            taskDefinition: TD_ARN,
            platformVersion: "LATEST",
          },
        },
        waitForService: { cluster: "my-cluster", service: "my-web-service" },
      }),
    ]);
    expect(JSON.stringify(whole)).not.toContain(PLANTED_SECRET);
  });

  test("clean: LATEST already, nothing to plan", () => {
    expect(failing(fixture("clean"), "platform-outdated")).toEqual([]);
  });
});
