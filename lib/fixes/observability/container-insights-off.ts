// container-insights-off: turn Container Insights on for the cluster, in its enhanced mode — the per-task and
// per-container metrics that show the one hot task an average hides (DESIGN §1, metrics).
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, step } from "../fix";
import type { Change, ResourceRef } from "../plan";

const SETTING = "containerInsights";
const LEVEL = "enhanced";

function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const cluster =
    snapshot.cluster.status === "known"
      ? (snapshot.cluster.value.clusterName ?? snapshot.scope.cluster)
      : snapshot.scope.cluster;
  const own =
    snapshot.cluster.status === "known"
      ? snapshot.cluster.value.settings?.find((setting) => setting.name === SETTING)?.value
      : undefined;
  // Without a setting of its own the cluster follows the account default: the verdict read it, so the plan does too.
  const reads: ResourceRef[] =
    own === undefined ? [{ kind: "cluster" }, { kind: "account-settings" }] : [{ kind: "cluster" }];
  const accountDefault =
    snapshot.accountSettings.status === "known" ? (snapshot.accountSettings.value[SETTING] ?? "disabled") : "disabled";
  const before = own ?? `${accountDefault} (the account default: the cluster had no setting of its own)`;
  return {
    check: "container-insights-off",
    resource: verdict.resource,
    title: `turn on Container Insights (${LEVEL}) for cluster ${cluster}`,
    manual: false,
    steps: [
      step(
        `ecs:UpdateClusterSettings:${cluster}/${SETTING}`,
        `cluster ${cluster}: ${SETTING} ${LEVEL}`,
        {
          service: "ecs",
          action: "UpdateClusterSettings",
          input: { cluster, settings: [{ name: SETTING, value: LEVEL }] },
        },
        { kind: "cluster" },
      ),
    ],
    outcome:
      `cluster ${cluster} reports Container Insights metrics (ECS/ContainerInsights) per cluster, service, task and ` +
      "container from now on, with performance events in /aws/ecs/containerinsights/" +
      `${cluster}/performance`,
    risk:
      "running tasks are not touched; CloudWatch charges for the metrics (enhanced mode: per task and per container, " +
      "so the bill grows with the number of tasks) and for the performance log events",
    rollback: [`set ${SETTING} of cluster ${cluster} back to ${own ?? accountDefault}`],
    notes: [
      `${SETTING} was ${before}; enhanced is what shows a hot task (TaskId and ContainerName dimensions), enabled only ` +
        "cluster and service aggregates",
      "metrics start from the change: there is no per-task history before it",
    ],
    reads,
  };
}

export const fix: Fix = { id: "container-insights-off", plan, writes: ["ecs:UpdateClusterSettings"] };
