// ECS tasks: starting and stopping them (each awsvpc task with its ENI, from ecs-enis.ts), and ListTasks,
// DescribeTasks, StopTask. Scenario builders use startTask directly to seed tasks with fixed ids.
import type {
  Container,
  DescribeTasksRequest,
  DescribeTasksResponse,
  Failure,
  LaunchType,
  ListTasksRequest,
  ListTasksResponse,
  NetworkConfiguration,
  Service,
  StopTaskRequest,
  StopTaskResponse,
  Task,
  TaskStopCode,
} from "@aws-sdk/client-ecs";
import { AwsError, type RequestContext } from "../service";
import type { SandboxState } from "../state";
import {
  clusterArn,
  containerArn,
  type IdSource,
  newTaskId,
  newUuid,
  shortName,
  taskArn as taskArnOf,
} from "./ecs-arns";
import { createTaskEni, deleteTaskEni } from "./ecs-enis";
import { page } from "./ecs-paging";
import { findService, findTask, findTaskDefinition, requireCluster, requireService, tagsOf } from "./ecs-state";

/** Clock seconds from a task's creation until it is RUNNING (image pull and start). */
export const TASK_START_SECONDS = 30;

/** The Fargate platform version "LATEST" resolves to for Linux tasks. */
export const LATEST_PLATFORM_VERSION = "1.4.0";

export interface StartTaskOptions {
  /** Cluster name. */
  cluster: string;
  /** The task definition to run (family:revision or ARN); defaults to the service's. */
  taskDefinition?: string;
  /** Service name: the task then takes the service's network configuration, launch type and platform version. */
  service?: string;
  /** A fixed 32-hex task id (scenarios); drawn from the id source otherwise. */
  id?: string;
  /** Defaults to the service's PRIMARY deployment id. */
  startedBy?: string;
  networkConfiguration?: NetworkConfiguration;
  platformVersion?: string;
  launchType?: LaunchType;
  /** "RUNNING" (the default, for seeding) backdates creation by TASK_START_SECONDS; "PENDING" starts now. */
  lastStatus?: "PENDING" | "RUNNING";
  /** Which of the configured subnets to place the ENI in; spread over them by default. */
  subnetId?: string;
  privateIpv4Address?: string;
  publicIp?: string;
  enableExecuteCommand?: boolean;
}

/** Starts a task (and its ENI) in `state`; returns the stored task. */
export function startTask(state: SandboxState, ids: IdSource, options: StartTaskOptions): Task {
  const service = options.service ? findService(state.ecs, options.cluster, options.service) : undefined;
  if (options.service && !service)
    throw new Error(`startTask: unknown service ${options.service} in ${options.cluster}`);
  const definitionName = options.taskDefinition ?? service?.taskDefinition;
  const definition = definitionName ? findTaskDefinition(state.ecs, definitionName) : undefined;
  if (!definition?.taskDefinitionArn || !definition.family) {
    throw new Error(`startTask: unknown task definition ${definitionName ?? "(none)"}`);
  }
  const primary = service?.deployments?.find((d) => d.status === "PRIMARY");
  const id = options.id ?? newTaskId(ids);
  const arn = taskArnOf(state, options.cluster, id);
  const tasks = state.ecs.tasks[options.cluster] ?? [];
  state.ecs.tasks[options.cluster] = tasks;
  const group = service?.serviceName ? `service:${service.serviceName}` : `family:${definition.family}`;
  const running = (options.lastStatus ?? "RUNNING") === "RUNNING";
  const createdAt = running ? secondsAfter(ids.now, -TASK_START_SECONDS) : ids.now;

  const awsvpc = (options.networkConfiguration ?? primary?.networkConfiguration ?? service?.networkConfiguration)
    ?.awsvpcConfiguration;
  const placedIn = tasks.filter((t) => t.group === group).length;
  const attachment = awsvpc ? createTaskEni(state, ids, awsvpc, placedIn, options) : undefined;

  const privateIp = attachment?.details.find((d) => d.name === "privateIPv4Address")?.value;
  const containers: Container[] = (definition.containerDefinitions ?? []).map((c) => ({
    containerArn: containerArn(state, options.cluster, id, newUuid(ids)),
    taskArn: arn,
    name: c.name,
    image: c.image,
    runtimeId: `${id}-${Number.parseInt(ids.hex(8), 16).toString().padStart(10, "0")}`,
    lastStatus: "PENDING",
    networkBindings: [],
    networkInterfaces: attachment ? [{ attachmentId: attachment.id, privateIpv4Address: privateIp }] : [],
    healthStatus: "UNKNOWN",
    cpu: String(c.cpu ?? 0),
    ...(c.memory !== undefined ? { memory: String(c.memory) } : {}),
  }));
  const platformVersion = options.platformVersion ?? primary?.platformVersion ?? service?.platformVersion;
  const launchType = options.launchType ?? service?.launchType ?? "FARGATE";

  const task: Task = {
    attachments: attachment
      ? [{ id: attachment.id, type: "ElasticNetworkInterface", status: "ATTACHED", details: attachment.details }]
      : [],
    attributes: [{ name: "ecs.cpu-architecture", value: "x86_64" }],
    availabilityZone: attachment?.availabilityZone ?? `${state.region}a`,
    clusterArn: clusterArn(state, options.cluster),
    connectivity: "CONNECTED",
    connectivityAt: createdAt,
    containers,
    cpu: definition.cpu,
    createdAt,
    desiredStatus: "RUNNING",
    enableExecuteCommand: options.enableExecuteCommand ?? service?.enableExecuteCommand ?? false,
    group,
    healthStatus: "UNKNOWN",
    lastStatus: "PENDING",
    launchType,
    memory: definition.memory,
    overrides: {
      containerOverrides: containers.map((c) => ({ name: c.name })),
      inferenceAcceleratorOverrides: [],
    },
    ...(launchType === "FARGATE"
      ? {
          platformVersion: !platformVersion || platformVersion === "LATEST" ? LATEST_PLATFORM_VERSION : platformVersion,
          platformFamily: "Linux",
          ephemeralStorage: { sizeInGiB: 20 },
        }
      : {}),
    startedBy: options.startedBy ?? primary?.id,
    taskArn: arn,
    taskDefinitionArn: definition.taskDefinitionArn,
    version: 1,
  };
  tasks.push(task);
  if (running) markRunning(task);
  return task;
}

/** Moves a task to RUNNING with the timeline a Fargate task has: pulled and started TASK_START_SECONDS after creation. */
export function markRunning(task: Task): void {
  const created = task.createdAt ?? new Date(0);
  task.pullStartedAt = secondsAfter(created, 10);
  task.pullStoppedAt = secondsAfter(created, 20);
  task.startedAt = secondsAfter(created, TASK_START_SECONDS);
  task.lastStatus = "RUNNING";
  task.version = (task.version ?? 1) + 2;
  for (const container of task.containers ?? []) container.lastStatus = "RUNNING";
}

export interface StopTaskOptions {
  reason: string;
  stopCode: TaskStopCode;
  /** When it stopped; the id source's clock by default. */
  at?: Date;
}

/** Stops a task now: STOPPED, with its reason and times; its ENI is deleted from the EC2 slice. */
export function stopTask(state: SandboxState, ids: IdSource, task: Task, options: StopTaskOptions): Task {
  const at = options.at ?? ids.now;
  task.desiredStatus = "STOPPED";
  task.lastStatus = "STOPPED";
  task.stopCode = options.stopCode;
  task.stoppedReason = options.reason;
  task.stoppingAt = at;
  task.executionStoppedAt = at;
  task.stoppedAt = at;
  task.version = (task.version ?? 1) + 2;
  for (const container of task.containers ?? []) {
    container.lastStatus = "STOPPED";
    if (task.startedAt) container.exitCode = options.stopCode === "EssentialContainerExited" ? 1 : 0;
  }
  for (const attachment of task.attachments ?? []) {
    if (attachment.type !== "ElasticNetworkInterface") continue;
    attachment.status = "DELETED";
    deleteTaskEni(state, attachment.details?.find((d) => d.name === "networkInterfaceId")?.value);
  }
  return task;
}

/** The task id (last ARN segment) for event messages. */
export const taskIdOf = (task: Task): string => shortName(task.taskArn ?? "");

export const secondsAfter = (date: Date, seconds: number): Date => new Date(date.getTime() + seconds * 1000);

/** The tasks of one service that are meant to run (desiredStatus RUNNING). */
export function serviceTasks(state: SandboxState, cluster: string, service: Service): Task[] {
  const group = `service:${service.serviceName}`;
  return (state.ecs.tasks[cluster] ?? []).filter((t) => t.group === group && t.desiredStatus === "RUNNING");
}

/** ListTasks: the cluster's tasks by desired status (RUNNING unless asked), service, family, starter, launch type. */
export function listTasks(request: ListTasksRequest, context: RequestContext): ListTasksResponse {
  const ecs = context.state.ecs;
  const { name } = requireCluster(ecs, request.cluster);
  const group = request.serviceName
    ? `service:${requireService(ecs, name, request.serviceName).serviceName}`
    : undefined;
  const desiredStatus = request.desiredStatus ?? "RUNNING";
  const arns = (ecs.tasks[name] ?? [])
    .filter(
      (t) =>
        t.desiredStatus === desiredStatus &&
        (group === undefined || t.group === group) &&
        (request.family === undefined || familyOf(t) === request.family) &&
        (request.startedBy === undefined || t.startedBy === request.startedBy) &&
        (request.launchType === undefined || t.launchType === request.launchType),
    )
    .map((t) => t.taskArn ?? "");
  const { items, ...more } = page("ListTasks", arns, request);
  return { taskArns: items, ...more };
}

/** DescribeTasks: up to 100 ids or ARNs; unknown ones come back as failures (reason MISSING). */
export function describeTasks(request: DescribeTasksRequest, context: RequestContext): DescribeTasksResponse {
  const ecs = context.state.ecs;
  const { name } = requireCluster(ecs, request.cluster);
  const wanted = request.tasks ?? [];
  if (wanted.length === 0) throw new AwsError("InvalidParameterException", "Tasks cannot be empty.");
  if (wanted.length > 100) throw new AwsError("InvalidParameterException", "Tasks cannot be longer than 100.");
  const withTags = request.include?.includes("TAGS") ?? false;
  const tasks: Task[] = [];
  const failures: Failure[] = [];
  for (const identifier of wanted) {
    const task = findTask(ecs, name, identifier);
    if (!task) {
      failures.push({
        arn: identifier.startsWith("arn:") ? identifier : taskArnOf(context.state, name, identifier),
        reason: "MISSING",
      });
    } else {
      tasks.push(withTags ? { ...task, tags: tagsOf(ecs, task.taskArn) } : task);
    }
  }
  return { tasks, failures };
}

/** StopTask: the task stops at once; a service's scheduler starts its replacement on the next tick. */
export function stopTaskOperation(request: StopTaskRequest, context: RequestContext): StopTaskResponse {
  const { name } = requireCluster(context.state.ecs, request.cluster);
  const task = request.task ? findTask(context.state.ecs, name, request.task) : undefined;
  if (!task) throw new AwsError("InvalidParameterException", "The referenced task was not found.");
  if (task.desiredStatus !== "STOPPED") {
    stopTask(context.state, context, task, {
      reason: request.reason ?? "Task stopped by user",
      stopCode: "UserInitiated",
    });
    context.changed();
  }
  return { task };
}

/** The family of a task's definition (`…:task-definition/family:3` → `family`). */
function familyOf(task: Task): string {
  const name = shortName(task.taskDefinitionArn ?? "");
  return name.slice(0, name.lastIndexOf(":"));
}
