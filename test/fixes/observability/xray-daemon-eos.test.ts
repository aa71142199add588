import { describe, expect, test } from "vitest";
import { fix as tracingMissing } from "../../../lib/fixes/observability/tracing-missing";
import { fix } from "../../../lib/fixes/observability/xray-daemon-eos";
import type { Snapshot, SnapshotContainer } from "../../../lib/inventory/snapshot";
import { altered, failing, fixture, PLANTED_SECRET } from "../image/fixture-verdicts";
import { deployOf, onlyChange } from "./plans";

const TD = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/my-web-app:1";

/** The inherited app with an X-Ray daemon sidecar it depends on. */
function withDaemon(): Snapshot {
  return altered(fixture("inherited"), (copy) => {
    const definition = copy.taskDefinitions[TD];
    if (definition?.status !== "known") throw new Error("fixture");
    const app = definition.value.containerDefinitions[0] as SnapshotContainer;
    app.dependsOn = [{ containerName: "xray-daemon", condition: "START" }];
    definition.value.containerDefinitions.push({
      name: "xray-daemon",
      image: "amazon/aws-xray-daemon:3.3.12",
      essential: false,
      portMappings: [{ containerPort: 2000, protocol: "udp" }],
    });
  });
}

describe("xray-daemon-eos fix", () => {
  test("removes the daemon and adds the collector tracing-missing adds, with the same X-Ray policy step", () => {
    const change = onlyChange(fix, withDaemon());
    expect(change).toMatchObject({ check: "xray-daemon-eos", resource: "my-web-app:1", manual: false });
    expect(deployOf(change).edits.map((edit) => edit.kind)).toEqual([
      "remove-container",
      "add-container",
      "depends-on",
    ]);
    expect(deployOf(change).edits[0]).toEqual({ kind: "remove-container", container: "xray-daemon" });
    // What tracing-missing would plan on the same revision without the daemon: the same step and the same edits.
    const tracing = onlyChange(tracingMissing, fixture("inherited"));
    expect(change.steps).toEqual(tracing.steps);
    expect(deployOf(change).edits.slice(1)).toEqual(deployOf(tracing).edits);
    expect(change.notes.join(" ")).toMatch(/2027-02-25/);
    expect(JSON.stringify(change)).not.toContain(PLANTED_SECRET);
  });

  test("nothing to plan without a daemon (inherited, clean)", () => {
    expect(failing(fixture("inherited"), "xray-daemon-eos")).toEqual([]);
    expect(failing(fixture("clean"), "xray-daemon-eos")).toEqual([]);
  });
});
