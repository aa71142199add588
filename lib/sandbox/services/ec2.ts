// EC2 as the sandbox serves it: VPCs, subnets, route tables, security groups and their rules, network interfaces
// and VPC endpoints, kept in the SDK's own shapes. Handlers are a table of operation → function over that state;
// the scenario builders below are what handlers and scenarios both use to add resources.
import type {
  AuthorizeSecurityGroupEgressRequest,
  AuthorizeSecurityGroupEgressResult,
  AuthorizeSecurityGroupIngressRequest,
  AuthorizeSecurityGroupIngressResult,
  DescribeNetworkInterfacesRequest,
  DescribeNetworkInterfacesResult,
  DescribeRouteTablesRequest,
  DescribeRouteTablesResult,
  DescribeSecurityGroupRulesRequest,
  DescribeSecurityGroupRulesResult,
  DescribeSecurityGroupsRequest,
  DescribeSecurityGroupsResult,
  DescribeSubnetsRequest,
  DescribeSubnetsResult,
  DescribeVpcEndpointsRequest,
  DescribeVpcEndpointsResult,
  DescribeVpcsRequest,
  DescribeVpcsResult,
  Filter,
  NetworkInterface,
  NetworkInterfaceAttachment,
  RevokeSecurityGroupEgressRequest,
  RevokeSecurityGroupEgressResult,
  RevokeSecurityGroupIngressRequest,
  RevokeSecurityGroupIngressResult,
  Route,
  RouteTable,
  SecurityGroup,
  SecurityGroupRule,
  State,
  Subnet,
  Tag,
  Vpc,
  VpcEndpoint,
  VpcEndpointType,
} from "@aws-sdk/client-ec2";
import { AwsError, type Handler, type RequestContext, type ServiceDefinition } from "../service";
import type { SandboxState } from "../state";
import {
  applyFilters,
  dryRun,
  type FilterTable,
  findById,
  ID_KINDS,
  type IdKind,
  newId,
  type PageLimits,
  paginate,
  refuseIdsWithMaxResults,
  selectByIds,
} from "./ec2-query";
import {
  authorizeRules,
  describeGroup,
  type IdSource,
  permissionOf,
  type RuleSpec,
  requestedPermissions,
  resolveGroup,
  revokeRules,
  rulesByGroup,
} from "./ec2-security-groups";

export type { IdSource, RuleSpec } from "./ec2-security-groups";

/**
 * Resources are kept in the SDK's own shapes (Dates included; persistence handles them). Network interfaces are
 * shared: ECS creates and deletes the ENIs of its tasks here, RDS-like data stores have theirs seeded by scenarios.
 * Security groups are stored without IpPermissions: their rules (`securityGroupRules`, one per source, each with
 * its sgr- id) are the only copy, grouped into IpPermissions when described.
 */
export interface Ec2State {
  vpcs: Vpc[];
  subnets: Subnet[];
  routeTables: RouteTable[];
  securityGroups: SecurityGroup[];
  securityGroupRules: SecurityGroupRule[];
  networkInterfaces: NetworkInterface[];
  vpcEndpoints: VpcEndpoint[];
}

export function emptyEc2State(): Ec2State {
  return {
    vpcs: [],
    subnets: [],
    routeTables: [],
    securityGroups: [],
    securityGroupRules: [],
    networkInterfaces: [],
    vpcEndpoints: [],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Builders: small pure functions that add one resource to the state and return it (scenarios are made of these).

function tagList(name: string | undefined, tags: Readonly<Record<string, string>> | undefined): Tag[] | undefined {
  const list = [
    ...(name === undefined ? [] : [{ Key: "Name", Value: name }]),
    ...Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
  ];
  return list.length > 0 ? list : undefined;
}

/** The zone id AWS pairs with a zone name, e.g. ap-northeast-1a → apne1-az1 (the mapping is per account in AWS). */
export function availabilityZoneId(zone: string): string {
  const region = zone.slice(0, -1);
  const parts = region.split("-");
  const short = `${parts[0]}${parts
    .slice(1, -1)
    .map((p) => p[0])
    .join("")}${parts.at(-1)}`;
  return `${short}-az${zone.charCodeAt(zone.length - 1) - 96}`;
}

function ipToNumber(ip: string): number {
  return ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

function cidrRange(cidr: string): { first: number; size: number } {
  const [ip = "0.0.0.0", bits = "32"] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return { first: Math.floor(ipToNumber(ip) / size) * size, size };
}

function privateIpsOf(eni: NetworkInterface): string[] {
  const ips = (eni.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress ?? "");
  return ips.length > 0 ? ips : eni.PrivateIpAddress ? [eni.PrivateIpAddress] : [];
}

/** The lowest free private IP of a subnet (AWS reserves the first four addresses and the last). */
export function nextPrivateIp(state: SandboxState, subnetId: string): string {
  const subnet = findById(state.ec2.subnets, subnetId, (s) => s.SubnetId, ID_KINDS.subnet);
  const { first, size } = cidrRange(subnet.CidrBlock ?? "");
  const used = new Set(
    state.ec2.networkInterfaces.filter((e) => e.SubnetId === subnetId).flatMap((e) => privateIpsOf(e).map(ipToNumber)),
  );
  for (let n = first + 4; n < first + size - 1; n++) if (!used.has(n)) return numberToIp(n);
  throw new AwsError(
    "InsufficientFreeAddressesInSubnet",
    `There are not enough free addresses in subnet '${subnetId}'`,
  );
}

export interface VpcSpec {
  readonly cidrBlock: string;
  readonly name?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly isDefault?: boolean;
  /** AWS gives every VPC a main route table and a security group named "default"; both are made unless false. */
  readonly withDefaults?: boolean;
}

export function addVpc(state: SandboxState, ids: IdSource, spec: VpcSpec): Vpc {
  const vpcId = newId(ids, "vpc");
  const vpc: Vpc = {
    VpcId: vpcId,
    OwnerId: state.account,
    State: "available",
    CidrBlock: spec.cidrBlock,
    DhcpOptionsId: newId(ids, "dopt"),
    InstanceTenancy: "default",
    IsDefault: spec.isDefault ?? false,
    CidrBlockAssociationSet: [
      {
        AssociationId: newId(ids, "vpc-cidr-assoc"),
        CidrBlock: spec.cidrBlock,
        CidrBlockState: { State: "associated" },
      },
    ],
    Tags: tagList(spec.name, spec.tags),
  };
  state.ec2.vpcs.push(vpc);
  if (spec.withDefaults !== false) {
    addRouteTable(state, ids, { vpcId, main: true });
    addSecurityGroup(state, ids, {
      name: "default",
      description: "default VPC security group",
      vpcId,
      ingress: [{ protocol: "-1", groupId: "self" }],
    });
  }
  return vpc;
}

export interface SubnetSpec {
  readonly vpcId: string;
  readonly cidrBlock: string;
  readonly availabilityZone: string;
  readonly name?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly mapPublicIpOnLaunch?: boolean;
}

export function addSubnet(state: SandboxState, ids: IdSource, spec: SubnetSpec): Subnet {
  findById(state.ec2.vpcs, spec.vpcId, (v) => v.VpcId, ID_KINDS.vpc);
  const subnetId = newId(ids, "subnet");
  const subnet: Subnet = {
    SubnetId: subnetId,
    SubnetArn: `arn:aws:ec2:${state.region}:${state.account}:subnet/${subnetId}`,
    VpcId: spec.vpcId,
    OwnerId: state.account,
    State: "available",
    CidrBlock: spec.cidrBlock,
    AvailabilityZone: spec.availabilityZone,
    AvailabilityZoneId: availabilityZoneId(spec.availabilityZone),
    AvailableIpAddressCount: cidrRange(spec.cidrBlock).size - 5,
    DefaultForAz: false,
    MapPublicIpOnLaunch: spec.mapPublicIpOnLaunch ?? false,
    MapCustomerOwnedIpOnLaunch: false,
    AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [],
    EnableDns64: false,
    Ipv6Native: false,
    PrivateDnsNameOptionsOnLaunch: {
      HostnameType: "ip-name",
      EnableResourceNameDnsARecord: false,
      EnableResourceNameDnsAAAARecord: false,
    },
    Tags: tagList(spec.name, spec.tags),
  };
  state.ec2.subnets.push(subnet);
  return subnet;
}

export interface RouteTableSpec {
  readonly vpcId: string;
  readonly name?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** The VPC's main route table (made by addVpc). */
  readonly main?: boolean;
  /** Routes besides the local one, e.g. `{ DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: "nat-…" }`. */
  readonly routes?: readonly Route[];
  readonly subnetIds?: readonly string[];
}

export function addRouteTable(state: SandboxState, ids: IdSource, spec: RouteTableSpec): RouteTable {
  const vpc = findById(state.ec2.vpcs, spec.vpcId, (v) => v.VpcId, ID_KINDS.vpc);
  const routeTableId = newId(ids, "rtb");
  const association = (subnetId: string | undefined) => ({
    Main: subnetId === undefined,
    RouteTableAssociationId: newId(ids, "rtbassoc"),
    RouteTableId: routeTableId,
    ...(subnetId === undefined ? {} : { SubnetId: subnetId }),
    AssociationState: { State: "associated" as const },
  });
  const table: RouteTable = {
    RouteTableId: routeTableId,
    VpcId: spec.vpcId,
    OwnerId: state.account,
    Associations: [...(spec.main ? [association(undefined)] : []), ...(spec.subnetIds ?? []).map(association)],
    PropagatingVgws: [],
    Routes: [
      { DestinationCidrBlock: vpc.CidrBlock, GatewayId: "local", Origin: "CreateRouteTable", State: "active" },
      ...(spec.routes ?? []).map((r): Route => ({ Origin: "CreateRoute", State: "active", ...r })),
    ],
    Tags: tagList(spec.name, spec.tags) ?? [],
  };
  state.ec2.routeTables.push(table);
  return table;
}

export interface SecurityGroupSpec {
  /** The group name (AWS forbids names starting with "sg-"). */
  readonly name: string;
  readonly description: string;
  readonly vpcId: string;
  /** The Name tag, which consoles show and the seed talk calls the group by (sg-ALB, sg-ECSTask, …). */
  readonly nameTag?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** Inbound rules; `groupId: "self"` refers to the group being made. */
  readonly ingress?: readonly RuleSpec[];
  /** Outbound rules; by default AWS's one rule allowing all traffic to 0.0.0.0/0. */
  readonly egress?: readonly RuleSpec[];
}

export function addSecurityGroup(state: SandboxState, ids: IdSource, spec: SecurityGroupSpec): SecurityGroup {
  findById(state.ec2.vpcs, spec.vpcId, (v) => v.VpcId, ID_KINDS.vpc);
  if (state.ec2.securityGroups.some((g) => g.VpcId === spec.vpcId && g.GroupName === spec.name)) {
    throw new AwsError(
      "InvalidGroup.Duplicate",
      `The security group '${spec.name}' already exists for VPC '${spec.vpcId}'`,
    );
  }
  const groupId = newId(ids, "sg");
  const group: SecurityGroup = {
    GroupId: groupId,
    GroupName: spec.name,
    Description: spec.description,
    VpcId: spec.vpcId,
    OwnerId: state.account,
    SecurityGroupArn: `arn:aws:ec2:${state.region}:${state.account}:security-group/${groupId}`,
    Tags: tagList(spec.nameTag, spec.tags),
  };
  state.ec2.securityGroups.push(group);
  const resolve = (rule: RuleSpec) => permissionOf(rule.groupId === "self" ? { ...rule, groupId } : rule);
  const egress = spec.egress ?? [{ protocol: "-1", cidr: "0.0.0.0/0" }];
  if (spec.ingress && spec.ingress.length > 0) {
    authorizeRules(state, ids, group, spec.ingress.map(resolve), { egress: false });
  }
  if (egress.length > 0) authorizeRules(state, ids, group, egress.map(resolve), { egress: true });
  return group;
}

export interface NetworkInterfaceSpec {
  readonly subnetId: string;
  readonly groupIds: readonly string[];
  readonly description?: string;
  /** Who made it for you, e.g. "amazon-rds", "amazon-elb"; sets RequesterManaged. */
  readonly requesterId?: string;
  readonly interfaceType?: NetworkInterface["InterfaceType"];
  readonly privateIpAddress?: string;
  readonly publicIp?: string;
  readonly attachment?: NetworkInterfaceAttachment;
  readonly tags?: Readonly<Record<string, string>>;
}

export function addNetworkInterface(state: SandboxState, ids: IdSource, spec: NetworkInterfaceSpec): NetworkInterface {
  const subnet = findById(state.ec2.subnets, spec.subnetId, (s) => s.SubnetId, ID_KINDS.subnet);
  const groups = spec.groupIds.map((id) =>
    findById(state.ec2.securityGroups, id, (g) => g.GroupId, ID_KINDS.securityGroup),
  );
  const ip = spec.privateIpAddress ?? nextPrivateIp(state, spec.subnetId);
  const dnsName = `ip-${ip.replaceAll(".", "-")}.${state.region}.compute.internal`;
  const association = spec.publicIp
    ? {
        Association: {
          IpOwnerId: "amazon",
          PublicIp: spec.publicIp,
          PublicDnsName: `ec2-${spec.publicIp.replaceAll(".", "-")}.${state.region}.compute.amazonaws.com`,
        },
      }
    : {};
  const mac = `0e:${(ids.hex(10).match(/../g) ?? []).join(":")}`;
  const eni: NetworkInterface = {
    NetworkInterfaceId: newId(ids, "eni"),
    SubnetId: spec.subnetId,
    VpcId: subnet.VpcId,
    AvailabilityZone: subnet.AvailabilityZone,
    AvailabilityZoneId: subnet.AvailabilityZoneId,
    Description: spec.description ?? "",
    Groups: groups.map((g) => ({ GroupId: g.GroupId, GroupName: g.GroupName })),
    InterfaceType: spec.interfaceType ?? "interface",
    Ipv6Addresses: [],
    MacAddress: mac,
    OwnerId: state.account,
    PrivateDnsName: dnsName,
    PrivateIpAddress: ip,
    PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: ip, PrivateDnsName: dnsName, ...association }],
    ...(spec.requesterId ? { RequesterId: spec.requesterId, RequesterManaged: true } : { RequesterManaged: false }),
    SourceDestCheck: true,
    Status: spec.attachment ? "in-use" : "available",
    ...(spec.attachment ? { Attachment: spec.attachment } : {}),
    ...association,
    TagSet: tagList(undefined, spec.tags) ?? [],
  };
  state.ec2.networkInterfaces.push(eni);
  return eni;
}

export interface VpcEndpointSpec {
  readonly vpcId: string;
  /** e.g. `com.amazonaws.ap-northeast-1.ecr.dkr`. */
  readonly serviceName: string;
  readonly type: VpcEndpointType;
  readonly subnetIds?: readonly string[];
  readonly routeTableIds?: readonly string[];
  readonly groupIds?: readonly string[];
  readonly privateDnsEnabled?: boolean;
  readonly policyDocument?: string;
  readonly creationTimestamp?: Date;
  readonly tags?: Readonly<Record<string, string>>;
}

const ENDPOINT_AVAILABLE = "available" as string as State;

export function addVpcEndpoint(state: SandboxState, ids: IdSource, spec: VpcEndpointSpec): VpcEndpoint {
  findById(state.ec2.vpcs, spec.vpcId, (v) => v.VpcId, ID_KINDS.vpc);
  const groups = (spec.groupIds ?? []).map((id) =>
    findById(state.ec2.securityGroups, id, (g) => g.GroupId, ID_KINDS.securityGroup),
  );
  const endpointId = newId(ids, "vpce");
  const interfaces =
    spec.type === "Interface"
      ? (spec.subnetIds ?? []).map((subnetId) =>
          addNetworkInterface(state, ids, {
            subnetId,
            groupIds: spec.groupIds ?? [],
            description: `VPC Endpoint Interface ${endpointId}`,
            requesterId: "727180483921",
            interfaceType: "vpc_endpoint",
          }),
        )
      : [];
  const endpoint: VpcEndpoint = {
    VpcEndpointId: endpointId,
    VpcEndpointType: spec.type,
    VpcId: spec.vpcId,
    ServiceName: spec.serviceName,
    State: ENDPOINT_AVAILABLE,
    PolicyDocument:
      spec.policyDocument ??
      '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}',
    RouteTableIds: [...(spec.routeTableIds ?? [])],
    SubnetIds: [...(spec.subnetIds ?? [])],
    Groups: groups.map((g) => ({ GroupId: g.GroupId, GroupName: g.GroupName })),
    IpAddressType: "ipv4",
    PrivateDnsEnabled: spec.privateDnsEnabled ?? spec.type === "Interface",
    RequesterManaged: false,
    NetworkInterfaceIds: interfaces.map((e) => e.NetworkInterfaceId ?? ""),
    DnsEntries: [],
    CreationTimestamp: spec.creationTimestamp ?? new Date(0),
    Tags: tagList(undefined, spec.tags) ?? [],
    OwnerId: state.account,
  };
  state.ec2.vpcEndpoints.push(endpoint);
  return endpoint;
}

// ---------------------------------------------------------------------------------------------------------------
// Describe*: each resource type is a row — its id kind, its filters (as the API reference lists them), its page
// limits — and one function serves them all.

interface Collection<T> {
  readonly op: string;
  readonly kind: IdKind;
  readonly idOf: (item: T) => string | undefined;
  readonly filters: FilterTable<T>;
  readonly tagsOf: (item: T) => readonly Tag[] | undefined;
  readonly limits: PageLimits;
}

function describe<T>(
  collection: Collection<T>,
  items: readonly T[],
  input: {
    Filters?: Filter[] | undefined;
    MaxResults?: number | undefined;
    NextToken?: string | undefined;
    DryRun?: boolean | undefined;
  },
  ids: readonly string[] | undefined,
  /** How a stored item is shown (derived members filled in), applied after the id lookup. */
  view: (item: T) => T = (item) => item,
) {
  const selected = selectByIds(items, ids, collection.idOf, collection.kind).map(view);
  const filtered = applyFilters(selected, input.Filters, collection.filters, collection.tagsOf);
  dryRun(input);
  return paginate(collection.op, filtered, input, collection.limits);
}

const STANDARD_PAGE: PageLimits = { min: 5, max: 1000 };

const VPCS: Collection<Vpc> = {
  op: "DescribeVpcs",
  kind: ID_KINDS.vpc,
  idOf: (v) => v.VpcId,
  tagsOf: (v) => v.Tags,
  limits: STANDARD_PAGE,
  filters: {
    cidr: (v) => v.CidrBlock,
    "cidr-block-association.cidr-block": (v) => (v.CidrBlockAssociationSet ?? []).map((a) => a.CidrBlock),
    "cidr-block-association.association-id": (v) => (v.CidrBlockAssociationSet ?? []).map((a) => a.AssociationId),
    "cidr-block-association.state": (v) => (v.CidrBlockAssociationSet ?? []).map((a) => a.CidrBlockState?.State),
    "dhcp-options-id": (v) => v.DhcpOptionsId,
    "is-default": (v) => v.IsDefault,
    "owner-id": (v) => v.OwnerId,
    state: (v) => v.State,
    "vpc-id": (v) => v.VpcId,
  },
};

const SUBNETS: Collection<Subnet> = {
  op: "DescribeSubnets",
  kind: ID_KINDS.subnet,
  idOf: (s) => s.SubnetId,
  tagsOf: (s) => s.Tags,
  limits: STANDARD_PAGE,
  filters: {
    "availability-zone": (s) => s.AvailabilityZone,
    availabilityZone: (s) => s.AvailabilityZone,
    "availability-zone-id": (s) => s.AvailabilityZoneId,
    availabilityZoneId: (s) => s.AvailabilityZoneId,
    "available-ip-address-count": (s) => s.AvailableIpAddressCount,
    "cidr-block": (s) => s.CidrBlock,
    cidr: (s) => s.CidrBlock,
    cidrBlock: (s) => s.CidrBlock,
    "default-for-az": (s) => s.DefaultForAz,
    defaultForAz: (s) => s.DefaultForAz,
    "map-public-ip-on-launch": (s) => s.MapPublicIpOnLaunch,
    "owner-id": (s) => s.OwnerId,
    state: (s) => s.State,
    "subnet-arn": (s) => s.SubnetArn,
    "subnet-id": (s) => s.SubnetId,
    "vpc-id": (s) => s.VpcId,
  },
};

const ROUTE_TABLES: Collection<RouteTable> = {
  op: "DescribeRouteTables",
  kind: ID_KINDS.routeTable,
  idOf: (r) => r.RouteTableId,
  tagsOf: (r) => r.Tags,
  limits: { min: 5, max: 100 },
  filters: {
    "association.gateway-id": (r) => (r.Associations ?? []).map((a) => a.GatewayId),
    "association.route-table-association-id": (r) => (r.Associations ?? []).map((a) => a.RouteTableAssociationId),
    "association.route-table-id": (r) => (r.Associations ?? []).map((a) => a.RouteTableId),
    "association.subnet-id": (r) => (r.Associations ?? []).map((a) => a.SubnetId),
    "association.main": (r) => (r.Associations ?? []).map((a) => a.Main),
    "owner-id": (r) => r.OwnerId,
    "route-table-id": (r) => r.RouteTableId,
    "route.destination-cidr-block": (r) => (r.Routes ?? []).map((x) => x.DestinationCidrBlock),
    "route.destination-ipv6-cidr-block": (r) => (r.Routes ?? []).map((x) => x.DestinationIpv6CidrBlock),
    "route.destination-prefix-list-id": (r) => (r.Routes ?? []).map((x) => x.DestinationPrefixListId),
    "route.egress-only-internet-gateway-id": (r) => (r.Routes ?? []).map((x) => x.EgressOnlyInternetGatewayId),
    "route.gateway-id": (r) => (r.Routes ?? []).map((x) => x.GatewayId),
    "route.instance-id": (r) => (r.Routes ?? []).map((x) => x.InstanceId),
    "route.nat-gateway-id": (r) => (r.Routes ?? []).map((x) => x.NatGatewayId),
    "route.transit-gateway-id": (r) => (r.Routes ?? []).map((x) => x.TransitGatewayId),
    "route.origin": (r) => (r.Routes ?? []).map((x) => x.Origin),
    "route.state": (r) => (r.Routes ?? []).map((x) => x.State),
    "route.vpc-peering-connection-id": (r) => (r.Routes ?? []).map((x) => x.VpcPeeringConnectionId),
    "vpc-id": (r) => r.VpcId,
  },
};

/** The ip-permission.* filters of DescribeSecurityGroups, computed from a described group's permissions. */
function permissionFilters(
  prefix: string,
  pick: (g: SecurityGroup) => SecurityGroup["IpPermissions"],
  groupName: (id: string | undefined) => string | undefined,
): FilterTable<SecurityGroup> {
  const perms = (g: SecurityGroup) => pick(g) ?? [];
  return {
    [`${prefix}.cidr`]: (g) => perms(g).flatMap((p) => (p.IpRanges ?? []).map((r) => r.CidrIp)),
    [`${prefix}.ipv6-cidr`]: (g) => perms(g).flatMap((p) => (p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6)),
    [`${prefix}.prefix-list-id`]: (g) => perms(g).flatMap((p) => (p.PrefixListIds ?? []).map((r) => r.PrefixListId)),
    [`${prefix}.from-port`]: (g) => perms(g).map((p) => p.FromPort),
    [`${prefix}.to-port`]: (g) => perms(g).map((p) => p.ToPort),
    [`${prefix}.protocol`]: (g) => perms(g).map((p) => p.IpProtocol),
    [`${prefix}.group-id`]: (g) => perms(g).flatMap((p) => (p.UserIdGroupPairs ?? []).map((u) => u.GroupId)),
    [`${prefix}.group-name`]: (g) =>
      perms(g).flatMap((p) => (p.UserIdGroupPairs ?? []).map((u) => u.GroupName ?? groupName(u.GroupId))),
    [`${prefix}.user-id`]: (g) => perms(g).flatMap((p) => (p.UserIdGroupPairs ?? []).map((u) => u.UserId)),
  };
}

function securityGroupsCollection(state: SandboxState): Collection<SecurityGroup> {
  const nameOf = (id: string | undefined) => state.ec2.securityGroups.find((g) => g.GroupId === id)?.GroupName;
  return {
    op: "DescribeSecurityGroups",
    kind: ID_KINDS.securityGroup,
    idOf: (g) => g.GroupId,
    tagsOf: (g) => g.Tags,
    limits: STANDARD_PAGE,
    filters: {
      description: (g) => g.Description,
      "group-id": (g) => g.GroupId,
      "group-name": (g) => g.GroupName,
      "owner-id": (g) => g.OwnerId,
      "vpc-id": (g) => g.VpcId,
      ...permissionFilters("ip-permission", (g) => g.IpPermissions, nameOf),
      ...permissionFilters("egress.ip-permission", (g) => g.IpPermissionsEgress, nameOf),
    },
  };
}

const SECURITY_GROUP_RULES: Collection<SecurityGroupRule> = {
  op: "DescribeSecurityGroupRules",
  kind: ID_KINDS.securityGroupRule,
  idOf: (r) => r.SecurityGroupRuleId,
  tagsOf: (r) => r.Tags,
  limits: STANDARD_PAGE,
  filters: {
    "group-id": (r) => r.GroupId,
    "security-group-rule-id": (r) => r.SecurityGroupRuleId,
  },
};

function networkInterfacesCollection(state: SandboxState): Collection<NetworkInterface> {
  const nameOf = (id: string | undefined) => state.ec2.securityGroups.find((g) => g.GroupId === id)?.GroupName;
  const addresses = (e: NetworkInterface) => e.PrivateIpAddresses ?? [];
  return {
    op: "DescribeNetworkInterfaces",
    kind: ID_KINDS.networkInterface,
    idOf: (e) => e.NetworkInterfaceId,
    tagsOf: (e) => e.TagSet,
    limits: STANDARD_PAGE,
    filters: {
      "addresses.private-ip-address": (e) => addresses(e).map((a) => a.PrivateIpAddress),
      "addresses.primary": (e) => addresses(e).map((a) => a.Primary),
      "addresses.association.public-ip": (e) => addresses(e).map((a) => a.Association?.PublicIp),
      "addresses.association.owner-id": (e) => addresses(e).map((a) => a.Association?.IpOwnerId),
      "association.allocation-id": (e) => e.Association?.AllocationId,
      "association.association-id": (e) => e.Association?.AssociationId,
      "association.ip-owner-id": (e) => e.Association?.IpOwnerId,
      "association.public-ip": (e) => e.Association?.PublicIp,
      "association.public-dns-name": (e) => e.Association?.PublicDnsName,
      "attachment.attachment-id": (e) => e.Attachment?.AttachmentId,
      "attachment.delete-on-termination": (e) => e.Attachment?.DeleteOnTermination,
      "attachment.device-index": (e) => e.Attachment?.DeviceIndex,
      "attachment.instance-id": (e) => e.Attachment?.InstanceId,
      "attachment.instance-owner-id": (e) => e.Attachment?.InstanceOwnerId,
      "attachment.status": (e) => e.Attachment?.Status,
      "availability-zone": (e) => e.AvailabilityZone,
      "availability-zone-id": (e) => e.AvailabilityZoneId,
      description: (e) => e.Description,
      "group-id": (e) => (e.Groups ?? []).map((g) => g.GroupId),
      "group-name": (e) => (e.Groups ?? []).map((g) => g.GroupName ?? nameOf(g.GroupId)),
      "ipv6-addresses.ipv6-address": (e) => (e.Ipv6Addresses ?? []).map((a) => a.Ipv6Address),
      "interface-type": (e) => e.InterfaceType,
      "mac-address": (e) => e.MacAddress,
      "network-interface-id": (e) => e.NetworkInterfaceId,
      "owner-id": (e) => e.OwnerId,
      "private-dns-name": (e) => e.PrivateDnsName,
      "private-ip-address": (e) => e.PrivateIpAddress,
      "requester-id": (e) => e.RequesterId,
      "requester-managed": (e) => e.RequesterManaged,
      "source-dest-check": (e) => e.SourceDestCheck,
      status: (e) => e.Status,
      "subnet-id": (e) => e.SubnetId,
      "vpc-id": (e) => e.VpcId,
    },
  };
}

const VPC_ENDPOINTS: Collection<VpcEndpoint> = {
  op: "DescribeVpcEndpoints",
  kind: ID_KINDS.vpcEndpoint,
  idOf: (e) => e.VpcEndpointId,
  tagsOf: (e) => e.Tags,
  // "If the value is greater than 1,000, we return only 1,000 items": larger values are clamped, not refused.
  limits: { min: 1, max: 1000 },
  filters: {
    "ip-address-type": (e) => e.IpAddressType,
    "service-name": (e) => e.ServiceName,
    "service-region": (e) => e.ServiceRegion,
    "vpc-id": (e) => e.VpcId,
    "vpc-endpoint-id": (e) => e.VpcEndpointId,
    "vpc-endpoint-state": (e) => e.State,
    "vpc-endpoint-type": (e) => e.VpcEndpointType,
  },
};

/** A subnet with its free-address count as of now (the ENIs in it take addresses). */
function describeSubnet(state: SandboxState, subnet: Subnet): Subnet {
  const used = state.ec2.networkInterfaces
    .filter((e) => e.SubnetId === subnet.SubnetId)
    .reduce((n, e) => n + privateIpsOf(e).length, 0);
  return { ...subnet, AvailableIpAddressCount: cidrRange(subnet.CidrBlock ?? "").size - 5 - used };
}

// ---------------------------------------------------------------------------------------------------------------
// Handlers.

const describeVpcs: Handler = (input, { state }): DescribeVpcsResult => {
  const request = input as DescribeVpcsRequest;
  const { page, NextToken } = describe(VPCS, state.ec2.vpcs, request, request.VpcIds);
  return { Vpcs: page, NextToken };
};

const describeSubnets: Handler = (input, { state }): DescribeSubnetsResult => {
  const request = input as DescribeSubnetsRequest;
  const view = (s: Subnet) => describeSubnet(state, s);
  const { page, NextToken } = describe(SUBNETS, state.ec2.subnets, request, request.SubnetIds, view);
  return { Subnets: page, NextToken };
};

const describeRouteTables: Handler = (input, { state }): DescribeRouteTablesResult => {
  const request = input as DescribeRouteTablesRequest;
  const { page, NextToken } = describe(ROUTE_TABLES, state.ec2.routeTables, request, request.RouteTableIds);
  return { RouteTables: page, NextToken };
};

const describeSecurityGroups: Handler = (input, { state }): DescribeSecurityGroupsResult => {
  const request = input as DescribeSecurityGroupsRequest;
  refuseIdsWithMaxResults("groupIds", request.GroupIds, request.MaxResults);
  let groups = state.ec2.securityGroups;
  if (request.GroupNames && request.GroupNames.length > 0) {
    groups = request.GroupNames.map((GroupName) => resolveGroup(state, { GroupName }));
  }
  const rules = rulesByGroup(state);
  const view = (g: SecurityGroup) => describeGroup(g, rules.get(g.GroupId) ?? []);
  const { page, NextToken } = describe(securityGroupsCollection(state), groups, request, request.GroupIds, view);
  return { SecurityGroups: page, NextToken };
};

const describeSecurityGroupRules: Handler = (input, { state }): DescribeSecurityGroupRulesResult => {
  const request = input as DescribeSecurityGroupRulesRequest;
  const rules = state.ec2.securityGroupRules;
  const { page, NextToken } = describe(SECURITY_GROUP_RULES, rules, request, request.SecurityGroupRuleIds);
  return { SecurityGroupRules: page, NextToken };
};

const describeNetworkInterfaces: Handler = (input, { state }): DescribeNetworkInterfacesResult => {
  const request = input as DescribeNetworkInterfacesRequest;
  refuseIdsWithMaxResults("NetworkInterfaceIds", request.NetworkInterfaceIds, request.MaxResults);
  const collection = networkInterfacesCollection(state);
  const enis = state.ec2.networkInterfaces;
  const { page, NextToken } = describe(collection, enis, request, request.NetworkInterfaceIds);
  return { NetworkInterfaces: page, NextToken };
};

const describeVpcEndpoints: Handler = (input, { state }): DescribeVpcEndpointsResult => {
  const request = input as DescribeVpcEndpointsRequest;
  const clamped = { ...request, MaxResults: request.MaxResults && Math.min(request.MaxResults, 1000) };
  const { page, NextToken } = describe(VPC_ENDPOINTS, state.ec2.vpcEndpoints, clamped, request.VpcEndpointIds);
  return { VpcEndpoints: page, NextToken };
};

function authorize(
  request: AuthorizeSecurityGroupIngressRequest | AuthorizeSecurityGroupEgressRequest,
  context: RequestContext,
  egress: boolean,
): AuthorizeSecurityGroupIngressResult | AuthorizeSecurityGroupEgressResult {
  const group = resolveGroup(context.state, {
    GroupId: request.GroupId,
    GroupName: "GroupName" in request ? request.GroupName : undefined,
  });
  const rules = authorizeRules(context.state, context, group, requestedPermissions(request), {
    egress,
    tagSpecifications: request.TagSpecifications,
    dryRun: request.DryRun,
  });
  context.changed();
  return { Return: true, SecurityGroupRules: rules };
}

function revoke(
  request: RevokeSecurityGroupIngressRequest | RevokeSecurityGroupEgressRequest,
  context: RequestContext,
  egress: boolean,
): RevokeSecurityGroupIngressResult | RevokeSecurityGroupEgressResult {
  const group = resolveGroup(context.state, {
    GroupId: request.GroupId,
    GroupName: "GroupName" in request ? request.GroupName : undefined,
  });
  const { revoked, unknown } = revokeRules(
    context.state,
    group,
    { permissions: requestedPermissions(request), ruleIds: request.SecurityGroupRuleIds },
    { egress, dryRun: request.DryRun },
  );
  if (revoked.length > 0) context.changed();
  return unknown.length > 0
    ? { Return: false, UnknownIpPermissions: unknown, RevokedSecurityGroupRules: revoked }
    : { Return: true, RevokedSecurityGroupRules: revoked };
}

export const ec2Service: ServiceDefinition = {
  signingName: "ec2",
  protocol: "ec2Query",
  handlers: {
    DescribeVpcs: describeVpcs,
    DescribeSubnets: describeSubnets,
    DescribeRouteTables: describeRouteTables,
    DescribeSecurityGroups: describeSecurityGroups,
    DescribeSecurityGroupRules: describeSecurityGroupRules,
    DescribeNetworkInterfaces: describeNetworkInterfaces,
    DescribeVpcEndpoints: describeVpcEndpoints,
    AuthorizeSecurityGroupIngress: (input, context) =>
      authorize(input as AuthorizeSecurityGroupIngressRequest, context, false),
    AuthorizeSecurityGroupEgress: (input, context) =>
      authorize(input as Partial<AuthorizeSecurityGroupEgressRequest>, context, true),
    RevokeSecurityGroupIngress: (input, context) => revoke(input as RevokeSecurityGroupIngressRequest, context, false),
    RevokeSecurityGroupEgress: (input, context) =>
      revoke(input as Partial<RevokeSecurityGroupEgressRequest>, context, true),
  },
};
