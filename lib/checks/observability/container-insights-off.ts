// container-insights-off: the cluster's containerInsights setting is disabled — or, when the cluster has no setting
// of its own, the account default is. `enabled` and `enhanced` both pass (DESIGN §4); enhanced adds the per-task
// and per-container metrics that show one hot task among healthy ones.
import type { Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { unknownVerdict } from "../judge";
import { ecsGuide, securityHub } from "../references";
import { clusterLabel } from "../runtime/scope";

export const meta: CheckMeta = {
  id: "container-insights-off",
  title: "Container Insights is off for the cluster",
  pillar: "observability",
  severity: "medium",
  why:
    "Without Container Insights ECS reports only the service's average CPU and memory: 50 % can hide one task at " +
    "99 % beside two at 25 %. Container Insights adds task counts, network and storage metrics; its enhanced mode " +
    "adds per-task and per-container metrics that point at the hot task.",
  references: [
    securityHub("ECS", 12),
    { label: "Seed talk, observability: metrics" },
    {
      label: "Container Insights with enhanced observability for Amazon ECS",
      url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/container-insights-detailed-metrics-ECS.html",
    },
    ecsGuide("Account settings", "ecs-account-settings.html"),
  ],
  fix: { id: "container-insights-off", manual: false },
  reads: ["ecs:DescribeClusters", "ecs:ListAccountSettings"],
};

function judgeValue(value: string, source: string): { status: "pass" | "fail"; detail: string } {
  if (value === "enhanced")
    return { status: "pass", detail: `enhanced (${source}): per-task and per-container metrics` };
  if (value === "enabled") {
    return { status: "pass", detail: `enabled (${source}); enhanced would add per-task and per-container metrics` };
  }
  return { status: "fail", detail: `${value} (${source}): only the service-wide averages are measured` };
}

export function run(snapshot: Snapshot): Verdict[] {
  const resource = clusterLabel(snapshot);
  if (snapshot.cluster.status === "unknown") return [unknownVerdict(resource, snapshot.cluster)];
  const own = snapshot.cluster.value.settings?.find((setting) => setting.name === "containerInsights")?.value;
  if (own) return [{ resource, ...judgeValue(own, "cluster setting") }];
  if (snapshot.accountSettings.status === "unknown") return [unknownVerdict(resource, snapshot.accountSettings)];
  const account = snapshot.accountSettings.value.containerInsights ?? "disabled";
  return [{ resource, ...judgeValue(account, "account default; the cluster has no setting") }];
}

export const check: Check = { meta, run };
