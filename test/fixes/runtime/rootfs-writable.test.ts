import { describe, expect, test } from "vitest";
import { fix } from "../../../lib/fixes/runtime/rootfs-writable";
import { failing, fixture, PLANTED_SECRET, planned } from "../image/fixture-verdicts";
import { REVISION_READ } from "./definitions";

describe("rootfs-writable fix", () => {
  test("inherited: a manual plan that says to find the written paths and give them volumes first", () => {
    const changes = planned(fix, fixture("inherited"));
    expect(changes).toHaveLength(1);
    const [change] = changes;
    expect(change).toMatchObject({ resource: "my-web-app:1", manual: true, steps: [], reads: [REVISION_READ] });
    expect(change?.notes[0]).toMatch(/container my-web-app has a writable root filesystem/);
    expect(change?.notes.join(" ")).toMatch(/docker run --read-only/);
    expect(change?.notes.join(" ")).toMatch(/mountPoints/);
    expect(JSON.stringify(changes)).not.toContain(PLANTED_SECRET);
  });

  test("clean: nothing to plan", () => {
    expect(failing(fixture("clean"), "rootfs-writable")).toEqual([]);
  });
});
