// The triage action: a plan that stops the hot task; applied, the task stops and its service runs a replacement.
import { DescribeServicesCommand, DescribeTasksCommand } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { planStopTask } from "../../lib/fixes/stop-task";
import { WEB } from "../../lib/sandbox/scenarios/web-service";
import { type FixSandbox, fixSandbox } from "./harness";

const TASK_B = WEB.taskIds[1];
let box: FixSandbox;
beforeAll(async () => {
  box = await fixSandbox("incident");
});
afterAll(() => box.close());

describe("planStopTask", () => {
  test("plans one StopTask with its reason, says it cannot be undone, and applied stops task B only", async () => {
    const plan = planStopTask(await box.snapshot(), {
      cluster: WEB.cluster,
      service: WEB.service,
      task: TASK_B,
      reason: "triage: CPU-bound",
    });
    const [change] = plan.changes;
    expect(change?.steps.map((s) => s.call.action)).toEqual(["StopTask"]);
    expect(change?.rollback.join(" ")).toMatch(/cannot be started again/);

    const result = await box.apply(plan);
    expect(result).toMatchObject({ applied: [`ecs:StopTask:${TASK_B}`], refused: [] });
    expect(result.failed).toBeUndefined();
    const { tasks } = await box.aws.ecs.send(
      new DescribeTasksCommand({ cluster: WEB.cluster, tasks: [...WEB.taskIds] }),
    );
    expect(tasks?.find((t) => t.taskArn?.endsWith(TASK_B))?.lastStatus).toBe("STOPPED");
    expect(tasks?.filter((t) => t.lastStatus === "RUNNING")).toHaveLength(2);
    const { services } = await box.aws.ecs.send(
      new DescribeServicesCommand({ cluster: WEB.cluster, services: [WEB.service] }),
    );
    expect(services?.[0]?.runningCount).toBe(3);

    expect((await box.apply(plan)).unchanged).toEqual([`ecs:StopTask:${TASK_B}`]);
  });
});
