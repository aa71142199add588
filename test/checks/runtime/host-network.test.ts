import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/runtime/host-network";
import { denied } from "../fixtures";
import { cleanApp, cleanSnapshot, runningContainers, TD_ARN } from "./web-service-snapshots";

describe("host-network", () => {
  test("fails a task definition in host network mode", () => {
    expect(run(runningContainers([cleanApp()], { networkMode: "host" }))).toMatchObject([
      { status: "fail", resource: "my-web-app:1", detail: expect.stringContaining("networkMode is host") },
    ]);
  });

  test("passes awsvpc", () => {
    expect(run(cleanSnapshot())).toEqual([
      { status: "pass", resource: "my-web-app:1", detail: "networkMode is awsvpc" },
    ]);
  });

  test("is unknown when the task definition could not be read", () => {
    const snapshot = cleanSnapshot({ taskDefinitions: { [TD_ARN]: denied("ecs:DescribeTaskDefinition") } });
    expect(run(snapshot)).toMatchObject([{ status: "unknown", missing: "ecs:DescribeTaskDefinition" }]);
  });
});
