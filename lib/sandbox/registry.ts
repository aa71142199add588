// The services the sandbox serves: one table per service, each speaking its own wire protocol.
import type { ServiceDefinition } from "./service";
import { cloudTrailService } from "./services/cloudtrail";
import { cloudWatchService } from "./services/cloudwatch";
import { ec2Service } from "./services/ec2";
import { ecrService } from "./services/ecr";
import { ecsService } from "./services/ecs";
import { elbv2Service } from "./services/elbv2";
import { iamService } from "./services/iam";
import { logsService } from "./services/logs";
import { s3Service } from "./services/s3";
import { secretsManagerService } from "./services/secrets-manager";
import { stsService } from "./services/sts";
import { xrayService } from "./services/xray";

export const SERVICES: readonly ServiceDefinition[] = [
  ecsService,
  ec2Service,
  elbv2Service,
  iamService,
  stsService,
  secretsManagerService,
  s3Service,
  ecrService,
  cloudTrailService,
  cloudWatchService,
  logsService,
  xrayService,
];
