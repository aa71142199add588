import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/audit/cloudtrail-off";
import type { SnapshotTrail } from "../../../lib/inventory/snapshot";
import { denied, known } from "../fixtures";
import { cleanSnapshot, inheritedSnapshot, managementTrail } from "../runtime/web-service-snapshots";

const withTrails = (...trails: SnapshotTrail[]) => cleanSnapshot({ trails: known(trails) });

describe("cloudtrail-off", () => {
  test("fails the inherited account, which has no trail", () => {
    expect(run(inheritedSnapshot())).toEqual([
      {
        status: "fail",
        resource: "account 123456789012",
        detail: "no trail: API calls are only in the 90-day event history",
      },
    ]);
  });

  test("passes when one trail logs management events in every region", () => {
    expect(run(cleanSnapshot())).toEqual([
      {
        status: "pass",
        resource: "account 123456789012",
        detail: "trail management-events: logging management events in every region",
      },
    ]);
  });

  test("fails trails that are stopped, single-region or record no management writes, saying which and why", () => {
    const stopped = managementTrail({}, false);
    const regional = managementTrail({ Name: "tokyo-only", IsMultiRegionTrail: false });
    const readOnly = {
      ...managementTrail({ Name: "reads" }),
      eventSelectors: known({
        basic: [{ ReadWriteType: "ReadOnly" as const, IncludeManagementEvents: true }],
        advanced: [],
      }),
    };
    const [verdict] = run(withTrails(stopped, regional, readOnly));
    expect(verdict).toMatchObject({ status: "fail", resource: "account 123456789012" });
    expect(verdict?.status === "fail" && verdict.detail).toBe(
      "no trail records management events in every region (trail management-events: it is not logging; " +
        "trail tokyo-only: it covers one region only; trail reads: it does not record management write events)",
    );
  });

  test("accepts advanced event selectors that keep management events", () => {
    const advanced = {
      ...managementTrail(),
      eventSelectors: known({
        basic: [],
        advanced: [{ Name: "management", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] }],
      }),
    };
    expect(run(withTrails(advanced))).toMatchObject([{ status: "pass" }]);
  });

  test("is unknown when the trails could not be listed", () => {
    expect(run(cleanSnapshot({ trails: denied("cloudtrail:DescribeTrails") }))).toMatchObject([
      { status: "unknown", resource: "account 123456789012", missing: "cloudtrail:DescribeTrails" },
    ]);
  });

  test("is unknown, not fail, when the only candidate trail's status could not be read", () => {
    const unread = { ...managementTrail(), isLogging: denied<boolean>("cloudtrail:GetTrailStatus") };
    expect(run(withTrails(unread))).toMatchObject([
      {
        status: "unknown",
        missing: "cloudtrail:GetTrailStatus",
        reason: expect.stringContaining("trail management-events"),
      },
    ]);
  });
});
