// The scenarios hold the facts DESIGN §3 lists, as any SDK client sees them.

import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  LookupEventsCommand,
} from "@aws-sdk/client-cloudtrail";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import {
  DescribeImageScanFindingsCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  LifecyclePolicyNotFoundException,
  ScanNotFoundException,
  StartImageScanCommand,
} from "@aws-sdk/client-ecr";
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTasksCommand,
  paginateListClusters,
  paginateListServices,
} from "@aws-sdk/client-ecs";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  GenerateServiceLastAccessedDetailsCommand,
  GetGroupPolicyCommand,
  GetServiceLastAccessedDetailsCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { WEB } from "../../lib/sandbox/scenarios/web-service";
import { type Sandbox, startSandbox } from "../../lib/sandbox/server";
import { clientConfig } from "./client";

const CLOCK = "2026-11-28T00:00:00Z";

function clients(endpoint: string) {
  const config = clientConfig(endpoint);
  return {
    ecs: new ECSClient(config),
    ec2: new EC2Client(config),
    elb: new ElasticLoadBalancingV2Client(config),
    iam: new IAMClient(config),
    sts: new STSClient(config),
  };
}

describe.each(["inherited", "clean"] as const)("scenario %s", (scenario) => {
  let sandbox: Sandbox;
  let aws: ReturnType<typeof clients>;
  const inherited = scenario === "inherited";
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario, clock: CLOCK });
    aws = clients(sandbox.endpoint);
  });
  afterAll(() => sandbox.stop());

  test("the service runs tasks A, B and C behind the ALB", async () => {
    const tasks = await aws.ecs.send(new ListTasksCommand({ cluster: WEB.cluster, serviceName: WEB.service }));
    expect(tasks.taskArns?.map((arn) => arn.split("/").pop())).toEqual([...WEB.taskIds]);
    const [service] =
      (await aws.ecs.send(new DescribeServicesCommand({ cluster: WEB.cluster, services: [WEB.service] }))).services ??
      [];
    expect(service).toMatchObject({
      desiredCount: 3,
      runningCount: 3,
      launchType: "FARGATE",
      platformVersion: inherited ? "1.3.0" : "LATEST",
      networkConfiguration: { awsvpcConfiguration: { assignPublicIp: inherited ? "ENABLED" : "DISABLED" } },
      loadBalancers: [{ containerName: WEB.container, containerPort: 80 }],
    });
  });

  test("Container Insights is off on the inherited cluster, enhanced on the clean one", async () => {
    const [cluster] =
      (await aws.ecs.send(new DescribeClustersCommand({ clusters: [WEB.cluster], include: ["SETTINGS"] }))).clusters ??
      [];
    expect(cluster?.settings).toEqual([{ name: "containerInsights", value: inherited ? "disabled" : "enhanced" }]);
  });

  test("the task definition: the password in plain environment, or injected from Secrets Manager", async () => {
    const { taskDefinition } = await aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: WEB.family }));
    const app = taskDefinition?.containerDefinitions?.find((c) => c.name === WEB.container);
    const env = Object.fromEntries((app?.environment ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      DB_USER: "myappdbuser",
      UPLOAD_BUCKET: WEB.uploadBucket,
      JOBS_QUEUE_URL: WEB.jobsQueueUrl,
    });
    if (inherited) {
      expect(env.DB_PASSWD).toBe(WEB.dbPassword);
      expect(app?.logConfiguration).toBeUndefined();
      expect(taskDefinition?.taskRoleArn).toBe("arn:aws:iam::123456789012:role/AdministratorAccessRole");
      const attached = await aws.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: WEB.taskRole }));
      expect(attached.AttachedPolicies?.map((p) => p.PolicyName)).toEqual(["AdministratorAccess"]);
    } else {
      expect(env.DB_PASSWD).toBeUndefined();
      expect(app?.secrets?.[0]?.name).toBe("DB_PASSWD");
      expect(app).toMatchObject({
        readonlyRootFilesystem: true,
        user: "1000",
        logConfiguration: { logDriver: "awslogs" },
      });
      expect(taskDefinition?.containerDefinitions?.map((c) => c.name)).toContain("aws-otel-collector");
    }
  });

  test("security groups found by their Name tag, chained ALB → tasks → database only when clean", async () => {
    const byName = async (name: string) =>
      (await aws.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "tag:Name", Values: [name] }] })))
        .SecurityGroups?.[0];
    const [alb, task, db] = [await byName("sg-ALB"), await byName("sg-ECSTask"), await byName("sg-AuroraDB")];
    expect([alb?.GroupName, task?.GroupName, db?.GroupName]).toEqual(["my-web-alb", "my-web-task", "my-db"]);
    expect(alb?.IpPermissions?.map((p) => [p.FromPort, p.IpRanges?.[0]?.CidrIp])).toEqual([
      [443, "0.0.0.0/0"],
      [80, "0.0.0.0/0"],
    ]);
    const source = (group: typeof task) =>
      group?.IpPermissions?.[0]?.IpRanges?.[0]?.CidrIp ?? group?.IpPermissions?.[0]?.UserIdGroupPairs?.[0]?.GroupId;
    expect(source(task)).toBe(inherited ? "10.0.0.0/16" : alb?.GroupId);
    expect(source(db)).toBe(inherited ? "10.0.0.0/16" : task?.GroupId);
    const rds = await aws.ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "requester-id", Values: ["amazon-rds"] }] }),
    );
    expect(rds.NetworkInterfaces?.map((eni) => [eni.Description, eni.Groups?.[0]?.GroupId])).toEqual([
      ["RDSNetworkInterface", db?.GroupId],
      ["RDSNetworkInterface", db?.GroupId],
    ]);
  });

  test("private subnets route to the internet through a NAT gateway", async () => {
    const tables = (
      await aws.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "tag:Name", Values: ["private"] }] }))
    ).RouteTables;
    expect(tables?.[0]?.Routes?.find((r) => r.DestinationCidrBlock === "0.0.0.0/0")?.NatGatewayId).toMatch(
      /^nat-[0-9a-f]{17}$/,
    );
    expect(tables?.[0]?.Associations).toHaveLength(2);
  });

  test("the ALB's port 80 forwards on the inherited service and redirects on the clean one", async () => {
    const [lb] =
      (await aws.elb.send(new DescribeLoadBalancersCommand({ Names: [WEB.loadBalancer] }))).LoadBalancers ?? [];
    expect(lb?.Scheme).toBe("internet-facing");
    const listeners =
      (await aws.elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }))).Listeners ?? [];
    expect(listeners.map((l) => [l.Port, l.DefaultActions?.[0]?.Type])).toEqual([
      [443, "forward"],
      [80, inherited ? "forward" : "redirect"],
    ]);
  });

  test("who can touch the cluster: ecs:* everywhere and a PassRole escalation, or scoped", async () => {
    const group = await aws.iam.send(
      new GetGroupPolicyCommand({ GroupName: "ecs-operators", PolicyName: "ecs-operate" }),
    );
    const bot = await aws.iam.send(new GetUserPolicyCommand({ UserName: "deploy-bot", PolicyName: "deploy" }));
    const groupPolicy = JSON.parse(decodeURIComponent(group.PolicyDocument ?? ""));
    const botPolicy = JSON.parse(decodeURIComponent(bot.PolicyDocument ?? ""));
    const passRole = botPolicy.Statement.find((s: { Action: unknown }) => s.Action === "iam:PassRole");
    if (inherited) {
      expect(groupPolicy.Statement).toEqual([{ Effect: "Allow", Action: "ecs:*", Resource: "*" }]);
      expect(passRole.Resource).toBe("*");
    } else {
      expect(JSON.stringify(groupPolicy)).not.toContain('"ecs:*"');
      expect(passRole.Condition).toEqual({ StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } });
    }
  });

  test("the operator is new-owner, and access advisor shows the task role used S3 and SQS only", async () => {
    expect((await aws.sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(WEB.operator);
    const roleArn = (await aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: WEB.family })))
      .taskDefinition?.taskRoleArn;
    const { JobId } = await aws.iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: roleArn }));
    const details = await aws.iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }));
    const used = details.ServicesLastAccessed?.filter((s) => s.LastAuthenticated !== undefined).map(
      (s) => s.ServiceNamespace,
    );
    expect(used?.sort()).toEqual(["s3", "sqs"]);
  });
});

describe.each(["inherited", "clean"] as const)("scenario %s: ECR and CloudTrail", (scenario) => {
  const inherited = scenario === "inherited";
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario, clock: CLOCK });
  });
  afterAll(() => sandbox.stop());

  test("the repository: mutable and never scanned, or immutable, scanned on push, with a lifecycle policy", async () => {
    const ecr = new ECRClient(clientConfig(sandbox.endpoint));
    const [repository] =
      (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [WEB.family] }))).repositories ?? [];
    expect(repository?.imageTagMutability).toBe(inherited ? "MUTABLE" : "IMMUTABLE");
    expect(repository?.imageScanningConfiguration?.scanOnPush).toBe(!inherited);
    const lifecycle = ecr.send(new GetLifecyclePolicyCommand({ repositoryName: WEB.family }));
    if (inherited) {
      await expect(lifecycle).rejects.toBeInstanceOf(LifecyclePolicyNotFoundException);
      await expect(
        ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: WEB.family, imageId: { imageTag: "v1" } })),
      ).rejects.toBeInstanceOf(ScanNotFoundException);
      await ecr.send(new StartImageScanCommand({ repositoryName: WEB.family, imageId: { imageTag: "v1" } }));
      for (let i = 0; i < 12; i++) await ecr.send(new DescribeRepositoriesCommand({})); // the clock moves per request
    } else {
      expect((await lifecycle).lifecyclePolicyText).toContain("imageCountMoreThan");
    }
    const findings = await ecr.send(
      new DescribeImageScanFindingsCommand({ repositoryName: WEB.family, imageId: { imageTag: "v1" } }),
    );
    expect(findings.imageScanFindings?.findingSeverityCounts).toEqual(
      inherited ? { CRITICAL: 2, HIGH: 5 } : { LOW: 1 },
    );
  });

  test("CloudTrail: no trail on the inherited account, a logging multi-region trail on the clean one; 30 days of history", async () => {
    const cloudtrail = new CloudTrailClient(clientConfig(sandbox.endpoint));
    const trails = (await cloudtrail.send(new DescribeTrailsCommand({}))).trailList ?? [];
    if (inherited) {
      expect(trails).toEqual([]);
    } else {
      expect(trails[0]).toMatchObject({ IsMultiRegionTrail: true, LogFileValidationEnabled: true });
      expect((await cloudtrail.send(new GetTrailStatusCommand({ Name: trails[0]?.Name }))).IsLogging).toBe(true);
    }
    const bot = await cloudtrail.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "Username", AttributeValue: "deploy-bot" }] }),
    );
    expect(bot.Events?.length).toBeGreaterThan(0);
    expect(bot.Events?.every((event) => event.Username === "deploy-bot")).toBe(true);
  });
});

describe.each([
  ["inherited", [], []],
  ["incident", ["/ecs/my-web-app"], []],
  ["clean", ["/ecs/my-web-app"], ["my-web-alb-latency-p99", "my-web-alb-target-5xx", "my-web-service-cpu-high"]],
] as const)("scenario %s: log groups and alarms", (scenario, groups, alarms) => {
  test("holds exactly the app's log group (30 days) and the alarms the runbooks set up", async () => {
    const sandbox = await startSandbox({ scenario, clock: CLOCK });
    try {
      const config = clientConfig(sandbox.endpoint);
      const { logGroups } = await new CloudWatchLogsClient(config).send(
        new DescribeLogGroupsCommand({ logGroupNamePrefix: "/ecs/" }),
      );
      expect(logGroups?.map((g) => [g.logGroupName, g.retentionInDays])).toEqual(groups.map((name) => [name, 30]));
      const { MetricAlarms } = await new CloudWatchClient(config).send(new DescribeAlarmsCommand({}));
      expect(MetricAlarms?.map((a) => a.AlarmName).sort()).toEqual([...alarms]);
    } finally {
      await sandbox.stop();
    }
  });
});

describe("scenario large", () => {
  test("ListServices, paginated over each of the 20 clusters, returns 1,000 services", async () => {
    const sandbox = await startSandbox({ scenario: "large", clock: CLOCK });
    try {
      const { ecs } = clients(sandbox.endpoint);
      const clusters: string[] = [];
      for await (const page of paginateListClusters({ client: ecs }, {})) clusters.push(...(page.clusterArns ?? []));
      expect(clusters).toHaveLength(20);
      let services = 0;
      for (const cluster of clusters) {
        for await (const page of paginateListServices({ client: ecs }, { cluster }))
          services += page.serviceArns?.length ?? 0;
      }
      expect(services).toBe(1000);
    } finally {
      await sandbox.stop();
    }
  });
});

describe("determinism", () => {
  async function transcript(): Promise<string[]> {
    const sandbox = await startSandbox({ scenario: "inherited", clock: CLOCK });
    const call = async (op: string, body: object) => {
      const response = await fetch(sandbox.endpoint, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": `AmazonEC2ContainerServiceV20141113.${op}`,
        },
        body: JSON.stringify(body),
      });
      return `${response.headers.get("date")} ${response.headers.get("x-amzn-requestid")} ${await response.text()}`;
    };
    try {
      return [
        await call("DescribeServices", { cluster: WEB.cluster, services: [WEB.service] }),
        await call("UpdateService", { cluster: WEB.cluster, service: WEB.service, forceNewDeployment: true }),
        await call("ListTasks", { cluster: WEB.cluster }),
        await call("DescribeServices", { cluster: WEB.cluster, services: [WEB.service] }),
      ];
    } finally {
      await sandbox.stop();
    }
  }

  test("the same scenario, clock and calls give identical responses, ids and Date headers included", async () => {
    const [first, second] = [await transcript(), await transcript()];
    expect(second).toEqual(first);
    expect(first[0]).toMatch(/^Sat, 28 Nov 2026 00:00:00 GMT /);
    expect(new Set(first.map((line) => line.split(" ")[6])).size).toBe(4); // a request id each
  });
});
