// datastore-sg-open: a data store's security group admits only the tasks' security group. For each address-range rule
// (CIDR or prefix list) the same protocol and ports are first admitted from the task groups, then the range is
// revoked. Which port the data store listens on is not in the snapshot (discovery reads no RDS API), so the tasks
// keep exactly the ports the range gave them: nothing they reach today is lost, and nobody else reaches it.
import { dataStoreGroupOpenings, dataStoreGroups, vpcRanges } from "../../checks/network/paths";
import { findGroup, type Group, groupLabel } from "../../checks/network/security-groups";
import type { Snapshot } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange } from "../fix";
import type { Change, ResourceRef, Step } from "../plan";
import {
  admits,
  authorizeStep,
  narrowingRollback,
  openingLabel,
  openingsOf,
  revokedLabels,
  revokeStep,
  ruleDescription,
  SECURITY_GROUP_WRITES,
  servicesWithGroup,
} from "./security-group-steps";

const ID = "datastore-sg-open";

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const missing = (what: string) =>
    manualChange(ID, verdict.resource, `${verdict.resource}: cannot plan the narrowing`, [what]);
  const stores = dataStoreGroups(snapshot);
  const groups = snapshot.securityGroups;
  if (stores.status === "unknown" || groups.status === "unknown") {
    return missing(
      "the data stores or the security groups could not be read: audit again with the missing permissions",
    );
  }
  const groupId = [...stores.value.keys()].find(
    (id) => groupLabel(findGroup(groups.value, id), id) === verdict.resource,
  );
  const group = groupId === undefined ? undefined : findGroup(groups.value, groupId);
  if (!group || groupId === undefined)
    return missing(`${verdict.resource} is not a data store's group in this snapshot`);
  const taskGroupIds = taskGroupsBeside(snapshot, group, groups.value);
  if (taskGroupIds.length === 0) {
    return missing(
      `no service of cluster ${snapshot.scope.cluster} has a security group in the VPC of ${verdict.resource}: ` +
        "there is no task group to admit instead of the address ranges. Admit the clients' security group by hand.",
    );
  }
  return narrowing(snapshot, verdict, group, taskGroupIds, groups.value);
}

function narrowing(
  snapshot: Snapshot,
  verdict: FailVerdict,
  group: Group,
  taskGroupIds: readonly string[],
  groups: readonly Group[],
): Change {
  const label = verdict.resource;
  const ranges = vpcRanges(snapshot);
  const openings = dataStoreGroupOpenings(group);
  const services = [...new Set(taskGroupIds.flatMap((id) => servicesWithGroup(snapshot, id)))];
  const taskLabels = taskGroupIds.map((id) => groupLabel(findGroup(groups, id), id));

  const description = ruleDescription(`from the tasks of ${services.join(", ")} (ecs-takeover)`);
  const authorize: Step[] = openingsOf(openings).flatMap((opening) =>
    taskGroupIds
      .filter((source) => !admits(group, opening, source))
      .map((source) => authorizeStep(ID, group, opening, source, description, groups, label)),
  );
  const revoke = openings.map((ingress) => revokeStep(ingress, groups, ranges, label));
  const { rules: removed, sources } = revokedLabels(openings, groups, ranges);
  const kept = openingsOf(openings).map((o) => openingLabel(o));

  return {
    check: ID,
    resource: label,
    title: `${label}: admit ${kept.join(", ")} only from ${taskLabels.join(", ")}`,
    manual: false,
    steps: [...authorize, ...revoke],
    outcome: `${label} admits ${kept.join(", ")} from ${taskLabels.join(", ")}; revoked: ${removed.join("; ")}`,
    risk:
      `anything else that connects to the data store from ${sources} loses access — a bastion host, a ` +
      "migration or batch job, a Lambda function, another cluster's tasks, an administrator over VPN; the tasks of " +
      `${services.join(", ")} keep it, their group is admitted before anything is revoked`,
    rollback: narrowingRollback(ID, removed, authorize.length, taskLabels.join(", ")),
    notes: [
      ...(taskGroupIds.length > 1
        ? [
            `every service's task group in the VPC is admitted (${taskLabels.join(", ")}): the snapshot cannot tell ` +
              "which services use this data store; remove the groups of those that do not",
          ]
        : []),
      ...openingsOf(openings)
        .filter((o) => o.protocol !== "tcp" || o.fromPort !== o.toPort)
        .map(
          (o) =>
            `the task group is given ${openingLabel(o)}, as ` +
            "the range had: narrow it to the data store's port (3306 MySQL, 5432 PostgreSQL, 6379 Redis) once you know it",
        ),
    ],
    reads: [
      { kind: "security-group", id: group.GroupId ?? "" },
      ...services.map((name): ResourceRef => ({ kind: "service", name })),
    ],
  };
}

/** The services' security groups in the same VPC as the data store's group (a rule cannot name a group elsewhere). */
function taskGroupsBeside(snapshot: Snapshot, group: Group, groups: readonly Group[]): string[] {
  if (snapshot.services.status === "unknown") return [];
  const ids = snapshot.services.value.flatMap(
    ({ service }) => service.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? [],
  );
  return [...new Set(ids)].filter((id) => {
    const vpc = findGroup(groups, id)?.VpcId;
    return id !== group.GroupId && (vpc === undefined || group.VpcId === undefined || vpc === group.VpcId);
  });
}

export const fix: Fix = { id: ID, plan, writes: SECURITY_GROUP_WRITES };
