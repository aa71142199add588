import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/observability/alarms-missing";
import { denied, known } from "../fixtures";
import { cleanSnapshot, inheritedSnapshot } from "../runtime/web-service-snapshots";

describe("alarms-missing", () => {
  test("fails the inherited service, which no alarm watches", () => {
    expect(run(inheritedSnapshot())).toEqual([
      {
        status: "fail",
        resource: "service my-web-service",
        detail: "no CloudWatch alarm on the service's metrics or its load balancer",
      },
    ]);
  });

  test("passes the clean service, naming the alarms on its CPU, 5xx and latency", () => {
    expect(run(cleanSnapshot())).toEqual([
      {
        status: "pass",
        resource: "service my-web-service",
        detail: "watched by my-web-service-cpu-high, my-web-alb-target-5xx, my-web-alb-latency-p99",
      },
    ]);
  });

  test("counts an alarm on the service's target group, and a metric-math alarm by the metrics it reads", () => {
    const targetGroup = {
      AlarmName: "unhealthy-hosts",
      Namespace: "AWS/ApplicationELB",
      MetricName: "UnHealthyHostCount",
      Dimensions: [
        { Name: "TargetGroup", Value: "targetgroup/my-web-tg/73e2d6bc24d8a067" },
        { Name: "LoadBalancer", Value: "app/my-web-alb/50dc6c495c0c9188" },
      ],
    };
    // Watched, but not on what users feel: a service behind a load balancer needs 5xx and latency alarms.
    const [partly] = run(inheritedSnapshot({ alarms: known([targetGroup]) }));
    expect(partly).toMatchObject({ status: "fail" });
    expect(partly?.status === "fail" && partly.detail).toMatch(/no alarm on its 5xx answers or latency/);
    const latency = {
      AlarmName: "latency",
      Namespace: "AWS/ApplicationELB",
      MetricName: "TargetResponseTime",
      Dimensions: [{ Name: "TargetGroup", Value: "targetgroup/my-web-tg/73e2d6bc24d8a067" }],
    };
    const math = {
      AlarmName: "error-rate",
      Metrics: [
        {
          Id: "errors",
          MetricStat: {
            Metric: {
              Namespace: "AWS/ApplicationELB",
              MetricName: "HTTPCode_Target_5XX_Count",
              Dimensions: [{ Name: "LoadBalancer", Value: "app/my-web-alb/50dc6c495c0c9188" }],
            },
            Period: 60,
            Stat: "Sum",
          },
        },
      ],
    };
    expect(run(inheritedSnapshot({ alarms: known([math]) }))).toMatchObject([{ status: "fail" }]);
    expect(run(inheritedSnapshot({ alarms: known([math, latency]) }))).toMatchObject([{ status: "pass" }]);
  });

  test("does not count alarms on another service or another load balancer", () => {
    const other = [
      {
        AlarmName: "other-cpu",
        Namespace: "AWS/ECS",
        Dimensions: [
          { Name: "ClusterName", Value: "my-cluster" },
          { Name: "ServiceName", Value: "batch" },
        ],
      },
      {
        AlarmName: "other-alb",
        Namespace: "AWS/ApplicationELB",
        Dimensions: [{ Name: "LoadBalancer", Value: "app/other/1" }],
      },
    ];
    expect(run(inheritedSnapshot({ alarms: known(other) }))).toMatchObject([{ status: "fail" }]);
  });

  test("is unknown when the alarms, or the target groups that name its load balancer, could not be read", () => {
    expect(run(cleanSnapshot({ alarms: denied("cloudwatch:DescribeAlarms") }))).toMatchObject([
      { status: "unknown", resource: "service my-web-service", missing: "cloudwatch:DescribeAlarms" },
    ]);
    expect(run(inheritedSnapshot({ targetGroups: denied("elasticloadbalancing:DescribeTargetGroups") }))).toMatchObject(
      [{ status: "unknown", missing: "elasticloadbalancing:DescribeTargetGroups" }],
    );
  });
});
