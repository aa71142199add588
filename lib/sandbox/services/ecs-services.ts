// ECS services: creation for scenario builders, and ListServices, DescribeServices, UpdateService.
import type {
  DeploymentConfiguration,
  DescribeServicesRequest,
  DescribeServicesResponse,
  Failure,
  LaunchType,
  ListServicesRequest,
  ListServicesResponse,
  LoadBalancer,
  NetworkConfiguration,
  Service,
  UpdateServiceRequest,
  UpdateServiceResponse,
} from "@aws-sdk/client-ecs";
import { AwsError, type RequestContext } from "../service";
import type { SandboxState } from "../state";
import { clusterArn, type IdSource, rootArn, serviceArn, shortName } from "./ecs-arns";
import { addServiceEvent, countTasks, newDeployment, normalizeNetwork, startDeployment } from "./ecs-deployments";
import { checkNetworkResources } from "./ecs-enis";
import { page } from "./ecs-paging";
import { findService, findTaskDefinition, requireCluster, requireService, tagsOf } from "./ecs-state";
import { serviceTasks, startTask } from "./ecs-tasks";

export interface CreateServiceOptions {
  /** Cluster name (the cluster must exist). */
  cluster: string;
  name: string;
  /** family:revision or ARN of a registered task definition. */
  taskDefinition: string;
  desiredCount: number;
  launchType?: LaunchType;
  /** "LATEST" by default on Fargate. */
  platformVersion?: string;
  networkConfiguration?: NetworkConfiguration;
  loadBalancers?: LoadBalancer[];
  enableExecuteCommand?: boolean;
  deploymentConfiguration?: DeploymentConfiguration;
  /** Ids of the RUNNING tasks to seed, in order; ids are drawn for the rest of desiredCount. */
  taskIds?: string[];
  /** false seeds no tasks (the scheduler then starts them on the next tick). */
  startTasks?: boolean;
}

/**
 * Creates an ACTIVE service in steady state, as a scenario finds it: one PRIMARY deployment (COMPLETED) and, unless
 * `startTasks` is false, desiredCount RUNNING tasks with their ENIs.
 */
export function createService(state: SandboxState, ids: IdSource, options: CreateServiceOptions): Service {
  const { name: cluster } = requireCluster(state.ecs, options.cluster);
  const definition = findTaskDefinition(state.ecs, options.taskDefinition);
  if (!definition?.taskDefinitionArn)
    throw new Error(`createService: unknown task definition ${options.taskDefinition}`);
  const launchType = options.launchType ?? "FARGATE";
  const service: Service = {
    serviceArn: serviceArn(state, cluster, options.name),
    serviceName: options.name,
    clusterArn: clusterArn(state, cluster),
    loadBalancers: options.loadBalancers ?? [],
    serviceRegistries: [],
    status: "ACTIVE",
    desiredCount: options.desiredCount,
    runningCount: 0,
    pendingCount: 0,
    launchType,
    ...(launchType === "FARGATE"
      ? { platformVersion: options.platformVersion ?? "LATEST", platformFamily: "Linux" }
      : {}),
    taskDefinition: definition.taskDefinitionArn,
    deploymentConfiguration: options.deploymentConfiguration ?? {
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
    deployments: [],
    roleArn: `arn:aws:iam::${state.account}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
    events: [],
    createdAt: ids.now,
    placementConstraints: [],
    placementStrategy: [],
    ...(options.networkConfiguration ? { networkConfiguration: normalizeNetwork(options.networkConfiguration) } : {}),
    ...(options.loadBalancers?.length ? { healthCheckGracePeriodSeconds: 0 } : {}),
    schedulingStrategy: "REPLICA",
    deploymentController: { type: "ECS" },
    createdBy: rootArn(state),
    enableECSManagedTags: false,
    propagateTags: "NONE",
    enableExecuteCommand: options.enableExecuteCommand ?? false,
  };
  service.deployments = [newDeployment(ids, service, "COMPLETED")];
  state.ecs.services[cluster] = [...(state.ecs.services[cluster] ?? []), service];
  if (options.startTasks !== false) {
    for (let i = 0; i < options.desiredCount; i++) {
      startTask(state, ids, {
        cluster,
        service: options.name,
        ...(options.taskIds?.[i] ? { id: options.taskIds[i] } : {}),
      });
    }
  }
  countTasks(service, serviceTasks(state, cluster, service), ids.now);
  addServiceEvent(ids, service, `(service ${options.name}) has reached a steady state.`);
  return service;
}

/** ListServices: ACTIVE and DRAINING services of a cluster, in creation order; 10 a page unless asked. */
export function listServices(request: ListServicesRequest, context: RequestContext): ListServicesResponse {
  const ecs = context.state.ecs;
  const { name } = requireCluster(ecs, request.cluster);
  const arns = (ecs.services[name] ?? [])
    .filter(
      (s) =>
        s.status !== "INACTIVE" &&
        (request.launchType === undefined || s.launchType === request.launchType) &&
        (request.schedulingStrategy === undefined || s.schedulingStrategy === request.schedulingStrategy),
    )
    .map((s) => s.serviceArn ?? "");
  const { items, ...more } = page("ListServices", arns, request);
  return { serviceArns: items, ...more };
}

/** DescribeServices: up to 10 names or ARNs; unknown ones come back as failures (reason MISSING). */
export function describeServices(request: DescribeServicesRequest, context: RequestContext): DescribeServicesResponse {
  const ecs = context.state.ecs;
  const { name } = requireCluster(ecs, request.cluster);
  const wanted = request.services ?? [];
  if (wanted.length === 0) throw new AwsError("InvalidParameterException", "Services cannot be empty.");
  if (wanted.length > 10) throw new AwsError("InvalidParameterException", "Services cannot be longer than 10.");
  const withTags = request.include?.includes("TAGS") ?? false;
  const services: Service[] = [];
  const failures: Failure[] = [];
  for (const identifier of wanted) {
    const service = findService(ecs, name, identifier);
    if (!service) {
      failures.push({ arn: serviceArn(context.state, name, shortName(identifier)), reason: "MISSING" });
    } else {
      services.push(withTags ? { ...service, tags: tagsOf(ecs, service.serviceArn) } : service);
    }
  }
  return { services, failures };
}

/**
 * UpdateService: a new task definition, network configuration, platform version, load balancers or
 * forceNewDeployment start a rolling deployment (see ecs-deployments.ts); desiredCount alone rescales the PRIMARY one.
 */
export function updateService(request: UpdateServiceRequest, context: RequestContext): UpdateServiceResponse {
  const ecs = context.state.ecs;
  const { name: cluster } = requireCluster(ecs, request.cluster);
  const service = requireService(ecs, cluster, request.service ?? "");
  if (service.status !== "ACTIVE") throw new AwsError("ServiceNotActiveException", "Service was not ACTIVE.");

  let redeploy = request.forceNewDeployment === true;
  if (request.taskDefinition !== undefined) {
    const definition = findTaskDefinition(ecs, request.taskDefinition);
    if (!definition?.taskDefinitionArn) throw new AwsError("ClientException", "TaskDefinition not found.");
    if (definition.status !== "ACTIVE") throw new AwsError("ClientException", "TaskDefinition is inactive.");
    redeploy = replace(service, "taskDefinition", definition.taskDefinitionArn) || redeploy;
  }
  if (request.networkConfiguration !== undefined) {
    const awsvpc = request.networkConfiguration.awsvpcConfiguration;
    if (!awsvpc?.subnets?.length) throw new AwsError("InvalidParameterException", "subnets can not be empty.");
    if ((awsvpc.securityGroups?.length ?? 0) > 5) {
      throw new AwsError("InvalidParameterException", "securityGroups can have at most 5 items.");
    }
    checkNetworkResources(context.state, awsvpc);
    redeploy = replace(service, "networkConfiguration", normalizeNetwork(request.networkConfiguration)) || redeploy;
  }
  if (request.platformVersion !== undefined) {
    if (service.launchType !== "FARGATE") {
      throw new AwsError(
        "InvalidParameterException",
        "Platform version is only supported for the FARGATE launch type.",
      );
    }
    redeploy = replace(service, "platformVersion", request.platformVersion) || redeploy;
  }
  if (request.loadBalancers !== undefined)
    redeploy = replace(service, "loadBalancers", request.loadBalancers) || redeploy;
  if (request.capacityProviderStrategy !== undefined) {
    redeploy = replace(service, "capacityProviderStrategy", request.capacityProviderStrategy) || redeploy;
  }
  if (request.desiredCount !== undefined) {
    if (!Number.isInteger(request.desiredCount) || request.desiredCount < 0) {
      throw new AwsError("InvalidParameterException", "Desired count must be a non-negative integer.");
    }
    service.desiredCount = request.desiredCount;
  }
  const settings = [
    "deploymentConfiguration",
    "healthCheckGracePeriodSeconds",
    "enableExecuteCommand",
    "enableECSManagedTags",
    "propagateTags",
    "placementConstraints",
    "placementStrategy",
    "serviceRegistries",
    "availabilityZoneRebalancing",
  ] as const;
  for (const key of settings) {
    if (request[key] !== undefined) replace(service, key, request[key]);
  }

  if (redeploy) {
    startDeployment(context, service);
  } else {
    const primary = service.deployments?.find((d) => d.status === "PRIMARY");
    if (primary && primary.desiredCount !== service.desiredCount) {
      primary.desiredCount = service.desiredCount;
      primary.updatedAt = context.now;
    }
  }
  context.changed();
  return { service };
}

/** Sets a service field; true when the value differs from what was there. */
function replace<K extends keyof Service>(service: Service, key: K, value: Service[K]): boolean {
  const changed = JSON.stringify(service[key]) !== JSON.stringify(value);
  service[key] = value;
  return changed;
}
