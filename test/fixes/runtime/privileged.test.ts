import { describe, expect, test } from "vitest";
import { fix } from "../../../lib/fixes/runtime/privileged";
import { failing, fixture, PLANTED_SECRET, planned } from "../image/fixture-verdicts";
import { inheritedWith, REVISION_READ } from "./definitions";

describe("privileged fix", () => {
  test("a privileged container: a manual plan to find the capability it needs instead", () => {
    const changes = planned(fix, inheritedWith({}, { privileged: true }));
    expect(changes).toHaveLength(1);
    const [change] = changes;
    expect(change).toMatchObject({ resource: "my-web-app:1", manual: true, steps: [], reads: [REVISION_READ] });
    expect(change?.notes[0]).toMatch(/container my-web-app runs privileged/);
    expect(change?.notes.join(" ")).toMatch(/linuxParameters\.capabilities\.add/);
    expect(JSON.stringify(changes)).not.toContain(PLANTED_SECRET);
  });

  test("inherited and clean: nothing runs privileged, nothing to plan", () => {
    expect(failing(fixture("inherited"), "privileged")).toEqual([]);
    expect(failing(fixture("clean"), "privileged")).toEqual([]);
  });
});
