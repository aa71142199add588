import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/audit/cloudtrail-no-validation";
import { denied, known } from "../fixtures";
import { cleanSnapshot, inheritedSnapshot, managementTrail } from "../runtime/web-service-snapshots";

describe("cloudtrail-no-validation", () => {
  test("judges nothing when there is no trail", () => {
    expect(run(inheritedSnapshot())).toEqual([]);
  });

  test("fails a logging trail without log file validation", () => {
    const snapshot = cleanSnapshot({ trails: known([managementTrail({ LogFileValidationEnabled: false })]) });
    expect(run(snapshot)).toEqual([
      { status: "fail", resource: "trail management-events", detail: "log file validation is off" },
    ]);
  });

  test("passes a trail with validation, and leaves a stopped trail to cloudtrail-off", () => {
    expect(run(cleanSnapshot())).toMatchObject([{ status: "pass", resource: "trail management-events" }]);
    const stopped = managementTrail({ LogFileValidationEnabled: false }, false);
    expect(run(cleanSnapshot({ trails: known([stopped]) }))).toEqual([]);
  });

  test("is unknown when the trails or a trail's status could not be read", () => {
    expect(run(cleanSnapshot({ trails: denied("cloudtrail:DescribeTrails") }))).toMatchObject([
      { status: "unknown", missing: "cloudtrail:DescribeTrails" },
    ]);
    const unread = { ...managementTrail(), isLogging: denied<boolean>("cloudtrail:GetTrailStatus") };
    expect(run(cleanSnapshot({ trails: known([unread]) }))).toMatchObject([
      { status: "unknown", resource: "trail management-events", missing: "cloudtrail:GetTrailStatus" },
    ]);
  });
});
