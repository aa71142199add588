// untagged: a plan only. Which tags (owner, project, environment, cost centre) and their values are the
// organisation's to choose; the plan says where they go.
import { clusterLabel } from "../../checks/judge";
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change } from "../plan";
import { judgedRevision, referenceOf, serviceOf } from "./verdict-resource";

export const ID = "untagged";

function whereTagsGo(snapshot: Snapshot, resource: string): string[] {
  if (resource === clusterLabel(snapshot)) {
    const arn = snapshot.cluster.status === "known" ? snapshot.cluster.value.clusterArn : undefined;
    return [`tag the cluster: ecs TagResource on ${arn ?? "its ARN"}`];
  }
  const service = serviceOf(snapshot, resource);
  if (service) {
    return [
      `tag the service: ecs TagResource on ${service.service.serviceArn ?? "its ARN"}`,
      "set propagateTags to SERVICE (and enableECSManagedTags) on the service, so the tasks it starts carry the " +
        "tags too (from their next deployment)",
    ];
  }
  const judged = judgedRevision(snapshot, resource);
  return [
    `tag the task definition: ecs TagResource on ${judged?.arn ?? "its ARN"}, and pass the tags to ` +
      "RegisterTaskDefinition in the pipeline so every new revision carries them",
  ];
}

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  return manualChange(
    ID,
    verdict.resource,
    `tag ${verdict.resource} with the organisation's tags`,
    [
      "choose the tags with the account's owners: typically Owner, Project (or Application), Environment and " +
        "CostCenter, with the values of the organisation's tagging scheme (and its tag policies, if it has any)",
      ...whereTagsGo(snapshot, verdict.resource),
      "tags meant for cost allocation must also be activated in the Billing console",
    ],
    referenceOf(snapshot, verdict.resource),
  );
}

export const fix: Fix = { id: ID, plan, writes: [] };
