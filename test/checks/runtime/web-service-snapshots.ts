// Snapshots of the seed talk's web service as discovery records them (DESIGN §3): `inherited` on day one and
// `clean` as the runbooks leave it, plus the pieces tests vary. Shared by the image, audit, runtime and
// observability check tests.
import type {
  Snapshot,
  SnapshotContainer,
  SnapshotService,
  SnapshotTaskDefinition,
  SnapshotTrail,
} from "../../../lib/inventory/snapshot";
import { known, snapshotOf } from "../fixtures";

export const ACCOUNT = "123456789012";
export const REGION = "ap-northeast-1";
export const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/my-cluster`;
export const SERVICE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/my-cluster/my-web-service`;
export const TD_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/my-web-app:1`;
export const TD2_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/my-web-app:2`;
export const IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/my-web-app:v1`;
export const TARGET_GROUP_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/my-web-tg/73e2d6bc24d8a067`;
export const ALB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/my-web-alb/50dc6c495c0c9188`;
const TAGS = [
  { key: "Project", value: "my-web" },
  { key: "Owner", value: "platform-team" },
];

/** The inherited app container: root, writable root filesystem, no logs, the password in plain sight (redacted). */
export function inheritedApp(): SnapshotContainer {
  return {
    name: "my-web-app",
    image: IMAGE,
    essential: true,
    portMappings: [{ containerPort: 80, hostPort: 80, protocol: "tcp" }],
    environment: [
      { name: "DB_USER", value: "myappdbuser" },
      { name: "DB_PASSWD", value: { redacted: true, length: 19, hmac: "0f3a…", reason: "name" } },
    ],
  };
}

export function awslogs(prefix: string, extra: Record<string, string> = {}) {
  return {
    logDriver: "awslogs" as const,
    options: {
      "awslogs-group": "/ecs/my-web-app",
      "awslogs-region": REGION,
      "awslogs-stream-prefix": prefix,
      ...extra,
    },
  };
}

/** The app container built right: user 1000, read-only root filesystem, awslogs (mode unset). */
export function cleanApp(): SnapshotContainer {
  return {
    ...inheritedApp(),
    user: "1000",
    readonlyRootFilesystem: true,
    environment: [{ name: "DB_USER", value: "myappdbuser" }],
    secrets: [
      { name: "DB_PASSWD", valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:my-web-app/db-password` },
    ],
    logConfiguration: awslogs("app"),
  };
}

/** The ADOT collector sidecar of the clean and incident scenarios. */
export function otelCollector(): SnapshotContainer {
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

/** The X-Ray daemon sidecar as the X-Ray docs show it. */
export function xrayDaemon(): SnapshotContainer {
  return {
    name: "xray-daemon",
    image: "amazon/aws-xray-daemon",
    essential: false,
    user: "1337",
    readonlyRootFilesystem: true,
    portMappings: [{ containerPort: 2000, protocol: "udp" }],
    logConfiguration: awslogs("xray"),
  };
}

export function taskDefinition(
  containers: SnapshotContainer[],
  patch: Partial<SnapshotTaskDefinition> = {},
): SnapshotTaskDefinition {
  return {
    taskDefinitionArn: TD_ARN,
    family: "my-web-app",
    revision: 1,
    status: "ACTIVE",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    cpu: "512",
    memory: "1024",
    taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/AdministratorAccessRole`,
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
    containerDefinitions: containers,
    ...patch,
  };
}

export function service(
  patch: Partial<SnapshotService["service"]> = {},
  revisions: { running?: string[]; latest?: string } = {},
): SnapshotService {
  const running = revisions.running ?? [TD_ARN];
  return {
    service: {
      serviceName: "my-web-service",
      serviceArn: SERVICE_ARN,
      clusterArn: CLUSTER_ARN,
      taskDefinition: running[0],
      desiredCount: 3,
      runningCount: 3,
      launchType: "FARGATE",
      platformVersion: "1.3.0",
      platformFamily: "Linux",
      loadBalancers: [{ targetGroupArn: TARGET_GROUP_ARN, containerName: "my-web-app", containerPort: 80 }],
      ...patch,
    },
    runningRevisions: running,
    latestRevision: revisions.latest ?? running[0],
    deployments: [{ id: "ecs-svc/1234567890123456789", status: "PRIMARY", taskDefinition: running[0] }],
  };
}

/** The trail the clean account has: multi-region, logging, log file validation, default selectors. */
export function managementTrail(patch: Partial<SnapshotTrail["trail"]> = {}, logging = true): SnapshotTrail {
  return {
    trail: {
      Name: "management-events",
      TrailARN: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/management-events`,
      HomeRegion: REGION,
      S3BucketName: "my-web-cloudtrail-logs",
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      LogFileValidationEnabled: true,
      HasCustomEventSelectors: false,
      ...patch,
    },
    isLogging: known(logging),
    eventSelectors: known({ basic: [{ ReadWriteType: "All", IncludeManagementEvents: true }], advanced: [] }),
  };
}

const targetGroups = known([
  { TargetGroupArn: TARGET_GROUP_ARN, TargetGroupName: "my-web-tg", LoadBalancerArns: [ALB_ARN] },
]);

/** Day one (DESIGN §3): nothing configured, nothing tagged, the image never scanned. */
export function inheritedSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return snapshotOf({
    cluster: known({
      clusterName: "my-cluster",
      clusterArn: CLUSTER_ARN,
      status: "ACTIVE",
      settings: [{ name: "containerInsights", value: "disabled" }],
      tags: [],
    }),
    accountSettings: known({ containerInsights: "disabled", defaultLogDriverMode: "non-blocking" }),
    services: known([service({ tags: [] })]),
    taskDefinitions: { [TD_ARN]: known(taskDefinition([inheritedApp()])) },
    targetGroups,
    repositories: known([
      {
        repository: {
          repositoryName: "my-web-app",
          repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/my-web-app`,
          imageTagMutability: "MUTABLE",
          imageScanningConfiguration: { scanOnPush: false },
        },
        lifecyclePolicy: known(null),
      },
    ]),
    registryScanning: known({ scanType: "BASIC", rules: [] }),
    images: [
      {
        image: IMAGE,
        repositoryName: "my-web-app",
        tag: "v1",
        detail: known({ repositoryName: "my-web-app", imageDigest: "sha256:5f1c0e", imageTags: ["v1"] }),
        findings: known(null),
      },
    ],
    trails: known([]),
    logGroups: {},
    alarms: known([]),
    ...overrides,
  });
}

/** Built right (DESIGN §3 `clean`): an audit of it must report no failure and no unknown. */
export function cleanSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  const serviceDimensions = [
    { Name: "ClusterName", Value: "my-cluster" },
    { Name: "ServiceName", Value: "my-web-service" },
  ];
  const lb = [{ Name: "LoadBalancer", Value: "app/my-web-alb/50dc6c495c0c9188" }];
  return snapshotOf({
    cluster: known({
      clusterName: "my-cluster",
      clusterArn: CLUSTER_ARN,
      status: "ACTIVE",
      settings: [{ name: "containerInsights", value: "enhanced" }],
      tags: TAGS,
    }),
    accountSettings: known({ containerInsights: "disabled", defaultLogDriverMode: "non-blocking" }),
    services: known([service({ platformVersion: "LATEST", tags: TAGS })]),
    taskDefinitions: { [TD_ARN]: known(taskDefinition([cleanApp(), otelCollector()], { tags: TAGS })) },
    targetGroups,
    repositories: known([
      {
        repository: {
          repositoryName: "my-web-app",
          repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/my-web-app`,
          imageTagMutability: "IMMUTABLE",
          imageScanningConfiguration: { scanOnPush: true },
        },
        lifecyclePolicy: known(
          '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":30},"action":{"type":"expire"}}]}',
        ),
      },
    ]),
    registryScanning: known({ scanType: "BASIC", rules: [] }),
    images: [
      {
        image: IMAGE,
        repositoryName: "my-web-app",
        tag: "v1",
        detail: known({
          repositoryName: "my-web-app",
          imageDigest: "sha256:5f1c0e",
          imageTags: ["v1"],
          imageScanStatus: { status: "COMPLETE" },
        }),
        findings: known({ LOW: 1 }),
      },
      // Not in this account's ECR: no scan of it to read.
      {
        image: "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3",
        tag: "v0.43.3",
        detail: known(null),
        findings: known(null),
      },
    ],
    trails: known([managementTrail()]),
    logGroups: {
      "/ecs/my-web-app": known({
        logGroupName: "/ecs/my-web-app",
        retentionInDays: 30,
        arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/ecs/my-web-app:*`,
      }),
    },
    alarms: known([
      {
        AlarmName: "my-web-service-cpu-high",
        Namespace: "AWS/ECS",
        MetricName: "CPUUtilization",
        Dimensions: serviceDimensions,
      },
      {
        AlarmName: "my-web-alb-target-5xx",
        Namespace: "AWS/ApplicationELB",
        MetricName: "HTTPCode_Target_5XX_Count",
        Dimensions: lb,
      },
      {
        AlarmName: "my-web-alb-latency-p99",
        Namespace: "AWS/ApplicationELB",
        MetricName: "TargetResponseTime",
        Dimensions: lb,
      },
    ]),
    ...overrides,
  });
}

/** A snapshot whose one service runs a task definition with these containers (and patch). */
export function runningContainers(
  containers: SnapshotContainer[],
  patch: Partial<SnapshotTaskDefinition> = {},
  base: Snapshot = cleanSnapshot(),
): Snapshot {
  return { ...base, taskDefinitions: { [TD_ARN]: known(taskDefinition(containers, patch)) } };
}
