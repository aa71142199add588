// ECS clusters: creation for scenario builders, and ListClusters, DescribeClusters, UpdateClusterSettings.
import type {
  Cluster,
  ClusterSetting,
  DescribeClustersRequest,
  DescribeClustersResponse,
  Failure,
  ListClustersRequest,
  ListClustersResponse,
  UpdateClusterSettingsRequest,
  UpdateClusterSettingsResponse,
} from "@aws-sdk/client-ecs";
import { AwsError, type RequestContext } from "../service";
import type { SandboxState } from "../state";
import { type InsightsLevel, recordInsights } from "../telemetry/model";
import { clusterArn, shortName } from "./ecs-arns";
import { page } from "./ecs-paging";
import { type EcsState, requireCluster, tagsOf } from "./ecs-state";

/** The values ECS accepts for the one cluster setting, containerInsights. */
const CONTAINER_INSIGHTS = ["enabled", "enhanced", "disabled"];

export interface PutClusterOptions {
  name: string;
  /** containerInsights: "disabled" unless given. */
  containerInsights?: "enabled" | "enhanced" | "disabled";
  capacityProviders?: string[];
}

/** Creates an ACTIVE cluster (as CreateCluster would) for scenario builders. */
export function putCluster(state: SandboxState, options: PutClusterOptions): Cluster {
  const cluster: Cluster = {
    clusterArn: clusterArn(state, options.name),
    clusterName: options.name,
    status: "ACTIVE",
    registeredContainerInstancesCount: 0,
    runningTasksCount: 0,
    pendingTasksCount: 0,
    activeServicesCount: 0,
    statistics: [],
    settings: [{ name: "containerInsights", value: options.containerInsights ?? "disabled" }],
    capacityProviders: options.capacityProviders ?? ["FARGATE", "FARGATE_SPOT"],
    defaultCapacityProviderStrategy: [],
  };
  state.ecs.clusters.push(cluster);
  state.ecs.services[options.name] ??= [];
  state.ecs.tasks[options.name] ??= [];
  return cluster;
}

/** ListClusters: ACTIVE clusters in creation order. */
export function listClusters(request: ListClustersRequest, context: RequestContext): ListClustersResponse {
  const arns = context.state.ecs.clusters.filter((c) => c.status !== "INACTIVE").map((c) => c.clusterArn ?? "");
  const { items, ...more } = page("ListClusters", arns, request);
  return { clusterArns: items, ...more };
}

/** DescribeClusters: "default" when none named; settings, tags, statistics only when included; MISSING failures. */
export function describeClusters(request: DescribeClustersRequest, context: RequestContext): DescribeClustersResponse {
  const ecs = context.state.ecs;
  const include = new Set(request.include ?? []);
  const clusters: Cluster[] = [];
  const failures: Failure[] = [];
  for (const identifier of request.clusters?.length ? request.clusters : ["default"]) {
    const name = shortName(identifier);
    const cluster = ecs.clusters.find((c) => c.clusterName === name);
    if (!cluster) {
      failures.push({ arn: clusterArn(context.state, name), reason: "MISSING" });
      continue;
    }
    const { settings, statistics, tags: _stored, configuration, attachments, ...rest } = cluster;
    clusters.push({
      ...rest,
      ...counts(ecs, name),
      ...(include.has("SETTINGS") ? { settings: settings ?? [] } : {}),
      ...(include.has("STATISTICS") ? { statistics: statistics ?? [] } : {}),
      ...(include.has("TAGS") ? { tags: tagsOf(ecs, cluster.clusterArn) } : {}),
      ...(include.has("CONFIGURATIONS") && configuration ? { configuration } : {}),
      ...(include.has("ATTACHMENTS") ? { attachments: attachments ?? [] } : {}),
    });
  }
  return { clusters, failures };
}

/** UpdateClusterSettings: containerInsights enabled, enhanced or disabled. */
export function updateClusterSettings(
  request: UpdateClusterSettingsRequest,
  context: RequestContext,
): UpdateClusterSettingsResponse {
  const { cluster, name } = requireCluster(context.state.ecs, request.cluster);
  const changes = request.settings ?? [];
  for (const setting of changes) {
    if (setting.name !== "containerInsights") {
      throw new AwsError("InvalidParameterException", `Unsupported cluster setting name: ${setting.name}.`);
    }
    if (!CONTAINER_INSIGHTS.includes(setting.value ?? "")) {
      throw new AwsError(
        "InvalidParameterException",
        `Invalid value for containerInsights: ${setting.value}. Valid values are enabled, enhanced, disabled.`,
      );
    }
  }
  const settings: ClusterSetting[] = [...(cluster.settings ?? [])];
  for (const setting of changes) {
    const existing = settings.find((s) => s.name === setting.name);
    if (existing) existing.value = setting.value;
    else settings.push({ name: setting.name, value: setting.value });
  }
  cluster.settings = settings;
  for (const setting of changes) {
    // Telemetry follows the setting from this moment on, and never before it.
    recordInsights(context.state, name, setting.value as InsightsLevel, context.now);
  }
  context.changed();
  const { tags: _stored, ...rest } = cluster;
  return { cluster: { ...rest, ...counts(context.state.ecs, name), settings } };
}

/** The counts ECS reports on a cluster, from its services and tasks. */
function counts(ecs: EcsState, cluster: string): Partial<Cluster> {
  const tasks = (ecs.tasks[cluster] ?? []).filter((t) => t.desiredStatus === "RUNNING");
  return {
    runningTasksCount: tasks.filter((t) => t.lastStatus === "RUNNING").length,
    pendingTasksCount: tasks.filter((t) => t.lastStatus !== "RUNNING").length,
    activeServicesCount: (ecs.services[cluster] ?? []).filter((s) => s.status === "ACTIVE").length,
  };
}
