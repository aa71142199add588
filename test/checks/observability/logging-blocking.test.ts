import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/observability/logging-blocking";
import { denied, known } from "../fixtures";
import {
  awslogs,
  cleanApp,
  cleanSnapshot,
  inheritedSnapshot,
  otelCollector,
  runningContainers,
  TD_ARN,
} from "../runtime/web-service-snapshots";

describe("logging-blocking", () => {
  test("judges nothing when no container uses awslogs (the inherited service)", () => {
    expect(run(inheritedSnapshot())).toEqual([]);
  });

  test("fails a container that sets mode blocking", () => {
    const snapshot = runningContainers([{ ...cleanApp(), logConfiguration: awslogs("app", { mode: "blocking" }) }]);
    expect(run(snapshot)).toEqual([
      { status: "fail", resource: "my-web-app:1", detail: "container my-web-app sets mode blocking" },
    ]);
  });

  test("passes an unset mode under the default non-blocking, and fails it where the account default is blocking", () => {
    expect(run(cleanSnapshot())).toMatchObject([{ status: "pass" }]);
    expect(run(cleanSnapshot({ accountSettings: known({}) }))).toMatchObject([{ status: "pass" }]);
    const blockingAccount = cleanSnapshot({ accountSettings: known({ defaultLogDriverMode: "blocking" }) });
    expect(run(blockingAccount)).toMatchObject([
      { status: "fail", detail: expect.stringContaining("the account default (defaultLogDriverMode) is blocking") },
    ]);
  });

  test("passes an explicit non-blocking mode even when the account settings could not be read", () => {
    const explicit = { ...cleanApp(), logConfiguration: awslogs("app", { mode: "non-blocking" }) };
    const sidecar = { ...otelCollector(), logConfiguration: awslogs("otel", { mode: "non-blocking" }) };
    const snapshot = runningContainers(
      [explicit, sidecar],
      {},
      cleanSnapshot({ accountSettings: denied("ecs:ListAccountSettings") }),
    );
    expect(run(snapshot)).toMatchObject([{ status: "pass" }]);
  });

  test("is unknown when the mode is unset and the account default could not be read, or the definition not read", () => {
    expect(run(cleanSnapshot({ accountSettings: denied("ecs:ListAccountSettings") }))).toMatchObject([
      { status: "unknown", resource: "my-web-app:1", missing: "ecs:ListAccountSettings" },
    ]);
    const snapshot = cleanSnapshot({ taskDefinitions: { [TD_ARN]: denied("ecs:DescribeTaskDefinition") } });
    expect(run(snapshot)).toMatchObject([{ status: "unknown", missing: "ecs:DescribeTaskDefinition" }]);
  });
});
