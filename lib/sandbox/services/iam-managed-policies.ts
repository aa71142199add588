// The AWS managed policies the sandbox account sees from the start, with their published documents
// (docs.aws.amazon.com/aws-managed-policy/latest/reference). They are constants, not state: AWS owns them.

export interface AwsManagedPolicy {
  readonly PolicyName: string;
  readonly PolicyId: string;
  readonly Arn: string;
  readonly Path: string;
  readonly Description: string;
  readonly DefaultVersionId: string;
  readonly CreateDate: Date;
  readonly UpdateDate: Date;
  /** The default version's document (older versions are not kept: nobody reads them). */
  readonly Document: string;
}

function document(statements: readonly object[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements }, null, 2);
}

export const AWS_MANAGED_POLICIES: readonly AwsManagedPolicy[] = [
  {
    PolicyName: "AdministratorAccess",
    PolicyId: "ANPAIWMBCKSKIEE64ZLYK",
    Arn: "arn:aws:iam::aws:policy/AdministratorAccess",
    Path: "/",
    Description: "Provides full access to AWS services and resources.",
    DefaultVersionId: "v1",
    CreateDate: new Date("2015-02-06T18:39:46Z"),
    UpdateDate: new Date("2015-02-06T18:39:46Z"),
    Document: document([{ Effect: "Allow", Action: "*", Resource: "*" }]),
  },
  {
    PolicyName: "AmazonECSTaskExecutionRolePolicy",
    PolicyId: "ANPAJG4T4G4PV56DE72PY",
    Arn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    Path: "/service-role/",
    Description: "Provides access to other AWS service resources that are required to run Amazon ECS tasks",
    DefaultVersionId: "v1",
    CreateDate: new Date("2017-11-16T18:48:22Z"),
    UpdateDate: new Date("2017-11-16T18:48:22Z"),
    Document: document([
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
    ]),
  },
  {
    PolicyName: "AWSXRayDaemonWriteAccess",
    PolicyId: "ANPAIOE47HSUE5AVBNEDM",
    Arn: "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
    Path: "/",
    Description:
      "Allow the AWS X-Ray Daemon to relay raw trace segments data to the service's API and retrieve sampling data (rules, targets, etc.) to be used by the X-Ray SDK.",
    DefaultVersionId: "v2",
    CreateDate: new Date("2018-08-28T23:00:33Z"),
    UpdateDate: new Date("2024-02-13T21:58:00Z"),
    Document: document([
      {
        Sid: "AWSXRayDaemonWriteAccess",
        Effect: "Allow",
        Action: [
          "xray:PutTraceSegments",
          "xray:PutTelemetryRecords",
          "xray:GetSamplingRules",
          "xray:GetSamplingTargets",
          "xray:GetSamplingStatisticSummaries",
        ],
        Resource: ["*"],
      },
    ]),
  },
  {
    PolicyName: "CloudWatchAgentServerPolicy",
    PolicyId: "ANPAIGOPKN7KRDAKTLG4I",
    Arn: "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    Path: "/",
    Description: "Permissions required to use AmazonCloudWatchAgent on servers",
    DefaultVersionId: "v2",
    CreateDate: new Date("2017-09-13T00:00:35Z"),
    UpdateDate: new Date("2024-01-18T00:00:00Z"),
    Document: document([
      {
        Sid: "CWACloudWatchServerPermissions",
        Effect: "Allow",
        Action: [
          "cloudwatch:PutMetricData",
          "ec2:DescribeVolumes",
          "ec2:DescribeTags",
          "logs:PutLogEvents",
          "logs:PutRetentionPolicy",
          "logs:DescribeLogStreams",
          "logs:DescribeLogGroups",
          "logs:CreateLogStream",
          "logs:CreateLogGroup",
          "xray:PutTraceSegments",
          "xray:PutTelemetryRecords",
          "xray:GetSamplingRules",
          "xray:GetSamplingTargets",
          "xray:GetSamplingStatisticSummaries",
        ],
        Resource: "*",
      },
      {
        Sid: "CWASSMServerPermissions",
        Effect: "Allow",
        Action: ["ssm:GetParameter"],
        Resource: "arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*",
      },
    ]),
  },
];

export const ADMINISTRATOR_ACCESS_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";
export const ECS_TASK_EXECUTION_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

/** Service namespaces and the names IAM's access advisor shows for them (for entries never accessed). */
export const SERVICE_NAMES: Readonly<Record<string, string>> = {
  cloudtrail: "AWS CloudTrail",
  cloudwatch: "Amazon CloudWatch",
  dynamodb: "Amazon DynamoDB",
  ec2: "Amazon EC2",
  ecr: "Amazon Elastic Container Registry",
  ecs: "Amazon Elastic Container Service",
  elasticloadbalancing: "Elastic Load Balancing",
  iam: "AWS Identity and Access Management",
  kms: "AWS Key Management Service",
  lambda: "AWS Lambda",
  logs: "Amazon CloudWatch Logs",
  rds: "Amazon RDS",
  s3: "Amazon S3",
  secretsmanager: "AWS Secrets Manager",
  sns: "Amazon SNS",
  sqs: "Amazon SQS",
  ssm: "AWS Systems Manager",
  sts: "AWS Security Token Service",
  xray: "AWS X-Ray",
};
