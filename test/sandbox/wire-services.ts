// Test-local services for the wire-layer tests: each handler records the input it received and answers a fixture,
// so a test can check both directions of one protocol family through the real SDK client.
import { AwsError, type Handler, type Protocol, type ServiceDefinition } from "../../lib/sandbox/service";

export const received: Record<string, Record<string, unknown>> = {};

function recording(fixtures: Record<string, unknown | ((input: Record<string, unknown>) => unknown)>) {
  const handlers: Record<string, Handler> = {};
  for (const [operation, fixture] of Object.entries(fixtures)) {
    handlers[operation] = (input) => {
      received[operation] = input;
      return typeof fixture === "function" ? fixture(input) : fixture;
    };
  }
  return handlers;
}

const at = (iso: string) => new Date(iso);

export const ecsFixtures = {
  DescribeServices: {
    services: [
      {
        serviceArn: "arn:aws:ecs:ap-northeast-1:123456789012:service/my-cluster/my-web-service",
        serviceName: "my-web-service",
        clusterArn: "arn:aws:ecs:ap-northeast-1:123456789012:cluster/my-cluster",
        status: "ACTIVE",
        desiredCount: 3,
        runningCount: 3,
        pendingCount: 0,
        launchType: "FARGATE",
        platformVersion: "1.3.0",
        deployments: [
          {
            id: "ecs-svc/1",
            status: "PRIMARY",
            taskDefinition: "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/my-web-app:1",
            desiredCount: 3,
            createdAt: at("2024-01-01T00:00:00Z"),
            updatedAt: at("2024-01-01T00:05:00.500Z"),
            rolloutState: "COMPLETED",
          },
        ],
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: ["subnet-1", "subnet-2"],
            securityGroups: ["sg-1"],
            assignPublicIp: "ENABLED",
          },
        },
        tags: [{ key: "team", value: "web" }],
        enableExecuteCommand: false,
        createdAt: at("2023-12-31T23:00:00Z"),
      },
    ],
    failures: [{ arn: "arn:aws:ecs:ap-northeast-1:123456789012:service/my-cluster/gone", reason: "MISSING" }],
  },
  DescribeTaskDefinition: {
    taskDefinition: {
      family: "my-web-app",
      revision: 1,
      cpu: "256",
      registeredAt: at("2024-01-01T00:00:00Z"),
      containerDefinitions: [
        {
          name: "my-web-app",
          image: "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/my-web-app:v1",
          cpu: 0,
          essential: true,
          readonlyRootFilesystem: false,
          environment: [{ name: "DB_USER", value: "myappdbuser" }],
          dockerLabels: { "com.example.tier": "web", empty: "" },
          logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/my-web-app" } },
        },
      ],
    },
    tags: [],
  },
};

export const secretsFixtures = {
  GetSecretValue: {
    ARN: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:db-AbCdEf",
    Name: "db",
    VersionId: "v1",
    SecretBinary: new Uint8Array([0, 1, 2, 254, 255]),
    VersionStages: ["AWSCURRENT"],
    CreatedDate: at("2024-01-01T00:00:00Z"),
  },
};

export const ec2Fixtures = {
  DescribeSecurityGroups: {
    SecurityGroups: [
      {
        GroupId: "sg-1",
        GroupName: "my-web-task",
        Description: "task sg",
        OwnerId: "123456789012",
        VpcId: "vpc-1",
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: 80,
            ToPort: 80,
            IpRanges: [{ CidrIp: "10.0.0.0/16", Description: "whole VPC" }],
            UserIdGroupPairs: [{ GroupId: "sg-alb", UserId: "123456789012" }],
            Ipv6Ranges: [],
            PrefixListIds: [],
          },
        ],
        IpPermissionsEgress: [],
        Tags: [{ Key: "Name", Value: "sg-ECSTask" }],
      },
    ],
    NextToken: "next-1",
  },
  DescribeNetworkInterfaces: {
    NetworkInterfaces: [
      {
        NetworkInterfaceId: "eni-1",
        RequesterId: "amazon-rds",
        RequesterManaged: true,
        Description: "RDSNetworkInterface",
        Attachment: { AttachTime: at("2024-01-01T01:02:03Z"), DeviceIndex: 1, Status: "attached" },
        Groups: [{ GroupId: "sg-db", GroupName: "my-db" }],
        PrivateIpAddress: "10.0.3.4",
      },
    ],
  },
  DescribeTags: { Tags: [{ Key: "Name", ResourceId: "vpc-1", ResourceType: "vpc", Value: "main" }] },
};

export const iamFixtures = {
  GetRole: {
    Role: {
      Path: "/",
      RoleName: "AdministratorAccessRole",
      RoleId: "AROAEXAMPLE",
      Arn: "arn:aws:iam::123456789012:role/AdministratorAccessRole",
      CreateDate: at("2024-01-01T00:00:00.250Z"),
      AssumeRolePolicyDocument: "%7B%22Version%22%3A%222012-10-17%22%7D",
      Description: "line one\r\nline two <&> \"quoted\" 'single'",
      MaxSessionDuration: 3600,
      Tags: [{ Key: "owner", Value: "web" }],
      RoleLastUsed: { LastUsedDate: at("2024-01-02T03:04:05Z"), Region: "ap-northeast-1" },
    },
  },
  GetAccountSummary: { SummaryMap: { Users: 3, Roles: 12, Policies: 0 } },
  TagRole: {},
  ListRoles: { Roles: [], IsTruncated: false },
};

export const elbv2Fixtures = {
  DescribeTags: { TagDescriptions: [{ ResourceArn: "arn:alb", Tags: [{ Key: "env", Value: "prod" }] }] },
  DescribeLoadBalancers: {
    LoadBalancers: [
      {
        LoadBalancerName: "my-web-alb",
        CreatedTime: at("2024-01-02T03:04:05Z"),
        Scheme: "internet-facing",
        State: { Code: "active" },
        SecurityGroups: ["sg-alb"],
        AvailabilityZones: [{ ZoneName: "ap-northeast-1a", SubnetId: "subnet-1", LoadBalancerAddresses: [] }],
      },
    ],
    NextMarker: "m2",
  },
};

export const cloudwatchFixtures = {
  GetMetricData: {
    MetricDataResults: [
      {
        Id: "m1",
        Label: "CPUUtilization",
        Timestamps: [at("2024-01-01T00:01:00Z"), at("2024-01-01T00:00:00Z")],
        Values: [99.5, 25],
        StatusCode: "Complete",
      },
    ],
    Messages: [],
  },
  PutMetricData: {},
};

export const xrayFixtures = {
  GetTraceSummaries: {
    TraceSummaries: [
      {
        Id: "1-65920000-0123456789abcdef01234567",
        StartTime: at("2024-01-01T00:00:00.125Z"),
        Duration: 4.8,
        ResponseTime: 4.75,
        HasFault: false,
        HasError: false,
        Http: { HttpURL: "https://example.com/something", HttpStatus: 200, HttpMethod: "POST" },
        Annotations: { task: [{ AnnotationValue: { StringValue: "B" } }] },
      },
    ],
    ApproximateTime: at("2024-01-01T00:10:00Z"),
    TracesProcessedCount: 1,
  },
};

function failing(error: AwsError): Handler {
  return () => {
    throw error;
  };
}

function service(signingName: string, protocol: Protocol, handlers: Record<string, Handler>): ServiceDefinition {
  return { signingName, protocol, handlers };
}

export const buckets = new Map<string, { policy?: string; block?: Record<string, unknown> }>();

export const wireServices: readonly ServiceDefinition[] = [
  service("ecs", "awsJson1_1", {
    ...recording(ecsFixtures),
    DescribeClusters: failing(new AwsError("ClusterNotFoundException", "Cluster not found.")),
    ListTasks: () => {
      throw new Error("boom at /work/main/lib/x.ts:1");
    },
  }),
  service("secretsmanager", "awsJson1_1", {
    ...recording({ ...secretsFixtures, PutSecretValue: { Name: "db", VersionId: "v2" } }),
    DescribeSecret: failing(
      new AwsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret."),
    ),
  }),
  service("ec2", "ec2Query", {
    ...recording(ec2Fixtures),
    DeleteSecurityGroup: failing(new AwsError("InvalidGroup.NotFound", "The security group 'sg-nope' does not exist")),
  }),
  service("iam", "awsQuery", {
    ...recording(iamFixtures),
    GetUser: failing(new AwsError("NoSuchEntity", "The user with name nobody cannot be found.", { status: 404 })),
  }),
  service("elasticloadbalancing", "awsQuery", recording(elbv2Fixtures)),
  service(
    "sts",
    "awsQuery",
    recording({
      GetCallerIdentity: { Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/new-owner", UserId: "AIDA" },
    }),
  ),
  service("monitoring", "awsJson1_0", {
    ...recording(cloudwatchFixtures),
    DescribeAlarms: failing(new AwsError("InvalidParameterValue", "bad period")),
  }),
  service("xray", "restJson1", {
    ...recording(xrayFixtures),
    GetTraceGraph: failing(new AwsError("InvalidRequestException", "bad trace id")),
  }),
  service("s3", "restXml", {
    CreateBucket: (input) => {
      received.CreateBucket = input;
      buckets.set(String(input.Bucket), {});
      return { Location: `/${String(input.Bucket)}` };
    },
    HeadBucket: (input) => {
      if (!buckets.has(String(input.Bucket))) throw new AwsError("NoSuchBucket", "Not found", { status: 404 });
      return { BucketRegion: "ap-northeast-1" };
    },
    PutBucketPolicy: (input) => {
      const bucket = buckets.get(String(input.Bucket));
      if (!bucket) throw new AwsError("NoSuchBucket", "The specified bucket does not exist", { status: 404 });
      bucket.policy = String(input.Policy);
      return {};
    },
    GetBucketPolicy: (input) => ({ Policy: buckets.get(String(input.Bucket))?.policy }),
    PutPublicAccessBlock: (input) => {
      received.PutPublicAccessBlock = input;
      const bucket = buckets.get(String(input.Bucket));
      if (bucket) bucket.block = input.PublicAccessBlockConfiguration as Record<string, unknown>;
      return {};
    },
    GetPublicAccessBlock: (input) => ({ PublicAccessBlockConfiguration: buckets.get(String(input.Bucket))?.block }),
    ListBuckets: () => ({
      Buckets: [...buckets.keys()].map((Name) => ({ Name, CreationDate: new Date("2024-01-01T00:00:00Z") })),
      Owner: { ID: "owner", DisplayName: "me" },
    }),
  }),
];
