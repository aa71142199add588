// The wire layer, family by family, through the real SDK v3 clients: rich outputs come back deep-equal, inputs
// reach the handler as the SDK built them, errors become the SDK's named exceptions, unknown operations are loud.
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import {
  DeleteSecurityGroupCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  EC2Client,
  DescribeTagsCommand as Ec2DescribeTagsCommand,
} from "@aws-sdk/client-ec2";
import { DescribeRepositoriesCommand, ECRClient } from "@aws-sdk/client-ecr";
import {
  ClusterNotFoundException,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListClustersCommand,
  ListTasksCommand,
} from "@aws-sdk/client-ecs";
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
  DescribeTagsCommand as ElbDescribeTagsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  GetAccountSummaryCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  ListRolesCommand,
  ListUsersCommand,
  NoSuchEntityException,
  TagRoleCommand,
} from "@aws-sdk/client-iam";
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import {
  GetServiceGraphCommand,
  GetTraceGraphCommand,
  GetTraceSummariesCommand,
  InvalidRequestException,
  XRayClient,
} from "@aws-sdk/client-xray";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Sandbox, startSandbox } from "../../lib/sandbox/server";
import { emptyState } from "../../lib/sandbox/state";
import { clientConfig } from "./client";
import {
  cloudwatchFixtures,
  ec2Fixtures,
  ecsFixtures,
  elbv2Fixtures,
  iamFixtures,
  received,
  secretsFixtures,
  wireServices,
  xrayFixtures,
} from "./wire-services";

let sandbox: Sandbox;
let config: ReturnType<typeof clientConfig>;

beforeAll(async () => {
  sandbox = await startSandbox({ services: wireServices, state: emptyState("test"), clock: "2024-01-01T00:00:00Z" });
  config = clientConfig(sandbox.endpoint, { maxAttempts: 1 });
});
afterAll(() => sandbox.stop());

function withoutMetadata<T extends { $metadata?: unknown }>(output: T): Omit<T, "$metadata"> {
  const { $metadata: _, ...rest } = output;
  return rest;
}

async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected the call to fail");
}

describe("awsJson1_1 (ECS, Secrets Manager)", () => {
  test("a rich output comes back deep-equal, inputs arrive as sent", async () => {
    const ecs = new ECSClient(config);
    const out = await ecs.send(
      new DescribeServicesCommand({ cluster: "my-cluster", services: ["my-web-service", "gone"], include: ["TAGS"] }),
    );
    expect(withoutMetadata(out)).toEqual(ecsFixtures.DescribeServices);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(received.DescribeServices).toEqual({
      cluster: "my-cluster",
      services: ["my-web-service", "gone"],
      include: ["TAGS"],
    });
    const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "my-web-app:1" }));
    expect(withoutMetadata(td)).toEqual(ecsFixtures.DescribeTaskDefinition);
  });

  test("blobs travel as base64 both ways", async () => {
    const sm = new SecretsManagerClient(config);
    const out = await sm.send(new GetSecretValueCommand({ SecretId: "db" }));
    expect(withoutMetadata(out)).toEqual(secretsFixtures.GetSecretValue);
    await sm.send(new PutSecretValueCommand({ SecretId: "db", SecretBinary: new Uint8Array([9, 8, 7]) }));
    expect(received.PutSecretValue?.SecretBinary).toEqual(new Uint8Array([9, 8, 7]));
  });

  test("an AwsError becomes the modelled exception", async () => {
    const error = await rejection(new ECSClient(config).send(new DescribeClustersCommand({ clusters: ["x"] })));
    expect(error).toBeInstanceOf(ClusterNotFoundException);
    expect(error.message).toBe("Cluster not found.");
    const missing = await rejection(
      new SecretsManagerClient(config).send(new DescribeSecretCommand({ SecretId: "x" })),
    );
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
  });

  test("a handler's crash is a 500 InternalFailure without a stack", async () => {
    const error = await rejection(new ECSClient(config).send(new ListTasksCommand({ cluster: "c" })));
    expect(error.name).toBe("InternalFailure");
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(500);
    expect(error.message).toBe("boom at /work/main/lib/x.ts:1");
  });

  test("an operation without a handler, or a service not served, is UnknownOperationException", async () => {
    const error = await rejection(new ECSClient(config).send(new ListClustersCommand({})));
    expect(error.name).toBe("UnknownOperationException");
    const ecr = await rejection(new ECRClient(config).send(new DescribeRepositoriesCommand({})));
    expect(ecr.name).toBe("UnknownOperationException");
  });

  test("a malformed JSON body is SerializationException and the server keeps serving", async () => {
    const response = await fetch(sandbox.endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AmazonEC2ContainerServiceV20141113.DescribeServices",
      },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: "SerializationException" });
    await new ECSClient(config).send(new DescribeServicesCommand({ services: ["a"] }));
  });
});

describe("awsJson1_0 query-compatible (CloudWatch)", () => {
  test("timestamps in and out", async () => {
    const cw = new CloudWatchClient(config);
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date("2024-01-01T00:00:00Z"),
        EndTime: new Date("2024-01-01T03:00:00Z"),
        MetricDataQueries: [
          {
            Id: "m1",
            MetricStat: {
              Metric: {
                Namespace: "AWS/ECS",
                MetricName: "CPUUtilization",
                Dimensions: [{ Name: "ClusterName", Value: "c" }],
              },
              Period: 60,
              Stat: "Average",
            },
          },
        ],
      }),
    );
    expect(withoutMetadata(out)).toEqual(cloudwatchFixtures.GetMetricData);
    expect(received.GetMetricData?.StartTime).toEqual(new Date("2024-01-01T00:00:00Z"));
    expect(received.GetMetricData?.MetricDataQueries).toEqual([
      {
        Id: "m1",
        MetricStat: {
          Metric: {
            Namespace: "AWS/ECS",
            MetricName: "CPUUtilization",
            Dimensions: [{ Name: "ClusterName", Value: "c" }],
          },
          Period: 60,
          Stat: "Average",
        },
      },
    ]);
  });

  test("errors carry the query code from x-amzn-query-error", async () => {
    const error = await rejection(new CloudWatchClient(config).send(new DescribeAlarmsCommand({})));
    expect(error.name).toBe("InvalidParameterValueException");
    expect(error.Code).toBe("InvalidParameterValue");
    expect(error.Type).toBe("Sender");
    const unknown = await rejection(new CloudWatchClient(config).send(new ListMetricsCommand({})));
    expect(unknown.name).toBe("UnknownOperationException");
  });

  test("a gzipped body (PutMetricData past 10 KiB) is read", async () => {
    const MetricData = Array.from({ length: 300 }, (_, i) => ({
      MetricName: `metric-${i}`,
      Value: i,
      Timestamp: new Date("2024-01-01T00:00:00Z"),
      Dimensions: [{ Name: "TaskId", Value: `task-${i}` }],
    }));
    await new CloudWatchClient(config).send(new PutMetricDataCommand({ Namespace: "Test", MetricData }));
    expect(received.PutMetricData?.MetricData).toEqual(MetricData);
  });
});

describe("ec2Query (EC2)", () => {
  test("lowerCamel elements and <item> lists come back deep-equal; filters arrive as sent", async () => {
    const ec2 = new EC2Client(config);
    const out = await ec2.send(
      new DescribeSecurityGroupsCommand({
        GroupIds: ["sg-1", "sg-2"],
        Filters: [
          { Name: "vpc-id", Values: ["vpc-1"] },
          { Name: "tag:Name", Values: ["sg-ALB", "sg-ECSTask"] },
        ],
        MaxResults: 5,
      }),
    );
    expect(withoutMetadata(out)).toEqual(ec2Fixtures.DescribeSecurityGroups);
    expect(received.DescribeSecurityGroups).toEqual({
      GroupIds: ["sg-1", "sg-2"],
      Filters: [
        { Name: "vpc-id", Values: ["vpc-1"] },
        { Name: "tag:Name", Values: ["sg-ALB", "sg-ECSTask"] },
      ],
      MaxResults: 5,
    });
    const enis = await ec2.send(new DescribeNetworkInterfacesCommand({ DryRun: false }));
    expect(withoutMetadata(enis)).toEqual(ec2Fixtures.DescribeNetworkInterfaces);
    expect(received.DescribeNetworkInterfaces).toEqual({ DryRun: false });
  });

  test("DescribeTags goes to EC2 or ELBv2 by Version", async () => {
    const ec2Tags = await new EC2Client(config).send(new Ec2DescribeTagsCommand({}));
    expect(withoutMetadata(ec2Tags)).toEqual(ec2Fixtures.DescribeTags);
    const elbTags = await new ElasticLoadBalancingV2Client(config).send(
      new ElbDescribeTagsCommand({ ResourceArns: ["arn:alb"] }),
    );
    expect(withoutMetadata(elbTags)).toEqual(elbv2Fixtures.DescribeTags);
    expect(received.DescribeTags).toEqual({ ResourceArns: ["arn:alb"] });
  });

  test("errors are named by their code; unknown actions are InvalidAction", async () => {
    const error = await rejection(new EC2Client(config).send(new DeleteSecurityGroupCommand({ GroupId: "sg-nope" })));
    expect(error.name).toBe("InvalidGroup.NotFound");
    expect(error.message).toBe("The security group 'sg-nope' does not exist");
    const unknown = await rejection(new EC2Client(config).send(new DescribeVpcsCommand({})));
    expect(unknown.name).toBe("InvalidAction");
  });
});

describe("awsQuery (IAM, ELBv2, STS)", () => {
  test("the Result wrapper, <member> lists, maps and awkward text round-trip", async () => {
    const iam = new IAMClient(config);
    const role = await iam.send(new GetRoleCommand({ RoleName: "AdministratorAccessRole" }));
    expect(withoutMetadata(role)).toEqual(iamFixtures.GetRole);
    expect(received.GetRole).toEqual({ RoleName: "AdministratorAccessRole" });
    const summary = await iam.send(new GetAccountSummaryCommand({}));
    expect(withoutMetadata(summary)).toEqual(iamFixtures.GetAccountSummary);
    const lbs = await new ElasticLoadBalancingV2Client(config).send(
      new DescribeLoadBalancersCommand({ Names: ["my-web-alb"], PageSize: 2 }),
    );
    expect(withoutMetadata(lbs)).toEqual(elbv2Fixtures.DescribeLoadBalancers);
    expect(received.DescribeLoadBalancers).toEqual({ Names: ["my-web-alb"], PageSize: 2 });
    const me = await new STSClient(config).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe("arn:aws:iam::123456789012:user/new-owner");
  });

  test("characters XML 1.0 forbids are stripped", async () => {
    const iam = new IAMClient(config);
    iamFixtures.GetRole.Role.Description = "bell\u0007 and nul\u0000 gone";
    const role = await iam.send(new GetRoleCommand({ RoleName: "r" }));
    expect(role.Role?.Description).toBe("bell and nul gone");
  });

  test("lists of structures and numbers arrive as sent", async () => {
    const iam = new IAMClient(config);
    await iam.send(
      new TagRoleCommand({
        RoleName: "r",
        Tags: [
          { Key: "a", Value: "1" },
          { Key: "b", Value: "" },
        ],
      }),
    );
    expect(received.TagRole).toEqual({
      RoleName: "r",
      Tags: [
        { Key: "a", Value: "1" },
        { Key: "b", Value: "" },
      ],
    });
    await iam.send(new ListRolesCommand({ PathPrefix: "/service-role/", MaxItems: 50 }));
    expect(received.ListRoles).toEqual({ PathPrefix: "/service-role/", MaxItems: 50 });
  });

  test("errors use the awsQuery code; unknown actions are InvalidAction", async () => {
    const error = await rejection(new IAMClient(config).send(new GetUserCommand({ UserName: "nobody" })));
    expect(error).toBeInstanceOf(NoSuchEntityException);
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(404);
    const unknown = await rejection(new IAMClient(config).send(new ListUsersCommand({})));
    expect(unknown.name).toBe("InvalidAction");
  });

  test("a form without Action is MissingAction", async () => {
    const response = await fetch(sandbox.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Version=2010-05-08",
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>MissingAction</Code>");
  });
});

describe("restJson1 (X-Ray)", () => {
  test("fixed POST paths, timestamps and maps round-trip", async () => {
    const xray = new XRayClient(config);
    const out = await xray.send(
      new GetTraceSummariesCommand({
        StartTime: new Date("2024-01-01T00:00:00Z"),
        EndTime: new Date("2024-01-01T00:10:00Z"),
        FilterExpression: 'service("my-web-app") AND responsetime > 4',
        Sampling: false,
      }),
    );
    expect(withoutMetadata(out)).toEqual(xrayFixtures.GetTraceSummaries);
    expect(received.GetTraceSummaries).toEqual({
      StartTime: new Date("2024-01-01T00:00:00Z"),
      EndTime: new Date("2024-01-01T00:10:00Z"),
      FilterExpression: 'service("my-web-app") AND responsetime > 4',
      Sampling: false,
    });
  });

  test("errors come from X-Amzn-ErrorType; unknown operations are loud", async () => {
    const xray = new XRayClient(config);
    const error = await rejection(xray.send(new GetTraceGraphCommand({ TraceIds: ["x"] })));
    expect(error).toBeInstanceOf(InvalidRequestException);
    expect(error.message).toBe("bad trace id");
    const unknown = await rejection(
      xray.send(new GetServiceGraphCommand({ StartTime: new Date(0), EndTime: new Date(1000) })),
    );
    expect(unknown.name).toBe("UnknownOperationException");
  });
});

describe("restXml (S3, path-style)", () => {
  test("bucket sub-resources, payloads and HEAD", async () => {
    const s3 = new S3Client(config);
    await s3.send(
      new CreateBucketCommand({
        Bucket: "trail-logs",
        CreateBucketConfiguration: { LocationConstraint: "ap-northeast-1" },
      }),
    );
    expect(received.CreateBucket).toEqual({
      Bucket: "trail-logs",
      CreateBucketConfiguration: { LocationConstraint: "ap-northeast-1" },
    });
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [] });
    await s3.send(new PutBucketPolicyCommand({ Bucket: "trail-logs", Policy: policy }));
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: "trail-logs" }))).Policy).toBe(policy);
    const block = {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: true,
    };
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: "trail-logs", PublicAccessBlockConfiguration: block }));
    // The SDK adds its checksum header (x-amz-sdk-checksum-algorithm), which arrives as ChecksumAlgorithm.
    expect(received.PutPublicAccessBlock).toMatchObject({
      Bucket: "trail-logs",
      PublicAccessBlockConfiguration: block,
    });
    const got = await s3.send(new GetPublicAccessBlockCommand({ Bucket: "trail-logs" }));
    expect(got.PublicAccessBlockConfiguration).toEqual(block);
    const head = await s3.send(new HeadBucketCommand({ Bucket: "trail-logs" }));
    expect(head.BucketRegion).toBe("ap-northeast-1");
    const list = await s3.send(new ListBucketsCommand({}));
    expect(list.Buckets).toEqual([{ Name: "trail-logs", CreationDate: new Date("2024-01-01T00:00:00Z") }]);
    expect(list.Owner).toEqual({ ID: "owner", DisplayName: "me" });
  });

  test("errors: coded bodies, bodiless HEAD, NotImplemented for what is not served", async () => {
    const s3 = new S3Client(config);
    const error = await rejection(s3.send(new PutBucketPolicyCommand({ Bucket: "nope", Policy: "{}" })));
    expect(error.name).toBe("NoSuchBucket");
    const head = await rejection(s3.send(new HeadBucketCommand({ Bucket: "nope" })));
    expect(head.name).toBe("NotFound");
    const unknown = await rejection(s3.send(new GetBucketTaggingCommand({ Bucket: "trail-logs" })));
    expect(unknown.name).toBe("NotImplemented");
  });

  test("malformed XML is MalformedXML", async () => {
    const response = await fetch(`${sandbox.endpoint}/trail-logs?publicAccessBlock`, {
      method: "PUT",
      body: "<PublicAccessBlockConfiguration><BlockPublicAcls>true",
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>MalformedXML</Code>");
  });
});

describe("the HTTP layer", () => {
  test("every response carries the virtual clock's Date and a request id", async () => {
    const response = await fetch(sandbox.endpoint, {
      method: "POST",
      headers: { "x-amz-target": "X.Nope" },
      body: "{}",
    });
    expect(response.headers.get("date")).toMatch(/^\w{3}, \d{2} Jan 2024 /);
    expect(response.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.status).toBe(400);
  });

  test("a body past 16 MiB is refused with 413 and the server keeps serving", async () => {
    const response = await fetch(sandbox.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AmazonEC2ContainerServiceV20141113.X" },
      body: Buffer.alloc(17 * 1024 * 1024, 0x20),
    });
    expect(response.status).toBe(413);
    await new STSClient(config).send(new GetCallerIdentityCommand({}));
  });
});
