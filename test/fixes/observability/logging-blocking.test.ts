import { describe, expect, test } from "vitest";
import { fix } from "../../../lib/fixes/observability/logging-blocking";
import type { Snapshot, SnapshotContainer } from "../../../lib/inventory/snapshot";
import { altered, failing, fixture, PLANTED_SECRET } from "../image/fixture-verdicts";
import { editsOf, onlyChange } from "./plans";

const TD = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/my-web-app:1";

/** The clean snapshot (awslogs, mode unset) with the app's options and the account default changed. */
function cleanWith(options: Record<string, string>, accountDefault?: string): Snapshot {
  return altered(fixture("clean"), (copy) => {
    const definition = copy.taskDefinitions[TD];
    if (definition?.status !== "known" || copy.accountSettings.status !== "known") throw new Error("fixture");
    const app = definition.value.containerDefinitions[0] as SnapshotContainer;
    Object.assign(app.logConfiguration?.options ?? {}, options);
    if (accountDefault) copy.accountSettings.value.defaultLogDriverMode = accountDefault;
  });
}

describe("logging-blocking fix", () => {
  test("a container in blocking mode switches to non-blocking, keeping its group, region and prefix", () => {
    const change = onlyChange(fix, cleanWith({ mode: "blocking" }));
    expect(change).toMatchObject({ check: "logging-blocking", resource: "my-web-app:1", manual: false, steps: [] });
    expect(editsOf(change, "log-configuration")).toEqual([
      {
        kind: "log-configuration",
        container: "my-web-app",
        logConfiguration: {
          logDriver: "awslogs",
          options: {
            "awslogs-group": "/ecs/my-web-app",
            "awslogs-region": "ap-northeast-1",
            "awslogs-stream-prefix": "app",
            mode: "non-blocking",
            "max-buffer-size": "25m",
          },
        },
      },
    ]);
    expect(change.reads).toEqual([
      { kind: "service", name: "my-web-service" },
      { kind: "task-definition", arn: TD },
    ]);
    expect(JSON.stringify(change)).not.toContain(PLANTED_SECRET);
  });

  test("containers that set no mode under a blocking account default: both, and the plan relies on the setting", () => {
    const change = onlyChange(fix, cleanWith({}, "blocking"));
    expect(editsOf(change, "log-configuration").map((edit) => edit.container)).toEqual([
      "my-web-app",
      "aws-otel-collector",
    ]);
    expect(change.reads).toContainEqual({ kind: "account-settings" });
    expect(change.notes.join(" ")).toMatch(/defaultLogDriverMode is blocking/);
  });

  test("nothing to plan on the inherited (no awslogs) and clean services", () => {
    expect(failing(fixture("inherited"), "logging-blocking")).toEqual([]);
    expect(failing(fixture("clean"), "logging-blocking")).toEqual([]);
  });
});
