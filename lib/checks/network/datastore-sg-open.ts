// datastore-sg-open: the security group of a data store the tasks can reach (found by discovery from the network
// interfaces of managed databases and caches) admits an address range — a CIDR or a prefix list, on any port —
// instead of only security groups, ideally only the tasks' own. The last hop of ALB → tasks → data stores.
import type { DataStore, Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { unknownVerdict } from "../judge";
import { awsDoc, seedTalk } from "../references";
import { dataStoreGroupOpenings, dataStoreGroups, vpcRanges } from "./paths";
import {
  findGroup,
  type Group,
  groupLabel,
  ingressOf,
  portsLabel,
  SECURITY_GROUP_READS,
  sourceLabel,
} from "./security-groups";

export const meta: CheckMeta = {
  id: "datastore-sg-open",
  title: "A data store admits an address range, not only the tasks' security group",
  pillar: "network",
  severity: "high",
  why:
    "The database's security group lets a whole address range (often the whole VPC) connect to it, so anything " +
    "that lands there can try its password; only the security group of the tasks that use it should be allowed in.",
  references: [
    seedTalk(1, "security groups (the DB SG admits only the task SG)"),
    awsDoc(
      "Controlling access to an RDS DB instance with security groups",
      "AmazonRDS/latest/UserGuide/Overview.RDSSecurityGroups.html",
    ),
  ],
  fix: { id: "datastore-sg-open", manual: false },
  reads: ["ec2:DescribeNetworkInterfaces", ...SECURITY_GROUP_READS, "ecs:ListServices", "ecs:DescribeServices"],
};

export function run(snapshot: Snapshot): Verdict[] {
  const stores = dataStoreGroups(snapshot);
  if (stores.status === "unknown") return [unknownVerdict(`data stores of cluster ${snapshot.scope.cluster}`, stores)];
  const groups = snapshot.securityGroups;
  const groupIds = [...stores.value.keys()];
  if (groups.status === "unknown") return groupIds.map((id) => unknownVerdict(groupLabel(undefined, id), groups));
  return groupIds.map((groupId) => judge(snapshot, groupId, stores.value.get(groupId) ?? [], groups.value));
}

function judge(snapshot: Snapshot, groupId: string, stores: readonly DataStore[], groups: readonly Group[]): Verdict {
  const group = findGroup(groups, groupId);
  const resource = groupLabel(group, groupId);
  if (!group) {
    return unknownVerdict(resource, {
      status: "unknown",
      error: "NotRead",
      message: `security group ${groupId} was not read`,
    });
  }
  const what = storeLabel(stores);
  const openings = dataStoreGroupOpenings(group);
  if (openings.length === 0) {
    const sources = [...new Set(ingressOf(group).map((ingress) => sourceLabel(ingress.source, groups)))];
    return {
      status: "pass",
      resource,
      detail: `${what} admits only ${sources.length > 0 ? sources.join(", ") : "nothing"}`,
    };
  }
  const ranges = vpcRanges(snapshot);
  const open = openings.map((o) => `${portsLabel(o)} from ${sourceLabel(o.source, groups, ranges)}`);
  return {
    status: "fail",
    resource,
    detail:
      `${what} admits ${open.join("; ")}: anything there can connect to it, not only the tasks; ` +
      `admit it only from ${taskGroupsLabel(snapshot, groups)}`,
  };
}

/** `the amazon-rds data store (RDSNetworkInterface)`. */
function storeLabel(stores: readonly DataStore[]): string {
  const kinds = [
    ...new Set(stores.map((store) => `${store.kind}${store.description ? ` (${store.description})` : ""}`)),
  ];
  return `the ${kinds.join(", ")} data store${stores.length > 1 ? "s" : ""}`;
}

/** The tasks' security groups, named, or a description when they are unknown. */
function taskGroupsLabel(snapshot: Snapshot, groups: readonly Group[]): string {
  const services = snapshot.services.status === "known" ? snapshot.services.value : [];
  const ids = [
    ...new Set(services.flatMap((s) => s.service.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? [])),
  ];
  if (ids.length === 0) return "the security group of the tasks that use it";
  return ids.map((id) => groupLabel(findGroup(groups, id), id)).join(", ");
}

export const check: Check = { meta, run };
