// Deployment history of the incident's service through the SDK against the sandbox: deployments with their rollout
// state and revision, events, and the stopped task B with its reason; a new revision logging through FireLens.
import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  StopTaskCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Aws } from "../../lib/aws";
import { deploymentHistory, ServiceNotFoundError } from "../../lib/observe/deployments";
import { logGroupsOf } from "../../lib/observe/logs";
import { WEB } from "../../lib/sandbox/scenarios/web-service";
import { sandboxAws } from "../inventory/sandbox";

const TASK_B = WEB.taskIds[1];
const ref = { cluster: WEB.cluster, service: WEB.service };

describe("deployment history on the incident", () => {
  let aws: Aws;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ aws, close } = await sandboxAws({ scenario: "incident" }));
  });
  afterAll(() => close());

  test("one completed deployment of revision 1, and no stopped task yet", async () => {
    const history = await deploymentHistory(aws, ref);
    expect(history.taskDefinition).toBe("my-web-app:1");
    expect(history.deployments).toHaveLength(1);
    expect(history.deployments[0]).toMatchObject({ status: "PRIMARY", revision: 1, taskDefinition: "my-web-app:1" });
    expect(history.deployments[0]?.rolloutState).toBe("COMPLETED");
    expect(history.stoppedTasks).toEqual([]);
  });

  test("after StopTask of B: the stopped task with its reason and stop code", async () => {
    await aws.ecs.send(
      new StopTaskCommand({ cluster: WEB.cluster, task: TASK_B, reason: "hot task: replaced by on-call" }),
    );
    const history = await deploymentHistory(aws, ref);
    const stopped = history.stoppedTasks.find((task) => task.taskId === TASK_B);
    expect(stopped).toMatchObject({
      stoppedReason: "hot task: replaced by on-call",
      stopCode: "UserInitiated",
      taskDefinition: "my-web-app:1",
      revision: 1,
    });
    expect(stopped?.containers.map((c) => c.name)).toContain(WEB.container);
    expect(history.events.length).toBeGreaterThan(0);
    for (const event of history.events) expect(event.message).not.toBe("");
  });

  test("a new revision logging through FireLens: two deployments, and its log group from the FireLens options", async () => {
    const { taskDefinition } = await aws.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: "my-web-app:1" }),
    );
    const containers = (taskDefinition?.containerDefinitions ?? []).map((c) =>
      c.name === WEB.container
        ? {
            ...c,
            logConfiguration: {
              logDriver: "awsfirelens" as const,
              options: {
                Name: "cloudwatch_logs",
                region: "ap-northeast-1",
                log_group_name: "/ecs/my-web-app-firelens",
                log_stream_prefix: "fl-",
              },
            },
          }
        : c,
    );
    const registered = await aws.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: WEB.family,
        containerDefinitions: [
          ...containers,
          {
            name: "log_router",
            image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
            essential: true,
            firelensConfiguration: { type: "fluentbit" },
          },
        ],
        ...(taskDefinition?.taskRoleArn ? { taskRoleArn: taskDefinition.taskRoleArn } : {}),
        ...(taskDefinition?.executionRoleArn ? { executionRoleArn: taskDefinition.executionRoleArn } : {}),
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "512",
        memory: "1024",
      }),
    );
    await aws.ecs.send(
      new UpdateServiceCommand({ ...ref, taskDefinition: registered.taskDefinition?.taskDefinitionArn as string }),
    );
    const history = await deploymentHistory(aws, ref);
    expect(history.taskDefinition).toBe("my-web-app:2");
    expect(history.deployments.map((d) => d.revision)).toEqual([2, 1]);
    const logs = await logGroupsOf(aws, ref);
    expect(logs.destinations).toContainEqual({
      container: WEB.container,
      driver: "awsfirelens",
      logGroup: "/ecs/my-web-app-firelens",
      streamPrefix: "fl-",
      region: "ap-northeast-1",
    });
    expect(logs.elsewhere).toEqual([{ container: "log_router" }]);
  });

  test("an unknown service or cluster is a typed error", async () => {
    await expect(deploymentHistory(aws, { ...ref, service: "nope" })).rejects.toBeInstanceOf(ServiceNotFoundError);
    await expect(deploymentHistory(aws, { ...ref, cluster: "nope" })).rejects.toThrow(/cluster nope not found/);
  });
});
