import { describe, expect, test } from "vitest";
import { run, supportStatus } from "../../../lib/checks/observability/xray-daemon-eos";
import { denied } from "../fixtures";
import { cleanApp, cleanSnapshot, runningContainers, TD_ARN, xrayDaemon } from "../runtime/web-service-snapshots";

describe("xray-daemon-eos", () => {
  test("fails a task definition with an X-Ray daemon sidecar, asking for ADOT", () => {
    expect(run(runningContainers([cleanApp(), xrayDaemon()]))).toEqual([
      {
        status: "fail",
        resource: "my-web-app:1",
        detail:
          "xray-daemon is the X-Ray daemon, in maintenance since 2026-02-25, end of support 2027-02-25: replace it with an ADOT collector",
      },
    ]);
  });

  test("dates the daemon's support against the snapshot, not the wall clock", () => {
    expect(supportStatus("2026-01-10T00:00:00.000Z")).toBe("in maintenance from 2026-02-25, end of support 2027-02-25");
    expect(supportStatus("2026-02-25T09:00:00.000Z")).toBe(
      "in maintenance since 2026-02-25, end of support 2027-02-25",
    );
    expect(supportStatus("2027-03-01T00:00:00.000Z")).toBe("past its end of support (2027-02-25)");
  });

  test("passes the clean definition, which traces through ADOT", () => {
    expect(run(cleanSnapshot())).toEqual([{ status: "pass", resource: "my-web-app:1", detail: "no X-Ray daemon" }]);
  });

  test("is unknown when the task definition could not be read", () => {
    const snapshot = cleanSnapshot({ taskDefinitions: { [TD_ARN]: denied("ecs:DescribeTaskDefinition") } });
    expect(run(snapshot)).toMatchObject([{ status: "unknown", missing: "ecs:DescribeTaskDefinition" }]);
  });
});
