import { describe, expect, test } from "vitest";
import { fix } from "../../../lib/fixes/audit/cloudtrail-no-validation";
import type { Snapshot } from "../../../lib/inventory/snapshot";
import { actions, altered, failing, fixture, PLANTED_SECRET, planned } from "../image/fixture-verdicts";

const ARN = "arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/audit";

/** The inherited account with one logging trail without log file validation. */
function withTrail(patch: Record<string, unknown> = {}): Snapshot {
  return altered(fixture("inherited"), (s) => {
    s.trails = {
      status: "known",
      value: [
        {
          trail: {
            Name: "audit",
            TrailARN: ARN,
            HomeRegion: "ap-northeast-1",
            IsMultiRegionTrail: true,
            LogFileValidationEnabled: false,
            ...patch,
          },
          isLogging: { status: "known", value: true },
          eventSelectors: { status: "known", value: { basic: [], advanced: [] } },
        },
      ],
    };
  });
}

describe("cloudtrail-no-validation fix", () => {
  test("a logging trail without validation: UpdateTrail EnableLogFileValidation on its ARN", () => {
    const changes = planned(fix, withTrail());
    expect(changes).toHaveLength(1);
    const [change] = changes;
    expect(change).toMatchObject({ resource: "trail audit", manual: false, reads: [{ kind: "trails" }] });
    expect(actions(change)).toEqual(["cloudTrail:UpdateTrail"]);
    expect(change?.steps[0]).toMatchObject({
      id: "cloudtrail:UpdateTrail:audit",
      call: { input: { Name: ARN, EnableLogFileValidation: true } },
      changes: { kind: "trails" },
    });
    expect(JSON.stringify(changes)).not.toContain(PLANTED_SECRET);
  });

  test("a trail whose home is another region: no steps, the notes say where to change it", () => {
    const [change] = planned(fix, withTrail({ HomeRegion: "us-east-1" }));
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change?.notes[0]).toMatch(/home region is us-east-1/);
  });

  test("an organization trail: no steps, only the management account can change it", () => {
    const [change] = planned(fix, withTrail({ IsOrganizationTrail: true }));
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change?.notes[0]).toMatch(/management account/);
  });

  test("inherited (no trail) and clean (validated): nothing to plan", () => {
    expect(failing(fixture("inherited"), "cloudtrail-no-validation")).toEqual([]);
    expect(failing(fixture("clean"), "cloudtrail-no-validation")).toEqual([]);
  });
});
