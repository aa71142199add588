import { describe, expect, test } from "vitest";
import { rootUser, run } from "../../../lib/checks/runtime/root-user";
import { denied } from "../fixtures";
import {
  cleanApp,
  cleanSnapshot,
  inheritedSnapshot,
  otelCollector,
  runningContainers,
  TD_ARN,
} from "./web-service-snapshots";

describe("root-user", () => {
  test("fails the inherited container, which sets no user", () => {
    expect(run(inheritedSnapshot())).toMatchObject([
      {
        status: "fail",
        resource: "my-web-app:1",
        detail: expect.stringContaining("container my-web-app runs as root"),
      },
    ]);
  });

  test("counts root and 0, with or without a group, as root; another user with group 0 is not", () => {
    expect(rootUser({ user: "root" })).toBe("runs as root (user root)");
    expect(rootUser({ user: "0:0" })).toBe("runs as root (user 0:0)");
    expect(rootUser({ user: "root:www" })).toBe("runs as root (user root:www)");
    expect(rootUser({ user: "1000:0" })).toBeUndefined();
    expect(rootUser({ user: "app" })).toBeUndefined();
  });

  test("fails a sidecar that runs as root even when the app does not", () => {
    const verdicts = run(runningContainers([cleanApp(), { ...otelCollector(), user: "0" }]));
    expect(verdicts).toEqual([
      { status: "fail", resource: "my-web-app:1", detail: "sidecar aws-otel-collector runs as root (user 0)" },
    ]);
  });

  test("passes the clean definition: user 1000 and the collector's 10001", () => {
    expect(run(cleanSnapshot())).toMatchObject([{ status: "pass", resource: "my-web-app:1" }]);
  });

  test("is unknown when the task definition could not be read", () => {
    const snapshot = cleanSnapshot({ taskDefinitions: { [TD_ARN]: denied("ecs:DescribeTaskDefinition") } });
    expect(run(snapshot)).toMatchObject([{ status: "unknown", missing: "ecs:DescribeTaskDefinition" }]);
  });
});
