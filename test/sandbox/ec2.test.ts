import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
  paginateDescribeNetworkInterfaces,
  paginateDescribeSecurityGroupRules,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type SecurityGroup,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawHex } from "../../lib/sandbox/clock";
import { startSandbox } from "../../lib/sandbox/server";
import {
  addNetworkInterface,
  addRouteTable,
  addSecurityGroup,
  addSubnet,
  addVpc,
  addVpcEndpoint,
  type IdSource,
} from "../../lib/sandbox/services/ec2";
import { emptyState, type SandboxState } from "../../lib/sandbox/state";
import { clientConfig } from "./client";

/** The seed talk's network: VPC, two public and two private subnets, the three named groups, Aurora's ENIs. */
function buildNetwork() {
  const state = emptyState("test");
  const ids: IdSource = { hex: (length) => drawHex(state, length) };
  const vpc = addVpc(state, ids, { cidrBlock: "10.0.0.0/16", name: "my-vpc" });
  const vpcId = vpc.VpcId ?? "";
  const subnet = (name: string, cidrBlock: string, availabilityZone: string) =>
    addSubnet(state, ids, { vpcId, cidrBlock, availabilityZone, name, mapPublicIpOnLaunch: name.startsWith("public") });
  const publicA = subnet("public-a", "10.0.0.0/24", "ap-northeast-1a");
  const publicC = subnet("public-c", "10.0.1.0/24", "ap-northeast-1c");
  const privateA = subnet("private-a", "10.0.10.0/24", "ap-northeast-1a");
  const privateC = subnet("private-c", "10.0.11.0/24", "ap-northeast-1c");
  const publicRoutes = addRouteTable(state, ids, {
    vpcId,
    name: "public",
    routes: [{ DestinationCidrBlock: "0.0.0.0/0", GatewayId: "igw-0123456789abcdef0" }],
    subnetIds: [publicA.SubnetId ?? "", publicC.SubnetId ?? ""],
  });
  const privateRoutes = addRouteTable(state, ids, {
    vpcId,
    name: "private",
    routes: [{ DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: "nat-0123456789abcdef0" }],
    subnetIds: [privateA.SubnetId ?? "", privateC.SubnetId ?? ""],
  });
  const alb = addSecurityGroup(state, ids, {
    name: "my-web-alb",
    description: "ALB",
    vpcId,
    nameTag: "sg-ALB",
    ingress: [
      { port: 443, cidr: "0.0.0.0/0" },
      { port: 80, cidr: "0.0.0.0/0" },
    ],
  });
  const task = addSecurityGroup(state, ids, {
    name: "my-web-task",
    description: "ECS tasks",
    vpcId,
    nameTag: "sg-ECSTask",
    ingress: [{ port: 80, cidr: "10.0.0.0/16" }],
  });
  const db = addSecurityGroup(state, ids, {
    name: "my-db",
    description: "Aurora",
    vpcId,
    nameTag: "sg-AuroraDB",
    ingress: [{ port: 3306, cidr: "10.0.0.0/16" }],
  });
  const rds = [privateA, privateC].map((s) =>
    addNetworkInterface(state, ids, {
      subnetId: s.SubnetId ?? "",
      groupIds: [db.GroupId ?? ""],
      description: "RDSNetworkInterface",
      requesterId: "amazon-rds",
    }),
  );
  const ecrEndpoint = addVpcEndpoint(state, ids, {
    vpcId,
    serviceName: "com.amazonaws.ap-northeast-1.ecr.dkr",
    type: "Interface",
    subnetIds: [privateA.SubnetId ?? "", privateC.SubnetId ?? ""],
    groupIds: [task.GroupId ?? ""],
  });
  const s3Endpoint = addVpcEndpoint(state, ids, {
    vpcId,
    serviceName: "com.amazonaws.ap-northeast-1.s3",
    type: "Gateway",
    routeTableIds: [privateRoutes.RouteTableId ?? ""],
  });
  return {
    state,
    ids,
    vpcId,
    subnets: { publicA, publicC, privateA, privateC },
    routes: { publicRoutes, privateRoutes },
    groups: { alb, task, db },
    rds,
    endpoints: { ecrEndpoint, s3Endpoint },
  };
}

type Network = ReturnType<typeof buildNetwork>;

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("expected the call to fail");
}

const byName = (name: string) => [{ Name: "tag:Name", Values: [name] }];

describe("EC2 through the SDK", () => {
  let net: Network;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let ec2: EC2Client;
  let state: SandboxState;

  beforeAll(async () => {
    net = buildNetwork();
    sandbox = await startSandbox({ port: 0, state: net.state, clock: "2026-11-01T00:00:00Z" });
    state = sandbox.state;
    ec2 = new EC2Client(clientConfig(sandbox.endpoint, { maxAttempts: 1 }));
  });

  afterAll(async () => {
    ec2?.destroy();
    await sandbox?.stop();
  });

  describe("DescribeVpcs", () => {
    it("lists the VPC with its CIDR and Name tag, by id and by filters", async () => {
      const all = await ec2.send(new DescribeVpcsCommand({}));
      expect(all.Vpcs).toHaveLength(1);
      expect(all.Vpcs?.[0]).toMatchObject({
        VpcId: expect.stringMatching(/^vpc-[0-9a-f]{17}$/),
        CidrBlock: "10.0.0.0/16",
        IsDefault: false,
        State: "available",
        Tags: [{ Key: "Name", Value: "my-vpc" }],
      });
      const byId = await ec2.send(new DescribeVpcsCommand({ VpcIds: [net.vpcId] }));
      expect(byId.Vpcs?.map((v) => v.VpcId)).toEqual([net.vpcId]);
      const tagged = await ec2.send(new DescribeVpcsCommand({ Filters: byName("my-*") }));
      expect(tagged.Vpcs).toHaveLength(1);
      const none = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "cidr", Values: ["172.16.0.0/16"] }] }));
      expect(none.Vpcs).toEqual([]);
    });

    it("answers InvalidVpcID.NotFound for a missing id and InvalidParameterValue for an unknown filter", async () => {
      const missing = await failure(ec2.send(new DescribeVpcsCommand({ VpcIds: ["vpc-0000000000000000a"] })));
      expect(missing).toMatchObject({
        name: "InvalidVpcID.NotFound",
        message: "The vpc ID 'vpc-0000000000000000a' does not exist",
        status: 400,
      });
      const filter = await failure(ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "colour", Values: ["x"] }] })));
      expect(filter.name).toBe("InvalidParameterValue");
    });
  });

  describe("DescribeSubnets", () => {
    it("filters by vpc-id and tag:Name wildcards and counts the addresses ENIs take", async () => {
      const out = await ec2.send(
        new DescribeSubnetsCommand({
          Filters: [
            { Name: "vpc-id", Values: [net.vpcId] },
            { Name: "tag:Name", Values: ["private-*"] },
          ],
        }),
      );
      expect(out.Subnets?.map((s) => s.CidrBlock)).toEqual(["10.0.10.0/24", "10.0.11.0/24"]);
      // 256 - 5 reserved - one Aurora ENI - one interface-endpoint ENI.
      expect(out.Subnets?.[0]?.AvailableIpAddressCount).toBe(249);
      expect(out.Subnets?.[0]?.AvailabilityZone).toBe("ap-northeast-1a");
      const publicOnes = await ec2.send(
        new DescribeSubnetsCommand({ Filters: [{ Name: "map-public-ip-on-launch", Values: ["true"] }] }),
      );
      expect(publicOnes.Subnets?.map((s) => s.SubnetId)).toEqual([
        net.subnets.publicA.SubnetId,
        net.subnets.publicC.SubnetId,
      ]);
    });

    it("answers InvalidSubnetID.NotFound for a missing id", async () => {
      const error = await failure(ec2.send(new DescribeSubnetsCommand({ SubnetIds: ["subnet-0000000000000000a"] })));
      expect(error).toMatchObject({
        name: "InvalidSubnetID.NotFound",
        message: "The subnet ID 'subnet-0000000000000000a' does not exist",
      });
    });
  });

  describe("DescribeRouteTables", () => {
    it("finds a subnet's table by association.subnet-id, and the main one by association.main", async () => {
      const forPrivate = await ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [{ Name: "association.subnet-id", Values: [net.subnets.privateA.SubnetId ?? ""] }],
        }),
      );
      expect(forPrivate.RouteTables?.map((r) => r.RouteTableId)).toEqual([net.routes.privateRoutes.RouteTableId]);
      expect(forPrivate.RouteTables?.[0]?.Routes).toEqual([
        { DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local", Origin: "CreateRouteTable", State: "active" },
        {
          DestinationCidrBlock: "0.0.0.0/0",
          NatGatewayId: "nat-0123456789abcdef0",
          Origin: "CreateRoute",
          State: "active",
        },
      ]);
      const main = await ec2.send(
        new DescribeRouteTablesCommand({ Filters: [{ Name: "association.main", Values: ["true"] }] }),
      );
      expect(main.RouteTables).toHaveLength(1);
      expect(main.RouteTables?.[0]?.Associations?.[0]).toMatchObject({ Main: true });
      const byId = await ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [{ Name: "route-table-id", Values: [net.routes.publicRoutes.RouteTableId ?? ""] }],
        }),
      );
      expect(byId.RouteTables?.[0]?.Routes?.[1]?.GatewayId).toBe("igw-0123456789abcdef0");
    });

    it("answers InvalidRouteTableID.NotFound for a missing id", async () => {
      const error = await failure(
        ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: ["rtb-0000000000000000a"] })),
      );
      expect(error.name).toBe("InvalidRouteTableID.NotFound");
    });
  });

  describe("DescribeSecurityGroups", () => {
    it("finds groups by tag:Name, group-name and vpc-id, with their permissions grouped from the rules", async () => {
      const task = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: byName("sg-ECSTask") }));
      expect(task.SecurityGroups).toHaveLength(1);
      expect(task.SecurityGroups?.[0]).toMatchObject({
        GroupId: expect.stringMatching(/^sg-[0-9a-f]{17}$/),
        GroupName: "my-web-task",
        VpcId: net.vpcId,
        OwnerId: "123456789012",
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: 80,
            ToPort: 80,
            IpRanges: [{ CidrIp: "10.0.0.0/16" }],
            UserIdGroupPairs: [],
            Ipv6Ranges: [],
            PrefixListIds: [],
          },
        ],
        IpPermissionsEgress: [
          {
            IpProtocol: "-1",
            IpRanges: [{ CidrIp: "0.0.0.0/0" }],
            UserIdGroupPairs: [],
            Ipv6Ranges: [],
            PrefixListIds: [],
          },
        ],
      });
      const db = await ec2.send(
        new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: ["my-db"] }] }),
      );
      expect(db.SecurityGroups?.map((g) => g.Tags)).toEqual([[{ Key: "Name", Value: "sg-AuroraDB" }]]);
      const inVpc = await ec2.send(
        new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [net.vpcId] }] }),
      );
      expect(inVpc.SecurityGroups?.map((g) => g.GroupName)).toEqual(["default", "my-web-alb", "my-web-task", "my-db"]);
      const world = await ec2.send(
        new DescribeSecurityGroupsCommand({ Filters: [{ Name: "ip-permission.cidr", Values: ["0.0.0.0/0"] }] }),
      );
      expect(world.SecurityGroups?.map((g) => g.GroupName)).toEqual(["my-web-alb"]);
      const mine = await ec2.send(
        new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: ["my-web-*"] }] }),
      );
      expect(mine.SecurityGroups?.map((g) => g.GroupName)).toEqual(["my-web-alb", "my-web-task"]);
    });

    it("shows the default group's self reference as a UserIdGroupPair", async () => {
      const out = await ec2.send(
        new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: ["default"] }] }),
      );
      const group = out.SecurityGroups?.[0] as SecurityGroup;
      expect(group.IpPermissions?.[0]?.UserIdGroupPairs).toEqual([{ UserId: "123456789012", GroupId: group.GroupId }]);
    });

    it("answers InvalidGroup.NotFound for a missing id, and refuses ids together with MaxResults", async () => {
      const missing = await failure(
        ec2.send(
          new DescribeSecurityGroupsCommand({ GroupIds: [net.groups.db.GroupId ?? "", "sg-0000000000000000a"] }),
        ),
      );
      expect(missing).toMatchObject({
        name: "InvalidGroup.NotFound",
        message: "The security group 'sg-0000000000000000a' does not exist",
        status: 400,
      });
      const malformed = await failure(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ["my-db"] })));
      expect(malformed.name).toBe("InvalidGroupId.Malformed");
      const combined = await failure(
        ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [net.groups.db.GroupId ?? ""], MaxResults: 5 })),
      );
      expect(combined.name).toBe("InvalidParameterCombination");
    });

    it("answers DryRunOperation (412) to a describe that would succeed", async () => {
      const error = await failure(ec2.send(new DescribeSecurityGroupsCommand({ DryRun: true })));
      expect(error).toMatchObject({ name: "DryRunOperation", status: 412 });
    });
  });

  describe("DescribeSecurityGroupRules", () => {
    it("lists one rule per source with sgr- ids, by group-id and by id", async () => {
      const out = await ec2.send(
        new DescribeSecurityGroupRulesCommand({
          Filters: [{ Name: "group-id", Values: [net.groups.alb.GroupId ?? ""] }],
        }),
      );
      expect(out.SecurityGroupRules).toHaveLength(3);
      const ingress = out.SecurityGroupRules?.filter((r) => !r.IsEgress);
      expect(ingress?.map((r) => [r.FromPort, r.CidrIpv4])).toEqual([
        [443, "0.0.0.0/0"],
        [80, "0.0.0.0/0"],
      ]);
      const first = ingress?.[0];
      expect(first?.SecurityGroupRuleId).toMatch(/^sgr-[0-9a-f]{17}$/);
      expect(first?.SecurityGroupRuleArn).toBe(
        `arn:aws:ec2:ap-northeast-1:123456789012:security-group-rule/${first?.SecurityGroupRuleId}`,
      );
      const one = await ec2.send(
        new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [first?.SecurityGroupRuleId ?? ""] }),
      );
      expect(one.SecurityGroupRules).toEqual([first]);
    });

    it("answers InvalidSecurityGroupRuleId.NotFound for a missing id", async () => {
      const error = await failure(
        ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: ["sgr-0000000000000000a"] })),
      );
      expect(error.name).toBe("InvalidSecurityGroupRuleId.NotFound");
    });
  });

  describe("AuthorizeSecurityGroupIngress and RevokeSecurityGroupIngress", () => {
    const taskGroupId = () => net.groups.task.GroupId ?? "";
    const fromAlb = () => [
      { IpProtocol: "tcp", FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: net.groups.alb.GroupId }] },
    ];
    const fromVpc = [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "10.0.0.0/16" }] }];
    const ingressOf = (groupId: string) =>
      state.ec2.securityGroupRules.filter((r) => r.GroupId === groupId && !r.IsEgress);

    it("answers a DryRun that would succeed with DryRunOperation and changes nothing", async () => {
      const before = ingressOf(taskGroupId()).length;
      const error = await failure(
        ec2.send(
          new AuthorizeSecurityGroupIngressCommand({ GroupId: taskGroupId(), IpPermissions: fromAlb(), DryRun: true }),
        ),
      );
      expect(error).toMatchObject({
        name: "DryRunOperation",
        message: "Request would have succeeded, but DryRun flag is set.",
        status: 412,
      });
      expect(ingressOf(taskGroupId())).toHaveLength(before);
    });

    it("adds a rule from the ALB's group and returns it with its sgr- id", async () => {
      const out = await ec2.send(
        new AuthorizeSecurityGroupIngressCommand({ GroupId: taskGroupId(), IpPermissions: fromAlb() }),
      );
      expect(out.Return).toBe(true);
      expect(out.SecurityGroupRules).toHaveLength(1);
      expect(out.SecurityGroupRules?.[0]).toMatchObject({
        SecurityGroupRuleId: expect.stringMatching(/^sgr-[0-9a-f]{17}$/),
        GroupId: taskGroupId(),
        IsEgress: false,
        IpProtocol: "tcp",
        FromPort: 80,
        ToPort: 80,
        ReferencedGroupInfo: { GroupId: net.groups.alb.GroupId, UserId: "123456789012" },
      });
      const described = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [taskGroupId()] }));
      expect(described.SecurityGroups?.[0]?.IpPermissions).toEqual([
        {
          IpProtocol: "tcp",
          FromPort: 80,
          ToPort: 80,
          IpRanges: [{ CidrIp: "10.0.0.0/16" }],
          UserIdGroupPairs: [{ UserId: "123456789012", GroupId: net.groups.alb.GroupId }],
          Ipv6Ranges: [],
          PrefixListIds: [],
        },
      ]);
      const bySource = await ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [{ Name: "ip-permission.group-id", Values: [net.groups.alb.GroupId ?? ""] }],
        }),
      );
      expect(bySource.SecurityGroups?.map((g) => g.GroupName)).toEqual(["my-web-task"]);
    });

    it("refuses a rule that already exists with InvalidPermission.Duplicate", async () => {
      const error = await failure(
        ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: taskGroupId(), IpPermissions: fromAlb() })),
      );
      expect(error.name).toBe("InvalidPermission.Duplicate");
      expect(error.message).toContain("already exists");
    });

    it("answers InvalidGroup.NotFound for a group or a source group that does not exist", async () => {
      const group = await failure(
        ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: "sg-0000000000000000a", IpPermissions: fromVpc })),
      );
      expect(group.name).toBe("InvalidGroup.NotFound");
      const source = await failure(
        ec2.send(
          new AuthorizeSecurityGroupIngressCommand({
            GroupId: taskGroupId(),
            IpPermissions: [
              { IpProtocol: "tcp", FromPort: 81, ToPort: 81, UserIdGroupPairs: [{ GroupId: "sg-0000000000000000b" }] },
            ],
          }),
        ),
      );
      expect(source.name).toBe("InvalidGroup.NotFound");
    });

    it("revokes by IpPermissions, honouring DryRun first", async () => {
      const dry = await failure(
        ec2.send(
          new RevokeSecurityGroupIngressCommand({ GroupId: taskGroupId(), IpPermissions: fromVpc, DryRun: true }),
        ),
      );
      expect(dry).toMatchObject({ name: "DryRunOperation", status: 412 });
      expect(ingressOf(taskGroupId())).toHaveLength(2);
      const out = await ec2.send(
        new RevokeSecurityGroupIngressCommand({ GroupId: taskGroupId(), IpPermissions: fromVpc }),
      );
      expect(out.Return).toBe(true);
      expect(out.RevokedSecurityGroupRules).toMatchObject([
        { GroupId: taskGroupId(), CidrIpv4: "10.0.0.0/16", FromPort: 80 },
      ]);
      expect(ingressOf(taskGroupId()).map((r) => r.ReferencedGroupInfo?.GroupId)).toEqual([net.groups.alb.GroupId]);
    });

    it("answers InvalidPermission.NotFound when the rule to revoke does not exist in a non-default VPC", async () => {
      const error = await failure(
        ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: taskGroupId(), IpPermissions: fromVpc })),
      );
      expect(error.name).toBe("InvalidPermission.NotFound");
    });

    it("revokes by SecurityGroupRuleIds, and answers InvalidSecurityGroupRuleId.NotFound for an unknown id", async () => {
      const dbId = net.groups.db.GroupId ?? "";
      const ruleId = ingressOf(dbId)[0]?.SecurityGroupRuleId ?? "";
      const unknown = await failure(
        ec2.send(
          new RevokeSecurityGroupIngressCommand({ GroupId: dbId, SecurityGroupRuleIds: ["sgr-0000000000000000a"] }),
        ),
      );
      expect(unknown.name).toBe("InvalidSecurityGroupRuleId.NotFound");
      const out = await ec2.send(
        new RevokeSecurityGroupIngressCommand({ GroupId: dbId, SecurityGroupRuleIds: [ruleId] }),
      );
      expect(out.Return).toBe(true);
      expect(out.RevokedSecurityGroupRules?.map((r) => r.SecurityGroupRuleId)).toEqual([ruleId]);
      expect(ingressOf(dbId)).toEqual([]);
    });

    it("returns unknown permissions instead of failing in a default VPC", async () => {
      const local = emptyState("default-vpc");
      const localIds: IdSource = { hex: (n) => drawHex(local, n) };
      const vpc = addVpc(local, localIds, { cidrBlock: "172.31.0.0/16", isDefault: true });
      const group = addSecurityGroup(local, localIds, { name: "web", description: "web", vpcId: vpc.VpcId ?? "" });
      const other = await startSandbox({ port: 0, state: local });
      const client = new EC2Client(clientConfig(other.endpoint, { maxAttempts: 1 }));
      try {
        const out = await client.send(
          new RevokeSecurityGroupIngressCommand({ GroupName: "web", IpPermissions: fromVpc }),
        );
        expect(out.Return).toBe(false);
        expect(out.UnknownIpPermissions?.[0]).toMatchObject({ IpProtocol: "tcp", FromPort: 80, ToPort: 80 });
        expect(group.GroupId).toMatch(/^sg-/);
      } finally {
        client.destroy();
        await other.stop();
      }
    });
  });

  describe("AuthorizeSecurityGroupEgress and RevokeSecurityGroupEgress", () => {
    it("replaces the allow-all egress rule with one to the database", async () => {
      const groupId = net.groups.task.GroupId ?? "";
      const all = [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }];
      const revoked = await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: all }));
      expect(revoked.Return).toBe(true);
      const added = await ec2.send(
        new AuthorizeSecurityGroupEgressCommand({
          GroupId: groupId,
          IpPermissions: [
            { IpProtocol: "tcp", FromPort: 3306, ToPort: 3306, UserIdGroupPairs: [{ GroupId: net.groups.db.GroupId }] },
          ],
        }),
      );
      expect(added.SecurityGroupRules?.[0]).toMatchObject({ IsEgress: true, FromPort: 3306 });
      const described = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
      expect(described.SecurityGroups?.[0]?.IpPermissionsEgress?.map((p) => p.FromPort)).toEqual([3306]);
      const dry = await failure(
        ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: all, DryRun: true })),
      );
      expect(dry.name).toBe("DryRunOperation");
    });
  });

  describe("DescribeNetworkInterfaces", () => {
    it("finds Aurora's interfaces by requester-id, description and group-id", async () => {
      const byRequester = await ec2.send(
        new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "requester-id", Values: ["amazon-rds"] }] }),
      );
      expect(byRequester.NetworkInterfaces?.map((e) => e.NetworkInterfaceId)).toEqual(
        net.rds.map((e) => e.NetworkInterfaceId),
      );
      expect(byRequester.NetworkInterfaces?.[0]).toMatchObject({
        NetworkInterfaceId: expect.stringMatching(/^eni-[0-9a-f]{17}$/),
        Description: "RDSNetworkInterface",
        RequesterManaged: true,
        VpcId: net.vpcId,
        PrivateIpAddress: "10.0.10.4",
        Groups: [{ GroupId: net.groups.db.GroupId, GroupName: "my-db" }],
      });
      const byGroup = await ec2.send(
        new DescribeNetworkInterfacesCommand({
          Filters: [
            { Name: "group-id", Values: [net.groups.db.GroupId ?? ""] },
            { Name: "description", Values: ["RDS*"] },
          ],
        }),
      );
      expect(byGroup.NetworkInterfaces).toHaveLength(2);
      const byIp = await ec2.send(
        new DescribeNetworkInterfacesCommand({
          Filters: [{ Name: "addresses.private-ip-address", Values: [net.rds[1]?.PrivateIpAddress ?? ""] }],
        }),
      );
      expect(byIp.NetworkInterfaces?.map((e) => e.NetworkInterfaceId)).toEqual([net.rds[1]?.NetworkInterfaceId]);
      const byId = await ec2.send(
        new DescribeNetworkInterfacesCommand({
          Filters: [{ Name: "network-interface-id", Values: [net.rds[0]?.NetworkInterfaceId ?? ""] }],
        }),
      );
      expect(byId.NetworkInterfaces).toHaveLength(1);
    });

    it("answers InvalidNetworkInterfaceID.NotFound for a missing id", async () => {
      const error = await failure(
        ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ["eni-0000000000000000a"] })),
      );
      expect(error).toMatchObject({
        name: "InvalidNetworkInterfaceID.NotFound",
        message: "The networkInterface ID 'eni-0000000000000000a' does not exist",
      });
    });
  });

  describe("DescribeVpcEndpoints", () => {
    it("filters by vpc-endpoint-type and service-name", async () => {
      const iface = await ec2.send(
        new DescribeVpcEndpointsCommand({ Filters: [{ Name: "vpc-endpoint-type", Values: ["Interface"] }] }),
      );
      expect(iface.VpcEndpoints?.map((e) => e.ServiceName)).toEqual(["com.amazonaws.ap-northeast-1.ecr.dkr"]);
      expect(iface.VpcEndpoints?.[0]).toMatchObject({
        VpcEndpointId: expect.stringMatching(/^vpce-[0-9a-f]{17}$/),
        State: "available",
        PrivateDnsEnabled: true,
      });
      expect(iface.VpcEndpoints?.[0]?.NetworkInterfaceIds).toHaveLength(2);
      const s3 = await ec2.send(
        new DescribeVpcEndpointsCommand({ Filters: [{ Name: "service-name", Values: ["*.s3"] }] }),
      );
      expect(s3.VpcEndpoints?.[0]?.RouteTableIds).toEqual([net.routes.privateRoutes.RouteTableId]);
    });
  });
});

describe("EC2 paging through the SDK's paginators", () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let ec2: EC2Client;
  let groupIds: string[];
  let eniIds: string[];

  beforeAll(async () => {
    const state = emptyState("paging");
    const ids: IdSource = { hex: (n) => drawHex(state, n) };
    const vpc = addVpc(state, ids, { cidrBlock: "10.0.0.0/16", withDefaults: false });
    const subnet = addSubnet(state, ids, {
      vpcId: vpc.VpcId ?? "",
      cidrBlock: "10.0.0.0/20",
      availabilityZone: "ap-northeast-1a",
    });
    groupIds = [];
    for (let i = 0; i < 1200; i++) {
      const group = addSecurityGroup(state, ids, {
        name: `group-${i}`,
        description: `group ${i}`,
        vpcId: vpc.VpcId ?? "",
        ingress: [{ port: 443, cidr: "0.0.0.0/0" }],
      });
      groupIds.push(group.GroupId ?? "");
    }
    eniIds = [];
    for (let i = 0; i < 1200; i++) {
      const eni = addNetworkInterface(state, ids, { subnetId: subnet.SubnetId ?? "", groupIds: [groupIds[i] ?? ""] });
      eniIds.push(eni.NetworkInterfaceId ?? "");
    }
    sandbox = await startSandbox({ port: 0, state });
    ec2 = new EC2Client(clientConfig(sandbox.endpoint, { maxAttempts: 1 }));
  });

  afterAll(async () => {
    ec2?.destroy();
    await sandbox?.stop();
  });

  it("paginateDescribeSecurityGroups returns all 1,200 groups, 1,000 a page at most", async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeSecurityGroups({ client: ec2, pageSize: 1000 }, {})) {
      pages += 1;
      expect(page.SecurityGroups?.length).toBeLessThanOrEqual(1000);
      seen.push(...(page.SecurityGroups ?? []).map((g) => g.GroupId ?? ""));
    }
    expect(pages).toBe(2);
    expect(seen).toEqual(groupIds);
  });

  it("paginateDescribeNetworkInterfaces returns all 1,200 interfaces in pages of 100", async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeNetworkInterfaces({ client: ec2, pageSize: 100 }, {})) {
      pages += 1;
      seen.push(...(page.NetworkInterfaces ?? []).map((e) => e.NetworkInterfaceId ?? ""));
    }
    expect(pages).toBe(12);
    expect(seen).toEqual(eniIds);
  });

  it("paginateDescribeSecurityGroupRules returns both rules of every group", async () => {
    let count = 0;
    for await (const page of paginateDescribeSecurityGroupRules({ client: ec2, pageSize: 1000 }, {})) {
      count += page.SecurityGroupRules?.length ?? 0;
    }
    expect(count).toBe(2400);
  });

  it("pages filtered results and stops when the last page has no token", async () => {
    const pages = [];
    for await (const page of paginateDescribeSubnets({ client: ec2, pageSize: 5 }, {})) pages.push(page);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.NextToken).toBeUndefined();
    const filtered = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: ["group-1?"] }], MaxResults: 5 }),
    );
    expect(filtered.SecurityGroups?.map((g) => g.GroupName)).toEqual([
      "group-10",
      "group-11",
      "group-12",
      "group-13",
      "group-14",
    ]);
    expect(filtered.NextToken).toBeTruthy();
  });

  it("returns everything without MaxResults, refuses MaxResults out of range and a forged token", async () => {
    const all = await ec2.send(new DescribeSecurityGroupsCommand({}));
    expect(all.SecurityGroups).toHaveLength(1200);
    expect(all.NextToken).toBeUndefined();
    const small = await failure(ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 4 })));
    expect(small.name).toBe("InvalidParameterValue");
    const forged = await failure(ec2.send(new DescribeSecurityGroupsCommand({ NextToken: "not-a-token" })));
    expect(forged.name).toBe("InvalidPaginationToken");
  });
});
