// The seed talk's web service (DESIGN §3) as data: one builder, two postures. `inherited` is the service on the day
// it is handed over, problems included; `clean` is the same names built right, the state the runbooks lead to.

import type { PutMetricAlarmInput } from "@aws-sdk/client-cloudwatch";
import type { ContainerDefinition, KeyValuePair } from "@aws-sdk/client-ecs";
import { drawHex } from "../clock";
import { addTrail, inheritedHistory, seedEventHistory } from "../services/cloudtrail";
import { addAlarm } from "../services/cloudwatch";
import { addNetworkInterface, addRouteTable, addSecurityGroup, addSubnet, addVpc } from "../services/ec2";
import type { RuleSpec } from "../services/ec2-security-groups";
import { addRepository, type SeededFinding, seedImage } from "../services/ecr";
import { createService, putCluster, registerTaskDefinition } from "../services/ecs";
import { addListener, addLoadBalancer, addTargetGroup, forwardTo, redirectToHttps } from "../services/elbv2";
import { addGroup, addRole, addUser, setServiceLastAccessed } from "../services/iam";
import { ADMINISTRATOR_ACCESS_ARN, ECS_TASK_EXECUTION_POLICY_ARN } from "../services/iam-managed-policies";
import { addLogGroup } from "../services/logs";
import { addBucket } from "../services/s3";
import { addSecret } from "../services/secrets-manager";
import { setCallerIdentity } from "../services/sts";
import type { SandboxState } from "../state";
import { recordInsights } from "../telemetry/model";

/**
 * `inherited`: day one. `clean`: built right. `incident`: the inherited service two weeks on, after the
 * observability steps (Container Insights enhanced, awslogs, an ADOT collector), with task B gone bad.
 */
export type Posture = "inherited" | "clean" | "incident";

/** The names and fixed values every scenario of the web service shares. */
export const WEB = {
  cluster: "my-cluster",
  service: "my-web-service",
  family: "my-web-app",
  container: "my-web-app",
  image: "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/my-web-app:v1",
  loadBalancer: "my-web-alb",
  targetGroup: "my-web-tg",
  taskRole: "AdministratorAccessRole",
  executionRole: "ecsTaskExecutionRole",
  uploadBucket: "my-web-uploads",
  jobsQueueUrl: "https://sqs.ap-northeast-1.amazonaws.com/123456789012/my-web-jobs",
  dbHost: "my-db.cluster-abc123.ap-northeast-1.rds.amazonaws.com",
  dbSecretName: "my-web-app/db-password",
  /** The planted secret: it must never appear in any output of the tool (DESIGN §2). */
  dbPassword: "mysupersecretpasswd",
  /** Tasks A, B and C of the talk. */
  taskIds: ["0a1b2c3d4e5f4a6b8c9d0e1f2a3b4c5d", "1b2c3d4e5f6a4b7c9d0e1f2a3b4c5d6e", "2c3d4e5f6a7b4c8d0e1f2a3b4c5d6e7f"],
  operator: "arn:aws:iam::123456789012:user/new-owner",
} as const;

const TAGS = { Project: "my-web", Owner: "platform-team", Environment: "production" } as const;
const ECS_TASKS_TRUST = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
};
const DAY_MS = 86_400_000;

/** How long before the clock's start the generated telemetry begins. */
const HISTORY_MS = 3 * 3_600_000;
/** The incident began this long before the clock's start. */
export const INCIDENT_MS = 40 * 60_000;

export function buildWebService(state: SandboxState, start: Date, posture: Posture): void {
  const clean = posture === "clean";
  const observed = posture !== "inherited";
  const longAgo = { now: new Date(start.getTime() - 400 * DAY_MS), hex: (n: number) => drawHex(state, n) };
  const tags = clean ? TAGS : undefined;
  setCallerIdentity(state, { arn: WEB.operator });

  // Network: two public subnets (internet gateway) and two private ones (NAT gateway).
  const vpc = addVpc(state, longAgo, { cidrBlock: "10.0.0.0/16", name: "my-vpc", tags });
  const vpcId = vpc.VpcId as string;
  const subnet = (name: string, cidrBlock: string, zone: string, publicIp: boolean) =>
    addSubnet(state, longAgo, {
      vpcId,
      cidrBlock,
      availabilityZone: `ap-northeast-1${zone}`,
      name,
      tags,
      mapPublicIpOnLaunch: publicIp,
    }).SubnetId as string;
  const publicSubnets = [subnet("public-a", "10.0.0.0/24", "a", true), subnet("public-c", "10.0.1.0/24", "c", true)];
  const privateSubnets = [
    subnet("private-a", "10.0.10.0/24", "a", false),
    subnet("private-c", "10.0.11.0/24", "c", false),
  ];
  addRouteTable(state, longAgo, {
    vpcId,
    name: "public",
    tags,
    routes: [{ DestinationCidrBlock: "0.0.0.0/0", GatewayId: `igw-${longAgo.hex(17)}` }],
    subnetIds: publicSubnets,
  });
  addRouteTable(state, longAgo, {
    vpcId,
    name: "private",
    tags,
    routes: [{ DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: `nat-${longAgo.hex(17)}` }],
    subnetIds: privateSubnets,
  });

  // Security groups, named by their Name tag as in the talk (AWS forbids group names starting with "sg-").
  const group = (name: string, nameTag: string, description: string, ingress: RuleSpec[]) =>
    addSecurityGroup(state, longAgo, { name, nameTag, description, vpcId, tags, ingress }).GroupId as string;
  const albGroup = group("my-web-alb", "sg-ALB", "ALB of my-web", [
    { port: 443, cidr: "0.0.0.0/0" },
    { port: 80, cidr: "0.0.0.0/0" },
  ]);
  const taskGroup = group(
    "my-web-task",
    "sg-ECSTask",
    "tasks of my-web-service",
    clean ? [{ port: 80, groupId: albGroup }] : [{ port: 80, cidr: "10.0.0.0/16" }],
  );
  const dbGroup = group(
    "my-db",
    "sg-AuroraDB",
    "Aurora my-db",
    clean ? [{ port: 3306, groupId: taskGroup }] : [{ port: 3306, cidr: "10.0.0.0/16" }],
  );
  // The Aurora cluster's network interfaces: how discovery learns that sg-AuroraDB guards a data store.
  for (const subnetId of privateSubnets) {
    addNetworkInterface(state, longAgo, {
      subnetId,
      groupIds: [dbGroup],
      description: "RDSNetworkInterface",
      requesterId: "amazon-rds",
    });
  }

  // The load balancer: 443 forwards; 80 forwards too on the inherited service, redirects on the clean one.
  const alb = addLoadBalancer(state, longAgo, {
    name: WEB.loadBalancer,
    subnetIds: publicSubnets,
    securityGroupIds: [albGroup],
    scheme: "internet-facing",
    createdTime: longAgo.now,
    tags,
  });
  const targetGroup = addTargetGroup(state, longAgo, {
    name: WEB.targetGroup,
    vpcId,
    port: 80,
    protocol: "HTTP",
    targetType: "ip",
    healthCheckPath: "/health",
    tags,
  });
  const targetGroupArn = targetGroup.TargetGroupArn as string;
  addListener(state, longAgo, {
    loadBalancerArn: alb.LoadBalancerArn as string,
    port: 443,
    protocol: "HTTPS",
    defaultActions: [forwardTo(targetGroupArn)],
    certificateArns: [`arn:aws:acm:ap-northeast-1:${state.account}:certificate/${uuid(longAgo.hex(32))}`],
  });
  addListener(state, longAgo, {
    loadBalancerArn: alb.LoadBalancerArn as string,
    port: 80,
    protocol: "HTTP",
    defaultActions: [clean ? redirectToHttps() : forwardTo(targetGroupArn)],
  });

  // IAM: the task role, the execution role, and the people and CI that touch the cluster.
  const clusterArn = `arn:aws:ecs:${state.region}:${state.account}:cluster/${WEB.cluster}`;
  let secretArn: string | undefined;
  if (clean) {
    secretArn = addSecret(state, longAgo, { name: WEB.dbSecretName, value: WEB.dbPassword, tags }).ARN;
  }
  const taskRole = addRole(state, longAgo, {
    name: clean ? "my-web-app-task" : WEB.taskRole,
    trust: ECS_TASKS_TRUST,
    managedPolicyArns: clean ? [] : [ADMINISTRATOR_ACCESS_ARN],
    inline: clean ? { "my-web-app-least-privilege": leastPrivilege(state.account) } : {},
    tags,
  });
  const executionRole = addRole(state, longAgo, {
    name: WEB.executionRole,
    trust: ECS_TASKS_TRUST,
    managedPolicyArns: [ECS_TASK_EXECUTION_POLICY_ARN],
    inline: secretArn
      ? {
          "read-db-password": {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArn }],
          },
        }
      : {},
    tags,
  });
  addUser(state, longAgo, { name: "alice", tags });
  addUser(state, longAgo, { name: "bob", tags });
  addGroup(state, longAgo, {
    name: "ecs-operators",
    users: ["alice", "bob"],
    inline: {
      "ecs-operate": {
        Version: "2012-10-17",
        Statement: clean
          ? [
              { Effect: "Allow", Action: ["ecs:Describe*", "ecs:List*"], Resource: "*" },
              {
                Effect: "Allow",
                Action: ["ecs:UpdateService", "ecs:StopTask"],
                Resource: "*",
                Condition: { ArnEquals: { "ecs:cluster": clusterArn } },
              },
            ]
          : [{ Effect: "Allow", Action: "ecs:*", Resource: "*" }],
      },
    },
  });
  addUser(state, longAgo, {
    name: "deploy-bot",
    tags,
    inline: {
      deploy: {
        Version: "2012-10-17",
        Statement: clean
          ? [
              { Effect: "Allow", Action: ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"], Resource: "*" },
              {
                Effect: "Allow",
                Action: "ecs:UpdateService",
                Resource: `arn:aws:ecs:${state.region}:${state.account}:service/${WEB.cluster}/${WEB.service}`,
              },
              {
                Effect: "Allow",
                Action: "iam:PassRole",
                Resource: [taskRole.Arn, executionRole.Arn],
                Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
              },
            ]
          : [
              {
                Effect: "Allow",
                Action: ["ecs:RunTask", "ecs:RegisterTaskDefinition", "ecs:UpdateService"],
                Resource: "*",
              },
              { Effect: "Allow", Action: "iam:PassRole", Resource: "*" },
            ],
      },
    },
  });
  // Access advisor: in 90 days the task role used S3 and SQS only.
  setServiceLastAccessed(state, taskRole.Arn, [
    {
      ServiceNamespace: "s3",
      LastAuthenticated: new Date(start.getTime() - 2 * DAY_MS),
      LastAuthenticatedEntity: taskRole.Arn,
      TotalAuthenticatedEntities: 1,
    },
    {
      ServiceNamespace: "sqs",
      LastAuthenticated: new Date(start.getTime() - 1 * DAY_MS),
      LastAuthenticatedEntity: taskRole.Arn,
      TotalAuthenticatedEntities: 1,
    },
  ]);
  if (clean) {
    addBucket(state, longAgo.now, { name: WEB.uploadBucket, tags });
  }

  // ECS: the cluster, the task definition the service runs, the service and its three tasks.
  const insights = observed ? "enhanced" : "disabled";
  putCluster(state, { name: WEB.cluster, containerInsights: insights });
  if (tags) state.ecs.tags[clusterArn] = ecsTags(tags);
  const recent = { now: new Date(start.getTime() - 14 * DAY_MS), hex: longAgo.hex };
  registerTaskDefinition(state, recent, {
    family: WEB.family,
    taskRoleArn: taskRole.Arn,
    executionRoleArn: executionRole.Arn,
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    cpu: "512",
    memory: "1024",
    containerDefinitions: clean
      ? cleanContainers(secretArn as string)
      : observed
        ? [{ ...inheritedContainer(), logConfiguration: awslogs("app") }, otelCollector()]
        : [inheritedContainer()],
    ...(tags ? { tags: ecsTags(tags) } : {}),
  });
  const service = createService(state, recent, {
    cluster: WEB.cluster,
    name: WEB.service,
    taskDefinition: `${WEB.family}:1`,
    desiredCount: 3,
    launchType: "FARGATE",
    platformVersion: clean ? "LATEST" : "1.3.0",
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: clean ? privateSubnets : publicSubnets,
        securityGroups: [taskGroup],
        assignPublicIp: clean ? "DISABLED" : "ENABLED",
      },
    },
    loadBalancers: [{ targetGroupArn, containerName: WEB.container, containerPort: 80 }],
    taskIds: [...WEB.taskIds],
  });
  if (tags) state.ecs.tags[service.serviceArn as string] = ecsTags(tags);

  // ECR: the image the service runs; scanning, tag immutability and a lifecycle policy only when clean.
  addRepository(state, longAgo, {
    name: WEB.family,
    tagMutability: clean ? "IMMUTABLE" : "MUTABLE",
    scanOnPush: clean,
    ...(clean ? { lifecyclePolicy: KEEP_LAST_30_IMAGES } : {}),
    createdAt: longAgo.now,
    ...(tags ? { tags } : {}),
  });
  const pushedAt = new Date(start.getTime() - 20 * DAY_MS);
  const image = seedImage(state, longAgo, {
    repository: WEB.family,
    tag: "v1",
    pushedAt,
    findings: clean ? CLEAN_IMAGE_FINDINGS : INHERITED_IMAGE_FINDINGS,
  });
  if (clean) {
    // Scanned on push, long ago: the findings are there to read.
    image.scan = {
      status: "COMPLETE",
      scanType: "BASIC",
      startedAt: pushedAt,
      completesAt: pushedAt,
      completedAt: pushedAt,
    };
    addBucket(state, longAgo.now, { name: TRAIL_BUCKET, policy: trailBucketPolicy(state.account), tags });
    addTrail(state, longAgo, {
      name: "management-events",
      s3BucketName: TRAIL_BUCKET,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      logging: true,
      ...(tags ? { tags } : {}),
    });
  }
  // What people and CI did over the last 30 days, as CloudTrail's event history shows it.
  seedEventHistory(state, longAgo, inheritedHistory(state, start));

  // Logs and alarms: the app logs to /ecs/my-web-app once the observability steps are done; alarms only when clean.
  if (observed) {
    addLogGroup(state, {
      name: "/ecs/my-web-app",
      retentionInDays: 30,
      createdAt: recent.now,
      ...(tags ? { tags } : {}),
    });
  }
  if (clean) {
    const albDimension = (alb.LoadBalancerArn as string).split(":loadbalancer/")[1] as string;
    for (const alarm of cleanAlarms(albDimension)) addAlarm(state, alarm, recent.now);
  }

  // Telemetry: three hours of history; on the incident, task B pins its CPU and POST /something slows in the app.
  const since = new Date(start.getTime() - HISTORY_MS);
  state.telemetry.since = since;
  recordInsights(state, WEB.cluster, insights, since);
  state.telemetry.workloads.push({
    cluster: WEB.cluster,
    service: WEB.service,
    requestsPerMinutePerTask: 20,
    cpuPercent: posture === "incident" ? 25 : 50,
    memoryPercent: 35,
    endpoints: [
      { method: "GET", path: "/", weight: 5, latencyMs: 40, sqlMs: 5 },
      { method: "GET", path: "/items", weight: 3, latencyMs: 90, sqlMs: 25 },
      { method: "POST", path: "/something", weight: 2, latencyMs: 160, sqlMs: 100 },
    ],
  });
  if (posture === "incident") {
    state.telemetry.incidents.push({
      cluster: WEB.cluster,
      service: WEB.service,
      taskId: WEB.taskIds[1],
      method: "POST",
      path: "/something",
      from: new Date(start.getTime() - INCIDENT_MS),
      cpuPercent: 99,
      latencyMs: 4750,
      sqlMs: 100,
    });
  }
}

const TRAIL_BUCKET = "my-web-cloudtrail-logs";

/** The alarms the observability runbook sets up: CPU of the service, 5xx and latency at the load balancer. */
function cleanAlarms(loadBalancer: string): PutMetricAlarmInput[] {
  const service = [
    { Name: "ClusterName", Value: WEB.cluster },
    { Name: "ServiceName", Value: WEB.service },
  ];
  const lb = [{ Name: "LoadBalancer", Value: loadBalancer }];
  const common = { EvaluationPeriods: 3, DatapointsToAlarm: 3, TreatMissingData: "notBreaching" as const, Period: 60 };
  return [
    {
      AlarmName: "my-web-service-cpu-high",
      Namespace: "AWS/ECS",
      MetricName: "CPUUtilization",
      Dimensions: service,
      Statistic: "Average",
      Threshold: 80,
      ComparisonOperator: "GreaterThanThreshold",
      ...common,
    },
    {
      AlarmName: "my-web-alb-target-5xx",
      Namespace: "AWS/ApplicationELB",
      MetricName: "HTTPCode_Target_5XX_Count",
      Dimensions: lb,
      Statistic: "Sum",
      Threshold: 10,
      ComparisonOperator: "GreaterThanThreshold",
      ...common,
    },
    {
      AlarmName: "my-web-alb-latency-p99",
      Namespace: "AWS/ApplicationELB",
      MetricName: "TargetResponseTime",
      Dimensions: lb,
      ExtendedStatistic: "p99",
      Threshold: 2,
      ComparisonOperator: "GreaterThanThreshold",
      ...common,
    },
  ];
}

const KEEP_LAST_30_IMAGES = {
  rules: [
    {
      rulePriority: 1,
      description: "keep the last 30 images",
      selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 },
      action: { type: "expire" },
    },
  ],
};

/** What a scan of `my-web-app:v1` finds (DESIGN §3): 2 CRITICAL and 5 HIGH. */
const INHERITED_IMAGE_FINDINGS: SeededFinding[] = [
  { name: "CVE-2024-6387", severity: "CRITICAL", packageName: "openssh-server", packageVersion: "1:9.2p1-2" },
  { name: "CVE-2023-38545", severity: "CRITICAL", packageName: "curl", packageVersion: "7.88.1-10" },
  { name: "CVE-2023-44487", severity: "HIGH", packageName: "nghttp2", packageVersion: "1.52.0-1" },
  { name: "CVE-2024-2961", severity: "HIGH", packageName: "glibc", packageVersion: "2.36-9" },
  { name: "CVE-2023-4911", severity: "HIGH", packageName: "glibc", packageVersion: "2.36-9" },
  { name: "CVE-2024-45490", severity: "HIGH", packageName: "expat", packageVersion: "2.5.0-1" },
  { name: "CVE-2023-52425", severity: "HIGH", packageName: "expat", packageVersion: "2.5.0-1" },
];
const CLEAN_IMAGE_FINDINGS: SeededFinding[] = [
  { name: "CVE-2024-28085", severity: "LOW", packageName: "util-linux", packageVersion: "2.38.1-5" },
];

function trailBucketPolicy(account: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:GetBucketAcl",
        Resource: `arn:aws:s3:::${TRAIL_BUCKET}`,
      },
      {
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${TRAIL_BUCKET}/AWSLogs/${account}/*`,
        Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
      },
    ],
  };
}

function awslogs(prefix: string) {
  return {
    logDriver: "awslogs" as const,
    options: {
      "awslogs-group": "/ecs/my-web-app",
      "awslogs-region": "ap-northeast-1",
      "awslogs-stream-prefix": prefix,
    },
  };
}

function otelCollector(): ContainerDefinition {
  return {
    name: "aws-otel-collector",
    image: "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3",
    essential: false,
    user: "10001",
    readonlyRootFilesystem: true,
    command: ["--config=/etc/ecs/ecs-default-config.yaml"],
    logConfiguration: awslogs("otel"),
  };
}

function inheritedContainer(): ContainerDefinition {
  return {
    name: WEB.container,
    image: WEB.image,
    essential: true,
    portMappings: [{ containerPort: 80, hostPort: 80, protocol: "tcp" }],
    environment: [...sharedEnvironment(), { name: "DB_PASSWD", value: WEB.dbPassword }],
  };
}

function cleanContainers(secretArn: string): ContainerDefinition[] {
  return [
    {
      name: WEB.container,
      image: WEB.image,
      essential: true,
      user: "1000",
      readonlyRootFilesystem: true,
      portMappings: [{ containerPort: 80, hostPort: 80, protocol: "tcp" }],
      environment: sharedEnvironment(),
      secrets: [{ name: "DB_PASSWD", valueFrom: secretArn }],
      logConfiguration: awslogs("app"),
    },
    otelCollector(),
  ];
}

function sharedEnvironment(): KeyValuePair[] {
  return [
    { name: "DB_USER", value: "myappdbuser" },
    { name: "DB_HOST", value: WEB.dbHost },
    { name: "DB_PORT", value: "3306" },
    { name: "UPLOAD_BUCKET", value: WEB.uploadBucket },
    { name: "JOBS_QUEUE_URL", value: WEB.jobsQueueUrl },
  ];
}

function leastPrivilege(account: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: `arn:aws:s3:::${WEB.uploadBucket}/*` },
      { Effect: "Allow", Action: "sqs:SendMessage", Resource: `arn:aws:sqs:ap-northeast-1:${account}:my-web-jobs` },
      // The ADOT collector sends traces with the task role; these X-Ray actions take no resource-level scope.
      {
        Effect: "Allow",
        Action: [
          "xray:PutTraceSegments",
          "xray:PutTelemetryRecords",
          "xray:GetSamplingRules",
          "xray:GetSamplingTargets",
        ],
        Resource: "*",
      },
    ],
  };
}

function ecsTags(tags: Readonly<Record<string, string>>) {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

function uuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
