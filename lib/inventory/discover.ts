// discover(aws, scope) → Snapshot: reads a cluster (or one service of it) and everything around it, in parallel
// where reads do not depend on each other. Every read group fails closed into `unknown` (DESIGN §2); only the first
// call (who am I?) and a cluster or service that does not exist stop discovery.
import { ListClustersCommand } from "@aws-sdk/client-ecs";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { Aws } from "../aws/client";
import { classifyEnvironmentError, errorCode, isDenial, oneLine } from "../aws/known";
import { EnvironmentError } from "../errors";
import { readAlarms, readLogGroup, readTrails } from "./account";
import {
  familyOf,
  readAccountSettings,
  readCluster,
  readLatestRevision,
  readServices,
  readTaskDefinition,
  readTasks,
  snapshotService,
  unique,
} from "./ecs";
import { readPrincipals, readRole } from "./iam";
import { readImage, readRegistryScanning, readRepositories } from "./images";
import { readLoadBalancing } from "./load-balancers";
import { readDataStores, readNetwork, readNetworkInterfaces, readSecurityGroups } from "./network";
import { plain } from "./plain";
import { createReader, type Reader } from "./reader";
import { defaultKeyPath, redactionKey } from "./secret-detection";
import { readSecret } from "./secrets";
import type { Known, Snapshot, SnapshotTaskDefinition } from "./snapshot";

export { UnknownClusterError, UnknownServiceError } from "./ecs";

export interface DiscoverProgress {
  readonly done: number;
  readonly total: number;
  readonly note: string;
}

export interface DiscoverOptions {
  cluster: string;
  service?: string;
  onProgress?: (progress: DiscoverProgress) => void;
  /** The redaction key's file (default `.takeover/key` at the project root, or ECS_TAKEOVER_KEY_FILE). */
  keyPath?: string;
}

/** Exit 3: the first call failed — no or expired credentials, an endpoint that does not answer, or denied at once. */
export class DiscoveryEnvironmentError extends EnvironmentError {
  override name = "DiscoveryEnvironmentError";
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Who we are (STS): the one read that must succeed; its failure says what is wrong with the environment. */
export async function whoAmI(aws: Aws): Promise<{ account: string; arn: string }> {
  try {
    const out = await aws.sts.send(new GetCallerIdentityCommand({}));
    return { account: out.Account ?? "", arn: out.Arn ?? "" };
  } catch (error) {
    const code = errorCode(error);
    const classified = classifyEnvironmentError(error);
    if (classified) throw new DiscoveryEnvironmentError(classified.message, code);
    if (isDenial(error)) {
      throw new DiscoveryEnvironmentError(
        `access denied before anything could be read (sts:GetCallerIdentity): ${code}`,
        code,
      );
    }
    const message = error instanceof Error ? oneLine(error.message) : String(error);
    throw new DiscoveryEnvironmentError(`cannot reach AWS (${code}): ${message}`, code);
  }
}

export async function discover(aws: Aws, options: DiscoverOptions): Promise<Snapshot> {
  const { identity, reader } = await startReading(aws, options.keyPath);
  return discoverWith(reader, identity.arn, options);
}

/** Who we are, and the reader every discovery shares: the first call, then the account, region and redaction key. */
async function startReading(aws: Aws, keyPath: string | undefined) {
  const identity = await whoAmI(aws);
  const reader = createReader(aws, redactionKey(keyPath ?? defaultKeyPath()), identity.account, await aws.region());
  return { identity, reader };
}

/** Every cluster of the account and region, discovered concurrently, sharing account-level reads. */
export async function discoverAll(
  aws: Aws,
  options: { onProgress?: (progress: DiscoverProgress) => void; keyPath?: string } = {},
): Promise<Snapshot[]> {
  const { identity, reader } = await startReading(aws, options.keyPath);
  const clusters = await listClusters(aws);
  const done = new Map<string, { done: number; total: number }>();
  const report = (cluster: string, progress: DiscoverProgress) => {
    done.set(cluster, { done: progress.done, total: progress.total });
    const sum = [...done.values()].reduce((a, b) => ({ done: a.done + b.done, total: a.total + b.total }), {
      done: 0,
      total: 0,
    });
    options.onProgress?.({ ...sum, note: `${cluster}: ${progress.note}` });
  };
  return Promise.all(
    clusters.map((cluster) =>
      discoverWith(reader, identity.arn, { cluster, onProgress: (progress) => report(cluster, progress) }),
    ),
  );
}

/** The names of the clusters in the account and region (ListClusters, pages of 100). */
export async function listClusters(aws: Aws): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await aws.ecs.send(new ListClustersCommand({ maxResults: 100, nextToken }));
    names.push(...(page.clusterArns ?? []).map((arn) => arn.split("/").pop() ?? arn));
    nextToken = page.nextToken;
  } while (nextToken);
  return names.sort();
}

async function discoverWith(reader: Reader, identity: string, options: DiscoverOptions): Promise<Snapshot> {
  const { cluster, service } = options;
  // Whole seconds: the service's clock is only known to the second (HTTP Date), so finer digits would be local noise.
  const takenAt = new Date(Math.floor(reader.aws.now().getTime() / 1000) * 1000).toISOString();
  // Account-level reads start at once: they depend on nothing but the account.
  const accountSettings = readAccountSettings(reader);
  const registryScanning = readRegistryScanning(reader);
  const trails = readTrails(reader);
  const alarms = readAlarms(reader);
  const principals = readPrincipals(reader);

  const [clusterRead, services] = await Promise.all([
    readCluster(reader, cluster),
    readServices(reader, cluster, service, (done, total) =>
      options.onProgress?.({ done, total, note: `described ${done} of ${total} services` }),
    ),
  ]);
  const plainServices = services.status === "known" ? services.value : [];

  // Revisions: what the deployments run and the latest ACTIVE one of each family; then each distinct one once.
  const running = unique(
    plainServices.flatMap((s) => [...(s.deployments ?? []).map((d) => d.taskDefinition), s.taskDefinition]),
  ).filter((arn): arn is string => !!arn);
  const families = unique(running.map(familyOf));
  const tasksRead =
    services.status === "known"
      ? readTasks(reader, cluster, service)
      : Promise.resolve<Snapshot["tasks"]>(services as Extract<Snapshot["tasks"], { status: "unknown" }>);
  const latest = new Map<string, string | undefined>(
    await Promise.all(families.map(async (f) => [f, await readLatestRevision(reader, f)] as const)),
  );
  const snapshotServices = plainServices.map((s) => snapshotService(s, latest));
  const revisions = unique([...running, ...[...latest.values()].filter((a): a is string => !!a)]);
  const definitionReads = Promise.all(
    revisions.map(async (arn) => [arn, await readTaskDefinition(reader, arn)] as const),
  );

  // Network: load balancing first (its subnets and groups join the services'), tasks' ENIs alongside.
  const awsvpc = plainServices.map((s) => s.networkConfiguration?.awsvpcConfiguration);
  const loadBalancingRead = readLoadBalancing(
    reader,
    plainServices.flatMap((s) => (s.loadBalancers ?? []).map((lb) => lb.targetGroupArn ?? "")).filter((a) => a !== ""),
  );
  const tasks = await tasksRead;
  const taskEniIds =
    tasks.status === "known"
      ? tasks.value.flatMap((t) =>
          (t.attachments ?? [])
            .filter((a) => a.type === "ElasticNetworkInterface")
            .flatMap((a) => (a.details ?? []).filter((d) => d.name === "networkInterfaceId").map((d) => d.value ?? "")),
        )
      : [];
  const taskEnisRead = readNetworkInterfaces(
    reader,
    taskEniIds.filter((id) => id !== ""),
  );
  const loadBalancing = await loadBalancingRead;
  const lbs = loadBalancing.loadBalancers.status === "known" ? loadBalancing.loadBalancers.value : [];
  const subnetIds = unique([
    ...awsvpc.flatMap((c) => c?.subnets ?? []),
    ...lbs.flatMap((lb) => (lb.AvailabilityZones ?? []).map((z) => z.SubnetId ?? "")),
  ]).filter((id) => id !== "");
  // Data stores are found in the VPCs the tasks and target groups are in; their subnets join the network read.
  const taskEnis = await taskEnisRead;
  const earlyVpcIds = unique([
    ...(taskEnis.status === "known" ? taskEnis.value.map((e) => e.VpcId ?? "") : []),
    ...(loadBalancing.targetGroups.status === "known"
      ? loadBalancing.targetGroups.value.map((t) => t.VpcId ?? "")
      : []),
  ]).filter((id) => id !== "");
  let network: Snapshot["network"];
  let dataStores: Awaited<ReturnType<typeof readDataStores>>;
  if (earlyVpcIds.length > 0) {
    dataStores = await readDataStores(reader, earlyVpcIds);
    const storeSubnets = dataStores.status === "known" ? dataStores.value.stores.flatMap((d) => d.subnetIds) : [];
    network = await readNetwork(reader, unique([...subnetIds, ...storeSubnets]));
  } else {
    network = await readNetwork(reader, subnetIds);
    dataStores = await readDataStores(
      reader,
      network.status === "known" ? network.value.vpcs.map((v) => v.VpcId ?? "").filter((id) => id !== "") : [],
    );
  }
  const groupIds = [
    ...awsvpc.flatMap((c) => c?.securityGroups ?? []),
    ...lbs.flatMap((lb) => lb.SecurityGroups ?? []),
    ...(dataStores.status === "known" ? dataStores.value.stores.flatMap((d) => d.securityGroupIds) : []),
    ...(taskEnis.status === "known" ? taskEnis.value.flatMap((e) => (e.Groups ?? []).map((g) => g.GroupId ?? "")) : []),
  ].filter((id) => id !== "");
  const securityGroupsRead = readSecurityGroups(reader, groupIds);

  // What the task definitions name: roles, secrets, images, log groups.
  const definitions = await definitionReads;
  const knownDefinitions = definitions
    .map(([, d]) => d)
    .filter((d): d is Extract<Known<SnapshotTaskDefinition>, { status: "known" }> => d.status === "known")
    .map((d) => d.value);
  const containers = knownDefinitions.flatMap((d) => d.containerDefinitions);
  const roleArns = unique(
    knownDefinitions.flatMap((d) => [d.taskRoleArn ?? "", d.executionRoleArn ?? ""]).filter((a) => a !== ""),
  );
  const images = unique(containers.map((c) => c.image ?? "").filter((i) => i !== ""));
  const logGroupNames = unique(
    containers
      .filter((c) => c.logConfiguration?.logDriver === "awslogs")
      .map((c) => c.logConfiguration?.options?.["awslogs-group"] ?? "")
      .filter((n) => n !== ""),
  );
  const references = unique(
    containers.flatMap((c) => (c.secrets ?? []).map((s) => s.valueFrom ?? "")).filter((r) => r !== ""),
  );
  const [roles, secrets, imageReads, logGroupReads, securityGroups] = await Promise.all([
    Promise.all(roleArns.map(async (arn) => [arn, await readRole(reader, arn)] as const)).then(Object.fromEntries),
    Promise.all(references.map((r) => readSecret(reader, r))),
    Promise.all(images.map((i) => readImage(reader, i))),
    Promise.all(logGroupNames.map(async (n) => [n, await readLogGroup(reader, n)] as const)),
    securityGroupsRead,
  ]);
  const repositoryNames = unique(imageReads.map((i) => i.repositoryName ?? "").filter((n) => n !== ""));
  const repositories = await readRepositories(reader, repositoryNames);

  const networkInterfaces: Snapshot["networkInterfaces"] =
    taskEnis.status === "unknown"
      ? taskEnis
      : dataStores.status === "unknown"
        ? dataStores
        : {
            status: "known",
            value: [...taskEnis.value, ...dataStores.value.interfaces].map((e) => plain(e)),
          };
  return {
    version: 1,
    takenAt,
    account: reader.account,
    region: reader.region,
    identity,
    scope: { cluster, ...(service ? { service } : {}) },
    cluster: clusterRead,
    accountSettings: await accountSettings,
    services: services.status === "known" ? { status: "known", value: snapshotServices } : services,
    taskDefinitions: Object.fromEntries(definitions),
    tasks,
    network,
    securityGroups: securityGroups.groups,
    securityGroupRules: securityGroups.rules,
    networkInterfaces,
    dataStores: dataStores.status === "known" ? { status: "known", value: dataStores.value.stores } : dataStores,
    loadBalancers: loadBalancing.loadBalancers,
    listeners: loadBalancing.listeners,
    rules: loadBalancing.rules,
    targetGroups: loadBalancing.targetGroups,
    roles,
    principals: await principals,
    secrets,
    repositories,
    registryScanning: await registryScanning,
    images: imageReads,
    trails: await trails,
    logGroups: Object.fromEntries(logGroupReads),
    alarms: await alarms,
  };
}
