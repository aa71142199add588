// The ec2 and elbv2 action specs' pure halves: when a step counts as done, what it outputs, how it is undone.
import { describe, expect, test } from "vitest";
import type { ActionSpec } from "../../../lib/fixes/action";
import { EC2_ACTIONS } from "../../../lib/fixes/actions/ec2";
import { canonicalActions, ELBV2_ACTIONS } from "../../../lib/fixes/actions/elbv2";

const spec = (table: Readonly<Record<string, ActionSpec>>, action: string): ActionSpec => {
  const found = table[action];
  if (!found) throw new Error(`no spec for ${action}`);
  return found;
};
const authorize = spec(EC2_ACTIONS, "AuthorizeSecurityGroupIngress");
const revoke = spec(EC2_ACTIONS, "RevokeSecurityGroupIngress");
const modifyListener = spec(ELBV2_ACTIONS, "ModifyListener");

const GROUP = "sg-0task";
const TAG = { Key: "ecs-takeover:change", Value: "task-sg-open" };
const fromAlb = {
  GroupId: GROUP,
  IpPermissions: [
    { IpProtocol: "tcp", FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: "sg-0alb", Description: "x" }] },
  ],
  TagSpecifications: [{ ResourceType: "security-group-rule", Tags: [TAG] }],
};
const albRule = {
  SecurityGroupRuleId: "sgr-1",
  IpProtocol: "tcp",
  FromPort: 80,
  ToPort: 80,
  ReferencedGroupId: "sg-0alb",
};

describe("ec2 AuthorizeSecurityGroupIngress", () => {
  test("not satisfied while the rule is missing", () => {
    expect(authorize.satisfied({ existing: [] }, fromAlb)).toBeUndefined();
  });

  test("satisfied by an equal rule whatever its description; ours only when it carries the step's tag", () => {
    expect(authorize.satisfied({ existing: [{ ...albRule, Description: "other", Tags: [TAG] }] }, fromAlb)).toEqual({
      SecurityGroupRuleIds: ["sgr-1"],
    });
    expect(authorize.satisfied({ existing: [albRule] }, fromAlb)).toEqual({ SecurityGroupRuleIds: [] });
  });

  test("the protocol may come back as a number, and 6 is tcp", () => {
    const numeric = { ...fromAlb, IpPermissions: [{ ...fromAlb.IpPermissions[0], IpProtocol: "6" }] };
    expect(authorize.satisfied({ existing: [albRule] }, numeric)).toBeDefined();
  });

  test("undo revokes exactly the rules it created, and nothing when it created none", () => {
    expect(authorize.undo(fromAlb, { existing: [] }, { SecurityGroupRuleIds: ["sgr-9"] })).toEqual([
      {
        service: "ec2",
        action: "RevokeSecurityGroupIngress",
        input: { GroupId: GROUP, SecurityGroupRuleIds: ["sgr-9"] },
      },
    ]);
    expect(authorize.undo(fromAlb, { existing: [albRule] }, { SecurityGroupRuleIds: [] })).toEqual([]);
  });

  test("output keeps the new rules' ids only", () => {
    const response = {
      Return: true,
      SecurityGroupRules: [{ SecurityGroupRuleId: "sgr-9", GroupId: GROUP, CidrIpv4: "x" }],
    };
    expect(authorize.output(response, fromAlb)).toEqual({ SecurityGroupRuleIds: ["sgr-9"] });
  });
});

describe("ec2 RevokeSecurityGroupIngress", () => {
  const vpcRule = {
    SecurityGroupRuleId: "sgr-2",
    IpProtocol: "tcp",
    FromPort: 80,
    ToPort: 80,
    CidrIpv4: "10.0.0.0/16",
    Description: "from the VPC",
    Tags: [
      { Key: "team", Value: "web" },
      { Key: "aws:cloudformation:stack-name", Value: "s" },
    ],
  };
  const input = {
    GroupId: GROUP,
    IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "10.0.0.0/16" }] }],
  };

  test("satisfied once the rule is gone", () => {
    expect(revoke.satisfied({ rules: [vpcRule] }, input)).toBeUndefined();
    expect(revoke.satisfied({ rules: [] }, input)).toEqual({ RevokedSecurityGroupRuleIds: [] });
  });

  test("undo adds back exactly the recorded rule: description and (non-reserved) tags", () => {
    expect(revoke.undo(input, { rules: [vpcRule] }, {})).toEqual([
      {
        service: "ec2",
        action: "AuthorizeSecurityGroupIngress",
        input: {
          GroupId: GROUP,
          IpPermissions: [
            {
              IpProtocol: "tcp",
              FromPort: 80,
              ToPort: 80,
              IpRanges: [{ CidrIp: "10.0.0.0/16", Description: "from the VPC" }],
            },
          ],
          TagSpecifications: [{ ResourceType: "security-group-rule", Tags: [{ Key: "team", Value: "web" }] }],
        },
      },
    ]);
    expect(revoke.undo(input, { rules: [] }, {})).toEqual([]);
  });
});

describe("elbv2 ModifyListener", () => {
  const TG = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/my-web-tg/1";
  const ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/my-web-alb/1/2";
  const redirect = { Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } };
  const described = {
    Type: "redirect",
    Order: 1,
    RedirectConfig: {
      StatusCode: "HTTP_301",
      Protocol: "HTTPS",
      Port: "443",
      Host: "#{host}",
      Path: "/#{path}",
      Query: "#{query}",
    },
  };
  const forward = {
    Type: "forward",
    TargetGroupArn: TG,
    Order: 1,
    ForwardConfig: {
      TargetGroups: [{ TargetGroupArn: TG, Weight: 1 }],
      TargetGroupStickinessConfig: { Enabled: false },
    },
  };

  test("the defaults ELBv2 fills in do not count as a difference", () => {
    expect(canonicalActions([described])).toBe(canonicalActions([redirect]));
    expect(canonicalActions([forward])).toBe(canonicalActions([{ Type: "forward", TargetGroupArn: TG }]));
    expect(canonicalActions([forward])).not.toBe(canonicalActions([redirect]));
    expect(
      canonicalActions([{ ...described, RedirectConfig: { ...described.RedirectConfig, Port: "8443" } }]),
    ).not.toBe(canonicalActions([redirect]));
  });

  test("satisfied when the listener already does it; undo puts the old default actions back", () => {
    const input = { ListenerArn: ARN, DefaultActions: [redirect] };
    const before = { ListenerArn: ARN, Port: 80, Protocol: "HTTP", DefaultActions: [forward] };
    expect(modifyListener.satisfied(before, input)).toBeUndefined();
    expect(modifyListener.satisfied({ ...before, DefaultActions: [described] }, input)).toEqual({ ListenerArn: ARN });
    expect(modifyListener.satisfied(null, input)).toBeUndefined();
    expect(modifyListener.undo(input, before, { ListenerArn: ARN })).toEqual([
      { service: "elbv2", action: "ModifyListener", input: { ListenerArn: ARN, DefaultActions: [forward] } },
    ]);
  });

  test("an OIDC action comes back with the secret the listener keeps (Describe never returns it)", () => {
    const oidc = { Type: "authenticate-oidc", Order: 1, AuthenticateOidcConfig: { ClientId: "c", Issuer: "i" } };
    const [call] = modifyListener.undo({ ListenerArn: ARN }, { DefaultActions: [oidc, { ...forward, Order: 2 }] }, {});
    expect(call?.input.DefaultActions).toEqual([
      { ...oidc, AuthenticateOidcConfig: { ClientId: "c", Issuer: "i", UseExistingClientSecret: true } },
      { ...forward, Order: 2 },
    ]);
  });
});
