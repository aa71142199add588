// The sandbox account's whole state: plain data, JSON-serialisable, one slice per service.
import { type CloudTrailState, emptyCloudTrailState } from "./services/cloudtrail";
import { type CloudWatchState, emptyCloudWatchState } from "./services/cloudwatch";
import { type Ec2State, emptyEc2State } from "./services/ec2";
import { type EcrState, emptyEcrState } from "./services/ecr";
import { type EcsState, emptyEcsState } from "./services/ecs";
import { type Elbv2State, emptyElbv2State } from "./services/elbv2";
import { emptyIamState, type IamState } from "./services/iam";
import { emptyLogsState, type LogsState } from "./services/logs";
import { emptyS3State, type S3State } from "./services/s3";
import { emptySecretsManagerState, type SecretsManagerState } from "./services/secrets-manager";
import { emptyStsState, type StsState } from "./services/sts";
import { emptyXRayState, type XRayState } from "./services/xray";
import { emptyTelemetryState, type TelemetryState } from "./telemetry/model";

export interface SandboxState {
  /** Bumped when the shape changes, so an old `--state` file is refused rather than misread. */
  version: 1;
  scenario: string;
  account: string;
  region: string;
  /** Feeds deterministic ids: every id drawn advances it. */
  sequence: number;
  /** The virtual time of the last change: a sandbox resumed from a `--state` file goes on from here. */
  clock?: Date;
  ecs: EcsState;
  ec2: Ec2State;
  elbv2: Elbv2State;
  iam: IamState;
  sts: StsState;
  secretsManager: SecretsManagerState;
  s3: S3State;
  ecr: EcrState;
  cloudTrail: CloudTrailState;
  cloudWatch: CloudWatchState;
  logs: LogsState;
  xray: XRayState;
  /** What the generated metrics, logs and traces follow besides the resources: load, incidents, history. */
  telemetry: TelemetryState;
}

export function emptyState(scenario: string, account = "123456789012", region = "ap-northeast-1"): SandboxState {
  return {
    version: 1,
    scenario,
    account,
    region,
    sequence: 0,
    ecs: emptyEcsState(),
    ec2: emptyEc2State(),
    elbv2: emptyElbv2State(),
    iam: emptyIamState(),
    sts: emptyStsState(),
    secretsManager: emptySecretsManagerState(),
    s3: emptyS3State(),
    ecr: emptyEcrState(),
    cloudTrail: emptyCloudTrailState(),
    cloudWatch: emptyCloudWatchState(),
    logs: emptyLogsState(),
    xray: emptyXRayState(),
    telemetry: emptyTelemetryState(),
  };
}
