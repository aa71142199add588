// untagged: the cluster, a service or a task definition has no tags (system tags, `aws:…`, and this tool's own
// bookkeeping tags, `ecs-takeover:…`, do not count), as
// Security Hub ECS.13/14/15 judge without required keys.
import type { Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { unknownVerdict } from "../judge";
import { ecsGuide, securityHub } from "../references";
import { clusterLabel, eachService, eachTaskDefinition, type Judgement, TASK_DEFINITION_READS } from "./scope";

export const meta: CheckMeta = {
  id: "untagged",
  title: "A cluster, service or task definition has no tags",
  pillar: "runtime",
  severity: "low",
  why:
    "Tags say who owns a resource, what it belongs to and what it costs; untagged resources are the ones nobody " +
    "can account for at the next handover, and tag-based access control cannot cover them.",
  references: [
    securityHub("ECS", 13),
    securityHub("ECS", 14),
    securityHub("ECS", 15),
    ecsGuide("Tagging your Amazon ECS resources", "ecs-using-tags.html"),
  ],
  // Which tags (owner, project, environment) and their values are the organisation's to choose.
  fix: { id: "untagged", manual: true },
  reads: [...TASK_DEFINITION_READS, "ecs:DescribeClusters", "ecs:ListTagsForResource"],
};

function judgeTags(tags: readonly { key?: string }[] | undefined): Judgement {
  const keys = (tags ?? [])
    .map((tag) => tag.key ?? "")
    .filter((key) => key !== "" && !key.startsWith("aws:") && !key.startsWith("ecs-takeover:"));
  return keys.length > 0
    ? { status: "pass", detail: `tagged ${keys.join(", ")}` }
    : { status: "fail", detail: "no tags" };
}

export function run(snapshot: Snapshot): Verdict[] {
  const cluster: Verdict =
    snapshot.cluster.status === "unknown"
      ? unknownVerdict(clusterLabel(snapshot), snapshot.cluster)
      : { ...judgeTags(snapshot.cluster.value.tags), resource: clusterLabel(snapshot) };
  const services = eachService(snapshot, (service) => judgeTags(service.service.tags));
  // When the services are unknown, eachService already said so for the cluster's scope: say it once.
  const definitions =
    snapshot.services.status === "unknown" ? [] : eachTaskDefinition(snapshot, (d) => judgeTags(d.tags));
  return [cluster, ...services, ...definitions];
}

export const check: Check = { meta, run };
