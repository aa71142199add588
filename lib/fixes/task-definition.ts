// Task-definition edits: several fixes (secrets, execution role, logging, the tracing sidecar, …) each describe what
// they change, and one new revision carries them all. The same function edits the snapshot's revision (to show the
// plan, secret values as «redacted») and the live one at apply time (so values the plan never held are kept).
import { createHash } from "node:crypto";
import { canonical } from "./action";
import type { Json, StepOutput, TaskDefinitionEdit } from "./plan";

/** The RegisterTaskDefinition members a described revision carries over to the next one. */
const REGISTERABLE = [
  "family",
  "taskRoleArn",
  "executionRoleArn",
  "networkMode",
  "containerDefinitions",
  "volumes",
  "placementConstraints",
  "requiresCompatibilities",
  "cpu",
  "memory",
  "pidMode",
  "ipcMode",
  "proxyConfiguration",
  "inferenceAccelerators",
  "ephemeralStorage",
  "runtimePlatform",
  "enableFaultInjection",
] as const;

/** The tag that marks a revision registered by a plan: a rerun finds it instead of registering another. */
export const CHANGE_TAG = "ecs-takeover:change";

type Container = Record<string, unknown> & { name?: string };

/**
 * The RegisterTaskDefinition input for `described` (a DescribeTaskDefinition result or the snapshot's copy) with
 * the edits applied. `value` turns a step output into what the input holds (the resolved ARN at apply time, a
 * description of it in a plan).
 */
export function editedTaskDefinition(
  described: Record<string, unknown>,
  tags: readonly { key?: string; value?: string }[],
  edits: readonly TaskDefinitionEdit[],
  change: string,
  value: (reference: string | StepOutput) => unknown,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const key of REGISTERABLE) {
    if (described[key] !== undefined) input[key] = structuredClone(described[key]);
  }
  let containers = (input.containerDefinitions as Container[] | undefined) ?? [];
  const container = (name: string): Container => {
    const found = containers.find((c) => c.name === name);
    if (!found) throw new Error(`the task definition has no container named ${name}`);
    return found;
  };
  for (const edit of edits) {
    switch (edit.kind) {
      case "environment-to-secret": {
        const target = container(edit.container);
        const environment = (target.environment as { name?: string }[] | undefined) ?? [];
        target.environment = environment.filter((variable) => variable.name !== edit.name);
        const secrets = ((target.secrets as { name?: string }[] | undefined) ?? []).filter((s) => s.name !== edit.name);
        target.secrets = [...secrets, { name: edit.name, valueFrom: value(edit.valueFrom) }];
        break;
      }
      case "execution-role":
        input.executionRoleArn = value(edit.roleArn);
        break;
      case "task-role":
        input.taskRoleArn = value(edit.roleArn);
        break;
      case "log-configuration":
        container(edit.container).logConfiguration = structuredClone(edit.logConfiguration);
        break;
      case "add-container":
        containers = [...containers.filter((c) => c.name !== edit.definition.name), structuredClone(edit.definition)];
        break;
      case "remove-container":
        containers = containers.filter((c) => c.name !== edit.container);
        for (const other of containers) {
          const dependsOn = other.dependsOn as { containerName?: string }[] | undefined;
          if (dependsOn) other.dependsOn = dependsOn.filter((d) => d.containerName !== edit.container);
        }
        break;
      case "depends-on": {
        const target = container(edit.container);
        const dependsOn = ((target.dependsOn as { containerName?: string }[] | undefined) ?? []).filter(
          (d) => d.containerName !== edit.dependsOn.containerName,
        );
        target.dependsOn = [...dependsOn, { ...edit.dependsOn }];
        break;
      }
    }
    input.containerDefinitions = containers;
  }
  const kept = tags.filter((tag) => tag.key !== CHANGE_TAG).map((tag) => ({ key: tag.key, value: tag.value }));
  input.tags = [...kept, { key: CHANGE_TAG, value: change }];
  return input;
}

/** Identifies one merged set of edits on one base revision (the value of the change tag). */
export function changeId(base: string, edits: readonly TaskDefinitionEdit[]): string {
  return createHash("sha256").update(canonical({ base, edits })).digest("hex").slice(0, 16);
}

/** "my-web-app" from "arn:aws:ecs:…:task-definition/my-web-app:1". */
export function familyOf(taskDefinitionArn: string): string {
  const tail = taskDefinitionArn.split("/").pop() ?? taskDefinitionArn;
  return tail.replace(/:\d+$/, "");
}

/** Edits several fixes asked for, each once and in the order first asked. */
export function mergeEdits(lists: readonly (readonly TaskDefinitionEdit[])[]): TaskDefinitionEdit[] {
  const seen = new Set<string>();
  const out: TaskDefinitionEdit[] = [];
  for (const edit of lists.flat()) {
    const key = canonical(edit);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(edit);
  }
  return out;
}

/** How a plan shows an edit, for people. */
export function describeEdit(edit: TaskDefinitionEdit): string {
  switch (edit.kind) {
    case "environment-to-secret":
      return `container ${edit.container}: ${edit.name} from Secrets Manager (secrets[].valueFrom), no longer in its environment`;
    case "execution-role":
      return "execution role set";
    case "task-role":
      return "task role set";
    case "log-configuration":
      return `container ${edit.container}: logs to ${String((edit.logConfiguration as Record<string, Json>).logDriver)}`;
    case "add-container":
      return `container ${String(edit.definition.name)} added (${String(edit.definition.image)})`;
    case "remove-container":
      return `container ${edit.container} removed`;
    case "depends-on":
      return `container ${edit.container} starts after ${edit.dependsOn.containerName} (${edit.dependsOn.condition})`;
  }
}
