// What a fix plan is: plain data a person reads before anything changes, and that `apply` carries out exactly
// (DESIGN §5). A plan lists API calls with their inputs, the resources it relies on (fingerprints of what was read),
// what it should achieve, the risk in words and how to undo it. Nothing in a plan is ever a secret value: the one
// plaintext a fix needs (the value moved into Secrets Manager) is named by where to read it at apply time.

/** The services a step may call: the property names of `Aws` in lib/aws/client. */
export type ServiceName =
  | "ecs"
  | "ec2"
  | "elbv2"
  | "iam"
  | "secretsManager"
  | "ecr"
  | "cloudTrail"
  | "cloudWatch"
  | "logs"
  | "s3";

/** JSON as a plan holds it. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/**
 * A value known only when the plan runs: the output of an earlier step (the ARN of the secret it created), read at
 * `path` (dotted) in that step's result. Shown in plans as what it stands for.
 */
export interface StepOutput {
  readonly $output: string;
  readonly path: string;
}

/**
 * A secret value, read from the running task definition at apply time and passed straight to CreateSecret. The
 * HMAC (from the snapshot) proves at apply time that it is still the value the plan was made for; it is never shown.
 */
export interface SecretFrom {
  readonly $secretFrom: {
    readonly taskDefinition: string;
    readonly container: string;
    readonly name: string;
    readonly hmac: string;
  };
}

/**
 * The input of RegisterTaskDefinition: the revision a service runs with edits applied. Resolved at apply time from
 * the live revision, so that values the plan never held (redacted ones) are carried over unchanged.
 */
export interface TaskDefinitionFrom {
  readonly $taskDefinition: {
    readonly base: string;
    readonly edits: readonly TaskDefinitionEdit[];
    /** Tagged on the new revision (`ecs-takeover:change`), so a rerun after a crash finds it instead of adding one. */
    readonly change: string;
  };
}

/** A JSON-document string input (an IAM policy) built from a value that may hold step outputs. */
export interface JsonString {
  readonly $json: Input;
}

/** One change to a task definition; several fixes' edits merge into one new revision. */
export type TaskDefinitionEdit =
  | {
      /** Move an environment variable into `secrets` (valueFrom), its plain value gone from the definition. */
      readonly kind: "environment-to-secret";
      readonly container: string;
      readonly name: string;
      readonly valueFrom: string | StepOutput;
    }
  | { readonly kind: "execution-role"; readonly roleArn: string | StepOutput }
  | { readonly kind: "task-role"; readonly roleArn: string | StepOutput }
  | {
      /** Set (or replace) the log configuration of a container. */
      readonly kind: "log-configuration";
      readonly container: string;
      readonly logConfiguration: { readonly [key: string]: Json };
    }
  | { readonly kind: "add-container"; readonly definition: { readonly [key: string]: Json } }
  | { readonly kind: "remove-container"; readonly container: string }
  /** Let a container's dependents start after it (the app after its collector, say). */
  | {
      readonly kind: "depends-on";
      readonly container: string;
      readonly dependsOn: { readonly containerName: string; readonly condition: string };
    };

/** An input value: JSON, or one of the markers resolved when the plan runs. */
export type Input =
  | Json
  | StepOutput
  | SecretFrom
  | TaskDefinitionFrom
  | JsonString
  | { readonly [key: string]: Input }
  | readonly Input[];

/** A request as data: which client, which command (its name without "Command"), what input. */
export interface Call {
  readonly service: ServiceName;
  readonly action: string;
  readonly input: { readonly [key: string]: Input };
}

/** A resource a plan relies on, as discovery sees it: apply re-reads it and refuses the plan when it changed. */
export type ResourceRef =
  | { readonly kind: "cluster" }
  | { readonly kind: "account-settings" }
  | { readonly kind: "service"; readonly name: string }
  | { readonly kind: "task-definition"; readonly arn: string }
  | { readonly kind: "security-group"; readonly id: string }
  | { readonly kind: "listener"; readonly arn: string }
  | { readonly kind: "role"; readonly arn: string }
  | { readonly kind: "principal"; readonly arn: string }
  | { readonly kind: "repository"; readonly name: string }
  | { readonly kind: "registry-scanning" }
  | { readonly kind: "image"; readonly image: string }
  | { readonly kind: "trails" }
  | { readonly kind: "log-group"; readonly name: string }
  | { readonly kind: "alarms" }
  | { readonly kind: "network" };

export interface Step {
  /** Unique within its plan; later steps refer to its output by it. */
  readonly id: string;
  /** What it does, for people: "sg-ECSTask: allow TCP 80 from sg-ALB". */
  readonly title: string;
  readonly call: Call;
  /** The resource the step changes (its precondition is not re-checked once this plan has started on it). */
  readonly changes?: ResourceRef;
  /** After the call: wait until the service's deployment has completed. */
  readonly waitForService?: { readonly cluster: string; readonly service: string };
}

export interface Precondition {
  readonly resource: ResourceRef;
  /** For people: "security group sg-ECSTask (sg-0123…)". */
  readonly label: string;
  /** SHA-256 of what discovery read of it (secret values as their HMAC only). */
  readonly fingerprint: string;
  /** What was read, to name what changed when the plan is refused. Never a secret: discovery redacted it. */
  readonly state: Json;
}

/** One fix for one resource (a check × resource), or the one deployment several fixes share. */
export interface Change {
  /** The check this fixes; "deploy" for the one new revision and deployment several fixes share. */
  readonly check: string;
  /** Checks whose edits a shared deployment carries. */
  readonly checks?: readonly string[];
  readonly resource: string;
  readonly title: string;
  /** A plan only: a person must decide or test first (what, in `notes`). */
  readonly manual: boolean;
  readonly steps: readonly Step[];
  /** What should be true afterwards. */
  readonly outcome: string;
  /** The risk in words: "the service will roll its tasks". */
  readonly risk: string;
  /** How to undo it, in words (apply journals the exact calls). */
  readonly rollback: readonly string[];
  /** What the operator must know or decide: inferred policies to review, what is missing, manual steps. */
  readonly notes: readonly string[];
  /** Task-definition edits and service settings this fix needs; the planner merges them into one deployment. */
  readonly deploy?: DeployRequest;
  /** The resources its steps rely on (the planner turns them into preconditions). */
  readonly reads: readonly ResourceRef[];
}

/** What a fix wants of the service's next deployment. */
export interface DeployRequest {
  readonly cluster: string;
  readonly service: string;
  /** The revision the service runs now: the base of the new one. */
  readonly base: string;
  readonly edits: readonly TaskDefinitionEdit[];
  /** UpdateService fields besides the task definition (platformVersion, networkConfiguration). */
  readonly serviceUpdate?: { readonly [key: string]: Json };
}

export interface Plan {
  readonly version: 1;
  /** SHA-256 over everything below: the journal ties each entry to it. */
  readonly id: string;
  readonly account: string;
  readonly region: string;
  readonly scope: { readonly cluster: string; readonly service?: string };
  /** When the snapshot it was made from was taken (the service's clock). */
  readonly basedOn: string;
  readonly changes: readonly Change[];
  readonly preconditions: readonly Precondition[];
}

export function isStepOutput(value: unknown): value is StepOutput {
  return typeof value === "object" && value !== null && typeof (value as StepOutput).$output === "string";
}

export function isSecretFrom(value: unknown): value is SecretFrom {
  return typeof value === "object" && value !== null && "$secretFrom" in value;
}

export function isJsonString(value: unknown): value is JsonString {
  return typeof value === "object" && value !== null && "$json" in value;
}

export function isTaskDefinitionFrom(value: unknown): value is TaskDefinitionFrom {
  return typeof value === "object" && value !== null && "$taskDefinition" in value;
}

/** A person must act: a manual fix, or one that found something missing (no steps and nothing to deploy). */
export function needsPerson(change: Change): boolean {
  return change.manual || (change.steps.length === 0 && change.deploy === undefined);
}

/** Every step of a plan in the order apply runs them. */
export function stepsOf(plan: Plan): Step[] {
  return plan.changes.flatMap((change) => change.steps);
}
