import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/observability/logging-missing";
import { denied } from "../fixtures";
import {
  cleanApp,
  cleanSnapshot,
  inheritedSnapshot,
  otelCollector,
  runningContainers,
  TD_ARN,
} from "../runtime/web-service-snapshots";

describe("logging-missing", () => {
  test("fails the inherited app container, which has no log configuration", () => {
    expect(run(inheritedSnapshot())).toEqual([
      { status: "fail", resource: "my-web-app:1", detail: "container my-web-app has no log configuration" },
    ]);
  });

  test("counts a container without `essential` as essential, as ECS does", () => {
    const { essential: _essential, logConfiguration: _logs, ...implicit } = cleanApp();
    expect(run(runningContainers([implicit]))).toMatchObject([{ status: "fail" }]);
  });

  test("passes when every essential container logs; a non-essential sidecar without logs does not fail it", () => {
    expect(run(cleanSnapshot())).toMatchObject([{ status: "pass" }]);
    const { logConfiguration: _logs, ...silentSidecar } = otelCollector();
    expect(run(runningContainers([cleanApp(), silentSidecar]))).toMatchObject([{ status: "pass" }]);
  });

  test("is unknown when the task definition could not be read", () => {
    const snapshot = cleanSnapshot({ taskDefinitions: { [TD_ARN]: denied("ecs:DescribeTaskDefinition") } });
    expect(run(snapshot)).toMatchObject([{ status: "unknown", missing: "ecs:DescribeTaskDefinition" }]);
  });
});
