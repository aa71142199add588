// The service scheduler, driven by the virtual clock: it keeps each service's PRIMARY deployment at its desired
// count (replacing stopped tasks), brings new tasks to RUNNING, and completes rolling deployments.
//
// Timeline of a deployment started at t (UpdateService with a new task definition, network configuration,
// platform version or forceNewDeployment):
//   t        PRIMARY deployment (rolloutState IN_PROGRESS), the previous one becomes ACTIVE; new tasks PENDING
//   t + 30 s new tasks RUNNING (TASK_START_SECONDS)
//   t + 60 s old tasks STOPPED ("Scaling activity initiated by (deployment …)"), old deployments removed,
//            the PRIMARY one COMPLETED, and the service reaches a steady state (DEPLOYMENT_SECONDS)
// A stopped task is replaced on the next tick and RUNNING TASK_START_SECONDS later.
import type { Deployment, NetworkConfiguration, Service, Task } from "@aws-sdk/client-ecs";
import type { SandboxState } from "../state";
import { retireTask } from "../telemetry/model";
import { type IdSource, newDeploymentId, newUuid } from "./ecs-arns";
import { markRunning, secondsAfter, startTask, stopTask, TASK_START_SECONDS, taskIdOf } from "./ecs-tasks";

/** Clock seconds from the start of a deployment until it completes (when its new tasks are RUNNING by then). */
export const DEPLOYMENT_SECONDS = 60;

/** How long stopped tasks stay visible to ListTasks/DescribeTasks, as in ECS (at least an hour). */
export const STOPPED_TASK_RETENTION_SECONDS = 3600;

/** Services keep their newest events first, and ECS returns at most this many. */
const MAX_EVENTS = 100;

/** What a new deployment runs: the service's configuration at the time it starts. */
export function newDeployment(ids: IdSource, service: Service, rolloutState: "IN_PROGRESS" | "COMPLETED"): Deployment {
  const id = newDeploymentId(ids);
  return {
    id,
    status: "PRIMARY",
    taskDefinition: service.taskDefinition,
    desiredCount: service.desiredCount ?? 0,
    pendingCount: 0,
    runningCount: 0,
    failedTasks: 0,
    createdAt: ids.now,
    updatedAt: ids.now,
    ...(service.launchType ? { launchType: service.launchType } : {}),
    ...(service.platformVersion ? { platformVersion: service.platformVersion, platformFamily: "Linux" } : {}),
    ...(service.networkConfiguration ? { networkConfiguration: normalizeNetwork(service.networkConfiguration) } : {}),
    rolloutState,
    rolloutStateReason: `ECS deployment ${id} ${rolloutState === "COMPLETED" ? "completed" : "in progress"}.`,
  };
}

/** Starts a rolling deployment of the service's current configuration; the previous PRIMARY becomes ACTIVE. */
export function startDeployment(ids: IdSource, service: Service): Deployment {
  const deployment = newDeployment(ids, service, "IN_PROGRESS");
  for (const previous of service.deployments ?? []) {
    if (previous.status === "PRIMARY") {
      previous.status = "ACTIVE";
      previous.updatedAt = ids.now;
    }
  }
  service.deployments = [deployment, ...(service.deployments ?? [])];
  return deployment;
}

export function addServiceEvent(ids: IdSource, service: Service, message: string): void {
  service.events = [{ id: newUuid(ids), createdAt: ids.now, message }, ...(service.events ?? [])].slice(0, MAX_EVENTS);
}

/** One scheduler pass over every ACTIVE service and the stopped tasks; true when anything changed. */
export function advanceServices(state: SandboxState, ids: IdSource): boolean {
  let changed = pruneStoppedTasks(state, ids.now);
  for (const [cluster, services] of Object.entries(state.ecs.services)) {
    const byGroup = new Map<string, Task[]>();
    for (const task of state.ecs.tasks[cluster] ?? []) {
      if (task.desiredStatus !== "RUNNING" || !task.group) continue;
      const group = byGroup.get(task.group);
      if (group) group.push(task);
      else byGroup.set(task.group, [task]);
    }
    for (const service of services) {
      if (service.status !== "ACTIVE") continue;
      const tasks = byGroup.get(`service:${service.serviceName}`) ?? [];
      if (advanceService(state, ids, cluster, service, tasks)) changed = true;
    }
  }
  return changed;
}

function advanceService(state: SandboxState, ids: IdSource, cluster: string, service: Service, tasks: Task[]): boolean {
  const primary = service.deployments?.find((d) => d.status === "PRIMARY");
  if (!primary) return false;
  const name = service.serviceName;
  let changed = false;

  const ready = tasks.filter(
    (t) => t.lastStatus === "PENDING" && secondsAfter(t.createdAt ?? ids.now, TASK_START_SECONDS) <= ids.now,
  );
  for (const task of ready) markRunning(task);
  if (ready.length > 0) {
    changed = true;
    targetEvents(ids, service, "registered", ready.length);
  }

  let live = tasks.filter((t) => t.desiredStatus === "RUNNING");
  const own = live.filter((t) => t.startedBy === primary.id);
  const missing = (primary.desiredCount ?? 0) - own.length;
  if (missing > 0) {
    const started = launch(state, ids, cluster, service, primary.id, missing);
    live = [...live, ...started];
    if (started.length > 0) {
      addServiceEvent(ids, service, `(service ${name}) has started ${started.length} tasks: ${taskList(started)}.`);
      changed = true;
    }
  } else if (missing < 0) {
    const extra = own.slice(missing);
    stopAll(state, ids, service, extra, primary.id);
    live = live.filter((t) => !extra.includes(t));
    changed = true;
  }

  const completing =
    primary.rolloutState === "IN_PROGRESS" &&
    secondsAfter(primary.createdAt ?? ids.now, DEPLOYMENT_SECONDS) <= ids.now &&
    live.filter((t) => t.startedBy === primary.id && t.lastStatus === "RUNNING").length === (primary.desiredCount ?? 0);
  if (completing) {
    const old = live.filter((t) => t.startedBy !== primary.id);
    for (const deployment of service.deployments ?? []) {
      if (deployment === primary) continue;
      stopAll(
        state,
        ids,
        service,
        old.filter((t) => t.startedBy === deployment.id),
        deployment.id ?? primary.id,
      );
    }
    stopAll(
      state,
      ids,
      service,
      old.filter((t) => !service.deployments?.some((d) => d !== primary && d.id === t.startedBy)),
      primary.id,
    );
    live = live.filter((t) => t.startedBy === primary.id);
    service.deployments = [primary];
    primary.rolloutState = "COMPLETED";
    primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
    primary.updatedAt = ids.now;
    addServiceEvent(ids, service, `(service ${name}) (deployment ${primary.id}) deployment completed.`);
    changed = true;
  }

  if (!changed) return false;
  countTasks(service, live, ids.now);
  const steady =
    primary.rolloutState === "COMPLETED" &&
    service.deployments?.length === 1 &&
    service.runningCount === service.desiredCount &&
    service.pendingCount === 0;
  if (steady) addServiceEvent(ids, service, `(service ${name}) has reached a steady state.`);
  return true;
}

/**
 * Starts `count` PENDING tasks for a deployment. A launch that fails (a subnet deleted since) is reported as a
 * service event, once, as ECS does, instead of failing the request that happened to tick.
 */
function launch(
  state: SandboxState,
  ids: IdSource,
  cluster: string,
  service: Service,
  deploymentId: string | undefined,
  count: number,
): Task[] {
  const started: Task[] = [];
  try {
    for (let i = 0; i < count; i++) {
      started.push(
        startTask(state, ids, {
          cluster,
          service: service.serviceName,
          lastStatus: "PENDING",
          startedBy: deploymentId,
        }),
      );
    }
  } catch (error) {
    const message = `(service ${service.serviceName}) failed to launch a task with (error ${error instanceof Error ? error.message : String(error)}).`;
    if (service.events?.[0]?.message !== message) addServiceEvent(ids, service, message);
  }
  return started;
}

/** Stops tasks as the scheduler does, naming the deployment whose scaling stopped them. */
function stopAll(
  state: SandboxState,
  ids: IdSource,
  service: Service,
  tasks: Task[],
  deploymentId: string | undefined,
) {
  if (tasks.length === 0) return;
  for (const task of tasks) {
    stopTask(state, ids, task, {
      reason: `Scaling activity initiated by (deployment ${deploymentId})`,
      stopCode: "ServiceSchedulerInitiated",
    });
  }
  targetEvents(ids, service, "deregistered", tasks.length);
  addServiceEvent(
    ids,
    service,
    `(service ${service.serviceName}) has stopped ${tasks.length} running tasks: ${taskList(tasks)}.`,
  );
}

/** Running/pending counts of the service and of each of its deployments. */
export function countTasks(service: Service, live: readonly Task[], now: Date): void {
  service.runningCount = live.filter((t) => t.lastStatus === "RUNNING").length;
  service.pendingCount = live.filter((t) => t.lastStatus !== "RUNNING").length;
  for (const deployment of service.deployments ?? []) {
    const own = live.filter((t) => t.startedBy === deployment.id);
    const running = own.filter((t) => t.lastStatus === "RUNNING").length;
    if (deployment.runningCount !== running || deployment.pendingCount !== own.length - running) {
      deployment.runningCount = running;
      deployment.pendingCount = own.length - running;
      deployment.updatedAt = now;
    }
  }
}

/** The load balancer side of task changes, as ECS reports it in the service's events. */
function targetEvents(ids: IdSource, service: Service, verb: "registered" | "deregistered", count: number): void {
  for (const lb of service.loadBalancers ?? []) {
    if (!lb.targetGroupArn) continue;
    addServiceEvent(
      ids,
      service,
      `(service ${service.serviceName}) ${verb} ${count} targets in (target-group ${lb.targetGroupArn})`,
    );
  }
}

const taskList = (tasks: readonly Task[]): string => tasks.map((t) => `(task ${taskIdOf(t)})`).join(" ");

function pruneStoppedTasks(state: SandboxState, now: Date): boolean {
  let changed = false;
  for (const [cluster, tasks] of Object.entries(state.ecs.tasks)) {
    const visible = (t: Task) =>
      t.lastStatus !== "STOPPED" || !t.stoppedAt || secondsAfter(t.stoppedAt, STOPPED_TASK_RETENTION_SECONDS) > now;
    const kept = tasks.filter(visible);
    // ECS forgets a task an hour after it stopped; its metrics, logs and traces stay.
    for (const task of tasks) if (!visible(task)) retireTask(state, cluster, task);
    if (kept.length !== tasks.length) {
      state.ecs.tasks[cluster] = kept;
      changed = true;
    }
  }
  return changed;
}

/** A network configuration as ECS stores it (a copy, with assignPublicIp spelled out). */
export function normalizeNetwork(network: NetworkConfiguration): NetworkConfiguration {
  const awsvpc = network.awsvpcConfiguration;
  if (!awsvpc) return {};
  return {
    awsvpcConfiguration: {
      subnets: [...(awsvpc.subnets ?? [])],
      securityGroups: [...(awsvpc.securityGroups ?? [])],
      assignPublicIp: awsvpc.assignPublicIp ?? "DISABLED",
    },
  };
}
