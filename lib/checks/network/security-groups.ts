// Security groups as the network checks read them: each inbound permission split into one entry per source, named
// as people name groups (`sg-ECSTask (sg-0abc…)`: the Name tag, else the group name, then the id).

import type { SecurityGroup } from "@aws-sdk/client-ec2";
import type { Plain } from "../../inventory/snapshot";

export type Group = Plain<SecurityGroup>;

/** Where inbound traffic may come from. */
export type Source =
  | { readonly kind: "cidr"; readonly cidr: string }
  | { readonly kind: "prefix-list"; readonly id: string }
  | { readonly kind: "group"; readonly groupId: string };

/** One inbound permission for one source. */
export interface Ingress {
  readonly groupId: string;
  /** "-1" (all traffic), "tcp", "udp", "icmp", … */
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly source: Source;
}

export const SECURITY_GROUP_READS = ["ec2:DescribeSecurityGroups"];

export function findGroup(groups: readonly Group[], groupId: string): Group | undefined {
  return groups.find((group) => group.GroupId === groupId);
}

/** `sg-ECSTask (sg-0abc…)`, or the id alone when the group was not read or has no name. */
export function groupLabel(group: Group | undefined, groupId?: string): string {
  const id = group?.GroupId ?? groupId ?? "(unknown group)";
  const name = group?.Tags?.find((tag) => tag.Key === "Name")?.Value || group?.GroupName;
  return name ? `${name} (${id})` : id;
}

/** The group's inbound permissions, one entry per source. */
export function ingressOf(group: Group): Ingress[] {
  const groupId = group.GroupId ?? "";
  return (group.IpPermissions ?? []).flatMap((permission) => {
    const protocol = normalizeProtocol(permission.IpProtocol);
    const ports =
      protocol === "-1" || permission.FromPort === undefined || permission.FromPort === -1
        ? {}
        : { fromPort: permission.FromPort, toPort: permission.ToPort ?? permission.FromPort };
    const entry = (source: Source): Ingress => ({ groupId, protocol, ...ports, source });
    return [
      ...(permission.IpRanges ?? []).flatMap((r) => (r.CidrIp ? [entry({ kind: "cidr", cidr: r.CidrIp })] : [])),
      ...(permission.Ipv6Ranges ?? []).flatMap((r) => (r.CidrIpv6 ? [entry({ kind: "cidr", cidr: r.CidrIpv6 })] : [])),
      ...(permission.PrefixListIds ?? []).flatMap((r) =>
        r.PrefixListId ? [entry({ kind: "prefix-list", id: r.PrefixListId })] : [],
      ),
      ...(permission.UserIdGroupPairs ?? []).flatMap((pair) =>
        pair.GroupId ? [entry({ kind: "group", groupId: pair.GroupId })] : [],
      ),
    ];
  });
}

/** Whether the entry admits TCP traffic to the port. */
export function coversPort(ingress: Ingress, port: number): boolean {
  if (ingress.protocol === "-1") return true;
  if (ingress.protocol !== "tcp") return false;
  if (ingress.fromPort === undefined) return true;
  return ingress.fromPort <= port && port <= (ingress.toPort ?? ingress.fromPort);
}

/** Whether the source is a range of addresses (a CIDR or a prefix list) rather than another security group. */
export function isAddressRange(source: Source): boolean {
  return source.kind !== "group";
}

/** 0.0.0.0/0 or ::/0: anyone on the internet. */
export function isWorld(source: Source): boolean {
  return source.kind === "cidr" && (source.cidr === "0.0.0.0/0" || source.cidr === "::/0");
}

/** `port 80`, `ports 1024-65535`, `all traffic`, `udp port 53`. */
export function portsLabel(ingress: Ingress): string {
  if (ingress.protocol === "-1") return "all traffic";
  const prefix = ingress.protocol === "tcp" ? "" : `${ingress.protocol} `;
  if (ingress.fromPort === undefined) return `${prefix}all ports`.trim();
  if (ingress.fromPort === ingress.toPort) return `${prefix}port ${ingress.fromPort}`;
  if (ingress.fromPort === 0 && ingress.toPort === 65535) return `${prefix}all ports`;
  return `${prefix}ports ${ingress.fromPort}-${ingress.toPort}`;
}

/** What a CIDR, prefix list or group is, in words: `10.0.0.0/16 (the whole VPC my-vpc)`, `sg-ALB (sg-…)`. */
export function sourceLabel(source: Source, groups: readonly Group[], vpcs: readonly VpcRange[] = []): string {
  switch (source.kind) {
    case "group":
      return groupLabel(findGroup(groups, source.groupId), source.groupId);
    case "prefix-list":
      return `prefix list ${source.id}`;
    case "cidr": {
      if (isWorld(source)) return `${source.cidr} (anywhere on the internet)`;
      const vpc = vpcs.find((v) => v.cidr === source.cidr);
      return vpc ? `${source.cidr} (the whole VPC${vpc.name ? ` ${vpc.name}` : ""})` : source.cidr;
    }
  }
}

/** A VPC's address range, for naming a CIDR that is the whole VPC. */
export interface VpcRange {
  readonly cidr: string;
  readonly name?: string;
}

const PROTOCOL_NAMES: Readonly<Record<string, string>> = { "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };

/** EC2 names the protocols it knows, and all traffic "-1". */
function normalizeProtocol(protocol: string | undefined): string {
  const p = (protocol ?? "-1").toLowerCase();
  if (p === "all") return "-1";
  return PROTOCOL_NAMES[p] ?? p;
}
