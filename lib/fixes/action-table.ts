// Every write action apply may send, by service: how to observe, skip, and undo it (see action.ts).
import type { ActionSpec } from "./action";
import { CLOUDTRAIL_ACTIONS } from "./actions/cloudtrail";
import { CLOUDWATCH_ACTIONS } from "./actions/cloudwatch";
import { EC2_ACTIONS } from "./actions/ec2";
import { ECR_ACTIONS } from "./actions/ecr";
import { ECS_ACTIONS } from "./actions/ecs";
import { ELBV2_ACTIONS } from "./actions/elbv2";
import { IAM_ACTIONS } from "./actions/iam";
import { LOGS_ACTIONS } from "./actions/logs";
import { S3_ACTIONS } from "./actions/s3";
import { SECRETS_MANAGER_ACTIONS } from "./actions/secrets-manager";
import type { ServiceName } from "./plan";

export const ACTIONS: Readonly<Record<ServiceName, Readonly<Record<string, ActionSpec>>>> = {
  ecs: ECS_ACTIONS,
  ec2: EC2_ACTIONS,
  elbv2: ELBV2_ACTIONS,
  iam: IAM_ACTIONS,
  secretsManager: SECRETS_MANAGER_ACTIONS,
  ecr: ECR_ACTIONS,
  cloudTrail: CLOUDTRAIL_ACTIONS,
  cloudWatch: CLOUDWATCH_ACTIONS,
  logs: LOGS_ACTIONS,
  s3: S3_ACTIONS,
};

export function actionSpec(service: ServiceName, action: string): ActionSpec | undefined {
  return ACTIONS[service][action];
}
