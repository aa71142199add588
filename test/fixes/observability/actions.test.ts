// The CloudWatch and CloudWatch Logs action specs on a sandbox: what they observe, when a step is already done,
// when apply must refuse, and the calls that undo each step.
import { PutMetricAlarmCommand, type PutMetricAlarmInput } from "@aws-sdk/client-cloudwatch";
import { CreateLogGroupCommand, PutRetentionPolicyCommand } from "@aws-sdk/client-cloudwatch-logs";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { ActionSpec } from "../../../lib/fixes/action";
import { actionSpec } from "../../../lib/fixes/action-table";
import { CREATED_GROUP_TAGS } from "../../../lib/fixes/actions/logs";
import type { ServiceName } from "../../../lib/fixes/plan";
import { type FixSandbox, fixSandbox } from "../harness";

let box: FixSandbox;
beforeEach(async () => {
  box = await fixSandbox();
});
afterEach(async () => {
  await box.close();
});

function spec(service: ServiceName, action: string): ActionSpec {
  const found = actionSpec(service, action);
  if (!found) throw new Error(`no spec for ${service}:${action}`);
  return found;
}

const ALARM: PutMetricAlarmInput = {
  AlarmName: "my-web-service-cpu-high",
  Namespace: "AWS/ECS",
  MetricName: "CPUUtilization",
  Dimensions: [
    { Name: "ClusterName", Value: "my-cluster" },
    { Name: "ServiceName", Value: "my-web-service" },
  ],
  Statistic: "Average",
  Period: 60,
  EvaluationPeriods: 5,
  Threshold: 80,
  ComparisonOperator: "GreaterThanThreshold",
  TreatMissingData: "notBreaching",
};

describe("cloudWatch PutMetricAlarm and DeleteAlarms", () => {
  const put = spec("cloudWatch", "PutMetricAlarm");
  const remove = spec("cloudWatch", "DeleteAlarms");

  test("an absent alarm is created and undone by deleting it", async () => {
    const before = await put.observe(box.aws, { ...ALARM });
    expect(before).toBeNull();
    expect(put.satisfied(before, { ...ALARM })).toBeUndefined();
    expect(put.undo({ ...ALARM }, before, {})).toEqual([
      { service: "cloudWatch", action: "DeleteAlarms", input: { AlarmNames: [ALARM.AlarmName] } },
    ]);
  });

  test("the same settings, dimensions in another order and actions an operator added since, are done already", async () => {
    const topic = "arn:aws:sns:ap-northeast-1:123456789012:oncall";
    await box.aws.cloudWatch.send(
      new PutMetricAlarmCommand({
        ...ALARM,
        Dimensions: [...(ALARM.Dimensions ?? [])].reverse(),
        AlarmActions: [topic],
      }),
    );
    const observed = await put.observe(box.aws, { ...ALARM });
    expect(put.satisfied(observed, { ...ALARM })).toEqual({ AlarmName: ALARM.AlarmName });
  });

  test("an alarm of that name with other settings is someone's: apply refuses to overwrite it", async () => {
    await box.aws.cloudWatch.send(new PutMetricAlarmCommand({ ...ALARM, Threshold: 95 }));
    const observed = await put.observe(box.aws, { ...ALARM });
    expect(() => put.satisfied(observed, { ...ALARM })).toThrow(/already exists with other settings \(Threshold\)/);
  });

  test("DeleteAlarms is undone by putting the alarms back with the settings they had", async () => {
    await box.aws.cloudWatch.send(new PutMetricAlarmCommand({ ...ALARM }));
    const input = { AlarmNames: [ALARM.AlarmName] };
    const before = await remove.observe(box.aws, input);
    expect(remove.satisfied(before, input)).toBeUndefined();
    const [restore] = remove.undo(input, before, {});
    expect(restore).toMatchObject({ service: "cloudWatch", action: "PutMetricAlarm", input: { ...ALARM } });
    // The restoring call is a valid PutMetricAlarm, and once the alarm is back PutMetricAlarm sees it as done.
    await box.aws.cloudWatch.send(new PutMetricAlarmCommand(restore?.input as never));
    expect(put.satisfied(await put.observe(box.aws, { ...ALARM }), { ...ALARM })).toBeDefined();
  });
});

describe("logs CreateLogGroup and retention", () => {
  const create = spec("logs", "CreateLogGroup");
  const retention = spec("logs", "PutRetentionPolicy");
  const ours = { logGroupName: "/ecs/ours", tags: { ...CREATED_GROUP_TAGS } };

  test("an existing group, whoever made it, is where the logs go: CreateLogGroup is done; undo keeps groups", async () => {
    expect(create.satisfied(await create.observe(box.aws, ours), ours)).toBeUndefined();
    await box.aws.logs.send(new CreateLogGroupCommand({ logGroupName: "/ecs/ours" }));
    expect(create.satisfied(await create.observe(box.aws, ours), ours)).toEqual({ logGroupName: "/ecs/ours" });
    expect(create.undo(ours, null, {})).toEqual([]);
  });

  test("a group this tool created keeps the retention it was given; someone's group gets its own back", async () => {
    const input = (name: string) => ({ logGroupName: name, retentionInDays: 90 });
    await box.aws.logs.send(new CreateLogGroupCommand({ ...ours }));
    const created = await retention.observe(box.aws, input("/ecs/ours"));
    expect(created).toEqual({ logGroupName: "/ecs/ours", retentionInDays: null, createdByUs: true });
    expect(retention.undo(input("/ecs/ours"), created, {})).toEqual([]);

    await box.aws.logs.send(new CreateLogGroupCommand({ logGroupName: "/ecs/theirs" }));
    await box.aws.logs.send(new PutRetentionPolicyCommand({ logGroupName: "/ecs/theirs", retentionInDays: 7 }));
    const theirs = await retention.observe(box.aws, input("/ecs/theirs"));
    expect(theirs).toEqual({ logGroupName: "/ecs/theirs", retentionInDays: 7, createdByUs: false });
    expect(retention.satisfied(theirs, input("/ecs/theirs"))).toBeUndefined();
    expect(retention.undo(input("/ecs/theirs"), theirs, {})).toEqual([
      { service: "logs", action: "PutRetentionPolicy", input: { logGroupName: "/ecs/theirs", retentionInDays: 7 } },
    ]);
  });
});
