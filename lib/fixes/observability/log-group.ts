// Where the logging fixes send a task's logs and how: the log group `/ecs/<family>` made before the tasks write to
// it (with a retention), the awslogs options every container they configure gets, and the execution role's
// permission to write there.
import { CREATED_GROUP_TAGS } from "../actions/logs";
import { step } from "../fix";
import type { Json, ResourceRef, Step } from "../plan";
import type { Permission } from "./role-permission";

/**
 * 90 days: enough to investigate an incident reported weeks later and compare with the release before it, short
 * enough that storage stops growing. Audit or legal rules may ask for longer (365 days, say): change it then.
 */
export const RETENTION_DAYS = 90;

export const RETENTION_WHY =
  `kept ${RETENTION_DAYS} days: enough to investigate an incident reported weeks later, short enough that the ` +
  "storage bill stops growing (set a longer retention if audit or legal rules require it)";

/**
 * Non-blocking delivery: a slow CloudWatch Logs never stalls the app's writes. The 25 MB buffer (AWS's default is
 * smaller) rides out a burst of a busy app; lines are dropped only when it is full.
 */
export const NON_BLOCKING: { readonly [option: string]: string } = { mode: "non-blocking", "max-buffer-size": "25m" };

/** The group a family's containers log to when they had none. */
export function logGroupOf(family: string): string {
  return `/ecs/${family}`;
}

/** awslogs to the group, streams `<prefix>/<container>/<task id>`, delivered without blocking the app. */
export function awslogsConfiguration(group: string, region: string, prefix: string): { [key: string]: Json } {
  return {
    logDriver: "awslogs",
    options: { "awslogs-group": group, "awslogs-region": region, "awslogs-stream-prefix": prefix, ...NON_BLOCKING },
  };
}

/**
 * Create the group (unless it exists) and give it a retention; two fixes that plan them share these steps. On
 * rollback a group this tool created stays as it made it (see ../actions/logs.ts).
 */
export function logGroupSteps(group: string): Step[] {
  const changes: ResourceRef = { kind: "log-group", name: group };
  return [
    step(
      `logs:CreateLogGroup:${group}`,
      `create log group ${group}, tagged as made by ecs-takeover (an existing group is used as it is)`,
      { service: "logs", action: "CreateLogGroup", input: { logGroupName: group, tags: { ...CREATED_GROUP_TAGS } } },
      changes,
    ),
    retentionStep(group),
  ];
}

export function retentionStep(group: string): Step {
  return step(
    `logs:PutRetentionPolicy:${group}`,
    `log group ${group}: keep events ${RETENTION_DAYS} days`,
    { service: "logs", action: "PutRetentionPolicy", input: { logGroupName: group, retentionInDays: RETENTION_DAYS } },
    { kind: "log-group", name: group },
  );
}

/** `aws` or `aws-cn`, from any ARN of the account. */
export function partitionOf(arn: string): string {
  return arn.split(":")[1] || "aws";
}

/** The ARN of the group's streams, as a policy names them. */
export function logStreamsArn(partition: string, region: string, account: string, group: string): string {
  return `arn:${partition}:logs:${region}:${account}:log-group:${group}:*`;
}

/**
 * What the execution role needs to deliver awslogs (ECS creates the streams and puts the events), as an inline
 * policy named for the family: execution roles are often shared by several families, and one name for all would let
 * each family's fix overwrite the others' group.
 */
export function logWritePermission(family: string, streamsArn: string): Permission {
  return {
    role: "execution role",
    actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
    resource: streamsArn,
    // One stream of the group stands for every stream the tasks create in it.
    usedOn: streamsArn.replace(/:\*$/, ":log-stream:ecs/container/task"),
    policyName: `ecs-takeover-logs-${family}`.slice(0, 128),
  };
}
