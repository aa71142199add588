// Each observability fix applied on a fresh `inherited` sandbox: the check then passes and the new telemetry shows
// up (DESIGN §3), a second apply changes nothing, and rollback makes the check fail again the way it did. The fixes
// the inherited service does not fail (blocking logs, a group without retention, an X-Ray daemon) are applied after
// another client has made the service fail them.
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import {
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  type ContainerDefinition,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { GetRolePolicyCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { GetTraceSummariesCommand } from "@aws-sdk/client-xray";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { waitForDeployment } from "../../../lib/fixes/apply";
import { WEB } from "../../../lib/sandbox/scenarios/web-service";
import { type FixSandbox, fixSandbox, roundTrip } from "../harness";

let box: FixSandbox;
beforeEach(async () => {
  box = await fixSandbox();
});
afterEach(async () => {
  await box.close();
});

const GROUP = "/ecs/my-web-app";

async function serviceRevision(): Promise<string | undefined> {
  const { services } = await box.aws.ecs.send(
    new DescribeServicesCommand({ cluster: WEB.cluster, services: [WEB.service] }),
  );
  return services?.[0]?.taskDefinition?.split("/").pop();
}

async function containersOf(revision: string | undefined): Promise<ContainerDefinition[]> {
  const { taskDefinition } = await box.aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: revision }));
  return taskDefinition?.containerDefinitions ?? [];
}

async function logGroup(name: string) {
  const { logGroups } = await box.aws.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  return logGroups?.find((g) => g.logGroupName === name);
}

async function streamsOf(group: string): Promise<string[]> {
  const { logStreams } = await box.aws.logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
  return (logStreams ?? []).map((s) => s.logStreamName ?? "").sort();
}

/** Lets the sandbox's clock run (one second per request) so that minutes of telemetry pass. */
async function letTimePass(seconds: number): Promise<void> {
  for (let i = 0; i < seconds; i++) await box.aws.sts.send(new GetCallerIdentityCommand({}));
}

/** Registers a revision of the running one with its containers changed, and deploys it (another client's change). */
async function deployRevision(change: (containers: ContainerDefinition[]) => ContainerDefinition[]): Promise<void> {
  const { taskDefinition } = await box.aws.ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: await serviceRevision() }),
  );
  if (!taskDefinition) throw new Error("no task definition");
  const { taskDefinitionArn, containerDefinitions, family, taskRoleArn, executionRoleArn, networkMode, cpu, memory } =
    taskDefinition;
  const registered = await box.aws.ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      taskRoleArn,
      executionRoleArn,
      networkMode,
      cpu,
      memory,
      requiresCompatibilities: ["FARGATE"],
      containerDefinitions: change(containerDefinitions ?? []),
    }),
  );
  expect(registered.taskDefinition?.taskDefinitionArn).not.toBe(taskDefinitionArn);
  await box.aws.ecs.send(
    new UpdateServiceCommand({
      cluster: WEB.cluster,
      service: WEB.service,
      taskDefinition: registered.taskDefinition?.taskDefinitionArn,
    }),
  );
  expect(await waitForDeployment(box.aws, { cluster: WEB.cluster, service: WEB.service })).toBeUndefined();
}

const withAwslogs = (options: Record<string, string>) => (containers: ContainerDefinition[]) =>
  containers.map((c) => ({
    ...c,
    logConfiguration: {
      logDriver: "awslogs" as const,
      options: {
        "awslogs-group": GROUP,
        "awslogs-region": "ap-northeast-1",
        "awslogs-stream-prefix": "app",
        ...options,
      },
    },
  }));

describe("observability fixes on the inherited sandbox", () => {
  test("container-insights-off: enhanced, and per-task performance events appear; rollback disables it", async () => {
    const settings = async () => {
      const { clusters } = await box.aws.ecs.send(
        new DescribeClustersCommand({ clusters: [WEB.cluster], include: ["SETTINGS"] }),
      );
      return clusters?.[0]?.settings;
    };
    const performance = `/aws/ecs/containerinsights/${WEB.cluster}/performance`;
    expect(await logGroup(performance)).toBeUndefined();
    const { after } = await roundTrip(box, "container-insights-off", settings);
    expect(after).toEqual([{ name: "containerInsights", value: "enhanced" }]);
    // ECS made the performance group when the setting went on; each running task writes its stream.
    const streams = await streamsOf(performance);
    expect(streams).toEqual(WEB.taskIds.map((id) => `FargateTelemetry-${id}`).sort());
    await letTimePass(65);
    const { events } = await box.aws.logs.send(
      new GetLogEventsCommand({ logGroupName: performance, logStreamName: streams[0] }),
    );
    expect(events?.length).toBeGreaterThan(0);
    expect(JSON.parse(events?.[0]?.message ?? "{}")).toMatchObject({ Type: "Task", ClusterName: WEB.cluster });
  });

  test("logging-missing: awslogs to /ecs/my-web-app, 90 days; the new tasks write their access logs there", async () => {
    const state = async () => ({ revision: await serviceRevision() });
    const { plan } = await roundTrip(box, "logging-missing", state);
    // Rolled back: the service runs my-web-app:1 again, and the group made by this plan stays as it was made.
    const kept = await logGroup(GROUP);
    expect(kept?.retentionInDays).toBe(90);
    expect((await box.verdicts("log-retention-unset")).map((v) => v.status)).toEqual(["pass"]);
    // The revision the plan deployed is still registered: what its tasks wrote stays readable.
    const register = plan.changes.find((c) => c.check === "deploy")?.steps[0]?.id;
    expect(register).toBe("ecs:RegisterTaskDefinition:my-web-app");
    const app = (await containersOf("my-web-app:2")).find((c) => c.name === WEB.container);
    expect(app?.logConfiguration).toEqual({
      logDriver: "awslogs",
      options: {
        "awslogs-group": GROUP,
        "awslogs-region": "ap-northeast-1",
        "awslogs-stream-prefix": "ecs",
        mode: "non-blocking",
        "max-buffer-size": "25m",
      },
    });
    const streams = await streamsOf(GROUP);
    expect(streams.length).toBeGreaterThanOrEqual(3);
    expect(streams.every((s) => s.startsWith(`ecs/${WEB.container}/`))).toBe(true);
    const { events } = await box.aws.logs.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: streams[0], startFromHead: true }),
    );
    expect(events?.length).toBeGreaterThan(0);
    expect(events?.[0]?.message).toMatch(/"(GET|POST) \S+" \d{3} \d+ms/);
  });

  test("tracing-missing: an ADOT collector the app starts after, X-Ray permissions, and traces arrive", async () => {
    const policy = async () =>
      (
        await box.aws.iam
          .send(new GetRolePolicyCommand({ RoleName: WEB.taskRole, PolicyName: "ecs-takeover-xray" }))
          .catch(() => undefined)
      )?.PolicyDocument;
    const state = async () => ({ revision: await serviceRevision(), policy: await policy() });
    const traces = async (from: Date, to: Date) =>
      (await box.aws.xray.send(new GetTraceSummariesCommand({ StartTime: from, EndTime: to }))).TraceSummaries ?? [];
    const startedAt = await box.aws.serviceNow();
    expect(await traces(new Date(startedAt.getTime() - 3_600_000), startedAt)).toEqual([]);
    const { after } = await roundTrip(box, "tracing-missing", state);
    expect(after).toMatchObject({ revision: "my-web-app:2" });
    expect(JSON.parse(decodeURIComponent(String((after as { policy: string }).policy)))).toMatchObject({
      Statement: [{ Effect: "Allow", Resource: "*", Action: expect.arrayContaining(["xray:PutTraceSegments"]) }],
    });
    const containers = await containersOf("my-web-app:2");
    expect(containers.map((c) => c.name)).toEqual([WEB.container, "aws-otel-collector"]);
    expect(containers[0]?.dependsOn).toEqual([{ containerName: "aws-otel-collector", condition: "START" }]);
    // No trace before; the requests the collector's tasks served while they ran (until the rollback) were traced.
    expect((await traces(startedAt, await box.aws.serviceNow())).length).toBeGreaterThan(0);
  });

  test("alarms-missing: 5xx, p99 latency and CPU alarms; rollback deletes them", async () => {
    const alarms = async () => {
      const { MetricAlarms } = await box.aws.cloudWatch.send(new DescribeAlarmsCommand({}));
      return (MetricAlarms ?? []).map((a) => [a.AlarmName, a.MetricName, a.Dimensions?.map((d) => d.Name)]);
    };
    const { after } = await roundTrip(box, "alarms-missing", alarms);
    expect(after).toEqual([
      ["my-web-service-cpu-high", "CPUUtilization", ["ClusterName", "ServiceName"]],
      ["my-web-service-target-5xx", "HTTPCode_Target_5XX_Count", ["LoadBalancer", "TargetGroup"]],
      ["my-web-service-target-latency-p99", "TargetResponseTime", ["LoadBalancer", "TargetGroup"]],
    ]);
  });

  test("logging-blocking: a deployed revision in blocking mode goes non-blocking; rollback brings it back", async () => {
    await box.aws.logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    await deployRevision(withAwslogs({ mode: "blocking" }));
    const state = async () => ({ revision: await serviceRevision() });
    await roundTrip(box, "logging-blocking", state);
    const options = (await containersOf("my-web-app:3"))[0]?.logConfiguration?.options;
    expect(options).toMatchObject({ "awslogs-stream-prefix": "app", mode: "non-blocking", "max-buffer-size": "25m" });
  });

  test("log-retention-unset: someone's group gets 90 days; rollback takes the retention away again", async () => {
    await box.aws.logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    await deployRevision(withAwslogs({}));
    const retention = async () => (await logGroup(GROUP))?.retentionInDays ?? null;
    const { after } = await roundTrip(box, "log-retention-unset", retention);
    expect(after).toBe(90);
  });

  test("xray-daemon-eos: the X-Ray daemon is replaced by the ADOT collector; rollback brings the daemon back", async () => {
    await deployRevision((containers) => [
      ...containers.map((c) => ({ ...c, dependsOn: [{ containerName: "xray-daemon", condition: "START" as const }] })),
      {
        name: "xray-daemon",
        image: "amazon/aws-xray-daemon:3.3.12",
        essential: false,
        portMappings: [{ containerPort: 2000, protocol: "udp" as const }],
      },
    ]);
    const state = async () => ({ revision: await serviceRevision() });
    await roundTrip(box, "xray-daemon-eos", state);
    const containers = await containersOf("my-web-app:3");
    expect(containers.map((c) => c.name)).toEqual([WEB.container, "aws-otel-collector"]);
    expect(containers[0]?.dependsOn).toEqual([{ containerName: "aws-otel-collector", condition: "START" }]);
  });

  test("all of them in one plan: one new revision, every check passes, and rollback restores the service", async () => {
    const checks = ["container-insights-off", "logging-missing", "tracing-missing", "alarms-missing"];
    const plan = await box.plan(checks);
    expect(plan.changes.filter((c) => c.check === "deploy")).toHaveLength(1);
    const result = await box.apply(plan);
    expect(result.failed).toBeUndefined();
    expect(result.refused).toEqual([]);
    for (const check of checks) expect((await box.verdicts(check)).map((v) => v.status)).toEqual(["pass"]);
    expect(await serviceRevision()).toBe("my-web-app:2");
    // The app had no awslogs when the plan was made, so the collector it adds has no log configuration (its notes say so).
    const containers = await containersOf("my-web-app:2");
    expect(containers.map((c) => c.name)).toEqual([WEB.container, "aws-otel-collector"]);
    expect(containers[0]?.logConfiguration?.logDriver).toBe("awslogs");
    expect(containers[1]?.logConfiguration).toBeUndefined();
    expect((await box.apply(plan)).applied).toEqual([]);
    expect((await box.rollback(plan)).failed).toBeUndefined();
    expect(await serviceRevision()).toBe("my-web-app:1");
    for (const check of checks) {
      expect((await box.verdicts(check)).filter((v) => v.status === "fail").length).toBeGreaterThan(0);
    }
  });
});
