import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/runtime/privileged";
import { denied, known } from "../fixtures";
import { cleanApp, cleanSnapshot, otelCollector, runningContainers, TD_ARN } from "./web-service-snapshots";

describe("privileged", () => {
  test("fails a task definition with a privileged container, naming it", () => {
    const verdicts = run(runningContainers([{ ...cleanApp(), privileged: true }, otelCollector()]));
    expect(verdicts).toEqual([
      { status: "fail", resource: "my-web-app:1", detail: "container my-web-app runs privileged" },
    ]);
  });

  test("passes when no container is privileged (false or unset)", () => {
    const verdicts = run(runningContainers([{ ...cleanApp(), privileged: false }, otelCollector()]));
    expect(verdicts).toMatchObject([{ status: "pass", resource: "my-web-app:1" }]);
  });

  test("is unknown, naming the missing action, when the task definition could not be read", () => {
    const snapshot = cleanSnapshot({ taskDefinitions: { [TD_ARN]: denied("ecs:DescribeTaskDefinition") } });
    expect(run(snapshot)).toEqual([
      {
        status: "unknown",
        resource: "my-web-app:1",
        reason: "AccessDeniedException: not authorized to perform: ecs:DescribeTaskDefinition",
        missing: "ecs:DescribeTaskDefinition",
      },
    ]);
  });

  test("is unknown for the cluster when the services could not be listed, not silent", () => {
    const snapshot = cleanSnapshot({ services: denied("ecs:DescribeServices") });
    expect(run(snapshot)).toMatchObject([
      { status: "unknown", resource: "cluster my-cluster", missing: "ecs:DescribeServices" },
    ]);
  });

  test("judges nothing when the cluster runs no service", () => {
    expect(run(cleanSnapshot({ services: known([]), taskDefinitions: {} }))).toEqual([]);
  });
});
