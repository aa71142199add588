// EC2 reads: the subnets the services and load balancers use, their VPCs and route tables (public = a default
// route to an internet gateway), the tasks' network interfaces, the data stores found from managed services'
// network interfaces in the same VPCs (no RDS API), and the security groups of all of them with their rules.
import {
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type NetworkInterface,
  type RouteTable,
  type SecurityGroup,
  type SecurityGroupRule,
} from "@aws-sdk/client-ec2";
import { known } from "../aws/known";
import { chunks } from "../aws/limit";
import { unique } from "./ecs";
import { plain } from "./plain";
import type { Reader } from "./reader";
import type { DataStore, Known, Plain, SnapshotNetwork } from "./snapshot";

/** Requesters of network interfaces that managed data stores put in a customer's VPC. */
export const DATA_STORE_REQUESTERS = [
  "amazon-rds",
  "amazon-elasticache",
  "amazon-redshift",
  "amazon-docdb",
  "amazon-neptune",
  "amazon-memorydb",
  "amazon-elasticsearch",
  "amazon-opensearch",
];
/** EC2 filters take at most 200 values each. */
const FILTER_VALUES = 200;
const EC2_PAGE = 1000;

export async function readNetwork(reader: Reader, subnetIds: readonly string[]): Promise<Known<SnapshotNetwork>> {
  if (subnetIds.length === 0) return { status: "known", value: { vpcs: [], subnets: [], routeTables: [] } };
  return known("ec2:DescribeSubnets", async () => {
    const subnetPages = await Promise.all(
      chunks(unique(subnetIds), FILTER_VALUES).map((ids) =>
        reader.aws.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "subnet-id", Values: ids }] })),
      ),
    );
    const subnets = subnetPages.flatMap((page) => page.Subnets ?? []);
    const vpcIds = unique(subnets.map((s) => s.VpcId).filter((id): id is string => !!id));
    const [vpcs, routeTables] = await Promise.all([
      reader.aws.ec2
        .send(new DescribeVpcsCommand({ Filters: [{ Name: "vpc-id", Values: vpcIds }] }))
        .then((out) => out.Vpcs ?? []),
      readRouteTables(reader, vpcIds),
    ]);
    return {
      vpcs: vpcs.map((v) => plain(v)),
      subnets: subnets.map((s) => ({ ...plain(s), public: isPublic(s.SubnetId, s.VpcId, routeTables) })),
      routeTables: routeTables.map((r) => plain(r)),
    };
  });
}

async function readRouteTables(reader: Reader, vpcIds: readonly string[]): Promise<RouteTable[]> {
  if (vpcIds.length === 0) return [];
  const tables: RouteTable[] = [];
  let NextToken: string | undefined;
  do {
    const out = await reader.aws.ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [{ Name: "vpc-id", Values: [...vpcIds] }],
        MaxResults: 100,
        NextToken,
      }),
    );
    tables.push(...(out.RouteTables ?? []));
    NextToken = out.NextToken;
  } while (NextToken);
  return tables;
}

/** A subnet is public when its route table (explicit, else the VPC's main one) sends 0.0.0.0/0 or ::/0 to an igw-. */
export function isPublic(
  subnetId: string | undefined,
  vpcId: string | undefined,
  tables: readonly RouteTable[],
): boolean {
  const explicit = tables.find((t) => (t.Associations ?? []).some((a) => a.SubnetId === subnetId));
  const table = explicit ?? tables.find((t) => t.VpcId === vpcId && (t.Associations ?? []).some((a) => a.Main));
  return (table?.Routes ?? []).some(
    (r) =>
      (r.DestinationCidrBlock === "0.0.0.0/0" || r.DestinationIpv6CidrBlock === "::/0") &&
      (r.GatewayId ?? "").startsWith("igw-"),
  );
}

export function readNetworkInterfaces(reader: Reader, ids: readonly string[]): Promise<Known<NetworkInterface[]>> {
  return known("ec2:DescribeNetworkInterfaces", async () => {
    const pages = await Promise.all(
      chunks(unique(ids), FILTER_VALUES).map((batch) =>
        reader.aws.ec2.send(
          new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "network-interface-id", Values: batch }] }),
        ),
      ),
    );
    return pages.flatMap((page) => page.NetworkInterfaces ?? []);
  });
}

/** Network interfaces of managed data stores in the VPCs, grouped into stores by requester, description and SGs. */
export function readDataStores(
  reader: Reader,
  vpcIds: readonly string[],
): Promise<Known<{ stores: DataStore[]; interfaces: NetworkInterface[] }>> {
  return known("ec2:DescribeNetworkInterfaces", async () => {
    if (vpcIds.length === 0) return { stores: [], interfaces: [] };
    const interfaces: NetworkInterface[] = [];
    let NextToken: string | undefined;
    do {
      const out = await reader.aws.ec2.send(
        new DescribeNetworkInterfacesCommand({
          Filters: [
            { Name: "vpc-id", Values: [...vpcIds] },
            { Name: "requester-id", Values: DATA_STORE_REQUESTERS },
          ],
          MaxResults: EC2_PAGE,
          NextToken,
        }),
      );
      interfaces.push(...(out.NetworkInterfaces ?? []));
      NextToken = out.NextToken;
    } while (NextToken);
    return { stores: groupDataStores(interfaces), interfaces };
  });
}

export function groupDataStores(interfaces: readonly NetworkInterface[]): DataStore[] {
  const stores = new Map<string, DataStore>();
  for (const eni of interfaces) {
    const kind = eni.RequesterId ?? "unknown";
    const description = eni.Description ?? "";
    const groups = (eni.Groups ?? [])
      .map((g) => g.GroupId)
      .filter((id): id is string => !!id)
      .sort();
    const key = `${kind}|${description}|${groups.join(",")}`;
    const store = stores.get(key) ?? {
      kind,
      description,
      networkInterfaceIds: [],
      securityGroupIds: groups,
      subnetIds: [],
    };
    if (eni.NetworkInterfaceId) store.networkInterfaceIds.push(eni.NetworkInterfaceId);
    if (eni.SubnetId && !store.subnetIds.includes(eni.SubnetId)) store.subnetIds.push(eni.SubnetId);
    stores.set(key, store);
  }
  return [...stores.values()];
}

export async function readSecurityGroups(
  reader: Reader,
  groupIds: readonly string[],
): Promise<{ groups: Known<Plain<SecurityGroup>[]>; rules: Known<Plain<SecurityGroupRule>[]> }> {
  const ids = unique(groupIds).sort();
  if (ids.length === 0) return { groups: { status: "known", value: [] }, rules: { status: "known", value: [] } };
  const [groups, rules] = await Promise.all([
    known("ec2:DescribeSecurityGroups", async () => {
      const pages = await Promise.all(
        chunks(ids, FILTER_VALUES).map((batch) =>
          reader.aws.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-id", Values: batch }] })),
        ),
      );
      return pages.flatMap((page) => page.SecurityGroups ?? []).map((g) => plain(g));
    }),
    known("ec2:DescribeSecurityGroupRules", async () => {
      const lists = await Promise.all(
        chunks(ids, FILTER_VALUES).map(async (batch) => {
          const rules: SecurityGroupRule[] = [];
          let NextToken: string | undefined;
          do {
            const out = await reader.aws.ec2.send(
              new DescribeSecurityGroupRulesCommand({
                Filters: [{ Name: "group-id", Values: batch }],
                MaxResults: EC2_PAGE,
                NextToken,
              }),
            );
            rules.push(...(out.SecurityGroupRules ?? []));
            NextToken = out.NextToken;
          } while (NextToken);
          return rules;
        }),
      );
      return lists.flat().map((r) => plain(r));
    }),
  ]);
  return { groups, rules };
}
