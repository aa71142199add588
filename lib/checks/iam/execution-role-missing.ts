// execution-role-missing: a task definition has no execution role although ECS needs one to start its tasks: on
// Fargate to pull a private ECR image or send logs with awslogs; anywhere to inject secrets, pull with private
// registry credentials, or read environment files from S3. (On EC2 the instance role can pull and log.)
import type { Snapshot, SnapshotContainer, SnapshotTaskDefinition } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { eachTaskDefinition, TASK_DEFINITION_READS } from "../judge";
import { ecsGuide, seedTalk } from "../references";
import { roleLabel } from "./scope";

export const meta: CheckMeta = {
  id: "execution-role-missing",
  title: "A task definition needs an execution role and has none",
  pillar: "iam",
  severity: "medium",
  why:
    "The execution role is what ECS itself uses to start the task — pull the image from a private ECR repository, " +
    "create log streams, fetch secrets; without it those steps fail and the tasks never start.",
  references: [
    seedTalk(3, "task role and task execution role"),
    ecsGuide("Amazon ECS task execution IAM role", "task_execution_IAM_role.html"),
  ],
  fix: { id: "execution-role-missing", manual: false },
  reads: TASK_DEFINITION_READS,
};

const PRIVATE_ECR = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;

/** What in the definition needs an execution role, in words. */
export function executionRoleNeeds(definition: SnapshotTaskDefinition): string[] {
  const fargate = (definition.requiresCompatibilities ?? []).includes("FARGATE");
  return definition.containerDefinitions.flatMap((container: SnapshotContainer) => {
    const name = `container ${container.name ?? "(unnamed)"}`;
    return [
      ...(fargate && PRIVATE_ECR.test(container.image ?? "") ? [`${name} pulls a private ECR image`] : []),
      ...(fargate && container.logConfiguration?.logDriver === "awslogs" ? [`${name} logs with awslogs`] : []),
      ...((container.secrets ?? []).length > 0 || (container.logConfiguration?.secretOptions ?? []).length > 0
        ? [`${name} injects secrets`]
        : []),
      ...(container.repositoryCredentials ? [`${name} pulls with private registry credentials`] : []),
      ...((container.environmentFiles ?? []).length > 0 ? [`${name} reads environment files from S3`] : []),
    ];
  });
}

export function run(snapshot: Snapshot): Verdict[] {
  return eachTaskDefinition(snapshot, (definition) => {
    if (definition.executionRoleArn) {
      return { status: "pass", detail: `runs with execution role ${roleLabel(definition.executionRoleArn)}` };
    }
    const needs = executionRoleNeeds(definition);
    if (needs.length === 0) return { status: "pass", detail: "needs no execution role and has none" };
    return {
      status: "fail",
      detail: `has no execution role, but ${needs.join("; ")}: ECS needs the role for that, so the tasks cannot start`,
    };
  });
}

export const check: Check = { meta, run };
