// logging-missing: send the output of every container that has no log configuration to CloudWatch Logs — awslogs to
// `/ecs/<family>`, created beforehand with a retention, delivered without blocking the app — and let the execution
// role write there. The containers change in the service's next deployment (one for all fixes).
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import { createdExecutionRole } from "../iam/execution-role";
import type { Change, ResourceRef, Step, TaskDefinitionEdit } from "../plan";
import { alsoRunByNotes, runningRevision } from "../secrets/running-revision";
import {
  awslogsConfiguration,
  logGroupOf,
  logGroupSteps,
  logStreamsArn,
  logWritePermission,
  partitionOf,
  RETENTION_WHY,
} from "./log-group";
import { permissionSteps } from "./role-permission";
import { DEPLOY_WRITES, LOG_GROUP_WRITES, ROLE_POLICY_WRITES } from "./writes";

const CHECK = "logging-missing";
export const STREAM_PREFIX = "ecs";

function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const revision = runningRevision(snapshot, verdict.resource);
  if ("missing" in revision)
    return manualChange(CHECK, verdict.resource, "send the containers' logs to CloudWatch Logs", [revision.missing]);
  const group = logGroupOf(revision.family);
  const silent = revision.definition.containerDefinitions.filter((container) => !container.logConfiguration?.logDriver);
  const edits: TaskDefinitionEdit[] = silent.map((container) => ({
    kind: "log-configuration",
    container: container.name ?? "",
    logConfiguration: awslogsConfiguration(group, snapshot.region, STREAM_PREFIX),
  }));
  const steps: Step[] = [...logGroupSteps(group)];
  const notes: string[] = [];
  const reads: ResourceRef[] = [
    { kind: "service", name: revision.service },
    { kind: "task-definition", arn: revision.arn },
    { kind: "log-group", name: group },
  ];
  const rollback = [
    "the service goes back to the previous revision, without logs (the shared deployment's rollback)",
    `log group ${group} stays, with the logs it received and its retention if this plan created it (tag ` +
      "ecs-takeover:source; delete it by hand if you do not want them); a group that existed gets its retention back",
  ];
  const executionRole = revision.definition.executionRoleArn;
  if (executionRole) {
    const streams = logStreamsArn(partitionOf(revision.arn), snapshot.region, snapshot.account, group);
    const permission = permissionSteps(snapshot, executionRole, logWritePermission(revision.family, streams));
    steps.push(...permission.steps);
    notes.push(...permission.notes);
    reads.push(...permission.reads);
    if (permission.steps.length > 0) rollback.push("the inline policy added to the execution role is deleted");
  } else {
    // Fargate needs an execution role to deliver awslogs: the one execution-role-missing and env-secrets create,
    // whose AmazonECSTaskExecutionRolePolicy lets it write logs.
    const created = createdExecutionRole(snapshot, revision.family);
    steps.push(...created.steps);
    edits.push(created.edit);
    notes.push(
      `${verdict.resource} has no execution role: ${created.name} is created for it (AmazonECSTaskExecutionRolePolicy)`,
    );
    rollback.push(`role ${created.name} is detached from AmazonECSTaskExecutionRolePolicy and deleted`);
  }
  const names = silent.map((container) => container.name ?? "(unnamed)").join(", ");
  return {
    check: CHECK,
    resource: verdict.resource,
    title: `${revision.family}: send the logs of ${names} to CloudWatch Logs (${group})`,
    manual: false,
    steps,
    outcome:
      `${names} of ${revision.family} log with awslogs to ${group} (streams ${STREAM_PREFIX}/<container>/<task id>, ` +
      `non-blocking), ${RETENTION_WHY}`,
    risk:
      "the service rolls its tasks in the shared deployment; if the execution role cannot write to the group, the " +
      "new tasks fail to start and the deployment stops there (the old tasks keep serving). CloudWatch Logs charges " +
      "for what is ingested and stored. In non-blocking mode lines are dropped if the 25 MB buffer fills up",
    rollback,
    notes: [
      "every container without a log configuration is given one, sidecars included (the check judges the essential ones)",
      ...notes,
      ...alsoRunByNotes(revision),
    ],
    deploy: { cluster: revision.cluster, service: revision.service, base: revision.arn, edits },
    reads,
  };
}

export const fix: Fix = {
  id: CHECK,
  plan,
  // With no execution role, the role execution-role-missing creates (and deletes on rollback).
  writes: [
    ...LOG_GROUP_WRITES,
    ...ROLE_POLICY_WRITES,
    "iam:CreateRole",
    "iam:TagRole",
    "iam:DeleteRole",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    ...DEPLOY_WRITES,
  ],
};
