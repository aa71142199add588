// logging-blocking: deliver awslogs in non-blocking mode, so a slow CloudWatch Logs can no longer stall the app's
// writes to stdout and stderr (and with them requests and health checks). The containers keep their group, region and
// stream prefix; the change comes with the service's next deployment.
import { AWS_DEFAULT_LOG_MODE } from "../../checks/observability/logging-blocking";
import type { Snapshot, SnapshotContainer } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change, Json, ResourceRef, TaskDefinitionEdit } from "../plan";
import { alsoRunByNotes, runningRevision } from "../secrets/running-revision";
import { NON_BLOCKING } from "./log-group";
import { DEPLOY_WRITES } from "./writes";

const CHECK = "logging-blocking";

/** Whether the container delivers its awslogs in blocking mode, as the check judges it. */
function blocks(container: SnapshotContainer, accountDefault: string | undefined): boolean {
  if (container.logConfiguration?.logDriver !== "awslogs") return false;
  const mode = container.logConfiguration.options?.mode;
  return mode === "blocking" || (mode === undefined && (accountDefault ?? AWS_DEFAULT_LOG_MODE) === "blocking");
}

function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const revision = runningRevision(snapshot, verdict.resource);
  const title = "deliver awslogs without blocking the app";
  if ("missing" in revision) return manualChange(CHECK, verdict.resource, title, [revision.missing]);
  const settings = snapshot.accountSettings;
  const accountDefault = settings.status === "known" ? settings.value.defaultLogDriverMode : undefined;
  const blocking = revision.definition.containerDefinitions.filter((container) => blocks(container, accountDefault));
  const edits = blocking.map((container): TaskDefinitionEdit => {
    const configuration = container.logConfiguration as NonNullable<SnapshotContainer["logConfiguration"]>;
    return {
      kind: "log-configuration",
      container: container.name ?? "",
      logConfiguration: {
        ...(JSON.parse(JSON.stringify(configuration)) as { [key: string]: Json }),
        options: { ...configuration.options, ...NON_BLOCKING },
      },
    };
  });
  const reliesOnDefault = blocking.some((container) => container.logConfiguration?.options?.mode === undefined);
  const reads: ResourceRef[] = [
    { kind: "service", name: revision.service },
    { kind: "task-definition", arn: revision.arn },
    ...(reliesOnDefault ? [{ kind: "account-settings" } as const] : []),
  ];
  const names = blocking.map((container) => container.name ?? "(unnamed)").join(", ");
  return {
    check: CHECK,
    resource: verdict.resource,
    title: `${revision.family}: ${title} (${names})`,
    manual: false,
    steps: [],
    outcome: `${names} of ${revision.family} deliver awslogs in non-blocking mode with a 25 MB buffer`,
    risk:
      "the service rolls its tasks in the shared deployment; when CloudWatch Logs cannot keep up and the buffer is " +
      "full, log lines are dropped instead of the app waiting",
    rollback: ["the service goes back to the previous revision, in blocking mode (the shared deployment's rollback)"],
    notes: [
      ...(reliesOnDefault
        ? [
            "the account's defaultLogDriverMode is blocking: other task definitions that set no mode block too; " +
              "PutAccountSetting defaultLogDriverMode non-blocking changes the default for the whole account",
          ]
        : []),
      ...alsoRunByNotes(revision),
    ],
    deploy: { cluster: revision.cluster, service: revision.service, base: revision.arn, edits },
    reads,
  };
}

export const fix: Fix = { id: CHECK, plan, writes: DEPLOY_WRITES };
