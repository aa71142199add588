// ECS task definitions: Register (new revision), Deregister (→ INACTIVE), Describe, ListTaskDefinitionFamilies and
// ListTaskDefinitions. registerTaskDefinition is also how scenario builders add them.
import type {
  Attribute,
  ContainerDefinition,
  DeregisterTaskDefinitionRequest,
  DeregisterTaskDefinitionResponse,
  DescribeTaskDefinitionRequest,
  DescribeTaskDefinitionResponse,
  ListTaskDefinitionFamiliesRequest,
  ListTaskDefinitionFamiliesResponse,
  ListTaskDefinitionsRequest,
  ListTaskDefinitionsResponse,
  RegisterTaskDefinitionRequest,
  RegisterTaskDefinitionResponse,
  TaskDefinition,
} from "@aws-sdk/client-ecs";
import { AwsError, type RequestContext } from "../service";
import type { SandboxState } from "../state";
import { type IdSource, rootArn, taskDefinitionArn } from "./ecs-arns";
import { page } from "./ecs-paging";
import { findTaskDefinition, tagsOf } from "./ecs-state";
import { validateTags } from "./ecs-tags";

/** Registers the next revision of a family, as RegisterTaskDefinition does; scenario builders call it directly. */
export function registerTaskDefinition(
  state: SandboxState,
  ids: Pick<IdSource, "now">,
  request: RegisterTaskDefinitionRequest,
): RegisterTaskDefinitionResponse & { taskDefinition: TaskDefinition } {
  const family = request.family ?? "";
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
    throw new AwsError(
      "ClientException",
      "Family must be 1-255 characters: letters, numbers, hyphens and underscores are allowed.",
    );
  }
  const containers = request.containerDefinitions ?? [];
  if (containers.length === 0) throw new AwsError("ClientException", "Container list cannot be empty.");
  if (request.requiresCompatibilities?.includes("FARGATE")) {
    if (request.networkMode !== "awsvpc")
      throw new AwsError("ClientException", "Fargate only supports network mode 'awsvpc'.");
    if (!request.cpu || !request.memory) {
      throw new AwsError("ClientException", "Fargate requires that 'cpu' be defined at the task level.");
    }
  }
  const tags = request.tags ?? [];
  validateTags(tags);
  const revisions = state.ecs.taskDefinitions[family] ?? [];
  const revision = (revisions.at(-1)?.revision ?? 0) + 1;
  const fargateReady = request.networkMode === "awsvpc" && request.cpu !== undefined && request.memory !== undefined;
  const { tags: _tags, ...fields } = request;
  const definition: TaskDefinition = {
    ...fields,
    taskDefinitionArn: taskDefinitionArn(state, family, revision),
    containerDefinitions: containers.map((c) => withContainerDefaults(c, request.networkMode)),
    family,
    revision,
    volumes: request.volumes ?? [],
    status: "ACTIVE",
    requiresAttributes: requiredAttributes(request),
    placementConstraints: request.placementConstraints ?? [],
    compatibilities: fargateReady ? ["EC2", "FARGATE"] : ["EC2"],
    registeredAt: ids.now,
    registeredBy: rootArn(state),
  };
  state.ecs.taskDefinitions[family] = [...revisions, definition];
  if (tags.length > 0 && definition.taskDefinitionArn) state.ecs.tags[definition.taskDefinitionArn] = [...tags];
  return { taskDefinition: definition, tags };
}

export function registerTaskDefinitionOperation(
  request: RegisterTaskDefinitionRequest,
  context: RequestContext,
): RegisterTaskDefinitionResponse {
  const result = registerTaskDefinition(context.state, context, request);
  context.changed();
  return result;
}

/** DeregisterTaskDefinition: family:revision or ARN; the revision stays describable, as INACTIVE. */
export function deregisterTaskDefinition(
  request: DeregisterTaskDefinitionRequest,
  context: RequestContext,
): DeregisterTaskDefinitionResponse {
  const identifier = request.taskDefinition ?? "";
  if (!identifier.includes(":")) {
    throw new AwsError("ClientException", "The task definition must be given as family:revision or as its full ARN.");
  }
  const definition = findTaskDefinition(context.state.ecs, identifier);
  if (!definition) throw new AwsError("ClientException", "The specified task definition does not exist.");
  if (definition.status === "ACTIVE") {
    definition.status = "INACTIVE";
    definition.deregisteredAt = context.now;
    context.changed();
  }
  return { taskDefinition: definition };
}

/** DescribeTaskDefinition: family (latest ACTIVE revision), family:revision or ARN; tags when included. */
export function describeTaskDefinition(
  request: DescribeTaskDefinitionRequest,
  context: RequestContext,
): DescribeTaskDefinitionResponse {
  const definition = findTaskDefinition(context.state.ecs, request.taskDefinition ?? "");
  if (!definition) throw new AwsError("ClientException", "Unable to describe task definition.");
  return {
    taskDefinition: definition,
    ...(request.include?.includes("TAGS") ? { tags: tagsOf(context.state.ecs, definition.taskDefinitionArn) } : {}),
  };
}

/** ListTaskDefinitionFamilies: names beginning with familyPrefix; ACTIVE and INACTIVE families unless asked. */
export function listTaskDefinitionFamilies(
  request: ListTaskDefinitionFamiliesRequest,
  context: RequestContext,
): ListTaskDefinitionFamiliesResponse {
  const status = request.status ?? "ALL";
  const families = Object.entries(context.state.ecs.taskDefinitions)
    .filter(([family, revisions]) => {
      if (request.familyPrefix && !family.startsWith(request.familyPrefix)) return false;
      const active = revisions.some((d) => d.status === "ACTIVE");
      return status === "ALL" || (status === "ACTIVE") === active;
    })
    .map(([family]) => family)
    .sort();
  const { items, ...more } = page("ListTaskDefinitionFamilies", families, request);
  return { families: items, ...more };
}

/** ListTaskDefinitions: by family name then revision (DESC reverses both); ACTIVE only unless asked. */
export function listTaskDefinitions(
  request: ListTaskDefinitionsRequest,
  context: RequestContext,
): ListTaskDefinitionsResponse {
  const status = request.status ?? "ACTIVE";
  // familyPrefix is, despite its name, the full family name.
  const arns = Object.keys(context.state.ecs.taskDefinitions)
    .filter((family) => !request.familyPrefix || family === request.familyPrefix)
    .sort()
    .flatMap((family) =>
      (context.state.ecs.taskDefinitions[family] ?? [])
        .filter((d) => d.status === status)
        .sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0))
        .map((d) => d.taskDefinitionArn ?? ""),
    );
  if (request.sort === "DESC") arns.reverse();
  const { items, ...more } = page("ListTaskDefinitions", arns, request);
  return { taskDefinitionArns: items, ...more };
}

/** What RegisterTaskDefinition fills in on each container. */
function withContainerDefaults(container: ContainerDefinition, networkMode: string | undefined): ContainerDefinition {
  return {
    ...container,
    cpu: container.cpu ?? 0,
    portMappings: (container.portMappings ?? []).map((p) => ({
      ...p,
      ...(networkMode === "awsvpc" && p.containerPort !== undefined ? { hostPort: p.hostPort ?? p.containerPort } : {}),
      protocol: p.protocol ?? "tcp",
    })),
    essential: container.essential ?? true,
    environment: container.environment ?? [],
    mountPoints: container.mountPoints ?? [],
    volumesFrom: container.volumesFrom ?? [],
    systemControls: container.systemControls ?? [],
  };
}

/** The capability attributes ECS derives from a registration (the ones a Fargate web task shows). */
function requiredAttributes(request: RegisterTaskDefinitionRequest): Attribute[] {
  const names = ["com.amazonaws.ecs.capability.docker-remote-api.1.18"];
  if (request.taskRoleArn) names.push("com.amazonaws.ecs.capability.task-iam-role");
  if (request.executionRoleArn) names.push("ecs.capability.execution-role-ecr-pull");
  if (request.networkMode === "awsvpc") names.push("ecs.capability.task-eni");
  if (request.containerDefinitions?.some((c) => c.logConfiguration?.logDriver === "awslogs")) {
    names.push("com.amazonaws.ecs.capability.logging-driver.awslogs", "ecs.capability.execution-role-awslogs");
  }
  return names.map((name) => ({ name }));
}
