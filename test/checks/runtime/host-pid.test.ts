import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/runtime/host-pid";
import { denied } from "../fixtures";
import { cleanApp, cleanSnapshot, runningContainers, TD_ARN } from "./web-service-snapshots";

describe("host-pid", () => {
  test("fails a task definition that shares the host's process namespace", () => {
    expect(run(runningContainers([cleanApp()], { pidMode: "host" }))).toMatchObject([
      { status: "fail", resource: "my-web-app:1" },
    ]);
  });

  test("passes pidMode task or unset", () => {
    expect(run(runningContainers([cleanApp()], { pidMode: "task" }))).toMatchObject([{ status: "pass" }]);
    expect(run(cleanSnapshot())).toMatchObject([{ status: "pass" }]);
  });

  test("is unknown when the task definition could not be read", () => {
    const snapshot = cleanSnapshot({ taskDefinitions: { [TD_ARN]: denied("ecs:DescribeTaskDefinition") } });
    expect(run(snapshot)).toMatchObject([{ status: "unknown", missing: "ecs:DescribeTaskDefinition" }]);
  });
});
