// A service's recent history: its deployments and their rollout state, the events ECS wrote, and the tasks that
// stopped and why. Also the one service lookup the other observe/ reads start from (DescribeServices).
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  type Service,
  type Task,
} from "@aws-sdk/client-ecs";
import { type Aws, chunks, errorCode } from "../aws/index";
import { UsageError } from "../errors";

export interface ServiceRef {
  readonly cluster: string;
  readonly service: string;
}

/** The cluster or the service does not exist (or is INACTIVE): a name to correct, not a failure to retry. */
export class ServiceNotFoundError extends UsageError {
  override name = "ServiceNotFoundError";
  constructor(
    readonly cluster: string,
    readonly service: string,
    reason: "cluster" | "service",
  ) {
    super(
      reason === "cluster"
        ? `cluster ${cluster} not found (looking for service ${service})`
        : `service ${service} not found in cluster ${cluster}`,
    );
  }
}

/** DescribeServices for one service; an unknown cluster or service (or an INACTIVE one) throws ServiceNotFoundError. */
export async function findService(aws: Aws, ref: ServiceRef): Promise<Service> {
  let services: Service[] | undefined;
  try {
    ({ services } = await aws.ecs.send(new DescribeServicesCommand({ cluster: ref.cluster, services: [ref.service] })));
  } catch (error) {
    if (errorCode(error) === "ClusterNotFoundException")
      throw new ServiceNotFoundError(ref.cluster, ref.service, "cluster");
    throw error;
  }
  const found = services?.find((s) => s.status !== "INACTIVE");
  if (!found) throw new ServiceNotFoundError(ref.cluster, ref.service, "service");
  return found;
}

export interface DeploymentSummary {
  readonly id: string;
  /** PRIMARY (the newest), ACTIVE (being replaced) or INACTIVE. */
  readonly status: string;
  /** IN_PROGRESS, COMPLETED or FAILED; absent for deployments ECS does not track (external controllers). */
  readonly rolloutState?: string;
  readonly rolloutStateReason?: string;
  readonly taskDefinitionArn: string;
  /** `family:revision`, e.g. "my-web-app:1". */
  readonly taskDefinition: string;
  readonly revision?: number;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly pendingCount: number;
  readonly failedTasks: number;
  readonly createdAt?: Date;
  readonly updatedAt?: Date;
}

export interface ServiceEvent {
  readonly id: string;
  readonly time?: Date;
  readonly message: string;
}

export interface StoppedTask {
  readonly taskId: string;
  readonly taskArn: string;
  readonly taskDefinition: string;
  readonly revision?: number;
  readonly lastStatus?: string;
  /** "UserInitiated", "EssentialContainerExited", "TaskFailedToStart", "ServiceSchedulerInitiated", … */
  readonly stopCode?: string;
  readonly stoppedReason?: string;
  readonly startedAt?: Date;
  readonly stoppingAt?: Date;
  readonly stoppedAt?: Date;
  readonly containers: readonly { readonly name: string; readonly exitCode?: number; readonly reason?: string }[];
}

export interface DeploymentHistory {
  readonly serviceArn: string;
  readonly status: string;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly pendingCount: number;
  /** The task definition the service is set to run. */
  readonly taskDefinition: string;
  /** Newest first, as ECS lists them. */
  readonly deployments: readonly DeploymentSummary[];
  /** Newest first (ECS keeps the last 100). */
  readonly events: readonly ServiceEvent[];
  /** Stopped tasks ECS still lists (about an hour), most recently stopped first. */
  readonly stoppedTasks: readonly StoppedTask[];
}

/** Deployments, events and stopped tasks of one service (DescribeServices, ListTasks STOPPED, DescribeTasks). */
export async function deploymentHistory(aws: Aws, ref: ServiceRef): Promise<DeploymentHistory> {
  const [service, stoppedTasks] = await Promise.all([findService(aws, ref), stoppedTasksOf(aws, ref)]);
  return {
    serviceArn: service.serviceArn ?? "",
    status: service.status ?? "",
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    pendingCount: service.pendingCount ?? 0,
    taskDefinition: familyRevision(service.taskDefinition ?? ""),
    deployments: (service.deployments ?? []).map(
      (d): DeploymentSummary => ({
        id: d.id ?? "",
        status: d.status ?? "",
        ...(d.rolloutState ? { rolloutState: d.rolloutState } : {}),
        ...(d.rolloutStateReason ? { rolloutStateReason: d.rolloutStateReason } : {}),
        taskDefinitionArn: d.taskDefinition ?? "",
        taskDefinition: familyRevision(d.taskDefinition ?? ""),
        ...optionalRevision(d.taskDefinition),
        desiredCount: d.desiredCount ?? 0,
        runningCount: d.runningCount ?? 0,
        pendingCount: d.pendingCount ?? 0,
        failedTasks: d.failedTasks ?? 0,
        ...(d.createdAt ? { createdAt: d.createdAt } : {}),
        ...(d.updatedAt ? { updatedAt: d.updatedAt } : {}),
      }),
    ),
    events: (service.events ?? []).map((e) => ({
      id: e.id ?? "",
      ...(e.createdAt ? { time: e.createdAt } : {}),
      message: e.message ?? "",
    })),
    stoppedTasks,
  };
}

async function stoppedTasksOf(aws: Aws, ref: ServiceRef): Promise<StoppedTask[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const page = await aws.ecs.send(
        new ListTasksCommand({
          cluster: ref.cluster,
          serviceName: ref.service,
          desiredStatus: "STOPPED",
          ...(nextToken ? { nextToken } : {}),
        }),
      );
      arns.push(...(page.taskArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (error) {
    // findService, run alongside, reports an unknown name with the clearer error.
    if (["ClusterNotFoundException", "ServiceNotFoundException"].includes(errorCode(error))) return [];
    throw error;
  }
  const pages = await Promise.all(
    chunks(arns, 100).map((tasks) => aws.ecs.send(new DescribeTasksCommand({ cluster: ref.cluster, tasks }))),
  );
  return pages
    .flatMap((page) => page.tasks ?? [])
    .map(stoppedTask)
    .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0));
}

function stoppedTask(task: Task): StoppedTask {
  const arn = task.taskArn ?? "";
  return {
    taskId: arn.split("/").pop() ?? "",
    taskArn: arn,
    taskDefinition: familyRevision(task.taskDefinitionArn ?? ""),
    ...optionalRevision(task.taskDefinitionArn),
    ...(task.lastStatus ? { lastStatus: task.lastStatus } : {}),
    ...(task.stopCode ? { stopCode: task.stopCode } : {}),
    ...(task.stoppedReason ? { stoppedReason: task.stoppedReason } : {}),
    ...(task.startedAt ? { startedAt: task.startedAt } : {}),
    ...(task.stoppingAt ? { stoppingAt: task.stoppingAt } : {}),
    ...(task.stoppedAt ? { stoppedAt: task.stoppedAt } : {}),
    containers: (task.containers ?? []).map((c) => ({
      name: c.name ?? "",
      ...(c.exitCode === undefined ? {} : { exitCode: c.exitCode }),
      ...(c.reason ? { reason: c.reason } : {}),
    })),
  };
}

/** "arn:aws:ecs:…:task-definition/my-web-app:3" → "my-web-app:3". */
function familyRevision(arn: string): string {
  return arn.split("/").pop() ?? arn;
}

function optionalRevision(arn: string | undefined): { revision?: number } {
  const revision = Number((arn ?? "").split(":").pop());
  return Number.isInteger(revision) && revision > 0 ? { revision } : {};
}
