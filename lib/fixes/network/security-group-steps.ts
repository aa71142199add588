// Steps that narrow a security group to another group: the group-to-group rule is added first and the address-range
// rules revoked after it, so what should keep access never loses it in between. Added rules carry the fix's id in
// the `ecs-takeover:change` tag, so that apply (and a rerun after a crash) can tell them from rules people made.
import {
  type Group,
  type Ingress,
  ingressOf,
  portsLabel,
  sourceLabel,
  type VpcRange,
} from "../../checks/network/security-groups";
import type { Snapshot } from "../../inventory/snapshot";
import { step } from "../fix";
import type { Json, ResourceRef, Step } from "../plan";
import { CHANGE_TAG } from "../task-definition";

/** What the two security-group fixes may call, their rollback included. */
export const SECURITY_GROUP_WRITES = [
  "ec2:AuthorizeSecurityGroupIngress",
  "ec2:CreateTags",
  "ec2:RevokeSecurityGroupIngress",
] as const;

/** A port range and protocol to admit from a source group. */
export interface Opening {
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
}

/** `port 3306`, `all traffic`, as the checks say it. */
export function openingLabel(opening: Opening): string {
  return portsLabel({ groupId: "", ...opening, source: { kind: "cidr", cidr: "" } });
}

/** `tcp:80`, `tcp:1024-65535`, `all`: the part of a step id that names the ports. */
function portsId(opening: Opening): string {
  if (opening.protocol === "-1") return "all";
  if (opening.fromPort === undefined) return `${opening.protocol}:all`;
  return opening.fromPort === opening.toPort
    ? `${opening.protocol}:${opening.fromPort}`
    : `${opening.protocol}:${opening.fromPort}-${opening.toPort}`;
}

function sourceId(ingress: Ingress): string {
  const source = ingress.source;
  return source.kind === "cidr" ? source.cidr : source.kind === "group" ? source.groupId : source.id;
}

/** One inbound entry as the IpPermission the EC2 API takes (one source). */
export function permissionOf(ingress: Ingress, description?: string): { [key: string]: Json } {
  const described: { [key: string]: Json } = description === undefined ? {} : { Description: description };
  const source = ingress.source;
  return {
    IpProtocol: ingress.protocol,
    ...(ingress.protocol === "-1" ? {} : { FromPort: ingress.fromPort ?? -1, ToPort: ingress.toPort ?? -1 }),
    ...(source.kind === "cidr" && source.cidr.includes(":")
      ? { Ipv6Ranges: [{ CidrIpv6: source.cidr, ...described }] }
      : {}),
    ...(source.kind === "cidr" && !source.cidr.includes(":")
      ? { IpRanges: [{ CidrIp: source.cidr, ...described }] }
      : {}),
    ...(source.kind === "prefix-list" ? { PrefixListIds: [{ PrefixListId: source.id, ...described }] } : {}),
    ...(source.kind === "group" ? { UserIdGroupPairs: [{ GroupId: source.groupId, ...described }] } : {}),
  };
}

/** Whether the group already admits exactly these ports from the source group. */
export function admits(group: Group, opening: Opening, sourceGroupId: string): boolean {
  return ingressOf(group).some(
    (ingress) =>
      ingress.source.kind === "group" &&
      ingress.source.groupId === sourceGroupId &&
      ingress.protocol === opening.protocol &&
      ingress.fromPort === opening.fromPort &&
      ingress.toPort === opening.toPort,
  );
}

/** Adds `opening` from `sourceGroupId` to `group`, tagged with the fix that added it. */
export function authorizeStep(
  fixId: string,
  group: Group,
  opening: Opening,
  sourceGroupId: string,
  description: string,
  groups: readonly Group[],
  label: string,
): Step {
  const groupId = group.GroupId ?? "";
  const ingress: Ingress = { groupId, ...opening, source: { kind: "group", groupId: sourceGroupId } };
  return step(
    `ec2:AuthorizeSecurityGroupIngress:${groupId}/${portsId(opening)}:${sourceGroupId}`,
    `${label}: allow ${portsLabel(ingress)} from ${sourceLabel(ingress.source, groups)}`,
    {
      service: "ec2",
      action: "AuthorizeSecurityGroupIngress",
      input: {
        GroupId: groupId,
        IpPermissions: [permissionOf(ingress, description)],
        TagSpecifications: [{ ResourceType: "security-group-rule", Tags: [{ Key: CHANGE_TAG, Value: fixId }] }],
      },
    },
    changesOf(groupId),
  );
}

/** Revokes one address-range entry; apply records the rule first so that rollback adds exactly it back. */
export function revokeStep(
  ingress: Ingress,
  groups: readonly Group[],
  ranges: readonly VpcRange[],
  label: string,
): Step {
  return step(
    `ec2:RevokeSecurityGroupIngress:${ingress.groupId}/${portsId(ingress)}:${sourceId(ingress)}`,
    `${label}: revoke ${portsLabel(ingress)} from ${sourceLabel(ingress.source, groups, ranges)}`,
    {
      service: "ec2",
      action: "RevokeSecurityGroupIngress",
      input: { GroupId: ingress.groupId, IpPermissions: [permissionOf(ingress)] },
    },
    changesOf(ingress.groupId),
  );
}

function changesOf(groupId: string): ResourceRef {
  return { kind: "security-group", id: groupId };
}

/** The revoked entries in words (`port 80 from 10.0.0.0/16 (the whole VPC my-vpc)`) and their sources alone. */
export function revokedLabels(
  openings: readonly Ingress[],
  groups: readonly Group[],
  ranges: readonly VpcRange[],
): { readonly rules: string[]; readonly sources: string } {
  const source = (o: Ingress) => sourceLabel(o.source, groups, ranges);
  return {
    rules: openings.map((o) => `${portsLabel(o)} from ${source(o)}`),
    sources: [...new Set(openings.map(source))].join(", "),
  };
}

/** How a narrowing is undone, in words (apply journals the exact calls). */
export function narrowingRollback(fixId: string, revoked: readonly string[], added: number, from: string): string[] {
  const many = revoked.length > 1;
  return [
    `add back the revoked rule${many ? "s" : ""} exactly as the journal recorded ${many ? "them" : "it"}, ` +
      `description and tags included: ${revoked.join("; ")}`,
    ...(added > 0
      ? [`revoke the rule${added > 1 ? "s" : ""} this plan added from ${from} (tagged ${CHANGE_TAG}=${fixId})`]
      : []),
  ];
}

/** The distinct protocol and port ranges of some entries, in their order. */
export function openingsOf(entries: readonly Ingress[]): Opening[] {
  const seen = new Map<string, Opening>();
  for (const entry of entries) {
    const opening: Opening = {
      protocol: entry.protocol,
      ...(entry.fromPort === undefined ? {} : { fromPort: entry.fromPort, toPort: entry.toPort ?? entry.fromPort }),
    };
    seen.set(portsId(opening), seen.get(portsId(opening)) ?? opening);
  }
  return [...seen.values()];
}

/** The services whose tasks have the security group, by name. */
export function servicesWithGroup(snapshot: Snapshot, groupId: string): string[] {
  if (snapshot.services.status === "unknown") return [];
  return snapshot.services.value.flatMap(({ service }) =>
    (service.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? []).includes(groupId) && service.serviceName
      ? [service.serviceName]
      : [],
  );
}

/** Text for a rule's Description: EC2 allows only a-z A-Z 0-9 space and ._-:/()#,@[]+=&;{}!$* there. */
export function ruleDescription(text: string): string {
  return text.replace(/[^a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g, "").slice(0, 255);
}
