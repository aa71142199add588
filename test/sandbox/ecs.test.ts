import { DescribeNetworkInterfacesCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  ClientException,
  ClusterNotFoundException,
  DeleteAccountSettingCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  InvalidParameterException,
  ListAccountSettingsCommand,
  ListClustersCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  PutAccountSettingCommand,
  paginateListAccountSettings,
  paginateListClusters,
  paginateListServices,
  paginateListTaskDefinitionFamilies,
  paginateListTaskDefinitions,
  paginateListTasks,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionRequest,
  type Service,
  ServiceNotActiveException,
  ServiceNotFoundException,
  StopTaskCommand,
  TagResourceCommand,
  type Task,
  UntagResourceCommand,
  UpdateClusterSettingsCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { drawHex } from "../../lib/sandbox/clock";
import { decodeState, encodeState } from "../../lib/sandbox/persist";
import { type Sandbox, startSandbox } from "../../lib/sandbox/server";
import { addSecurityGroup, addSubnet, addVpc } from "../../lib/sandbox/services/ec2";
import {
  createService,
  DEPLOYMENT_SECONDS,
  FARGATE_ENI_REQUESTER_ID,
  putCluster,
  registerTaskDefinition,
  startTask,
} from "../../lib/sandbox/services/ecs";
import { emptyState, type SandboxState } from "../../lib/sandbox/state";
import { clientConfig } from "./client";

const START = new Date("2026-11-01T00:00:00Z");
const PREFIX = "arn:aws:ecs:ap-northeast-1:123456789012:";
const TASK_IDS = [
  "0a1b2c3d4e5f4a6b8c9d0e1f2a3b4c5d",
  "1b2c3d4e5f6a4b7c9d0e1f2a3b4c5d6e",
  "2c3d4e5f6a7b4c8d0e1f2a3b4c5d6e7f",
];

const webApp = (tag: string): RegisterTaskDefinitionRequest => ({
  family: "my-web-app",
  networkMode: "awsvpc",
  requiresCompatibilities: ["FARGATE"],
  cpu: "256",
  memory: "512",
  taskRoleArn: "arn:aws:iam::123456789012:role/AdministratorAccessRole",
  executionRoleArn: "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
  containerDefinitions: [
    {
      name: "my-web-app",
      image: `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/my-web-app:${tag}`,
      portMappings: [{ containerPort: 80 }],
      environment: [{ name: "DB_USER", value: "myappdbuser" }],
    },
  ],
});

/** The inherited service (3 fixed tasks in public subnets) plus bulk resources for the paginators. */
function seed(options: { bulk: boolean }) {
  const state = emptyState("test");
  const ids = { now: START, hex: (length: number) => drawHex(state, length) };
  const vpc = addVpc(state, ids, { cidrBlock: "10.0.0.0/16", name: "my-vpc" });
  const vpcId = vpc.VpcId ?? "";
  const publicA = addSubnet(state, ids, { vpcId, cidrBlock: "10.0.0.0/24", availabilityZone: "ap-northeast-1a" });
  const publicC = addSubnet(state, ids, { vpcId, cidrBlock: "10.0.1.0/24", availabilityZone: "ap-northeast-1c" });
  const privateA = addSubnet(state, ids, { vpcId, cidrBlock: "10.0.10.0/24", availabilityZone: "ap-northeast-1a" });
  const taskSg = addSecurityGroup(state, ids, {
    name: "my-web-task",
    description: "tasks",
    vpcId,
    nameTag: "sg-ECSTask",
    ingress: [{ protocol: "tcp", port: 80, cidr: "10.0.0.0/16" }],
  });
  putCluster(state, { name: "my-cluster" });
  registerTaskDefinition(state, ids, webApp("v1"));
  createService(state, ids, {
    cluster: "my-cluster",
    name: "my-web-service",
    taskDefinition: "my-web-app:1",
    desiredCount: 3,
    platformVersion: "1.3.0",
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: [publicA.SubnetId ?? "", publicC.SubnetId ?? ""],
        securityGroups: [taskSg.GroupId ?? ""],
        assignPublicIp: "ENABLED",
      },
    },
    taskIds: TASK_IDS,
  });
  if (options.bulk) {
    for (let i = 0; i < 105; i++) putCluster(state, { name: `bulk-${String(i).padStart(3, "0")}` });
    putCluster(state, { name: "big" });
    registerTaskDefinition(state, ids, {
      family: "worker",
      containerDefinitions: [{ name: "worker", image: "busybox", memory: 64 }],
    });
    for (let i = 0; i < 250; i++) {
      createService(state, ids, {
        cluster: "big",
        name: `svc-${String(i).padStart(3, "0")}`,
        taskDefinition: "worker:1",
        desiredCount: 0,
        launchType: "EC2",
      });
    }
    createService(state, ids, {
      cluster: "big",
      name: "workers",
      taskDefinition: "worker:1",
      desiredCount: 150,
      launchType: "EC2",
    });
    for (let i = 0; i < 119; i++)
      registerTaskDefinition(state, ids, {
        family: "worker",
        containerDefinitions: [{ name: "worker", image: `busybox:${i}`, memory: 64 }],
      });
    for (let i = 0; i < 110; i++) {
      registerTaskDefinition(state, ids, {
        family: `fam-${String(i).padStart(3, "0")}`,
        containerDefinitions: [{ name: "c", image: "busybox", memory: 64 }],
      });
    }
  }
  return { state, privateA: privateA.SubnetId ?? "", taskSg: taskSg.GroupId ?? "" };
}

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const eniOf = (task: Task | undefined) =>
  task?.attachments?.[0]?.details?.find((d) => d.name === "networkInterfaceId")?.value;

describe("ECS over the SDK: reads, paging, tags, settings", () => {
  let sandbox: Sandbox;
  let ecs: ECSClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, state: seed({ bulk: true }).state, clock: START });
    ecs = new ECSClient(clientConfig(sandbox.endpoint));
  });
  afterAll(async () => {
    ecs?.destroy();
    await sandbox?.stop();
  });

  it("ListClusters pages 100 at a time and the paginator returns every cluster", async () => {
    const first = await ecs.send(new ListClustersCommand({}));
    expect(first.clusterArns).toHaveLength(100);
    expect(first.clusterArns?.[0]).toBe(`${PREFIX}cluster/my-cluster`);
    expect(first.nextToken).toBeTruthy();
    const pages = await all(paginateListClusters({ client: ecs, pageSize: 30 }, {}));
    expect(pages.flatMap((p) => p.clusterArns ?? [])).toHaveLength(107);
    await expect(ecs.send(new ListClustersCommand({ maxResults: 101 }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    await expect(ecs.send(new ListClustersCommand({ nextToken: "forged" }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
  });

  it("DescribeClusters counts tasks and services, adds settings and tags only when included, fails MISSING", async () => {
    const plain = await ecs.send(new DescribeClustersCommand({ clusters: ["my-cluster", "nope"] }));
    expect(plain.clusters?.[0]).toMatchObject({
      clusterArn: `${PREFIX}cluster/my-cluster`,
      status: "ACTIVE",
      runningTasksCount: 3,
      pendingTasksCount: 0,
      activeServicesCount: 1,
    });
    expect(plain.clusters?.[0]?.settings).toBeUndefined();
    expect(plain.failures).toEqual([{ arn: `${PREFIX}cluster/nope`, reason: "MISSING" }]);
    const full = await ecs.send(
      new DescribeClustersCommand({ clusters: [`${PREFIX}cluster/my-cluster`], include: ["SETTINGS", "TAGS"] }),
    );
    expect(full.clusters?.[0]?.settings).toEqual([{ name: "containerInsights", value: "disabled" }]);
    expect(full.clusters?.[0]?.tags).toEqual([]);
    const none = await ecs.send(new DescribeClustersCommand({}));
    expect(none.failures).toEqual([{ arn: `${PREFIX}cluster/default`, reason: "MISSING" }]);
  });

  it("UpdateClusterSettings turns Container Insights to enhanced; bad values and clusters are refused", async () => {
    const { cluster } = await ecs.send(
      new UpdateClusterSettingsCommand({
        cluster: "bulk-000",
        settings: [{ name: "containerInsights", value: "enhanced" }],
      }),
    );
    expect(cluster?.settings).toEqual([{ name: "containerInsights", value: "enhanced" }]);
    const described = await ecs.send(new DescribeClustersCommand({ clusters: ["bulk-000"], include: ["SETTINGS"] }));
    expect(described.clusters?.[0]?.settings).toEqual([{ name: "containerInsights", value: "enhanced" }]);
    await expect(
      ecs.send(
        new UpdateClusterSettingsCommand({
          cluster: "bulk-000",
          settings: [{ name: "containerInsights", value: "on" }],
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      ecs.send(
        new UpdateClusterSettingsCommand({
          cluster: "nope",
          settings: [{ name: "containerInsights", value: "enabled" }],
        }),
      ),
    ).rejects.toBeInstanceOf(ClusterNotFoundException);
  });

  it("ListServices pages 10 by default and the paginator returns all 251 services", async () => {
    const first = await ecs.send(new ListServicesCommand({ cluster: "big" }));
    expect(first.serviceArns).toHaveLength(10);
    expect(first.serviceArns?.[0]).toBe(`${PREFIX}service/big/svc-000`);
    const pages = await all(paginateListServices({ client: ecs }, { cluster: "big" }));
    const arns = pages.flatMap((p) => p.serviceArns ?? []);
    expect(arns).toHaveLength(251);
    expect(new Set(arns).size).toBe(251);
    const byHundred = await all(paginateListServices({ client: ecs, pageSize: 100 }, { cluster: "big" }));
    expect(byHundred).toHaveLength(3);
    await expect(ecs.send(new ListServicesCommand({ cluster: "nope" }))).rejects.toBeInstanceOf(
      ClusterNotFoundException,
    );
  });

  it("DescribeServices returns the service with its deployment, MISSING failures, and refuses more than 10", async () => {
    const { services, failures } = await ecs.send(
      new DescribeServicesCommand({ cluster: "my-cluster", services: ["my-web-service", "ghost"] }),
    );
    const service = services?.[0];
    expect(service).toMatchObject({
      serviceArn: `${PREFIX}service/my-cluster/my-web-service`,
      clusterArn: `${PREFIX}cluster/my-cluster`,
      status: "ACTIVE",
      desiredCount: 3,
      runningCount: 3,
      pendingCount: 0,
      launchType: "FARGATE",
      platformVersion: "1.3.0",
      taskDefinition: `${PREFIX}task-definition/my-web-app:1`,
      networkConfiguration: { awsvpcConfiguration: { assignPublicIp: "ENABLED" } },
    });
    expect(service?.deployments).toHaveLength(1);
    expect(service?.deployments?.[0]).toMatchObject({ status: "PRIMARY", rolloutState: "COMPLETED", runningCount: 3 });
    expect(service?.deployments?.[0]?.id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(service?.deployments?.[0]?.createdAt).toBeInstanceOf(Date);
    expect(service?.events?.[0]?.message).toBe("(service my-web-service) has reached a steady state.");
    expect(failures).toEqual([{ arn: `${PREFIX}service/my-cluster/ghost`, reason: "MISSING" }]);
    const eleven = Array.from({ length: 11 }, (_, i) => `svc-${String(i).padStart(3, "0")}`);
    await expect(ecs.send(new DescribeServicesCommand({ cluster: "big", services: eleven }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    await expect(ecs.send(new DescribeServicesCommand({ cluster: "nope", services: ["x"] }))).rejects.toBeInstanceOf(
      ClusterNotFoundException,
    );
  });

  it("ListTasks filters by service, family and desired status; the paginator returns all 150 tasks", async () => {
    const web = await ecs.send(new ListTasksCommand({ cluster: "my-cluster", serviceName: "my-web-service" }));
    expect(web.taskArns).toEqual(TASK_IDS.map((id) => `${PREFIX}task/my-cluster/${id}`));
    const family = await ecs.send(new ListTasksCommand({ cluster: "my-cluster", family: "my-web-app" }));
    expect(family.taskArns).toHaveLength(3);
    const stopped = await ecs.send(new ListTasksCommand({ cluster: "my-cluster", desiredStatus: "STOPPED" }));
    expect(stopped.taskArns).toEqual([]);
    const pages = await all(
      paginateListTasks({ client: ecs, pageSize: 40 }, { cluster: "big", serviceName: "workers" }),
    );
    expect(pages).toHaveLength(4);
    expect(new Set(pages.flatMap((p) => p.taskArns ?? [])).size).toBe(150);
    await expect(
      ecs.send(new ListTasksCommand({ cluster: "my-cluster", serviceName: "ghost" })),
    ).rejects.toBeInstanceOf(ServiceNotFoundException);
  });

  it("DescribeTasks shows each task's ENI attachment, and EC2 holds the matching interface", async () => {
    const { tasks, failures } = await ecs.send(
      new DescribeTasksCommand({
        cluster: "my-cluster",
        tasks: [TASK_IDS[0] ?? "", `${PREFIX}task/my-cluster/${"f".repeat(32)}`],
      }),
    );
    expect(failures).toEqual([{ arn: `${PREFIX}task/my-cluster/${"f".repeat(32)}`, reason: "MISSING" }]);
    const task = tasks?.[0];
    expect(task).toMatchObject({
      taskArn: `${PREFIX}task/my-cluster/${TASK_IDS[0]}`,
      lastStatus: "RUNNING",
      desiredStatus: "RUNNING",
      group: "service:my-web-service",
      launchType: "FARGATE",
      platformVersion: "1.3.0",
      taskDefinitionArn: `${PREFIX}task-definition/my-web-app:1`,
      availabilityZone: "ap-northeast-1a",
    });
    expect(task?.containers?.[0]?.image).toBe("123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/my-web-app:v1");
    const attachment = task?.attachments?.[0];
    expect(attachment?.type).toBe("ElasticNetworkInterface");
    const detail = (name: string) => attachment?.details?.find((d) => d.name === name)?.value;
    expect(detail("networkInterfaceId")).toMatch(/^eni-[0-9a-f]{17}$/);
    expect(detail("privateIPv4Address")).toMatch(/^10\.0\.0\.\d+$/);
    expect(detail("macAddress")).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    const eni = sandbox.state.ec2.networkInterfaces.find((n) => n.NetworkInterfaceId === detail("networkInterfaceId"));
    expect(eni).toMatchObject({
      Description: `${PREFIX}attachment/${attachment?.id}`,
      InterfaceType: "interface",
      RequesterId: FARGATE_ENI_REQUESTER_ID,
      RequesterManaged: true,
      Status: "in-use",
      SubnetId: detail("subnetId"),
      PrivateIpAddress: detail("privateIPv4Address"),
      Groups: [{ GroupName: "my-web-task" }],
    });
    expect(eni?.Association?.PublicIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const ec2 = new EC2Client(clientConfig(sandbox.endpoint));
    const described = await ec2.send(
      new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [detail("networkInterfaceId") ?? ""] }),
    );
    ec2.destroy();
    expect(described.NetworkInterfaces?.[0]).toMatchObject({
      Description: `${PREFIX}attachment/${attachment?.id}`,
      RequesterManaged: true,
      Association: { PublicIp: eni?.Association?.PublicIp },
    });
    const tooMany = Array.from({ length: 101 }, (_, i) => String(i));
    await expect(ecs.send(new DescribeTasksCommand({ cluster: "my-cluster", tasks: tooMany }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
  });

  it("task definitions: families and revisions page, describe by family, revision or ARN, deregister to INACTIVE", async () => {
    const families = await all(paginateListTaskDefinitionFamilies({ client: ecs }, {}));
    expect(families.flatMap((p) => p.families ?? [])).toHaveLength(112);
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "fam-000:1" }));
    const inactiveFamilies = await ecs.send(new ListTaskDefinitionFamiliesCommand({ status: "INACTIVE" }));
    expect(inactiveFamilies.families).toEqual(["fam-000"]);
    const fam = await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: "fam-10" }));
    expect(fam.families).toEqual(Array.from({ length: 10 }, (_, i) => `fam-10${i}`));
    const revisions = await all(paginateListTaskDefinitions({ client: ecs }, { familyPrefix: "worker" }));
    expect(revisions).toHaveLength(2);
    expect(revisions.flatMap((p) => p.taskDefinitionArns ?? [])).toHaveLength(120);
    const desc = await ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: "worker", sort: "DESC", maxResults: 1 }),
    );
    expect(desc.taskDefinitionArns).toEqual([`${PREFIX}task-definition/worker:120`]);

    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "worker" }));
    expect(latest.taskDefinition?.revision).toBe(120);
    const one = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: "my-web-app:1", include: ["TAGS"] }),
    );
    expect(one.taskDefinition).toMatchObject({
      family: "my-web-app",
      revision: 1,
      status: "ACTIVE",
      networkMode: "awsvpc",
      compatibilities: ["EC2", "FARGATE"],
      taskRoleArn: "arn:aws:iam::123456789012:role/AdministratorAccessRole",
    });
    expect(one.taskDefinition?.containerDefinitions?.[0]?.environment).toEqual([
      { name: "DB_USER", value: "myappdbuser" },
    ]);
    expect(one.tags).toEqual([]);
    const byArn = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: `${PREFIX}task-definition/worker:7` }),
    );
    expect(byArn.taskDefinition?.containerDefinitions?.[0]?.image).toBe("busybox:5");

    const gone = await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "worker:120" }));
    expect(gone.taskDefinition?.status).toBe("INACTIVE");
    expect(
      (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "worker" }))).taskDefinition?.revision,
    ).toBe(119);
    const inactive = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "worker", status: "INACTIVE" }));
    expect(inactive.taskDefinitionArns).toEqual([`${PREFIX}task-definition/worker:120`]);
    await expect(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "nope:1" }))).rejects.toBeInstanceOf(
      ClientException,
    );
  });

  it("RegisterTaskDefinition returns the next revision with its tags", async () => {
    const registered = await ecs.send(
      new RegisterTaskDefinitionCommand({ ...webApp("v2"), tags: [{ key: "team", value: "web" }] }),
    );
    expect(registered.taskDefinition).toMatchObject({
      taskDefinitionArn: `${PREFIX}task-definition/my-web-app:2`,
      revision: 2,
      status: "ACTIVE",
      registeredBy: "arn:aws:iam::123456789012:root",
    });
    expect(registered.taskDefinition?.registeredAt).toBeInstanceOf(Date);
    expect(registered.taskDefinition?.containerDefinitions?.[0]).toMatchObject({ essential: true, cpu: 0 });
    expect(registered.tags).toEqual([{ key: "team", value: "web" }]);
    const described = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: "my-web-app", include: ["TAGS"] }),
    );
    expect(described.tags).toEqual([{ key: "team", value: "web" }]);
    await expect(
      ecs.send(
        new RegisterTaskDefinitionCommand({ family: "bad family", containerDefinitions: [{ name: "c", image: "x" }] }),
      ),
    ).rejects.toBeInstanceOf(ClientException);
  });

  it("account settings: effective defaults page 10 at a time; PutAccountSetting overrides one", async () => {
    const pages = await all(paginateListAccountSettings({ client: ecs }, { effectiveSettings: true }));
    expect(pages).toHaveLength(2);
    const settings = pages.flatMap((p) => p.settings ?? []);
    expect(settings).toHaveLength(11);
    expect(settings.find((s) => s.name === "containerInsights")).toMatchObject({
      value: "disabled",
      type: "aws_managed",
    });
    const put = await ecs.send(new PutAccountSettingCommand({ name: "containerInsights", value: "enhanced" }));
    expect(put.setting).toEqual({
      name: "containerInsights",
      value: "enhanced",
      principalArn: "arn:aws:iam::123456789012:root",
      type: "user",
    });
    const one = await ecs.send(new ListAccountSettingsCommand({ name: "containerInsights", effectiveSettings: true }));
    expect(one.settings).toEqual([put.setting]);
    const explicit = await ecs.send(new ListAccountSettingsCommand({}));
    expect(explicit.settings).toEqual([put.setting]);
    await expect(
      ecs.send(new PutAccountSettingCommand({ name: "containerInsights", value: "sometimes" })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await ecs.send(new DeleteAccountSettingCommand({ name: "containerInsights" }));
    const reverted = await ecs.send(
      new ListAccountSettingsCommand({ name: "containerInsights", effectiveSettings: true }),
    );
    expect(reverted.settings?.[0]).toMatchObject({ value: "disabled", type: "aws_managed" });
  });

  it("TagResource, ListTagsForResource and UntagResource on services, clusters and tasks", async () => {
    const service = `${PREFIX}service/my-cluster/my-web-service`;
    await ecs.send(
      new TagResourceCommand({
        resourceArn: service,
        tags: [
          { key: "env", value: "prod" },
          { key: "team", value: "web" },
        ],
      }),
    );
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn: service }))).tags).toEqual([
      { key: "env", value: "prod" },
      { key: "team", value: "web" },
    ]);
    const described = await ecs.send(
      new DescribeServicesCommand({ cluster: "my-cluster", services: ["my-web-service"], include: ["TAGS"] }),
    );
    expect(described.services?.[0]?.tags).toHaveLength(2);
    await ecs.send(new UntagResourceCommand({ resourceArn: service, tagKeys: ["env"] }));
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn: service }))).tags).toEqual([
      { key: "team", value: "web" },
    ]);
    const task = `${PREFIX}task/my-cluster/${TASK_IDS[1]}`;
    await ecs.send(new TagResourceCommand({ resourceArn: task, tags: [{ key: "k", value: "v" }] }));
    const tasks = await ecs.send(new DescribeTasksCommand({ cluster: "my-cluster", tasks: [task], include: ["TAGS"] }));
    expect(tasks.tasks?.[0]?.tags).toEqual([{ key: "k", value: "v" }]);
    await ecs.send(
      new TagResourceCommand({ resourceArn: `${PREFIX}cluster/my-cluster`, tags: [{ key: "k", value: "v" }] }),
    );
    const clusters = await ecs.send(new DescribeClustersCommand({ clusters: ["my-cluster"], include: ["TAGS"] }));
    expect(clusters.clusters?.[0]?.tags).toEqual([{ key: "k", value: "v" }]);
    await expect(
      ecs.send(new TagResourceCommand({ resourceArn: `${PREFIX}cluster/nope`, tags: [{ key: "k", value: "v" }] })),
    ).rejects.toBeInstanceOf(ClusterNotFoundException);
    await expect(
      ecs.send(new TagResourceCommand({ resourceArn: service, tags: [{ key: "aws:reserved", value: "v" }] })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });
});

describe("ECS over the SDK: deployments and replacements move with the virtual clock", () => {
  let sandbox: Sandbox;
  let ecs: ECSClient;
  let seeded: ReturnType<typeof seed>;

  beforeEach(async () => {
    seeded = seed({ bulk: false });
    sandbox = await startSandbox({ port: 0, state: seeded.state, clock: START });
    ecs = new ECSClient(clientConfig(sandbox.endpoint));
  });
  afterEach(async () => {
    ecs?.destroy();
    await sandbox?.stop();
  });

  const describeService = async (): Promise<Service | undefined> =>
    (await ecs.send(new DescribeServicesCommand({ cluster: "my-cluster", services: ["my-web-service"] })))
      .services?.[0];

  /** Makes requests (each moves the clock one step) until `done` holds, or gives up after `seconds` of clock. */
  async function waitFor(
    done: (service: Service | undefined) => boolean,
    seconds: number,
  ): Promise<Service | undefined> {
    const until = sandbox.now().getTime() + seconds * 1000;
    let service = await describeService();
    while (!done(service) && sandbox.now().getTime() < until) service = await describeService();
    return service;
  }

  it("UpdateService with a new revision, private networking and LATEST rolls out and completes", async () => {
    await ecs.send(new RegisterTaskDefinitionCommand(webApp("v2")));
    const { service } = await ecs.send(
      new UpdateServiceCommand({
        cluster: "my-cluster",
        service: "my-web-service",
        taskDefinition: "my-web-app:2",
        platformVersion: "LATEST",
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: [seeded.privateA],
            securityGroups: [seeded.taskSg],
            assignPublicIp: "DISABLED",
          },
        },
      }),
    );
    expect(service?.deployments?.map((d) => [d.status, d.rolloutState])).toEqual([
      ["PRIMARY", "IN_PROGRESS"],
      ["ACTIVE", "COMPLETED"],
    ]);
    const primaryId = service?.deployments?.[0]?.id ?? "";
    const oldId = service?.deployments?.[1]?.id ?? "";
    expect(primaryId).toMatch(/^ecs-svc\/\d{19}$/);
    expect(service?.deployments?.[0]?.taskDefinition).toBe(`${PREFIX}task-definition/my-web-app:2`);

    const midway = await describeService();
    expect(midway?.events?.[0]?.message).toMatch(
      /^\(service my-web-service\) has started 3 tasks: (\(task [0-9a-f]{32}\) ?){3}\.$/,
    );
    expect(midway?.pendingCount).toBe(3);

    const done = await waitFor((s) => s?.deployments?.[0]?.rolloutState === "COMPLETED", DEPLOYMENT_SECONDS + 30);
    expect(done?.deployments).toHaveLength(1);
    expect(done?.deployments?.[0]).toMatchObject({
      id: primaryId,
      status: "PRIMARY",
      rolloutState: "COMPLETED",
      runningCount: 3,
    });
    expect(done).toMatchObject({ runningCount: 3, pendingCount: 0, platformVersion: "LATEST" });
    const messages = done?.events?.map((e) => e.message) ?? [];
    expect(messages[0]).toBe("(service my-web-service) has reached a steady state.");
    expect(messages).toContain(`(service my-web-service) (deployment ${primaryId}) deployment completed.`);
    expect(
      messages.some((m) => m?.startsWith("(service my-web-service) has stopped 3 running tasks: (task 0a1b2c3d")),
    ).toBe(true);

    const running = await ecs.send(new ListTasksCommand({ cluster: "my-cluster", serviceName: "my-web-service" }));
    const { tasks } = await ecs.send(
      new DescribeTasksCommand({ cluster: "my-cluster", tasks: running.taskArns ?? [] }),
    );
    expect(tasks).toHaveLength(3);
    for (const task of tasks ?? []) {
      expect(task).toMatchObject({ lastStatus: "RUNNING", platformVersion: "1.4.0", startedBy: primaryId });
      expect(task.taskDefinitionArn).toBe(`${PREFIX}task-definition/my-web-app:2`);
      const eni = sandbox.state.ec2.networkInterfaces.find((n) => n.NetworkInterfaceId === eniOf(task));
      expect(eni?.SubnetId).toBe(seeded.privateA);
      expect(eni?.Association).toBeUndefined();
    }
    const stopped = await ecs.send(new DescribeTasksCommand({ cluster: "my-cluster", tasks: TASK_IDS }));
    for (const task of stopped.tasks ?? []) {
      expect(task).toMatchObject({
        lastStatus: "STOPPED",
        desiredStatus: "STOPPED",
        stopCode: "ServiceSchedulerInitiated",
        stoppedReason: `Scaling activity initiated by (deployment ${oldId})`,
      });
      expect(sandbox.state.ec2.networkInterfaces.some((n) => n.NetworkInterfaceId === eniOf(task))).toBe(false);
    }
    const listedStopped = await ecs.send(new ListTasksCommand({ cluster: "my-cluster", desiredStatus: "STOPPED" }));
    expect(listedStopped.taskArns).toHaveLength(3);
  });

  it("StopTask stops the task and its ENI goes; the service starts a replacement that reaches RUNNING", async () => {
    const { task } = await ecs.send(
      new StopTaskCommand({ cluster: "my-cluster", task: TASK_IDS[1], reason: "Stopped for triage" }),
    );
    expect(task).toMatchObject({
      desiredStatus: "STOPPED",
      lastStatus: "STOPPED",
      stoppedReason: "Stopped for triage",
      stopCode: "UserInitiated",
    });
    expect(task?.stoppedAt).toBeInstanceOf(Date);
    expect(sandbox.state.ec2.networkInterfaces.some((n) => n.NetworkInterfaceId === eniOf(task))).toBe(false);

    const after = await describeService();
    const started = after?.events?.[0]?.message ?? "";
    expect(started).toMatch(/^\(service my-web-service\) has started 1 tasks: \(task [0-9a-f]{32}\)\.$/);
    const replacementId = /\(task ([0-9a-f]{32})\)/.exec(started)?.[1] ?? "";
    const steady = await waitFor((s) => s?.runningCount === 3, 60);
    expect(steady?.events?.[0]?.message).toBe("(service my-web-service) has reached a steady state.");
    const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: "my-cluster", tasks: [replacementId] }));
    expect(tasks?.[0]).toMatchObject({ lastStatus: "RUNNING", group: "service:my-web-service" });
    expect(sandbox.state.ec2.networkInterfaces.filter((n) => n.RequesterId === FARGATE_ENI_REQUESTER_ID)).toHaveLength(
      3,
    );
    await expect(ecs.send(new StopTaskCommand({ cluster: "my-cluster", task: "f".repeat(32) }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
  });

  it("UpdateService: desiredCount alone rescales without a deployment; errors arrive as ECS's exceptions", async () => {
    const { service } = await ecs.send(
      new UpdateServiceCommand({ cluster: "my-cluster", service: "my-web-service", desiredCount: 4 }),
    );
    expect(service?.deployments).toHaveLength(1);
    expect(service?.deployments?.[0]?.desiredCount).toBe(4);
    const scaled = await waitFor((s) => s?.runningCount === 4, 60);
    expect(scaled?.runningCount).toBe(4);

    const forced = await ecs.send(
      new UpdateServiceCommand({
        cluster: "my-cluster",
        service: "my-web-service",
        forceNewDeployment: true,
        enableExecuteCommand: true,
      }),
    );
    expect(forced.service?.deployments?.[0]?.rolloutState).toBe("IN_PROGRESS");
    expect(forced.service?.enableExecuteCommand).toBe(true);

    await expect(
      ecs.send(new UpdateServiceCommand({ cluster: "my-cluster", service: "ghost", desiredCount: 1 })),
    ).rejects.toBeInstanceOf(ServiceNotFoundException);
    await expect(
      ecs.send(new UpdateServiceCommand({ cluster: "nope", service: "my-web-service", desiredCount: 1 })),
    ).rejects.toBeInstanceOf(ClusterNotFoundException);
    await expect(
      ecs.send(
        new UpdateServiceCommand({ cluster: "my-cluster", service: "my-web-service", taskDefinition: "my-web-app:9" }),
      ),
    ).rejects.toBeInstanceOf(ClientException);
    await expect(
      ecs.send(
        new UpdateServiceCommand({
          cluster: "my-cluster",
          service: "my-web-service",
          networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-0123456789abcdef0"] } },
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    const stored = sandbox.state.ecs.services["my-cluster"]?.[0];
    if (stored) stored.status = "DRAINING";
    await expect(
      ecs.send(new UpdateServiceCommand({ cluster: "my-cluster", service: "my-web-service", desiredCount: 1 })),
    ).rejects.toBeInstanceOf(ServiceNotActiveException);
  });

  it("the same state, clock and calls give the same ids (deterministic)", async () => {
    const run = async (state: SandboxState) => {
      const other = await startSandbox({ port: 0, state, clock: START });
      const client = new ECSClient(clientConfig(other.endpoint));
      await client.send(new StopTaskCommand({ cluster: "my-cluster", task: TASK_IDS[0] }));
      const listed = await client.send(new ListTasksCommand({ cluster: "my-cluster" }));
      client.destroy();
      await other.stop();
      return listed.taskArns;
    };
    const first = await run(seed({ bulk: false }).state);
    expect(first).toHaveLength(3);
    expect(await run(seed({ bulk: false }).state)).toEqual(first);
  });
});

describe("startTask (scenario builder)", () => {
  it("the ECS slice survives the --state file encoding (Dates included)", () => {
    const { state } = seed({ bulk: false });
    const decoded = decodeState(encodeState(state));
    expect(decoded.ecs).toEqual(state.ecs);
    expect(decoded.ecs.tasks["my-cluster"]?.[0]?.startedAt).toBeInstanceOf(Date);
  });

  it("seeds a RUNNING task with a fixed id, its ENI in the service's subnets and security groups", () => {
    const { state } = seed({ bulk: false });
    const ids = { now: START, hex: (length: number) => drawHex(state, length) };
    const task = startTask(state, ids, { cluster: "my-cluster", service: "my-web-service", id: "d".repeat(32) });
    expect(task.taskArn).toBe(`${PREFIX}task/my-cluster/${"d".repeat(32)}`);
    expect(task.lastStatus).toBe("RUNNING");
    expect(task.startedAt?.getTime()).toBe(START.getTime());
    expect(state.ec2.networkInterfaces.find((n) => n.NetworkInterfaceId === eniOf(task))?.Groups?.[0]?.GroupName).toBe(
      "my-web-task",
    );
  });
});
