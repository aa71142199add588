// A triage action as a plan: stop one hot task so its service replaces it. The plan says what happens (the service
// starts a replacement; the load balancer drains the task first) and that it cannot be undone, so the on-call
// engineer reads it before deciding, keeps the evidence, and applies it like any fix.
import type { Snapshot } from "../inventory/snapshot";
import type { Change, Plan } from "./plan";
import { assemble } from "./planner";

export interface StopTaskRequest {
  readonly cluster: string;
  readonly service: string;
  /** The task's id or ARN. */
  readonly task: string;
  /** Why, as ECS records it on the stopped task (shown in the console and DescribeTasks). */
  readonly reason: string;
}

/** Pure: the plan that stops the task and waits until the service runs its full count again. */
export function planStopTask(snapshot: Snapshot, request: StopTaskRequest): Plan {
  const id = request.task.split("/").pop() ?? request.task;
  const change: Change = {
    check: "stop-task",
    resource: `task ${id}`,
    title: `stop task ${id} of ${request.service}; the service starts a replacement`,
    manual: false,
    steps: [
      {
        id: `ecs:StopTask:${id}`,
        title: `stop task ${id} (${request.reason})`,
        call: {
          service: "ecs",
          action: "StopTask",
          input: { cluster: request.cluster, task: request.task, reason: request.reason },
        },
        waitForService: { cluster: request.cluster, service: request.service },
      },
    ],
    outcome: `task ${id} is stopped and ${request.service} runs its desired count again with a fresh task`,
    risk:
      "requests in flight on the task are cut once the load balancer's deregistration delay has drained it; while the " +
      "replacement starts, the other tasks carry its share of the traffic",
    rollback: ["none: a stopped task cannot be started again (its logs, metrics and traces stay for the postmortem)"],
    notes: [
      "keep the evidence first: export this notebook (ecs-takeover export, or run --md) before stopping the task",
      "this mitigates; it does not fix the cause — if the replacement heats up too, roll back the last deployment",
    ],
    reads: [{ kind: "service", name: request.service }],
  };
  return assemble(snapshot, [change]);
}
