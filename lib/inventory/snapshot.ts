// The Snapshot: a plain, serialisable picture of one cluster (or one service of it) and what surrounds it. Checks
// and plans read only this. Every group of reads is `Known<T>`: a read that failed is kept as unknown with its error
// code and the IAM action that was missing, so that a check over it says unknown — never pass (DESIGN §2).
//
// Resources keep the SDK's own shapes (field names as in the API reference), made plain: Dates become ISO strings,
// and secret-looking values are replaced by a `Redacted` record before anything is stored.

import type { AdvancedEventSelector, EventSelector, Trail } from "@aws-sdk/client-cloudtrail";
import type { MetricAlarm } from "@aws-sdk/client-cloudwatch";
import type { LogGroup } from "@aws-sdk/client-cloudwatch-logs";
import type { NetworkInterface, RouteTable, SecurityGroup, SecurityGroupRule, Subnet, Vpc } from "@aws-sdk/client-ec2";
import type { ImageDetail, RegistryScanningConfiguration, Repository } from "@aws-sdk/client-ecr";
import type { Cluster, ContainerDefinition, Deployment, Service, Tag, Task, TaskDefinition } from "@aws-sdk/client-ecs";
import type { Listener, LoadBalancer, Rule, TargetGroup } from "@aws-sdk/client-elastic-load-balancing-v2";

/** T as JSON gives it back: Dates become ISO strings, everything else stays. */
export type Plain<T> = T extends Date
  ? string
  : T extends Uint8Array
    ? string
    : T extends readonly (infer U)[]
      ? Plain<U>[]
      : T extends object
        ? { [K in keyof T]: Plain<T[K]> }
        : T;

/** A read that succeeded, or why it did not. */
export type Known<T> =
  | { readonly status: "known"; readonly value: T }
  | {
      readonly status: "unknown";
      /** The AWS error code (AccessDeniedException, UnauthorizedOperation, ThrottlingException, TimeoutError…). */
      readonly error: string;
      /** The IAM action that was denied, when the failure was a denial: "ecs:DescribeTaskDefinition". */
      readonly missing?: string;
      /** One line for people; never holds a secret. */
      readonly message: string;
    };

/** A value discovery judged secret-looking: only its length and a keyed hash are kept (DESIGN §2). */
export interface Redacted {
  readonly redacted: true;
  readonly length: number;
  /** HMAC-SHA256 under the installation's key in .takeover/: compares snapshots, never shown. */
  readonly hmac: string;
  /** Why it looked secret: "name" (DB_PASSWD), "value" (high entropy), or a known key format ("aws-access-key"). */
  readonly reason: string;
}

/** An environment variable as discovery keeps it. */
export interface EnvironmentVariable {
  readonly name: string;
  /** The value, or a Redacted record when the name or the value looks secret. */
  readonly value: string | Redacted;
}

/** A container definition with its environment values passed through redaction. */
export type SnapshotContainer = Omit<Plain<ContainerDefinition>, "environment"> & {
  environment?: EnvironmentVariable[];
};

export type SnapshotTaskDefinition = Omit<Plain<TaskDefinition>, "containerDefinitions"> & {
  containerDefinitions: SnapshotContainer[];
  /** From DescribeTaskDefinition with include TAGS (ECS returns them beside the definition). */
  tags?: Plain<Tag>[];
};

/** A service with the task-definition revisions it runs (its deployments) and the latest ACTIVE one of the family. */
export interface SnapshotService {
  readonly service: Plain<Service>;
  /** ARNs of the revisions its deployments run, PRIMARY first. */
  readonly runningRevisions: string[];
  /** The latest ACTIVE revision of the family (may equal the primary). */
  readonly latestRevision?: string;
  readonly deployments: Plain<Deployment>[];
}

/** An IAM policy document as JSON (URL-decoded), with where it came from. */
export interface PolicyDocument {
  /** "inline:<name>" or the managed policy ARN. */
  readonly source: string;
  readonly name: string;
  readonly managed: boolean;
  /** AWS managed (arn:aws:iam::aws:policy/…). */
  readonly awsManaged: boolean;
  readonly document: unknown;
}

export interface SnapshotRole {
  readonly arn: string;
  readonly name: string;
  readonly trust: unknown;
  readonly policies: Known<PolicyDocument[]>;
  /** Access advisor: services the role used, with when (for least-privilege plans). */
  readonly lastAccessed: Known<{ service: string; lastAuthenticated?: string }[]>;
}

/** An IAM user, group or role whose policies mention ECS or iam:PassRole (from GetAccountAuthorizationDetails). */
export interface SnapshotPrincipal {
  readonly kind: "user" | "group" | "role";
  readonly name: string;
  readonly arn: string;
  /** For users: the groups they belong to. */
  readonly groups?: string[];
  readonly policies: PolicyDocument[];
}

/** A data store the tasks may reach, found from its network interfaces (no RDS API needed). */
export interface DataStore {
  /** "amazon-rds", "amazon-elasticache", … (the ENI's requester). */
  readonly kind: string;
  /** What the ENIs say about it (their description), e.g. "RDSNetworkInterface". */
  readonly description: string;
  readonly networkInterfaceIds: string[];
  readonly securityGroupIds: string[];
  readonly subnetIds: string[];
}

/** A secret a task definition references through `secrets[].valueFrom`. Never its value. */
export interface SnapshotSecret {
  readonly reference: string;
  /** "secretsmanager" or "ssm". */
  readonly store: "secretsmanager" | "ssm";
  readonly arn?: string;
  readonly name?: string;
  readonly exists: Known<boolean>;
  readonly kmsKeyId?: string;
}

export interface SnapshotRepository {
  readonly repository: Plain<Repository>;
  readonly lifecyclePolicy: Known<string | null>;
}

/** An image the task definitions run, with its scan state (image-vulnerable reads this). */
export interface SnapshotImage {
  /** As written in the container definition. */
  readonly image: string;
  /** Set when the image is in this account's ECR. */
  readonly repositoryName?: string;
  readonly tag?: string;
  readonly detail: Known<Plain<ImageDetail> | null>;
  /** Severity → count from the latest scan; null when never scanned. */
  readonly findings: Known<Record<string, number> | null>;
}

export interface SnapshotTrail {
  readonly trail: Plain<Trail>;
  readonly isLogging: Known<boolean>;
  readonly eventSelectors: Known<{ basic: Plain<EventSelector>[]; advanced: Plain<AdvancedEventSelector>[] }>;
}

export interface SnapshotNetwork {
  readonly vpcs: Plain<Vpc>[];
  /** With `public`: whether the subnet routes 0.0.0.0/0 to an internet gateway. */
  readonly subnets: (Plain<Subnet> & { public: boolean })[];
  readonly routeTables: Plain<RouteTable>[];
}

export interface Snapshot {
  readonly version: 1;
  /** When it was taken, on the clock of the service it was read from (the sandbox's or AWS's). */
  readonly takenAt: string;
  readonly account: string;
  readonly region: string;
  /** Who took it (STS GetCallerIdentity). */
  readonly identity: string;
  readonly scope: { readonly cluster: string; readonly service?: string };

  readonly cluster: Known<Plain<Cluster>>;
  /** ECS account settings (containerInsights default etc.), effective values by name. */
  readonly accountSettings: Known<Record<string, string>>;
  readonly services: Known<SnapshotService[]>;
  /** By ARN: every revision a service runs and every latest ACTIVE one. */
  readonly taskDefinitions: Record<string, Known<SnapshotTaskDefinition>>;
  readonly tasks: Known<Plain<Task>[]>;

  readonly network: Known<SnapshotNetwork>;
  /** The security groups of the services, load balancers and data stores, with their rules. */
  readonly securityGroups: Known<Plain<SecurityGroup>[]>;
  readonly securityGroupRules: Known<Plain<SecurityGroupRule>[]>;
  /** The tasks' ENIs and the data stores' ENIs. */
  readonly networkInterfaces: Known<Plain<NetworkInterface>[]>;
  readonly dataStores: Known<DataStore[]>;

  readonly loadBalancers: Known<Plain<LoadBalancer>[]>;
  readonly listeners: Known<Plain<Listener>[]>;
  readonly rules: Known<Plain<Rule>[]>;
  readonly targetGroups: Known<Plain<TargetGroup>[]>;

  /** The task and execution roles the task definitions name, by ARN. */
  readonly roles: Record<string, Known<SnapshotRole>>;
  readonly principals: Known<SnapshotPrincipal[]>;
  readonly secrets: SnapshotSecret[];

  readonly repositories: Known<SnapshotRepository[]>;
  readonly registryScanning: Known<Plain<RegistryScanningConfiguration>>;
  readonly images: SnapshotImage[];

  readonly trails: Known<SnapshotTrail[]>;
  /** The log groups the task definitions write to, by name (null: referenced but missing). */
  readonly logGroups: Record<string, Known<Plain<LogGroup> | null>>;
  readonly alarms: Known<Plain<MetricAlarm>[]>;
}
