// What the wire layer needs to know about each AWS API it can speak: the SDK package whose schemas describe it and
// the values that pick it out of a request (JSON target prefixes, query Version). Keyed by SigV4 signing name.

export interface ApiDescription {
  readonly signingName: string;
  readonly clientPackage: string;
  /** `X-Amz-Target: <prefix>.<Operation>`; CloudTrail has a second, longer prefix sent by the AWS CLI. */
  readonly targetPrefixes?: readonly string[];
  /** The form body's `Version` (awsQuery, ec2Query). */
  readonly version?: string;
  readonly xmlNamespace?: string;
  /** S3 path-style: the first path segment is the bucket, absent from the operation URIs in the model. */
  readonly bucketInPath?: boolean;
}

const DESCRIPTIONS: readonly ApiDescription[] = [
  {
    signingName: "ecs",
    clientPackage: "@aws-sdk/client-ecs",
    targetPrefixes: ["AmazonEC2ContainerServiceV20141113"],
  },
  {
    signingName: "ecr",
    clientPackage: "@aws-sdk/client-ecr",
    targetPrefixes: ["AmazonEC2ContainerRegistry_V20150921"],
  },
  {
    signingName: "secretsmanager",
    clientPackage: "@aws-sdk/client-secrets-manager",
    targetPrefixes: ["secretsmanager"],
  },
  {
    signingName: "cloudtrail",
    clientPackage: "@aws-sdk/client-cloudtrail",
    targetPrefixes: ["CloudTrail_20131101", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101"],
  },
  { signingName: "logs", clientPackage: "@aws-sdk/client-cloudwatch-logs", targetPrefixes: ["Logs_20140328"] },
  {
    signingName: "monitoring",
    clientPackage: "@aws-sdk/client-cloudwatch",
    targetPrefixes: ["GraniteServiceVersion20100801"],
  },
  {
    signingName: "ec2",
    clientPackage: "@aws-sdk/client-ec2",
    version: "2016-11-15",
    xmlNamespace: "http://ec2.amazonaws.com/doc/2016-11-15/",
  },
  {
    signingName: "elasticloadbalancing",
    clientPackage: "@aws-sdk/client-elastic-load-balancing-v2",
    version: "2015-12-01",
    xmlNamespace: "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/",
  },
  {
    signingName: "iam",
    clientPackage: "@aws-sdk/client-iam",
    version: "2010-05-08",
    xmlNamespace: "https://iam.amazonaws.com/doc/2010-05-08/",
  },
  {
    signingName: "sts",
    clientPackage: "@aws-sdk/client-sts",
    version: "2011-06-15",
    xmlNamespace: "https://sts.amazonaws.com/doc/2011-06-15/",
  },
  { signingName: "xray", clientPackage: "@aws-sdk/client-xray" },
  {
    signingName: "s3",
    clientPackage: "@aws-sdk/client-s3",
    xmlNamespace: "http://s3.amazonaws.com/doc/2006-03-01/",
    bucketInPath: true,
  },
];

export function describeApi(signingName: string): ApiDescription | undefined {
  return DESCRIPTIONS.find((description) => description.signingName === signingName);
}
