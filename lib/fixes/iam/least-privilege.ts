// An inferred least-privilege policy for a task role, from what can be known without watching the app: the services
// IAM says the role used (service last-accessed data), and the resources the task's configuration names
// (`UPLOAD_BUCKET=my-web-uploads`, `JOBS_QUEUE_URL=https://sqs…/my-web-jobs`), each given the actions an app
// typically needs of it. CloudTrail cannot say more: object-level S3 calls and SQS messages are data events, which
// its event history never holds. The result is an inference, for a person to review, never a certainty.
import type { Redacted, Snapshot, SnapshotTaskDefinition } from "../../inventory/snapshot";
import { type Document, documentOf, type RawStatement } from "./documents";

/** A resource the configuration names, and what the app is given on it. */
interface Named {
  /** `UPLOAD_BUCKET`: where the resource was named. */
  readonly variable: string;
  readonly service: string;
  /** What it is, for people: "bucket my-web-uploads". */
  readonly what: string;
  readonly statements: readonly RawStatement[];
}

/** How a variable's name and value name a resource of a service. */
interface ResourceVariable {
  readonly name: RegExp;
  readonly service: string;
  readonly resource: (
    value: string,
    snapshot: Snapshot,
    variable: string,
  ) => Omit<Named, "variable" | "service"> | undefined;
}

/** `UPLOAD_BUCKET` → `UploadBucket`, `JOBS_QUEUE_URL` → `JobsQueue`: statement ids that say where a grant came from. */
function sid(variable: string, suffix = ""): string {
  const words = variable
    .toLowerCase()
    .replace(/_(url|arn|name)$/, "")
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("") + suffix;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const NAME = /^[A-Za-z0-9_.-]{1,256}$/;

/** Variables that name a resource, by suffix, and the actions an app typically needs on each. */
const RESOURCE_VARIABLES: readonly ResourceVariable[] = [
  {
    name: /(^|_)BUCKET(_NAME)?$/,
    service: "s3",
    resource: (value, _snapshot, variable) => {
      const bucket =
        value
          .replace(/^s3:\/\//, "")
          .replace(/^arn:aws[a-z-]*:s3:::/, "")
          .split("/")[0] ?? "";
      if (!BUCKET.test(bucket)) return undefined;
      return {
        what: `bucket ${bucket}`,
        statements: [
          {
            Sid: sid(variable, "Objects"),
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
            Resource: `arn:aws:s3:::${bucket}/*`,
          },
          { Sid: sid(variable, "List"), Effect: "Allow", Action: "s3:ListBucket", Resource: `arn:aws:s3:::${bucket}` },
        ],
      };
    },
  },
  {
    name: /(^|_)QUEUE(_URL|_ARN|_NAME)?$/,
    service: "sqs",
    resource: (value, snapshot, variable) => {
      const arn = queueArn(value, snapshot);
      if (arn === undefined) return undefined;
      return {
        what: `queue ${arn.split(":").pop()}`,
        statements: [
          {
            Sid: sid(variable),
            Effect: "Allow",
            Action: [
              "sqs:SendMessage",
              "sqs:ReceiveMessage",
              "sqs:DeleteMessage",
              "sqs:ChangeMessageVisibility",
              "sqs:GetQueueAttributes",
              "sqs:GetQueueUrl",
            ],
            Resource: arn,
          },
        ],
      };
    },
  },
  {
    name: /(^|_)TABLE(_NAME|_ARN)?$/,
    service: "dynamodb",
    resource: (value, snapshot, variable) => {
      const table = value.startsWith("arn:") ? value.split(":table/")[1]?.split("/")[0] : value;
      if (table === undefined || !NAME.test(table)) return undefined;
      const arn = `arn:aws:dynamodb:${snapshot.region}:${snapshot.account}:table/${table}`;
      return {
        what: `table ${table}`,
        statements: [
          {
            Sid: sid(variable),
            Effect: "Allow",
            Action: [
              "dynamodb:GetItem",
              "dynamodb:BatchGetItem",
              "dynamodb:Query",
              "dynamodb:PutItem",
              "dynamodb:UpdateItem",
              "dynamodb:DeleteItem",
              "dynamodb:BatchWriteItem",
              "dynamodb:ConditionCheckItem",
              "dynamodb:DescribeTable",
            ],
            Resource: [arn, `${arn}/index/*`],
          },
        ],
      };
    },
  },
  {
    name: /(^|_)TOPIC(_ARN)?$/,
    service: "sns",
    resource: (value, _snapshot, variable) =>
      /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$/.test(value)
        ? {
            what: `topic ${value.split(":").pop()}`,
            statements: [{ Sid: sid(variable), Effect: "Allow", Action: "sns:Publish", Resource: value }],
          }
        : undefined,
  },
];

/** Services whose actions take no resource: "*" is all a policy can name (task-role-broad accepts these). */
const RESOURCELESS: Readonly<Record<string, RawStatement>> = {
  xray: {
    Sid: "XRayTraces",
    Effect: "Allow",
    Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
    Resource: "*",
  },
  cloudwatch: { Sid: "CloudWatchMetrics", Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*" },
  ssmmessages: {
    Sid: "EcsExecChannels",
    Effect: "Allow",
    Action: [
      "ssmmessages:CreateControlChannel",
      "ssmmessages:CreateDataChannel",
      "ssmmessages:OpenControlChannel",
      "ssmmessages:OpenDataChannel",
    ],
    Resource: "*",
  },
};

/** Services a role can use without any permission (sts:GetCallerIdentity). */
const NEEDS_NOTHING = new Set(["sts"]);

/** The queue's ARN from its URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`), ARN or bare name. */
function queueArn(value: string, snapshot: Snapshot): string | undefined {
  if (/^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$/.test(value)) return value;
  const url =
    /^https?:\/\/(?:sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?|([a-z0-9-]+)\.queue\.amazonaws\.com)\/(\d{12})\/([A-Za-z0-9_.-]+)\/?$/.exec(
      value,
    );
  if (url) return `arn:aws:sqs:${url[1] ?? url[2]}:${url[3]}:${url[4]}`;
  return NAME.test(value) && !value.includes("://")
    ? `arn:aws:sqs:${snapshot.region}:${snapshot.account}:${value}`
    : undefined;
}

export interface Inference {
  /** The proposed policy; undefined when the role used nothing that needs a permission. */
  readonly document: Document | undefined;
  /** Services the role used, with when (for the notes). */
  readonly used: readonly string[];
  /** What the policy grants, in words: "s3 on bucket my-web-uploads (UPLOAD_BUCKET)". */
  readonly granted: readonly string[];
  /** Services the role used for which the configuration names no resource: the policy cannot cover them. */
  readonly uncovered: readonly string[];
  /** Resources the configuration names whose service the role has not used: not granted. */
  readonly unused: readonly string[];
}

function isRedacted(value: string | Redacted): value is Redacted {
  return typeof value === "object";
}

/** The least-privilege policy inferred for a role that used `lastAccessed` and runs `definitions`. */
export function inferPolicy(
  snapshot: Snapshot,
  lastAccessed: readonly { service: string; lastAuthenticated?: string }[],
  definitions: readonly SnapshotTaskDefinition[],
): Inference {
  const used = [...new Set(lastAccessed.map((entry) => entry.service.toLowerCase()))].sort();
  const named: Named[] = [];
  for (const definition of definitions) {
    for (const container of definition.containerDefinitions) {
      for (const variable of container.environment ?? []) {
        // A secret-looking value is never read into a plan (and names no resource).
        if (isRedacted(variable.value)) continue;
        const value = variable.value.trim();
        for (const kind of RESOURCE_VARIABLES) {
          if (!kind.name.test(variable.name.toUpperCase())) continue;
          const resource = kind.resource(value, snapshot, variable.name);
          if (resource) named.push({ ...resource, variable: variable.name, service: kind.service });
          break;
        }
      }
    }
  }
  const grants = named.filter((n) => used.includes(n.service));
  const statements: RawStatement[] = [];
  const sids = new Set<string>();
  for (const statement of [
    ...grants.flatMap((g) => g.statements),
    ...used.flatMap((s) => [RESOURCELESS[s]].filter((r) => r !== undefined)),
  ]) {
    if (sids.has(String(statement.Sid))) continue;
    sids.add(String(statement.Sid));
    statements.push(statement);
  }
  const covered = new Set([...grants.map((g) => g.service), ...Object.keys(RESOURCELESS), ...NEEDS_NOTHING]);
  return {
    document: statements.length > 0 ? documentOf(statements) : undefined,
    used: lastAccessed.map(
      (e) => `${e.service}${e.lastAuthenticated ? ` (last ${e.lastAuthenticated.slice(0, 10)})` : ""}`,
    ),
    granted: [
      ...grants.map((g) => `${g.service} on ${g.what} (${g.variable})`),
      ...used.filter((s) => RESOURCELESS[s]).map((s) => `${s} (its actions take no resource: "*")`),
    ],
    uncovered: used.filter((s) => !covered.has(s)),
    unused: named.filter((n) => !used.includes(n.service)).map((n) => `${n.variable} names ${n.what}`),
  };
}
