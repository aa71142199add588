import { describe, expect, test } from "vitest";
import { floatingTag, run } from "../../../lib/checks/image/image-tag-latest";
import { denied, known } from "../fixtures";
import {
  cleanApp,
  cleanSnapshot,
  inheritedSnapshot,
  otelCollector,
  runningContainers,
  service,
  TD_ARN,
  TD2_ARN,
} from "../runtime/web-service-snapshots";

describe("image-tag-latest", () => {
  test("passes the inherited image, tagged v1", () => {
    expect(run(inheritedSnapshot())).toMatchObject([{ status: "pass", resource: "my-web-app:1" }]);
  });

  test("fails an image tagged latest or not tagged at all; a digest or a registry port is not a tag", () => {
    const verdicts = run(
      runningContainers([
        { ...cleanApp(), image: "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/my-web-app:latest" },
        { ...otelCollector(), image: "amazon/aws-otel-collector" },
      ]),
    );
    expect(verdicts).toEqual([
      {
        status: "fail",
        resource: "my-web-app:1",
        detail:
          "container my-web-app runs my-web-app:latest; sidecar aws-otel-collector runs amazon/aws-otel-collector with no tag (latest implied)",
      },
    ]);
    expect(floatingTag({ image: "my-web-app@sha256:0123abcd" })).toBeUndefined();
    expect(floatingTag({ image: "localhost:5000/my-web-app" })).toMatch(/no tag/);
  });

  test("judges the revision the service runs and the latest ACTIVE one, and is unknown for one not read", () => {
    const snapshot = cleanSnapshot({ services: known([service({}, { running: [TD_ARN], latest: TD2_ARN })]) });
    expect(run(snapshot)).toMatchObject([
      { status: "pass", resource: "my-web-app:1" },
      { status: "unknown", resource: "my-web-app:2" },
    ]);
  });

  test("is unknown when the task definition could not be read", () => {
    const snapshot = cleanSnapshot({ taskDefinitions: { [TD_ARN]: denied("ecs:DescribeTaskDefinition") } });
    expect(run(snapshot)).toMatchObject([{ status: "unknown", missing: "ecs:DescribeTaskDefinition" }]);
  });
});
