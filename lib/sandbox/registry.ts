// The services the sandbox serves: one table per service, each speaking its own wire protocol.
import type { ServiceDefinition } from "./service";
import { ec2Service } from "./services/ec2";
import { ecsService } from "./services/ecs";
import { elbv2Service } from "./services/elbv2";
import { iamService } from "./services/iam";
import { s3Service } from "./services/s3";
import { secretsManagerService } from "./services/secrets-manager";
import { stsService } from "./services/sts";

export const SERVICES: readonly ServiceDefinition[] = [
  ecsService,
  ec2Service,
  elbv2Service,
  iamService,
  stsService,
  secretsManagerService,
  s3Service,
];
