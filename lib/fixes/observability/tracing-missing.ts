// tracing-missing: add an ADOT collector sidecar that sends the app's traces to X-Ray, and let the task role write
// them. The new container comes with the service's next deployment (one for all fixes).
import { roleName } from "../../checks/iam/scope";
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change } from "../plan";
import { alsoRunByNotes, runningRevision } from "../secrets/running-revision";
import { COLLECTOR_IMAGE, COLLECTOR_NAME, collectorEdits, collectorNotes, XRAY_PERMISSION } from "./adot-collector";
import { permissionSteps } from "./role-permission";
import { DEPLOY_WRITES, ROLE_POLICY_WRITES } from "./writes";

const CHECK = "tracing-missing";

function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const revision = runningRevision(snapshot, verdict.resource);
  const title = "send the app's traces to X-Ray through an ADOT collector sidecar";
  if ("missing" in revision) return manualChange(CHECK, verdict.resource, title, [revision.missing]);
  const taskRole = revision.definition.taskRoleArn;
  if (!taskRole) {
    return manualChange(CHECK, verdict.resource, title, [
      `${verdict.resource} has no task role, and the collector sends traces with the task role's credentials: create ` +
        "a role trusted by ecs-tasks.amazonaws.com with the X-Ray write actions (or AWSXRayDaemonWriteAccess), set " +
        "it as the task role, and plan again",
    ]);
  }
  const permission = permissionSteps(snapshot, taskRole, XRAY_PERMISSION);
  return {
    check: CHECK,
    resource: verdict.resource,
    title: `${revision.family}: ${title}`,
    manual: false,
    steps: permission.steps,
    outcome:
      `${revision.family} runs ${COLLECTOR_NAME} (${COLLECTOR_IMAGE}) beside the app, which starts after it; the ` +
      `collector sends what the app traces to X-Ray with task role ${roleName(taskRole)}`,
    risk:
      "the service rolls its tasks in the shared deployment; the app containers wait for the collector to start, " +
      "so if its image cannot be pulled the new tasks do not start and the deployment stops there (the old tasks " +
      "keep serving). X-Ray charges per trace recorded and scanned",
    rollback: [
      "the service goes back to the previous revision, without the collector (the shared deployment's rollback)",
      ...(permission.steps.length > 0
        ? [`the inline policy ${XRAY_PERMISSION.policyName} is deleted from the task role`]
        : []),
    ],
    notes: [...collectorNotes(revision.definition), ...permission.notes, ...alsoRunByNotes(revision)],
    deploy: {
      cluster: revision.cluster,
      service: revision.service,
      base: revision.arn,
      edits: collectorEdits(revision.definition),
    },
    reads: [
      { kind: "service", name: revision.service },
      { kind: "task-definition", arn: revision.arn },
      ...permission.reads,
    ],
  };
}

export const fix: Fix = { id: CHECK, plan, writes: [...ROLE_POLICY_WRITES, ...DEPLOY_WRITES] };
