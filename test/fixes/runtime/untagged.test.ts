import { describe, expect, test } from "vitest";
import { fix } from "../../../lib/fixes/runtime/untagged";
import { failing, fixture, PLANTED_SECRET, planned } from "../image/fixture-verdicts";
import { REVISION_READ } from "./definitions";

describe("untagged fix", () => {
  test("inherited: manual plans for the cluster, the service and the task definition, each saying where tags go", () => {
    const changes = planned(fix, fixture("inherited"));
    expect(changes.map((c) => [c.resource, c.manual, c.steps.length])).toEqual([
      ["cluster my-cluster", true, 0],
      ["service my-web-service", true, 0],
      ["my-web-app:1", true, 0],
    ]);
    const [cluster, service, definition] = changes;
    expect(cluster?.reads).toEqual([{ kind: "cluster" }]);
    expect(cluster?.notes.join(" ")).toMatch(
      /TagResource on arn:aws:ecs:ap-northeast-1:123456789012:cluster\/my-cluster/,
    );
    expect(service?.reads).toEqual([{ kind: "service", name: "my-web-service" }]);
    expect(service?.notes.join(" ")).toMatch(/propagateTags/);
    expect(definition?.reads).toEqual([REVISION_READ]);
    for (const change of changes) expect(change.notes[0]).toMatch(/tagging scheme/);
    expect(JSON.stringify(changes)).not.toContain(PLANTED_SECRET);
  });

  test("clean: nothing to plan", () => {
    expect(failing(fixture("clean"), "untagged")).toEqual([]);
  });
});
