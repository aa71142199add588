// The sandbox account's whole state: plain data, JSON-serialisable, one slice per service.
import { type Ec2State, emptyEc2State } from "./services/ec2";
import { type EcsState, emptyEcsState } from "./services/ecs";
import { type Elbv2State, emptyElbv2State } from "./services/elbv2";
import { emptyIamState, type IamState } from "./services/iam";
import { emptyS3State, type S3State } from "./services/s3";
import { emptySecretsManagerState, type SecretsManagerState } from "./services/secrets-manager";
import { emptyStsState, type StsState } from "./services/sts";

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
  };
}
