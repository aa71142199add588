import { describe, expect, test } from "vitest";
import { fix as imageVulnerable } from "../../../lib/fixes/image/image-vulnerable";
import { altered, failing, fixture, PLANTED_SECRET, planned } from "./fixture-verdicts";

describe("image-vulnerable fix", () => {
  test("after a scan with 2 CRITICAL findings: a manual plan to rebuild, with the findings, reading the image", () => {
    const snapshot = altered(fixture("inherited"), (s) => {
      (s.images[0] as { findings: unknown }).findings = { status: "known", value: { CRITICAL: 2, HIGH: 5 } };
    });
    const changes = planned(imageVulnerable, snapshot);
    expect(changes).toHaveLength(1);
    const [change] = changes;
    expect(change).toMatchObject({
      check: "image-vulnerable",
      resource: "image my-web-app:v1",
      manual: true,
      steps: [],
    });
    expect(change?.notes[0]).toMatch(/2 CRITICAL, 5 HIGH/);
    expect(change?.notes.join(" ")).toMatch(/patched base/);
    expect(change?.reads).toEqual([
      { kind: "image", image: "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/my-web-app:v1" },
    ]);
    expect(JSON.stringify(changes)).not.toContain(PLANTED_SECRET);
  });

  test("inherited (never scanned) and clean: nothing fails, nothing to plan", () => {
    expect(failing(fixture("inherited"), "image-vulnerable")).toEqual([]);
    expect(failing(fixture("clean"), "image-vulnerable")).toEqual([]);
  });
});
