// Security group rules as EC2 keeps them: one rule (with its sgr- id) per protocol, port range and single source.
// The IpPermissions that DescribeSecurityGroups shows are grouped from the rules on every read, so the rules are
// the only copy and AuthorizeSecurityGroupIngress / RevokeSecurityGroupIngress change exactly one list.
import type {
  IpPermission,
  RevokedSecurityGroupRule,
  SecurityGroup,
  SecurityGroupRule,
  Tag,
  TagSpecification,
} from "@aws-sdk/client-ec2";
import { AwsError, type RequestContext } from "../service";
import type { SandboxState } from "../state";
import { findById, ID_KINDS, newId } from "./ec2-query";

/** A rule written short, for scenarios: `{ port: 443, cidr: "0.0.0.0/0" }`, `{ port: 80, groupId: alb.GroupId }`. */
export interface RuleSpec {
  /** tcp (default), udp, icmp, "-1" for all traffic, or a protocol number. */
  readonly protocol?: string;
  /** One port; or give fromPort and toPort. */
  readonly port?: number;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly cidr?: string;
  readonly ipv6Cidr?: string;
  /** A security group as the source (ingress) or destination (egress). */
  readonly groupId?: string;
  readonly prefixListId?: string;
  readonly description?: string;
}

/** Where ids come from: the request context in handlers, a scenario's own id source in builders. */
export type IdSource = Pick<RequestContext, "hex">;

/** A rule before it is stored: no id, group or direction yet. */
type RuleBody = Omit<SecurityGroupRule, "SecurityGroupRuleId" | "GroupId" | "GroupOwnerId" | "IsEgress">;

const PROTOCOL_NAMES: Readonly<Record<string, string>> = { "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };

/** EC2 stores protocol numbers it knows by name, and "all" as "-1". */
export function normalizeProtocol(protocol: string | undefined): string {
  const p = (protocol ?? "-1").toLowerCase();
  if (p === "all") return "-1";
  return PROTOCOL_NAMES[p] ?? p;
}

/** The IpPermission a RuleSpec stands for. */
export function permissionOf(spec: RuleSpec): IpPermission {
  const protocol = normalizeProtocol(spec.protocol ?? "tcp");
  const ports =
    protocol === "-1" ? {} : { FromPort: spec.fromPort ?? spec.port ?? -1, ToPort: spec.toPort ?? spec.port ?? -1 };
  const description = spec.description === undefined ? {} : { Description: spec.description };
  return {
    IpProtocol: protocol,
    ...ports,
    ...(spec.cidr ? { IpRanges: [{ CidrIp: spec.cidr, ...description }] } : {}),
    ...(spec.ipv6Cidr ? { Ipv6Ranges: [{ CidrIpv6: spec.ipv6Cidr, ...description }] } : {}),
    ...(spec.groupId ? { UserIdGroupPairs: [{ GroupId: spec.groupId, ...description }] } : {}),
    ...(spec.prefixListId ? { PrefixListIds: [{ PrefixListId: spec.prefixListId, ...description }] } : {}),
  };
}

/** One rule per source, as EC2 splits a permission. */
function expand(permission: IpPermission, account: string): RuleBody[] {
  const protocol = normalizeProtocol(permission.IpProtocol);
  if (
    (protocol === "tcp" || protocol === "udp") &&
    (permission.FromPort === undefined || permission.ToPort === undefined)
  ) {
    throw new AwsError(
      "InvalidParameterValue",
      "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange",
    );
  }
  const all = protocol === "-1";
  const base: RuleBody = {
    IpProtocol: protocol,
    FromPort: all ? -1 : (permission.FromPort ?? -1),
    ToPort: all ? -1 : (permission.ToPort ?? -1),
  };
  const withDescription = (description: string | undefined): RuleBody =>
    description === undefined ? { ...base } : { ...base, Description: description };
  return [
    ...(permission.IpRanges ?? []).map((r) => ({ ...withDescription(r.Description), CidrIpv4: r.CidrIp })),
    ...(permission.Ipv6Ranges ?? []).map((r) => ({ ...withDescription(r.Description), CidrIpv6: r.CidrIpv6 })),
    ...(permission.PrefixListIds ?? []).map((r) => ({
      ...withDescription(r.Description),
      PrefixListId: r.PrefixListId,
    })),
    ...(permission.UserIdGroupPairs ?? []).map((pair) => ({
      ...withDescription(pair.Description),
      ReferencedGroupInfo: { GroupId: pair.GroupId, UserId: pair.UserId ?? account },
    })),
  ];
}

function sourceOf(rule: RuleBody): string {
  return rule.CidrIpv4 ?? rule.CidrIpv6 ?? rule.PrefixListId ?? rule.ReferencedGroupInfo?.GroupId ?? "";
}

/** What makes two rules the same rule (the description does not). */
function ruleKey(rule: RuleBody): string {
  return [rule.IpProtocol, rule.FromPort, rule.ToPort, sourceOf(rule)].join("|");
}

/** EC2's way of naming a rule in InvalidPermission.Duplicate. */
function describeRule(rule: RuleBody): string {
  const protocol = rule.IpProtocol === "-1" ? "ALL" : (rule.IpProtocol ?? "").toUpperCase();
  const ports = rule.IpProtocol === "-1" ? "" : `, from port: ${rule.FromPort}, to port: ${rule.ToPort}`;
  return `peer: ${sourceOf(rule)}, ${protocol}${ports}, ALLOW`;
}

/** The rules of one group and direction, in the order they were added. */
export function rulesOf(state: SandboxState, groupId: string | undefined, egress: boolean): SecurityGroupRule[] {
  return state.ec2.securityGroupRules.filter((r) => r.GroupId === groupId && r.IsEgress === egress);
}

/** The rules grouped back into IpPermissions, as DescribeSecurityGroups shows them. */
export function permissionsOf(rules: readonly SecurityGroupRule[]): IpPermission[] {
  const byKey = new Map<
    string,
    Required<Pick<IpPermission, "IpRanges" | "Ipv6Ranges" | "PrefixListIds" | "UserIdGroupPairs">> & IpPermission
  >();
  for (const rule of rules) {
    const key = [rule.IpProtocol, rule.FromPort, rule.ToPort].join("|");
    let permission = byKey.get(key);
    if (!permission) {
      permission = {
        IpProtocol: rule.IpProtocol,
        ...(rule.IpProtocol === "-1" ? {} : { FromPort: rule.FromPort, ToPort: rule.ToPort }),
        UserIdGroupPairs: [],
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
      };
      byKey.set(key, permission);
    }
    const description = rule.Description === undefined ? {} : { Description: rule.Description };
    if (rule.CidrIpv4) permission.IpRanges.push({ CidrIp: rule.CidrIpv4, ...description });
    if (rule.CidrIpv6) permission.Ipv6Ranges.push({ CidrIpv6: rule.CidrIpv6, ...description });
    if (rule.PrefixListId) permission.PrefixListIds.push({ PrefixListId: rule.PrefixListId, ...description });
    if (rule.ReferencedGroupInfo) {
      permission.UserIdGroupPairs.push({
        ...description,
        UserId: rule.ReferencedGroupInfo.UserId,
        GroupId: rule.ReferencedGroupInfo.GroupId,
      });
    }
  }
  return [...byKey.values()];
}

/** Every group's rules, in one pass (describing many groups stays linear in the number of rules). */
export function rulesByGroup(state: SandboxState): Map<string | undefined, SecurityGroupRule[]> {
  const byGroup = new Map<string | undefined, SecurityGroupRule[]>();
  for (const rule of state.ec2.securityGroupRules) {
    const list = byGroup.get(rule.GroupId);
    if (list) list.push(rule);
    else byGroup.set(rule.GroupId, [rule]);
  }
  return byGroup;
}

/** A stored group as DescribeSecurityGroups answers it: its permissions grouped from its rules. */
export function describeGroup(group: SecurityGroup, rules: readonly SecurityGroupRule[]): SecurityGroup {
  return {
    ...group,
    IpPermissions: permissionsOf(rules.filter((r) => !r.IsEgress)),
    IpPermissionsEgress: permissionsOf(rules.filter((r) => r.IsEgress)),
  };
}

/** The group a request names by GroupId, or by GroupName in the default VPC (as EC2 allows). */
export function resolveGroup(
  state: SandboxState,
  input: { GroupId?: string | undefined; GroupName?: string | undefined },
): SecurityGroup {
  const groups = state.ec2.securityGroups;
  if (input.GroupId || !input.GroupName)
    return findById(groups, input.GroupId, (g) => g.GroupId, ID_KINDS.securityGroup);
  const defaultVpc = state.ec2.vpcs.find((v) => v.IsDefault);
  if (!defaultVpc) throw new AwsError("VPCIdNotSpecified", "No default VPC for this user");
  const group = groups.find((g) => g.GroupName === input.GroupName && g.VpcId === defaultVpc.VpcId);
  if (!group) {
    throw new AwsError(
      "InvalidGroup.NotFound",
      `The security group '${input.GroupName}' does not exist in default VPC '${defaultVpc.VpcId}'`,
    );
  }
  return group;
}

/** The permissions a request carries: IpPermissions, or the older top-level CidrIp / port / protocol members. */
export function requestedPermissions(input: {
  IpPermissions?: IpPermission[] | undefined;
  IpProtocol?: string | undefined;
  FromPort?: number | undefined;
  ToPort?: number | undefined;
  CidrIp?: string | undefined;
}): IpPermission[] {
  if (input.IpPermissions && input.IpPermissions.length > 0) return input.IpPermissions;
  if (!input.CidrIp) return [];
  return [
    {
      IpProtocol: input.IpProtocol,
      FromPort: input.FromPort,
      ToPort: input.ToPort,
      IpRanges: [{ CidrIp: input.CidrIp }],
    },
  ];
}

function tagsFor(specifications: readonly TagSpecification[] | undefined): Tag[] | undefined {
  const tags = (specifications ?? [])
    .filter((s) => s.ResourceType === undefined || s.ResourceType === "security-group-rule")
    .flatMap((s) => s.Tags ?? []);
  return tags.length > 0 ? tags : undefined;
}

/**
 * Adds rules to a group (validated first, all or nothing): a rule that already exists, or twice in the request,
 * fails with InvalidPermission.Duplicate; a source group that does not exist with InvalidGroup.NotFound.
 * With `dryRun` it validates, then answers DryRunOperation without changing anything.
 */
export function authorizeRules(
  state: SandboxState,
  ids: IdSource,
  group: SecurityGroup,
  permissions: readonly IpPermission[],
  options: {
    egress: boolean;
    tagSpecifications?: readonly TagSpecification[] | undefined;
    dryRun?: boolean | undefined;
  },
): SecurityGroupRule[] {
  if (permissions.length === 0) {
    throw new AwsError("MissingParameter", "The request must contain the parameter ipPermissions");
  }
  const bodies = permissions.flatMap((p) => expand(p, state.account));
  const existing = new Set(rulesOf(state, group.GroupId, options.egress).map(ruleKey));
  for (const body of bodies) {
    const referenced = body.ReferencedGroupInfo?.GroupId;
    if (referenced !== undefined)
      findById(state.ec2.securityGroups, referenced, (g) => g.GroupId, ID_KINDS.securityGroup);
    const key = ruleKey(body);
    if (existing.has(key)) {
      throw new AwsError("InvalidPermission.Duplicate", `the specified rule "${describeRule(body)}" already exists`);
    }
    existing.add(key);
  }
  if (options.dryRun) {
    throw new AwsError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", { status: 412 });
  }
  const tags = tagsFor(options.tagSpecifications);
  const added = bodies.map((body): SecurityGroupRule => {
    const id = newId(ids, "sgr");
    return {
      SecurityGroupRuleId: id,
      GroupId: group.GroupId,
      GroupOwnerId: group.OwnerId,
      IsEgress: options.egress,
      ...body,
      SecurityGroupRuleArn: `arn:aws:ec2:${state.region}:${state.account}:security-group-rule/${id}`,
      ...(tags ? { Tags: tags } : {}),
    };
  });
  state.ec2.securityGroupRules.push(...added);
  return added;
}

export interface RevokeOutcome {
  readonly revoked: RevokedSecurityGroupRule[];
  readonly unknown: IpPermission[];
}

/**
 * Removes rules named by id or by their exact properties. In a non-default VPC a rule that does not exist fails the
 * whole request with InvalidPermission.NotFound; in the default VPC the others are revoked and the unknown ones
 * returned (EC2's documented behaviour).
 */
export function revokeRules(
  state: SandboxState,
  group: SecurityGroup,
  request: { permissions: readonly IpPermission[]; ruleIds: readonly string[] | undefined },
  options: { egress: boolean; dryRun?: boolean | undefined },
): RevokeOutcome {
  const current = rulesOf(state, group.GroupId, options.egress);
  let targets: SecurityGroupRule[];
  const unknown: IpPermission[] = [];
  if (request.ruleIds && request.ruleIds.length > 0) {
    targets = request.ruleIds.map((id) =>
      findById(current, id, (r) => r.SecurityGroupRuleId, ID_KINDS.securityGroupRule),
    );
  } else {
    if (request.permissions.length === 0) {
      throw new AwsError("MissingParameter", "The request must contain the parameter ipPermissions");
    }
    const byKey = new Map(current.map((r) => [ruleKey(r), r] as const));
    targets = [];
    for (const permission of request.permissions) {
      for (const body of expand(permission, state.account)) {
        const match = byKey.get(ruleKey(body));
        if (match) targets.push(match);
        else unknown.push(...permissionsOf([{ ...body }]));
      }
    }
    const vpc = state.ec2.vpcs.find((v) => v.VpcId === group.VpcId);
    if (unknown.length > 0 && !vpc?.IsDefault) {
      throw new AwsError("InvalidPermission.NotFound", "The specified rule does not exist in this security group.");
    }
  }
  if (options.dryRun) {
    throw new AwsError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", { status: 412 });
  }
  const gone = new Set(targets.map((r) => r.SecurityGroupRuleId));
  state.ec2.securityGroupRules = state.ec2.securityGroupRules.filter((r) => !gone.has(r.SecurityGroupRuleId));
  const revoked = targets.map(
    (r): RevokedSecurityGroupRule => ({
      SecurityGroupRuleId: r.SecurityGroupRuleId,
      GroupId: r.GroupId,
      IsEgress: r.IsEgress,
      IpProtocol: r.IpProtocol,
      FromPort: r.FromPort,
      ToPort: r.ToPort,
      CidrIpv4: r.CidrIpv4,
      CidrIpv6: r.CidrIpv6,
      PrefixListId: r.PrefixListId,
      ReferencedGroupId: r.ReferencedGroupInfo?.GroupId,
      Description: r.Description,
    }),
  );
  return { revoked, unknown };
}
