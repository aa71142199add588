// The ECS slice of the sandbox state, in the SDK's own shapes, and the lookups every handler shares (each throws
// the error ECS answers with when the resource is missing).
import type { Cluster, Service, Setting, Tag, Task, TaskDefinition } from "@aws-sdk/client-ecs";
import { AwsError } from "../service";
import { shortName } from "./ecs-arns";

/**
 * Resources are stored as ECS returns them. Tags live only in `tags` (by ARN), never on the resources, so that
 * TagResource has one place to write; Describe* adds them when asked with `include: ["TAGS"]`.
 */
export interface EcsState {
  /** In creation order, which is the order ListClusters returns. */
  clusters: Cluster[];
  /** By cluster name, in creation order; INACTIVE services stay (DescribeServices still finds them). */
  services: Record<string, Service[]>;
  /** By cluster name; stopped tasks are kept for an hour, as ECS shows them. */
  tasks: Record<string, Task[]>;
  /** By family, in ascending revision; deregistered revisions stay, with status INACTIVE. */
  taskDefinitions: Record<string, TaskDefinition[]>;
  /** Settings set explicitly (type "user"); effective settings fall back to AWS's defaults. */
  accountSettings: Setting[];
  tags: Record<string, Tag[]>;
}

export function emptyEcsState(): EcsState {
  return { clusters: [], services: {}, tasks: {}, taskDefinitions: {}, accountSettings: [], tags: {} };
}

/** A cluster as a request resolved it: the stored object and its name (the key of its services and tasks). */
export interface ClusterRef {
  readonly cluster: Cluster;
  readonly name: string;
}

/** The cluster a request names (by name or ARN; "default" when none), or ClusterNotFoundException. */
export function requireCluster(ecs: EcsState, identifier: string | undefined): ClusterRef {
  const name = shortName(identifier ?? "default");
  const cluster = ecs.clusters.find((c) => c.clusterName === name && c.status !== "INACTIVE");
  if (!cluster) throw new AwsError("ClusterNotFoundException", "Cluster not found.");
  return { cluster, name };
}

export function findService(ecs: EcsState, cluster: string, identifier: string): Service | undefined {
  const name = shortName(identifier);
  return ecs.services[cluster]?.find((s) => s.serviceName === name);
}

export function requireService(ecs: EcsState, cluster: string, identifier: string): Service {
  const service = findService(ecs, cluster, identifier);
  if (!service || service.status === "INACTIVE") {
    throw new AwsError("ServiceNotFoundException", "Service not found.");
  }
  return service;
}

export function findTask(ecs: EcsState, cluster: string, identifier: string): Task | undefined {
  const id = shortName(identifier);
  return ecs.tasks[cluster]?.find((t) => t.taskArn !== undefined && shortName(t.taskArn) === id);
}

/**
 * A task definition by `family` (its latest ACTIVE revision), `family:revision` or ARN; undefined when unknown.
 */
export function findTaskDefinition(ecs: EcsState, identifier: string): TaskDefinition | undefined {
  const name = identifier.startsWith("arn:")
    ? identifier.slice(identifier.indexOf("task-definition/") + 16)
    : identifier;
  const colon = name.lastIndexOf(":");
  const family = colon < 0 ? name : name.slice(0, colon);
  const revisions = ecs.taskDefinitions[family] ?? [];
  if (colon < 0) return revisions.filter((d) => d.status === "ACTIVE").at(-1);
  const revision = Number(name.slice(colon + 1));
  return revisions.find((d) => d.revision === revision);
}

export function tagsOf(ecs: EcsState, arn: string | undefined): Tag[] {
  return arn ? (ecs.tags[arn] ?? []) : [];
}
