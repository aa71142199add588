// Ecs: the operation table over the ECS slice of the state. Each handler lives beside its resource in ecs-*.ts;
// the scheduler (ecs-deployments.ts) moves deployments and replacements on with the virtual clock at every tick.
import type { Handler, RequestContext, ServiceDefinition } from "../service";
import type { SandboxState } from "../state";
import {
  deleteAccountSetting,
  listAccountSettings,
  putAccountSettingDefault,
  putAccountSettingOperation,
} from "./ecs-account-settings";
import { describeClusters, listClusters, updateClusterSettings } from "./ecs-clusters";
import { advanceServices } from "./ecs-deployments";
import { describeServices, listServices, updateService } from "./ecs-services";
import { listTagsForResource, tagResource, untagResource } from "./ecs-tags";
import {
  deregisterTaskDefinition,
  describeTaskDefinition,
  listTaskDefinitionFamilies,
  listTaskDefinitions,
  registerTaskDefinitionOperation,
} from "./ecs-task-definitions";
import { describeTasks, listTasks, stopTaskOperation } from "./ecs-tasks";

export { putAccountSetting } from "./ecs-account-settings";
export { attachmentArn, clusterArn, type IdSource, serviceArn, taskArn, taskDefinitionArn } from "./ecs-arns";
export { type PutClusterOptions, putCluster } from "./ecs-clusters";
export { DEPLOYMENT_SECONDS, STOPPED_TASK_RETENTION_SECONDS } from "./ecs-deployments";
export { FARGATE_ENI_REQUESTER_ID } from "./ecs-enis";
export { type CreateServiceOptions, createService } from "./ecs-services";
export { type EcsState, emptyEcsState } from "./ecs-state";
export { registerTaskDefinition } from "./ecs-task-definitions";
export { type StartTaskOptions, type StopTaskOptions, startTask, stopTask, TASK_START_SECONDS } from "./ecs-tasks";

/** A handler over the SDK's own request type (the protocol adapter has already shaped the input that way). */
function op<Request>(handle: (request: Request, context: RequestContext) => unknown): Handler {
  return (input, context) => handle(input as Request, context);
}

export const ecsService: ServiceDefinition = {
  signingName: "ecs",
  protocol: "awsJson1_1",
  handlers: {
    ListClusters: op(listClusters),
    DescribeClusters: op(describeClusters),
    UpdateClusterSettings: op(updateClusterSettings),
    ListServices: op(listServices),
    DescribeServices: op(describeServices),
    UpdateService: op(updateService),
    ListTasks: op(listTasks),
    DescribeTasks: op(describeTasks),
    StopTask: op(stopTaskOperation),
    ListTaskDefinitionFamilies: op(listTaskDefinitionFamilies),
    ListTaskDefinitions: op(listTaskDefinitions),
    DescribeTaskDefinition: op(describeTaskDefinition),
    RegisterTaskDefinition: op(registerTaskDefinitionOperation),
    DeregisterTaskDefinition: op(deregisterTaskDefinition),
    ListAccountSettings: op(listAccountSettings),
    PutAccountSetting: op(putAccountSettingOperation),
    PutAccountSettingDefault: op(putAccountSettingDefault),
    DeleteAccountSetting: op(deleteAccountSetting),
    ListTagsForResource: op(listTagsForResource),
    TagResource: op(tagResource),
    UntagResource: op(untagResource),
  },
  tick(context) {
    const { state } = context;
    // A scheduler pass walks every task; once one finds the account steady, nothing can move until a request
    // changes the state (which stamps state.clock), so later requests skip the walk.
    if (steadyAt.has(state) && steadyAt.get(state) === state.clock) return;
    if (advanceServices(state, context)) context.changed();
    if (isSteady(state)) steadyAt.set(state, state.clock);
    else steadyAt.delete(state);
  },
};

const steadyAt = new WeakMap<SandboxState, Date | undefined>();

/** Nothing waits on the clock: no task starting or awaiting removal, every service at its desired count, no rollout. */
function isSteady(state: SandboxState): boolean {
  for (const [cluster, services] of Object.entries(state.ecs.services)) {
    const running = new Map<string, number>();
    for (const task of state.ecs.tasks[cluster] ?? []) {
      if (task.lastStatus !== "RUNNING" || task.desiredStatus !== "RUNNING") return false;
      if (task.group) running.set(task.group, (running.get(task.group) ?? 0) + 1);
    }
    for (const service of services) {
      if (service.status !== "ACTIVE") continue;
      const deployments = service.deployments ?? [];
      if (deployments.length !== 1 || deployments[0]?.rolloutState === "IN_PROGRESS") return false;
      if ((running.get(`service:${service.serviceName}`) ?? 0) !== (service.desiredCount ?? 0)) return false;
    }
  }
  return true;
}
