import { describe, expect, test } from "vitest";
import { fix } from "../../../lib/fixes/runtime/root-user";
import { failing, fixture, PLANTED_SECRET, planned } from "../image/fixture-verdicts";
import { inheritedWith, REVISION_READ } from "./definitions";

describe("root-user fix", () => {
  test("inherited: a manual plan naming file ownership and the port 80 the app listens on", () => {
    const changes = planned(fix, fixture("inherited"));
    expect(changes).toHaveLength(1);
    const [change] = changes;
    expect(change).toMatchObject({ resource: "my-web-app:1", manual: true, steps: [], reads: [REVISION_READ] });
    const notes = change?.notes.join(" ") ?? "";
    expect(notes).toMatch(/owned by or writable for that user/);
    expect(notes).toMatch(/container my-web-app listens on port 80: a non-root process cannot listen below port 1024/);
    expect(JSON.stringify(changes)).not.toContain(PLANTED_SECRET);
  });

  test("an app on port 8080 gets no port note", () => {
    const snapshot = inheritedWith({}, { portMappings: [{ containerPort: 8080, protocol: "tcp" }] });
    const [change] = planned(fix, snapshot);
    expect(change?.notes.join(" ")).not.toMatch(/listens on port/);
  });

  test("clean: nothing to plan", () => {
    expect(failing(fixture("clean"), "root-user")).toEqual([]);
  });
});
