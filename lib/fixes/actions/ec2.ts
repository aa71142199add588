// What apply knows of each ec2 write action (see ../action.ts). Security-group rules are compared as EC2 compares
// them — protocol, ports and one source; the description does not count — so a rule that is already there satisfies
// AuthorizeSecurityGroupIngress (EC2 would answer InvalidPermission.Duplicate), and a rule that is gone satisfies
// RevokeSecurityGroupIngress. What a revoke removes is observed first, so its undo re-adds exactly those rules.
import { paginateDescribeSecurityGroupRules, type SecurityGroupRule } from "@aws-sdk/client-ec2";
import type { Aws } from "../../aws/client";
import { ingressKey } from "../../checks/network/paths";
import { type Group, ingressOf } from "../../checks/network/security-groups";
import { type ActionTable, field, type ResolvedInput, toJson } from "../action";
import type { Call, Json } from "../plan";

/** The tag keys EC2 reserves: a restored rule cannot carry them again. */
const RESERVED_TAG_PREFIX = "aws:";

/** An inbound rule as observe records it: enough to name it, compare it and add it back. */
interface RuleRecord {
  readonly SecurityGroupRuleId: string;
  readonly IpProtocol: string;
  readonly FromPort?: number;
  readonly ToPort?: number;
  readonly CidrIpv4?: string;
  readonly CidrIpv6?: string;
  readonly PrefixListId?: string;
  readonly ReferencedGroupId?: string;
  readonly Description?: string;
  readonly Tags?: readonly { readonly Key: string; readonly Value: string }[];
}

export const EC2_ACTIONS: ActionTable = {
  AuthorizeSecurityGroupIngress: {
    // Only the requested rules that already exist: the journal shows what was there, not the whole group.
    observe: async (aws, input) => {
      const wanted = new Set(requestedKeys(input));
      return toJson({ existing: (await inboundRules(aws, input)).filter((rule) => wanted.has(ruleKey(rule))) });
    },
    satisfied: (observed, input) => {
      const existing = recordsOf(field(observed, "existing"));
      const present = new Set(existing.map(ruleKey));
      const wanted = requestedKeys(input);
      if (wanted.length === 0 || !wanted.every((key) => present.has(key))) return undefined;
      // Ours are the ones carrying this step's tags; an equal rule somebody else made is never undone.
      const tags = requestedTags(input);
      const ours = tags.length === 0 ? [] : existing.filter((rule) => tags.every((t) => carries(rule, t)));
      return { SecurityGroupRuleIds: ours.map((rule) => rule.SecurityGroupRuleId) };
    },
    output: (response) => ({
      SecurityGroupRuleIds: ((response.SecurityGroupRules as SecurityGroupRule[] | undefined) ?? []).flatMap((r) =>
        r.SecurityGroupRuleId ? [r.SecurityGroupRuleId] : [],
      ),
    }),
    undo: (input, _before, output): Call[] => {
      const ids = stringsOf(field(output, "SecurityGroupRuleIds"));
      if (ids.length === 0) return [];
      return [
        {
          service: "ec2",
          action: "RevokeSecurityGroupIngress",
          input: { GroupId: groupIdOf(input), SecurityGroupRuleIds: ids },
        },
      ];
    },
    // Tagging a rule as it is created needs ec2:CreateTags too.
    iam: ["ec2:AuthorizeSecurityGroupIngress", "ec2:CreateTags", "ec2:DescribeSecurityGroupRules"],
  },
  RevokeSecurityGroupIngress: {
    // The rules the call would remove, with descriptions and tags: the undo puts exactly these back.
    observe: async (aws, input) => toJson({ rules: targetsOf(await inboundRules(aws, input), input) }),
    satisfied: (observed) =>
      recordsOf(field(observed, "rules")).length === 0 ? { RevokedSecurityGroupRuleIds: [] } : undefined,
    output: (response) => ({
      RevokedSecurityGroupRuleIds: (
        (response.RevokedSecurityGroupRules as { SecurityGroupRuleId?: string }[] | undefined) ?? []
      ).flatMap((r) => (r.SecurityGroupRuleId ? [r.SecurityGroupRuleId] : [])),
    }),
    // One call per rule: each comes back with its own description and tags.
    undo: (input, before): Call[] =>
      recordsOf(field(before, "rules")).map((rule) => ({
        service: "ec2",
        action: "AuthorizeSecurityGroupIngress",
        input: restoreInput(groupIdOf(input), rule),
      })),
    iam: ["ec2:RevokeSecurityGroupIngress", "ec2:DescribeSecurityGroupRules"],
  },
};

function groupIdOf(input: ResolvedInput): string {
  if (typeof input.GroupId !== "string" || input.GroupId === "") {
    throw new Error("a security-group step must name its group by GroupId");
  }
  return input.GroupId;
}

/** The group's inbound rules as EC2 lists them now. */
async function inboundRules(aws: Aws, input: ResolvedInput): Promise<RuleRecord[]> {
  const rules: RuleRecord[] = [];
  const pages = paginateDescribeSecurityGroupRules(
    { client: aws.ec2 },
    { Filters: [{ Name: "group-id", Values: [groupIdOf(input)] }], MaxResults: 1000 },
  );
  for await (const page of pages) {
    for (const rule of page.SecurityGroupRules ?? []) if (!rule.IsEgress) rules.push(recordOf(rule));
  }
  return rules;
}

function recordOf(rule: SecurityGroupRule): RuleRecord {
  const tags = (rule.Tags ?? []).flatMap((t) => (t.Key ? [{ Key: t.Key, Value: t.Value ?? "" }] : []));
  return toJson({
    SecurityGroupRuleId: rule.SecurityGroupRuleId ?? "",
    IpProtocol: rule.IpProtocol ?? "-1",
    FromPort: rule.FromPort,
    ToPort: rule.ToPort,
    CidrIpv4: rule.CidrIpv4,
    CidrIpv6: rule.CidrIpv6,
    PrefixListId: rule.PrefixListId,
    ReferencedGroupId: rule.ReferencedGroupInfo?.GroupId,
    Description: rule.Description,
    ...(tags.length > 0 ? { Tags: tags } : {}),
  }) as unknown as RuleRecord;
}

function recordsOf(value: Json | undefined): RuleRecord[] {
  return Array.isArray(value) ? (value as unknown as RuleRecord[]) : [];
}

/** The rules a revoke names: by id, or by protocol, ports and source. */
function targetsOf(rules: readonly RuleRecord[], input: ResolvedInput): RuleRecord[] {
  const ids = stringsOf(input.SecurityGroupRuleIds as Json | undefined);
  if (ids.length > 0) return rules.filter((rule) => ids.includes(rule.SecurityGroupRuleId));
  const wanted = new Set(requestedKeys(input));
  if (wanted.size === 0) throw new Error("a revoke step must name its rules (SecurityGroupRuleIds or IpPermissions)");
  return rules.filter((rule) => wanted.has(ruleKey(rule)));
}

/** A rule as one IpPermission with one source (and its description). */
function permissionOf(rule: RuleRecord): Record<string, Json> {
  const described: { [key: string]: Json } = rule.Description === undefined ? {} : { Description: rule.Description };
  return {
    IpProtocol: rule.IpProtocol,
    ...(rule.IpProtocol === "-1" ? {} : { FromPort: rule.FromPort ?? -1, ToPort: rule.ToPort ?? -1 }),
    ...(rule.CidrIpv4 ? { IpRanges: [{ CidrIp: rule.CidrIpv4, ...described }] } : {}),
    ...(rule.CidrIpv6 ? { Ipv6Ranges: [{ CidrIpv6: rule.CidrIpv6, ...described }] } : {}),
    ...(rule.PrefixListId ? { PrefixListIds: [{ PrefixListId: rule.PrefixListId, ...described }] } : {}),
    ...(rule.ReferencedGroupId ? { UserIdGroupPairs: [{ GroupId: rule.ReferencedGroupId, ...described }] } : {}),
  };
}

function restoreInput(groupId: string, rule: RuleRecord): Record<string, Json> {
  const tags = (rule.Tags ?? []).filter((t) => !t.Key.startsWith(RESERVED_TAG_PREFIX));
  return {
    GroupId: groupId,
    IpPermissions: [permissionOf(rule)],
    ...(tags.length > 0 ? { TagSpecifications: [{ ResourceType: "security-group-rule", Tags: tags }] } : {}),
  };
}

/** What makes two rules the same to EC2, computed as the network checks read permissions. */
function ruleKey(rule: RuleRecord): string {
  return keysOf("", [permissionOf(rule)])[0] ?? rule.SecurityGroupRuleId;
}

function requestedKeys(input: ResolvedInput): string[] {
  return keysOf("", (input.IpPermissions as Json[] | undefined) ?? []);
}

function keysOf(groupId: string, permissions: readonly unknown[]): string[] {
  return ingressOf({ GroupId: groupId, IpPermissions: permissions as Group["IpPermissions"] }).map(ingressKey);
}

function requestedTags(input: ResolvedInput): { Key: string; Value: string }[] {
  const specifications =
    (input.TagSpecifications as { ResourceType?: string; Tags?: { Key?: string; Value?: string }[] }[] | undefined) ??
    [];
  return specifications
    .filter((s) => s.ResourceType === undefined || s.ResourceType === "security-group-rule")
    .flatMap((s) => s.Tags ?? [])
    .flatMap((t) => (t.Key ? [{ Key: t.Key, Value: t.Value ?? "" }] : []));
}

function carries(rule: RuleRecord, tag: { Key: string; Value: string }): boolean {
  return (rule.Tags ?? []).some((t) => t.Key === tag.Key && t.Value === tag.Value);
}

function stringsOf(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
