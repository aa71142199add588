// xray-daemon-eos: replace the X-Ray daemon sidecar, past its maintenance date, by the ADOT collector that
// tracing-missing adds. The collector listens on the daemon's UDP port 2000 too, so an app still on an X-Ray SDK
// keeps sending its segments unchanged.
import { tracingSidecar } from "../../checks/observability/telemetry-containers";
import { XRAY_END_OF_SUPPORT } from "../../checks/observability/xray-daemon-eos";
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change, TaskDefinitionEdit } from "../plan";
import { alsoRunByNotes, runningRevision } from "../secrets/running-revision";
import { COLLECTOR_NAME, collectorEdits, collectorNotes, XRAY_PERMISSION } from "./adot-collector";
import { permissionSteps } from "./role-permission";
import { DEPLOY_WRITES, ROLE_POLICY_WRITES } from "./writes";

const CHECK = "xray-daemon-eos";

function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const revision = runningRevision(snapshot, verdict.resource);
  const title = `replace the X-Ray daemon by an ADOT collector (${COLLECTOR_NAME})`;
  if ("missing" in revision) return manualChange(CHECK, verdict.resource, title, [revision.missing]);
  const daemons = revision.definition.containerDefinitions
    .filter((container) => tracingSidecar(container) === "xray-daemon")
    .map((container) => container.name ?? "");
  const edits: TaskDefinitionEdit[] = [
    ...daemons.map((name): TaskDefinitionEdit => ({ kind: "remove-container", container: name })),
    ...collectorEdits(revision.definition, daemons),
  ];
  const taskRole = revision.definition.taskRoleArn;
  // The daemon ran with the task role too: without one it sent nothing, and the collector would not either.
  const permission = taskRole ? permissionSteps(snapshot, taskRole, XRAY_PERMISSION) : undefined;
  return {
    check: CHECK,
    resource: verdict.resource,
    title: `${revision.family}: ${title}`,
    manual: false,
    steps: permission?.steps ?? [],
    outcome: `${revision.family} runs ${COLLECTOR_NAME} instead of ${daemons.join(", ")}; traces still reach X-Ray`,
    risk:
      "the service rolls its tasks in the shared deployment; the app containers wait for the collector to start, " +
      "so if its image cannot be pulled the new tasks do not start and the deployment stops there",
    rollback: [
      `the service goes back to the previous revision, with ${daemons.join(", ")} (the shared deployment's rollback)`,
      ...((permission?.steps.length ?? 0) > 0
        ? [`the inline policy ${XRAY_PERMISSION.policyName} is deleted from the task role`]
        : []),
    ],
    notes: [
      `the app's X-Ray SDK is in maintenance too and loses support on ${XRAY_END_OF_SUPPORT}: move the app to the ` +
        "OpenTelemetry SDK (OTLP to localhost:4317) while the collector keeps both working",
      "an app that names the daemon by address (AWS_XRAY_DAEMON_ADDRESS other than localhost or 127.0.0.1:2000) " +
        "must point at 127.0.0.1:2000 instead",
      ...(taskRole
        ? []
        : [`${verdict.resource} has no task role: neither the daemon nor the collector can send traces`]),
      ...collectorNotes(revision.definition),
      ...(permission?.notes ?? []),
      ...alsoRunByNotes(revision),
    ],
    deploy: { cluster: revision.cluster, service: revision.service, base: revision.arn, edits },
    reads: [
      { kind: "service", name: revision.service },
      { kind: "task-definition", arn: revision.arn },
      ...(permission?.reads ?? []),
    ],
  };
}

export const fix: Fix = { id: CHECK, plan, writes: [...ROLE_POLICY_WRITES, ...DEPLOY_WRITES] };
