// The seed talk's web service as discovery records it (DESIGN §3) — network, secrets and IAM — in the shapes the
// sandbox's `inherited` and `clean` scenarios hold (lib/sandbox/scenarios/web-service.ts). Shared by the network,
// secrets and iam check tests, which vary pieces of it.

import type { SecurityGroup } from "@aws-sdk/client-ec2";
import type { Listener, LoadBalancer, Rule, TargetGroup } from "@aws-sdk/client-elastic-load-balancing-v2";
import type {
  DataStore,
  Plain,
  PolicyDocument,
  Redacted,
  Snapshot,
  SnapshotContainer,
  SnapshotNetwork,
  SnapshotPrincipal,
  SnapshotRole,
  SnapshotSecret,
  SnapshotService,
  SnapshotTaskDefinition,
} from "../../../lib/inventory/snapshot";
import { known, snapshotOf } from "../fixtures";

export type Posture = "inherited" | "clean";

export const ACCOUNT = "123456789012";
export const REGION = "ap-northeast-1";
export const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/my-cluster`;
export const SERVICE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/my-cluster/my-web-service`;
export const TD_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/my-web-app:1`;
export const IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/my-web-app:v1`;
export const ALB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/my-web-alb/50dc6c495c0c9188`;
export const TG_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/my-web-tg/73e2d6bc24d8a067`;
export const HTTPS_LISTENER_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/my-web-alb/50dc6c495c0c9188/f2f7dc8efc522ab2`;
export const HTTP_LISTENER_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/my-web-alb/50dc6c495c0c9188/0467ef3c8400ae65`;
export const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:my-web-app/db-password-Xy12Ab`;
export const ADMIN_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/AdministratorAccessRole`;
export const CLEAN_TASK_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/my-web-app-task`;
export const EXECUTION_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`;

export const VPC_ID = "vpc-0a1b2c3d4e5f60718";
export const ALB_SG = "sg-0a11b22c33d44e55f";
export const TASK_SG = "sg-0b22c33d44e55f66a";
export const DB_SG = "sg-0c33d44e55f66a77b";
export const PUBLIC_SUBNETS = ["subnet-0a1a2a3a4a5a6a7a8", "subnet-0c1c2c3c4c5c6c7c8"];
export const PRIVATE_SUBNETS = ["subnet-0b1b2b3b4b5b6b7b8", "subnet-0d1d2d3d4d5d6d7d8"];

/** The planted password's record: discovery keeps only its length and an HMAC, never the value. */
export const DB_PASSWD_REDACTED: Redacted = {
  redacted: true,
  length: 19,
  hmac: "5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592",
  reason: "name",
};

type Group = Plain<SecurityGroup>;
type Permission = NonNullable<Group["IpPermissions"]>[number];

/** An inbound TCP permission, as DescribeSecurityGroups shows it. */
export function tcpFrom(port: number, source: { cidr: string } | { groupId: string }): Permission {
  return {
    IpProtocol: "tcp",
    FromPort: port,
    ToPort: port,
    IpRanges: "cidr" in source && !source.cidr.includes(":") ? [{ CidrIp: source.cidr }] : [],
    Ipv6Ranges: "cidr" in source && source.cidr.includes(":") ? [{ CidrIpv6: source.cidr }] : [],
    PrefixListIds: [],
    UserIdGroupPairs: "groupId" in source ? [{ GroupId: source.groupId, UserId: ACCOUNT }] : [],
  };
}

export function securityGroup(id: string, groupName: string, nameTag: string, ingress: Permission[]): Group {
  return {
    GroupId: id,
    GroupName: groupName,
    Description: groupName,
    OwnerId: ACCOUNT,
    VpcId: VPC_ID,
    Tags: [{ Key: "Name", Value: nameTag }],
    IpPermissions: ingress,
    IpPermissionsEgress: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
  };
}

export function securityGroups(posture: Posture): Group[] {
  const clean = posture === "clean";
  return [
    securityGroup(ALB_SG, "my-web-alb", "sg-ALB", [
      tcpFrom(443, { cidr: "0.0.0.0/0" }),
      tcpFrom(80, { cidr: "0.0.0.0/0" }),
    ]),
    securityGroup(TASK_SG, "my-web-task", "sg-ECSTask", [
      clean ? tcpFrom(80, { groupId: ALB_SG }) : tcpFrom(80, { cidr: "10.0.0.0/16" }),
    ]),
    securityGroup(DB_SG, "my-db", "sg-AuroraDB", [
      clean ? tcpFrom(3306, { groupId: TASK_SG }) : tcpFrom(3306, { cidr: "10.0.0.0/16" }),
    ]),
  ];
}

export function network(): SnapshotNetwork {
  const subnet = (id: string, name: string, cidr: string, zone: string, isPublic: boolean) => ({
    SubnetId: id,
    VpcId: VPC_ID,
    CidrBlock: cidr,
    AvailabilityZone: `${REGION}${zone}`,
    MapPublicIpOnLaunch: isPublic,
    Tags: [{ Key: "Name", Value: name }],
    public: isPublic,
  });
  return {
    vpcs: [{ VpcId: VPC_ID, CidrBlock: "10.0.0.0/16", Tags: [{ Key: "Name", Value: "my-vpc" }] }],
    subnets: [
      subnet(PUBLIC_SUBNETS[0] as string, "public-a", "10.0.0.0/24", "a", true),
      subnet(PUBLIC_SUBNETS[1] as string, "public-c", "10.0.1.0/24", "c", true),
      subnet(PRIVATE_SUBNETS[0] as string, "private-a", "10.0.10.0/24", "a", false),
      subnet(PRIVATE_SUBNETS[1] as string, "private-c", "10.0.11.0/24", "c", false),
    ],
    routeTables: [],
  };
}

export function dataStores(): DataStore[] {
  return [
    {
      kind: "amazon-rds",
      description: "RDSNetworkInterface",
      networkInterfaceIds: ["eni-0e1e2e3e4e5e6e7e8", "eni-0f1f2f3f4f5f6f7f8"],
      securityGroupIds: [DB_SG],
      subnetIds: [...PRIVATE_SUBNETS],
    },
  ];
}

export function loadBalancer(): Plain<LoadBalancer> {
  return {
    LoadBalancerArn: ALB_ARN,
    LoadBalancerName: "my-web-alb",
    DNSName: "my-web-alb-1234567890.ap-northeast-1.elb.amazonaws.com",
    Scheme: "internet-facing",
    Type: "application",
    VpcId: VPC_ID,
    State: { Code: "active" },
    SecurityGroups: [ALB_SG],
    IpAddressType: "ipv4",
  };
}

export function targetGroup(): Plain<TargetGroup> {
  return {
    TargetGroupArn: TG_ARN,
    TargetGroupName: "my-web-tg",
    Protocol: "HTTP",
    Port: 80,
    VpcId: VPC_ID,
    TargetType: "ip",
    HealthCheckPath: "/health",
    LoadBalancerArns: [ALB_ARN],
  };
}

export function listeners(posture: Posture): Plain<Listener>[] {
  return [
    {
      ListenerArn: HTTPS_LISTENER_ARN,
      LoadBalancerArn: ALB_ARN,
      Port: 443,
      Protocol: "HTTPS",
      Certificates: [
        { CertificateArn: `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/0a1b2c3d-4e5f-4a6b-8c9d-0e1f2a3b4c5d` },
      ],
      DefaultActions: [{ Type: "forward", TargetGroupArn: TG_ARN, Order: 1 }],
    },
    {
      ListenerArn: HTTP_LISTENER_ARN,
      LoadBalancerArn: ALB_ARN,
      Port: 80,
      Protocol: "HTTP",
      DefaultActions: [
        posture === "clean"
          ? { Type: "redirect", Order: 1, RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } }
          : { Type: "forward", TargetGroupArn: TG_ARN, Order: 1 },
      ],
    },
  ];
}

/** The default rules DescribeRules lists beside each listener's non-default rules. */
export function defaultRules(posture: Posture): Plain<Rule>[] {
  return listeners(posture).map((listener) => ({
    RuleArn: `${(listener.ListenerArn as string).replace(":listener/", ":listener-rule/")}/9683b2d02a6cabee`,
    Priority: "default",
    IsDefault: true,
    Conditions: [],
    Actions: listener.DefaultActions ?? [],
  }));
}

export function service(posture: Posture): SnapshotService {
  const clean = posture === "clean";
  return {
    service: {
      serviceArn: SERVICE_ARN,
      serviceName: "my-web-service",
      clusterArn: CLUSTER_ARN,
      status: "ACTIVE",
      desiredCount: 3,
      runningCount: 3,
      launchType: "FARGATE",
      platformVersion: clean ? "LATEST" : "1.3.0",
      taskDefinition: TD_ARN,
      loadBalancers: [{ targetGroupArn: TG_ARN, containerName: "my-web-app", containerPort: 80 }],
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: clean ? [...PRIVATE_SUBNETS] : [...PUBLIC_SUBNETS],
          securityGroups: [TASK_SG],
          assignPublicIp: clean ? "DISABLED" : "ENABLED",
        },
      },
    },
    runningRevisions: [TD_ARN],
    latestRevision: TD_ARN,
    deployments: [
      { id: "ecs-svc/1234567890123456789", status: "PRIMARY", taskDefinition: TD_ARN, rolloutState: "COMPLETED" },
    ],
  };
}

export function appContainer(posture: Posture): SnapshotContainer {
  const shared = [
    { name: "DB_USER", value: "myappdbuser" },
    { name: "DB_HOST", value: "my-db.cluster-abc123.ap-northeast-1.rds.amazonaws.com" },
    { name: "DB_PORT", value: "3306" },
    { name: "UPLOAD_BUCKET", value: "my-web-uploads" },
    { name: "JOBS_QUEUE_URL", value: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/my-web-jobs` },
  ];
  const base: SnapshotContainer = {
    name: "my-web-app",
    image: IMAGE,
    essential: true,
    portMappings: [{ containerPort: 80, hostPort: 80, protocol: "tcp" }],
  };
  if (posture === "inherited")
    return { ...base, environment: [...shared, { name: "DB_PASSWD", value: DB_PASSWD_REDACTED }] };
  return {
    ...base,
    user: "1000",
    readonlyRootFilesystem: true,
    environment: shared,
    secrets: [{ name: "DB_PASSWD", valueFrom: SECRET_ARN }],
    logConfiguration: {
      logDriver: "awslogs",
      options: { "awslogs-group": "/ecs/my-web-app", "awslogs-region": REGION, "awslogs-stream-prefix": "app" },
    },
  };
}

export function taskDefinition(posture: Posture, containers?: SnapshotContainer[]): SnapshotTaskDefinition {
  return {
    taskDefinitionArn: TD_ARN,
    family: "my-web-app",
    revision: 1,
    status: "ACTIVE",
    taskRoleArn: posture === "clean" ? CLEAN_TASK_ROLE_ARN : ADMIN_ROLE_ARN,
    executionRoleArn: EXECUTION_ROLE_ARN,
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    cpu: "512",
    memory: "1024",
    containerDefinitions: containers ?? [appContainer(posture)],
  };
}

export function managedPolicy(arn: string, name: string, statements: object[]): PolicyDocument {
  return {
    source: arn,
    name,
    managed: true,
    awsManaged: arn.startsWith("arn:aws:iam::aws:"),
    document: { Version: "2012-10-17", Statement: statements },
  };
}

export function inlinePolicy(name: string, statements: object[]): PolicyDocument {
  return {
    source: `inline:${name}`,
    name,
    managed: false,
    awsManaged: false,
    document: { Version: "2012-10-17", Statement: statements },
  };
}

export const ADMINISTRATOR_ACCESS = managedPolicy(
  "arn:aws:iam::aws:policy/AdministratorAccess",
  "AdministratorAccess",
  [{ Effect: "Allow", Action: "*", Resource: "*" }],
);

export const ECS_TASK_EXECUTION_POLICY = managedPolicy(
  "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
  "AmazonECSTaskExecutionRolePolicy",
  [
    {
      Effect: "Allow",
      Action: [
        "ecr:GetAuthorizationToken",
        "ecr:BatchCheckLayerAvailability",
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchGetImage",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
      ],
      Resource: "*",
    },
  ],
);

/** The clean task role's inline policy: S3 on one bucket, SQS on one queue, X-Ray writes (no resource scope). */
export const LEAST_PRIVILEGE = inlinePolicy("my-web-app-least-privilege", [
  { Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: "arn:aws:s3:::my-web-uploads/*" },
  { Effect: "Allow", Action: "sqs:SendMessage", Resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:my-web-jobs` },
  {
    Effect: "Allow",
    Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
    Resource: "*",
  },
]);

const ECS_TASKS_TRUST = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
};

export function role(arn: string, policies: PolicyDocument[]): SnapshotRole {
  return {
    arn,
    name: arn.split("/").pop() as string,
    trust: ECS_TASKS_TRUST,
    policies: known(policies),
    lastAccessed: known([{ service: "s3" }, { service: "sqs" }]),
  };
}

export function roles(posture: Posture): Snapshot["roles"] {
  const clean = posture === "clean";
  const execution = role(EXECUTION_ROLE_ARN, [
    ECS_TASK_EXECUTION_POLICY,
    ...(clean
      ? [
          inlinePolicy("read-db-password", [
            { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SECRET_ARN },
          ]),
        ]
      : []),
  ]);
  const task = clean ? role(CLEAN_TASK_ROLE_ARN, [LEAST_PRIVILEGE]) : role(ADMIN_ROLE_ARN, [ADMINISTRATOR_ACCESS]);
  return { [task.arn]: known(task), [execution.arn]: known(execution) };
}

export function principals(posture: Posture): SnapshotPrincipal[] {
  const clean = posture === "clean";
  const operators: SnapshotPrincipal = {
    kind: "group",
    name: "ecs-operators",
    arn: `arn:aws:iam::${ACCOUNT}:group/ecs-operators`,
    policies: [
      inlinePolicy(
        "ecs-operate",
        clean
          ? [
              { Effect: "Allow", Action: ["ecs:Describe*", "ecs:List*"], Resource: "*" },
              {
                Effect: "Allow",
                Action: ["ecs:UpdateService", "ecs:StopTask"],
                Resource: "*",
                Condition: { ArnEquals: { "ecs:cluster": CLUSTER_ARN } },
              },
            ]
          : [{ Effect: "Allow", Action: "ecs:*", Resource: "*" }],
      ),
    ],
  };
  const member = (name: string): SnapshotPrincipal => ({
    kind: "user",
    name,
    arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    groups: ["ecs-operators"],
    policies: [],
  });
  const deployBot: SnapshotPrincipal = {
    kind: "user",
    name: "deploy-bot",
    arn: `arn:aws:iam::${ACCOUNT}:user/deploy-bot`,
    groups: [],
    policies: [
      inlinePolicy(
        "deploy",
        clean
          ? [
              { Effect: "Allow", Action: ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"], Resource: "*" },
              { Effect: "Allow", Action: "ecs:UpdateService", Resource: SERVICE_ARN },
              {
                Effect: "Allow",
                Action: "iam:PassRole",
                Resource: [CLEAN_TASK_ROLE_ARN, EXECUTION_ROLE_ARN],
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
      ),
    ],
  };
  const adminRole: SnapshotPrincipal[] = clean
    ? []
    : [{ kind: "role", name: "AdministratorAccessRole", arn: ADMIN_ROLE_ARN, policies: [ADMINISTRATOR_ACCESS] }];
  return [operators, member("alice"), member("bob"), deployBot, ...adminRole];
}

export function secrets(posture: Posture): SnapshotSecret[] {
  if (posture === "inherited") return [];
  return [
    {
      reference: SECRET_ARN,
      store: "secretsmanager",
      arn: SECRET_ARN,
      name: "my-web-app/db-password",
      exists: known(true),
    },
  ];
}

/** The whole web service as discovery would record it, for the network, secrets and iam checks. */
export function webService(posture: Posture, overrides: Partial<Snapshot> = {}): Snapshot {
  return snapshotOf({
    cluster: known({ clusterName: "my-cluster", clusterArn: CLUSTER_ARN }),
    services: known([service(posture)]),
    taskDefinitions: { [TD_ARN]: known(taskDefinition(posture)) },
    network: known(network()),
    securityGroups: known(securityGroups(posture)),
    dataStores: known(dataStores()),
    loadBalancers: known([loadBalancer()]),
    listeners: known(listeners(posture)),
    rules: known(defaultRules(posture)),
    targetGroups: known([targetGroup()]),
    roles: roles(posture),
    principals: known(principals(posture)),
    secrets: secrets(posture),
    ...overrides,
  });
}
