// ECS reads: the cluster and account settings, the services and the revisions they run, task definitions (with
// environment values redacted) and tasks — each batched to its API's limit.
import {
  type Cluster,
  type ContainerDefinition,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  paginateListAccountSettings,
  type Service,
  type Task,
} from "@aws-sdk/client-ecs";
import { known } from "../aws/known";
import { chunks } from "../aws/limit";
import { UsageError } from "../errors";
import { plain } from "./plain";
import type { Reader } from "./reader";
import { environmentVariable } from "./secret-detection";
import type { Known, Plain, SnapshotContainer, SnapshotService, SnapshotTaskDefinition } from "./snapshot";

/** Exit 2: the cluster (or service) named in the scope does not exist in this account and region. */
export class UnknownClusterError extends UsageError {
  override name = "UnknownClusterError";
}
export class UnknownServiceError extends UsageError {
  override name = "UnknownServiceError";
}

export const LIST_PAGE = 100;
export const DESCRIBE_SERVICES_BATCH = 10;
export const DESCRIBE_TASKS_BATCH = 100;

/** DescribeClusters with settings, tags and configurations; a MISSING cluster is a usage error, not an unknown. */
export async function readCluster(reader: Reader, cluster: string): Promise<Known<Plain<Cluster>>> {
  const read = await known("ecs:DescribeClusters", async () => {
    const out = await reader.aws.ecs.send(
      new DescribeClustersCommand({ clusters: [cluster], include: ["SETTINGS", "TAGS", "CONFIGURATIONS"] }),
    );
    const found = out.clusters?.find((c) => c.status !== "INACTIVE");
    return found ? plain(found) : undefined;
  });
  if (read.status === "known" && read.value === undefined) {
    throw new UnknownClusterError(`cluster "${cluster}" not found in ${reader.region}`);
  }
  return read as Known<Plain<Cluster>>;
}

export function readAccountSettings(reader: Reader): Promise<Known<Record<string, string>>> {
  return reader.once("ecs:account-settings", () =>
    known("ecs:ListAccountSettings", async () => {
      const settings: Record<string, string> = {};
      for await (const page of paginateListAccountSettings(
        { client: reader.aws.ecs, pageSize: 10 },
        { effectiveSettings: true },
      )) {
        for (const s of page.settings ?? []) if (s.name && s.value !== undefined) settings[s.name] = s.value;
      }
      return settings;
    }),
  );
}

/** The services of the scope, described in batches of 10 as their ARNs arrive; progress after each batch. */
export async function readServices(
  reader: Reader,
  cluster: string,
  service: string | undefined,
  onBatch: (done: number, total: number) => void,
): Promise<Known<Plain<Service>[]>> {
  const listed = service
    ? ({ status: "known", value: [service] } as const)
    : await known("ecs:ListServices", () => listServices(reader, cluster));
  if (listed.status === "unknown") return listed;
  const total = listed.value.length;
  let done = 0;
  onBatch(0, total);
  const described = await known("ecs:DescribeServices", () =>
    Promise.all(
      chunks(listed.value, DESCRIBE_SERVICES_BATCH).map(async (batch) => {
        const out = await reader.aws.ecs.send(
          new DescribeServicesCommand({ cluster, services: batch, include: ["TAGS"] }),
        );
        done += batch.length;
        onBatch(done, total);
        return out.services ?? [];
      }),
    ),
  );
  if (described.status === "unknown") return described;
  const services = described.value.flat().filter((s) => s.status !== "INACTIVE");
  if (service && services.length === 0) {
    throw new UnknownServiceError(`service "${service}" not found in cluster "${cluster}"`);
  }
  return { status: "known", value: services.map((s) => plain(s)) };
}

async function listServices(reader: Reader, cluster: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await reader.aws.ecs.send(new ListServicesCommand({ cluster, maxResults: LIST_PAGE, nextToken }));
    arns.push(...(page.serviceArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

/** The service with the revisions its deployments run (PRIMARY first) and the family's latest ACTIVE revision. */
export function snapshotService(service: Plain<Service>, latest: Map<string, string | undefined>): SnapshotService {
  const deployments = [...(service.deployments ?? [])].sort(
    (a, b) => Number(b.status === "PRIMARY") - Number(a.status === "PRIMARY"),
  );
  const running = unique(
    [...deployments.map((d) => d.taskDefinition), service.taskDefinition].filter((a): a is string => !!a),
  );
  const family = running[0] ? familyOf(running[0]) : undefined;
  const latestRevision = family ? latest.get(family) : undefined;
  return { service, runningRevisions: running, deployments, ...(latestRevision ? { latestRevision } : {}) };
}

/** The latest ACTIVE revision of a family: ListTaskDefinitions newest first, one result. */
export function readLatestRevision(reader: Reader, family: string): Promise<string | undefined> {
  return reader.once(`ecs:latest:${family}`, async () => {
    const read = await known("ecs:ListTaskDefinitions", async () => {
      const out = await reader.aws.ecs.send(
        new ListTaskDefinitionsCommand({ familyPrefix: family, status: "ACTIVE", sort: "DESC", maxResults: 1 }),
      );
      const arn = out.taskDefinitionArns?.[0];
      // familyPrefix is a prefix: "web" also lists "web-worker". Then ask for the family itself.
      if (!arn || familyOf(arn) === family) return arn;
      const exact = await reader.aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }));
      return exact.taskDefinition?.taskDefinitionArn;
    });
    // Unreadable: judge the revisions the services run (they are read regardless).
    return read.status === "known" ? read.value : undefined;
  });
}

export function readTaskDefinition(reader: Reader, arn: string): Promise<Known<SnapshotTaskDefinition>> {
  return reader.once(`ecs:td:${arn}`, () =>
    known("ecs:DescribeTaskDefinition", async () => {
      const out = await reader.aws.ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ["TAGS"] }),
      );
      if (!out.taskDefinition) throw Object.assign(new Error(`no task definition ${arn}`), { name: "NotFound" });
      const definition = plain(out.taskDefinition);
      const containerDefinitions = (out.taskDefinition.containerDefinitions ?? []).map((c) =>
        snapshotContainer(c, reader.key),
      );
      return {
        ...definition,
        containerDefinitions,
        ...(out.tags && out.tags.length > 0 ? { tags: plain(out.tags) } : {}),
      };
    }),
  );
}

function snapshotContainer(container: ContainerDefinition, key: Buffer): SnapshotContainer {
  const { environment, ...rest } = container;
  const kept = plain(rest) as SnapshotContainer;
  if (environment) {
    kept.environment = environment.map((pair) => environmentVariable(pair.name ?? "", pair.value ?? "", key));
  }
  return kept;
}

/**
 * Running tasks: for a whole cluster one ListTasks over the cluster (pages of 100) — the fewest calls; for one
 * service, ListTasks by service. Then DescribeTasks in batches of 100.
 */
export async function readTasks(
  reader: Reader,
  cluster: string,
  serviceName: string | undefined,
): Promise<Known<Plain<Task>[]>> {
  const listed = await known("ecs:ListTasks", async () => unique(await listTasks(reader, cluster, serviceName)));
  if (listed.status === "unknown") return listed;
  return known("ecs:DescribeTasks", async () => {
    const batches = await Promise.all(
      chunks(listed.value, DESCRIBE_TASKS_BATCH).map(async (batch) => {
        const out = await reader.aws.ecs.send(new DescribeTasksCommand({ cluster, tasks: batch, include: ["TAGS"] }));
        return out.tasks ?? [];
      }),
    );
    return batches.flat().map((task) => redactOverrides(plain(task), reader.key));
  });
}

async function listTasks(reader: Reader, cluster: string, serviceName: string | undefined): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await reader.aws.ecs.send(
      new ListTasksCommand({ cluster, serviceName, maxResults: LIST_PAGE, nextToken }),
    );
    arns.push(...(page.taskArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

/** Environment overrides of a task (RunTask --overrides) can hold secrets too: their values are replaced. */
function redactOverrides(task: Plain<Task>, key: Buffer): Plain<Task> {
  for (const override of task.overrides?.containerOverrides ?? []) {
    if (!override.environment) continue;
    override.environment = override.environment.map((pair) => {
      const kept = environmentVariable(pair.name ?? "", pair.value ?? "", key);
      return typeof kept.value === "string" ? pair : { name: pair.name, value: "«redacted»" };
    });
  }
  return task;
}

export function familyOf(arn: string): string {
  return (arn.split("/").pop() ?? arn).replace(/:\d+$/, "");
}

export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
