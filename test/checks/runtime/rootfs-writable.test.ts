import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/runtime/rootfs-writable";
import { denied } from "../fixtures";
import {
  cleanApp,
  cleanSnapshot,
  inheritedApp,
  inheritedSnapshot,
  otelCollector,
  runningContainers,
  TD_ARN,
} from "./web-service-snapshots";

describe("rootfs-writable", () => {
  test("fails the inherited app container, whose readonlyRootFilesystem is not set", () => {
    expect(run(inheritedSnapshot())).toEqual([
      {
        status: "fail",
        resource: "my-web-app:1",
        detail: "container my-web-app has a writable root filesystem (readonlyRootFilesystem not set)",
      },
    ]);
  });

  test("fails a sidecar with a writable root filesystem too, naming it as a sidecar", () => {
    const verdicts = run(runningContainers([cleanApp(), { ...otelCollector(), readonlyRootFilesystem: false }]));
    expect(verdicts).toEqual([
      {
        status: "fail",
        resource: "my-web-app:1",
        detail: "sidecar aws-otel-collector has a writable root filesystem (readonlyRootFilesystem false)",
      },
    ]);
  });

  test("passes when every container, the ADOT sidecar included, has a read-only root filesystem", () => {
    expect(run(cleanSnapshot())).toMatchObject([{ status: "pass", resource: "my-web-app:1" }]);
  });

  test("does not judge Windows task definitions, where the parameter does not exist", () => {
    const snapshot = runningContainers([inheritedApp()], {
      runtimePlatform: { operatingSystemFamily: "WINDOWS_SERVER_2022_CORE" },
    });
    expect(run(snapshot)).toEqual([]);
  });

  test("is unknown when the task definition could not be read", () => {
    const snapshot = cleanSnapshot({ taskDefinitions: { [TD_ARN]: denied("ecs:DescribeTaskDefinition") } });
    expect(run(snapshot)).toMatchObject([{ status: "unknown", missing: "ecs:DescribeTaskDefinition" }]);
  });
});
