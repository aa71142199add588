import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/observability/log-retention-unset";
import { denied, known } from "../fixtures";
import {
  awslogs,
  cleanApp,
  cleanSnapshot,
  inheritedSnapshot,
  runningContainers,
  TD_ARN,
} from "../runtime/web-service-snapshots";

describe("log-retention-unset", () => {
  test("judges nothing when the task definitions write to no log group (the inherited service)", () => {
    expect(run(inheritedSnapshot())).toEqual([]);
  });

  test("fails a log group without retention, once however many containers write to it", () => {
    const snapshot = cleanSnapshot({ logGroups: { "/ecs/my-web-app": known({ logGroupName: "/ecs/my-web-app" }) } });
    expect(run(snapshot)).toEqual([
      { status: "fail", resource: "log group /ecs/my-web-app", detail: "no retention: logs are kept forever" },
    ]);
  });

  test("fails a missing log group, saying whether the driver will create it without retention", () => {
    const creates = { ...cleanApp(), logConfiguration: awslogs("app", { "awslogs-create-group": "true" }) };
    const snapshot = runningContainers([creates], {}, cleanSnapshot({ logGroups: { "/ecs/my-web-app": known(null) } }));
    expect(run(snapshot)).toMatchObject([
      { status: "fail", detail: expect.stringContaining("will create it without retention") },
    ]);
  });

  test("reads FireLens routes to CloudWatch Logs too", () => {
    const firelens = {
      ...cleanApp(),
      logConfiguration: {
        logDriver: "awsfirelens" as const,
        options: {
          Name: "cloudwatch_logs",
          region: "ap-northeast-1",
          log_group_name: "/ecs/firelens",
          log_stream_prefix: "app/",
        },
      },
    };
    const snapshot = runningContainers(
      [firelens],
      {},
      cleanSnapshot({ logGroups: { "/ecs/firelens": known({ retentionInDays: 90 }) } }),
    );
    expect(run(snapshot)).toEqual([
      { status: "pass", resource: "log group /ecs/firelens", detail: "logs are kept 90 days" },
    ]);
  });

  test("passes the clean log group kept 30 days", () => {
    expect(run(cleanSnapshot())).toEqual([
      { status: "pass", resource: "log group /ecs/my-web-app", detail: "logs are kept 30 days" },
    ]);
  });

  test("is unknown when the log group, or the task definition naming it, could not be read", () => {
    const group = cleanSnapshot({ logGroups: { "/ecs/my-web-app": denied("logs:DescribeLogGroups") } });
    expect(run(group)).toMatchObject([
      { status: "unknown", resource: "log group /ecs/my-web-app", missing: "logs:DescribeLogGroups" },
    ]);
    expect(run(cleanSnapshot({ logGroups: {} }))).toMatchObject([
      { status: "unknown", reason: expect.stringContaining("was not read") },
    ]);
    const definition = cleanSnapshot({ taskDefinitions: { [TD_ARN]: denied("ecs:DescribeTaskDefinition") } });
    expect(run(definition)).toMatchObject([{ status: "unknown", resource: "my-web-app:1" }]);
  });
});
