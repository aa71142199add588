import { describe, expect, test } from "vitest";
import { fix } from "../../../lib/fixes/observability/alarms-missing";
import { actions, altered, failing, fixture, PLANTED_SECRET } from "../image/fixture-verdicts";
import { onlyChange } from "./plans";

const BALANCER = "app/my-web-alb/7062f194224e48c6";
const TARGET_GROUP = "targetgroup/my-web-tg/1203e04bd04c5bae";

describe("alarms-missing fix", () => {
  test("inherited: target 5xx, p99 latency (load balancer and target group) and CPU, notifying nobody yet", () => {
    const change = onlyChange(fix, fixture("inherited"));
    expect(change).toMatchObject({ check: "alarms-missing", resource: "service my-web-service", manual: false });
    expect(actions(change)).toEqual([
      "cloudWatch:PutMetricAlarm",
      "cloudWatch:PutMetricAlarm",
      "cloudWatch:PutMetricAlarm",
    ]);
    expect(change.steps.map((s) => s.id)).toEqual([
      "cloudwatch:PutMetricAlarm:my-web-service-cpu-high",
      "cloudwatch:PutMetricAlarm:my-web-service-target-5xx",
      "cloudwatch:PutMetricAlarm:my-web-service-target-latency-p99",
    ]);
    const dimensions = [
      { Name: "LoadBalancer", Value: BALANCER },
      { Name: "TargetGroup", Value: TARGET_GROUP },
    ];
    expect(change.steps[1]?.call.input).toMatchObject({
      AlarmName: "my-web-service-target-5xx",
      Namespace: "AWS/ApplicationELB",
      MetricName: "HTTPCode_Target_5XX_Count",
      Dimensions: dimensions,
      Statistic: "Sum",
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 10,
      ComparisonOperator: "GreaterThanThreshold",
      TreatMissingData: "notBreaching",
    });
    expect(change.steps[2]?.call.input).toMatchObject({
      MetricName: "TargetResponseTime",
      Dimensions: dimensions,
      ExtendedStatistic: "p99",
      Threshold: 1,
      DatapointsToAlarm: 3,
      EvaluationPeriods: 5,
    });
    expect(change.steps[0]?.call.input).toMatchObject({
      Namespace: "AWS/ECS",
      MetricName: "CPUUtilization",
      Dimensions: [
        { Name: "ClusterName", Value: "my-cluster" },
        { Name: "ServiceName", Value: "my-web-service" },
      ],
    });
    for (const s of change.steps) {
      expect(s.call.input.AlarmActions).toBeUndefined();
      expect(s.changes).toEqual({ kind: "alarms" });
    }
    expect(change.reads).toEqual([{ kind: "service", name: "my-web-service" }, { kind: "alarms" }]);
    expect(change.notes.join(" ")).toMatch(/notify nobody yet/);
    expect(change.rollback.join(" ")).toMatch(/deleted/);
    expect(JSON.stringify(change)).not.toContain(PLANTED_SECRET);
  });

  test("the planned alarms make the check pass", () => {
    const snapshot = fixture("inherited");
    const change = onlyChange(fix, snapshot);
    const alarms = change.steps.map((s) => s.call.input);
    const after = altered(snapshot, (copy) => {
      copy.alarms = { status: "known", value: alarms as never };
    });
    expect(failing(after, "alarms-missing")).toEqual([]);
  });

  test("names SNS topics other alarms use, and leaves alone an alarm of the same name that watches something else", () => {
    const snapshot = altered(fixture("inherited"), (copy) => {
      copy.alarms = {
        status: "known",
        value: [
          {
            AlarmName: "my-web-service-cpu-high",
            Namespace: "AWS/ECS",
            MetricName: "CPUUtilization",
            Dimensions: [{ Name: "ClusterName", Value: "other-cluster" }],
            AlarmActions: ["arn:aws:sns:ap-northeast-1:123456789012:oncall"],
          },
        ],
      };
    });
    const change = onlyChange(fix, snapshot);
    expect(change.steps.map((s) => s.call.input.AlarmName)).toEqual([
      "my-web-service-target-5xx",
      "my-web-service-target-latency-p99",
    ]);
    const notes = change.notes.join(" ");
    expect(notes).toMatch(/arn:aws:sns:ap-northeast-1:123456789012:oncall/);
    expect(notes).toMatch(/my-web-service-cpu-high already exists and watches something else/);
  });

  test("a service behind no load balancer gets its CPU alarm only", () => {
    const snapshot = altered(fixture("inherited"), (copy) => {
      if (copy.services.status !== "known") throw new Error("fixture");
      (copy.services.value[0]?.service as { loadBalancers?: unknown[] }).loadBalancers = [];
    });
    const change = onlyChange(fix, snapshot);
    expect(change.steps.map((s) => s.call.input.AlarmName)).toEqual(["my-web-service-cpu-high"]);
  });

  test("nothing to plan on the clean service", () => {
    expect(failing(fixture("clean"), "alarms-missing")).toEqual([]);
  });
});
