import { describe, expect, test } from "vitest";
import { fix } from "../../../lib/fixes/runtime/host-network";
import { failing, fixture, PLANTED_SECRET, planned } from "../image/fixture-verdicts";
import { inheritedWith, REVISION_READ } from "./definitions";

describe("host-network fix", () => {
  test("networkMode host: a manual plan for the move to awsvpc (target group of type ip, new addressing)", () => {
    const changes = planned(fix, inheritedWith({ networkMode: "host" }));
    expect(changes).toHaveLength(1);
    const [change] = changes;
    expect(change).toMatchObject({ resource: "my-web-app:1", manual: true, steps: [], reads: [REVISION_READ] });
    expect(change?.notes.join(" ")).toMatch(/target type ip/);
    expect(JSON.stringify(changes)).not.toContain(PLANTED_SECRET);
  });

  test("inherited and clean: nothing to plan", () => {
    expect(failing(fixture("inherited"), "host-network")).toEqual([]);
    expect(failing(fixture("clean"), "host-network")).toEqual([]);
  });
});
