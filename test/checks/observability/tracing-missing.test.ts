import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/observability/tracing-missing";
import { denied } from "../fixtures";
import {
  cleanApp,
  cleanSnapshot,
  inheritedSnapshot,
  runningContainers,
  TD_ARN,
  xrayDaemon,
} from "../runtime/web-service-snapshots";

describe("tracing-missing", () => {
  test("fails the inherited task definition, which has no tracing sidecar", () => {
    expect(run(inheritedSnapshot())).toEqual([
      { status: "fail", resource: "my-web-app:1", detail: "no tracing sidecar (ADOT collector or X-Ray daemon)" },
    ]);
  });

  test("passes an ADOT collector sidecar, an X-Ray daemon, or an app that exports traces to a collector elsewhere", () => {
    expect(run(cleanSnapshot())).toEqual([
      { status: "pass", resource: "my-web-app:1", detail: "aws-otel-collector is an OpenTelemetry collector" },
    ]);
    expect(run(runningContainers([cleanApp(), xrayDaemon()]))).toMatchObject([
      { status: "pass", detail: "xray-daemon is an X-Ray daemon" },
    ]);
    const exporting = {
      ...cleanApp(),
      environment: [{ name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: "http://collector.internal:4317" }],
    };
    expect(run(runningContainers([exporting]))).toMatchObject([
      { status: "pass", detail: expect.stringContaining("outside the task") },
    ]);
  });

  test("is unknown when the task definition could not be read", () => {
    const snapshot = cleanSnapshot({ taskDefinitions: { [TD_ARN]: denied("ecs:DescribeTaskDefinition") } });
    expect(run(snapshot)).toMatchObject([{ status: "unknown", missing: "ecs:DescribeTaskDefinition" }]);
  });
});
