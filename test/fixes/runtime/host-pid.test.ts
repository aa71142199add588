import { describe, expect, test } from "vitest";
import { fix } from "../../../lib/fixes/runtime/host-pid";
import { failing, fixture, PLANTED_SECRET, planned } from "../image/fixture-verdicts";
import { inheritedWith, REVISION_READ } from "./definitions";

describe("host-pid fix", () => {
  test("pidMode host: a manual plan to find what needs the host's processes first", () => {
    const changes = planned(fix, inheritedWith({ pidMode: "host" }));
    expect(changes).toHaveLength(1);
    const [change] = changes;
    expect(change).toMatchObject({ resource: "my-web-app:1", manual: true, steps: [], reads: [REVISION_READ] });
    expect(change?.notes.join(" ")).toMatch(/pidMode: task/);
    expect(JSON.stringify(changes)).not.toContain(PLANTED_SECRET);
  });

  test("inherited and clean: nothing to plan", () => {
    expect(failing(fixture("inherited"), "host-pid")).toEqual([]);
    expect(failing(fixture("clean"), "host-pid")).toEqual([]);
  });
});
