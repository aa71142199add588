import type { Service, Task } from "@aws-sdk/client-ecs";
import {
  AddTagsCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ListenerNotFoundException,
  LoadBalancerNotFoundException,
  ModifyListenerCommand,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
  RegisterTargetsCommand,
  RemoveTagsCommand,
  RuleNotFoundException,
  TargetGroupNotFoundException,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawHex } from "../../lib/sandbox/clock";
import { startSandbox } from "../../lib/sandbox/server";
import { addSecurityGroup, addSubnet, addVpc } from "../../lib/sandbox/services/ec2";
import {
  addListener,
  addLoadBalancer,
  addRule,
  addTargetGroup,
  forwardTo,
  type IdSource,
  redirectToHttps,
  registerTargets,
} from "../../lib/sandbox/services/elbv2";
import { emptyState, type SandboxState } from "../../lib/sandbox/state";
import { clientConfig } from "./client";

const CERT = "arn:aws:acm:ap-northeast-1:123456789012:certificate/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";

/** The seed talk's front door: ALB my-web-alb, listeners on 443 and 80 (80 forwards), target group my-web-tg. */
function buildFrontDoor() {
  const state = emptyState("test");
  const ids: IdSource = { hex: (n) => drawHex(state, n) };
  const vpc = addVpc(state, ids, { cidrBlock: "10.0.0.0/16", name: "my-vpc" });
  const vpcId = vpc.VpcId ?? "";
  const subnets = [
    addSubnet(state, ids, { vpcId, cidrBlock: "10.0.0.0/24", availabilityZone: "ap-northeast-1a" }),
    addSubnet(state, ids, { vpcId, cidrBlock: "10.0.1.0/24", availabilityZone: "ap-northeast-1c" }),
  ];
  const albGroup = addSecurityGroup(state, ids, {
    name: "my-web-alb",
    description: "ALB",
    vpcId,
    nameTag: "sg-ALB",
    ingress: [
      { port: 443, cidr: "0.0.0.0/0" },
      { port: 80, cidr: "0.0.0.0/0" },
    ],
  });
  const alb = addLoadBalancer(state, ids, {
    name: "my-web-alb",
    subnetIds: subnets.map((s) => s.SubnetId ?? ""),
    securityGroupIds: [albGroup.GroupId ?? ""],
    createdTime: new Date("2025-06-01T00:00:00Z"),
    tags: { Environment: "production" },
  });
  const albArn = alb.LoadBalancerArn ?? "";
  const tg = addTargetGroup(state, ids, { name: "my-web-tg", vpcId, port: 80 });
  const tgArn = tg.TargetGroupArn ?? "";
  const https = addListener(state, ids, {
    loadBalancerArn: albArn,
    port: 443,
    protocol: "HTTPS",
    certificateArns: [CERT],
    defaultActions: [forwardTo(tgArn)],
  });
  const http = addListener(state, ids, {
    loadBalancerArn: albArn,
    port: 80,
    protocol: "HTTP",
    defaultActions: [forwardTo(tgArn)],
  });
  const rule = addRule(state, ids, {
    listenerArn: https.ListenerArn ?? "",
    priority: 10,
    conditions: [{ Field: "path-pattern", Values: ["/health"] }],
    actions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "200", ContentType: "text/plain" } }],
  });
  registerTargets(state, tgArn, [
    { Id: "10.0.0.10", AvailabilityZone: "ap-northeast-1a" },
    { Id: "10.0.1.11", AvailabilityZone: "ap-northeast-1c" },
    { Id: "10.0.0.12", AvailabilityZone: "ap-northeast-1a" },
  ]);
  const idle = addTargetGroup(state, ids, { name: "idle-tg", vpcId, port: 8080 });
  registerTargets(state, idle.TargetGroupArn ?? "", [{ Id: "10.0.0.20" }]);
  return { state, ids, vpcId, albArn, tgArn, idleArn: idle.TargetGroupArn ?? "", https, http, rule };
}

type FrontDoor = ReturnType<typeof buildFrontDoor>;

async function failure(promise: Promise<unknown>): Promise<Error & { Code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { Code?: string };
  }
  throw new Error("expected the call to fail");
}

describe("ELBv2 through the SDK", () => {
  let door: FrontDoor;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let elb: ElasticLoadBalancingV2Client;
  let state: SandboxState;

  beforeAll(async () => {
    door = buildFrontDoor();
    sandbox = await startSandbox({ port: 0, state: door.state, clock: "2026-11-01T00:00:00Z" });
    state = sandbox.state;
    elb = new ElasticLoadBalancingV2Client(clientConfig(sandbox.endpoint, { maxAttempts: 1 }));
  });

  afterAll(async () => {
    elb?.destroy();
    await sandbox?.stop();
  });

  describe("DescribeLoadBalancers", () => {
    it("describes the ALB by name and by ARN, with an ARN in AWS's format", async () => {
      const out = await elb.send(new DescribeLoadBalancersCommand({ Names: ["my-web-alb"] }));
      expect(out.LoadBalancers).toHaveLength(1);
      const lb = out.LoadBalancers?.[0];
      expect(lb?.LoadBalancerArn).toMatch(
        /^arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer\/app\/my-web-alb\/[0-9a-f]{16}$/,
      );
      expect(lb).toMatchObject({
        LoadBalancerName: "my-web-alb",
        Scheme: "internet-facing",
        Type: "application",
        VpcId: door.vpcId,
        State: { Code: "active" },
        CreatedTime: new Date("2025-06-01T00:00:00Z"),
        DNSName: expect.stringMatching(/^my-web-alb-\d+\.ap-northeast-1\.elb\.amazonaws\.com$/),
      });
      expect(lb?.AvailabilityZones?.map((z) => z.ZoneName)).toEqual(["ap-northeast-1a", "ap-northeast-1c"]);
      const byArn = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [door.albArn] }));
      expect(byArn.LoadBalancers?.[0]?.LoadBalancerName).toBe("my-web-alb");
    });

    it("throws LoadBalancerNotFoundException for a name or ARN that does not exist", async () => {
      const byName = await failure(elb.send(new DescribeLoadBalancersCommand({ Names: ["nope"] })));
      expect(byName).toBeInstanceOf(LoadBalancerNotFoundException);
      expect(byName.name).toBe("LoadBalancerNotFoundException");
      const byArn = await failure(
        elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [`${door.albArn.slice(0, -1)}0`] })),
      );
      expect(byArn.name).toBe("LoadBalancerNotFoundException");
    });
  });

  describe("DescribeListeners", () => {
    it("lists both listeners, the 80 one forwarding to my-web-tg", async () => {
      const out = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: door.albArn }));
      expect(out.Listeners?.map((l) => [l.Port, l.Protocol])).toEqual([
        [443, "HTTPS"],
        [80, "HTTP"],
      ]);
      const http = out.Listeners?.[1];
      expect(http?.ListenerArn).toMatch(
        /^arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener\/app\/my-web-alb\/[0-9a-f]{16}\/[0-9a-f]{16}$/,
      );
      expect(http?.DefaultActions).toEqual([
        {
          Type: "forward",
          TargetGroupArn: door.tgArn,
          Order: 1,
          ForwardConfig: {
            TargetGroups: [{ TargetGroupArn: door.tgArn, Weight: 1 }],
            TargetGroupStickinessConfig: { Enabled: false },
          },
        },
      ]);
      expect(out.Listeners?.[0]).toMatchObject({
        Certificates: [{ CertificateArn: CERT }],
        SslPolicy: "ELBSecurityPolicy-2016-08",
      });
    });

    it("throws ListenerNotFoundException, LoadBalancerNotFoundException and ValidationError as ELBv2 does", async () => {
      const listener = await failure(
        elb.send(new DescribeListenersCommand({ ListenerArns: [`${door.http.ListenerArn?.slice(0, -1)}0`] })),
      );
      expect(listener).toBeInstanceOf(ListenerNotFoundException);
      const lb = await failure(
        elb.send(new DescribeListenersCommand({ LoadBalancerArn: `${door.albArn.slice(0, -1)}0` })),
      );
      expect(lb.name).toBe("LoadBalancerNotFoundException");
      const neither = await failure(elb.send(new DescribeListenersCommand({})));
      expect(neither.name).toBe("ValidationError");
    });
  });

  describe("DescribeRules", () => {
    it("lists a listener's rules by priority with the default rule last", async () => {
      const out = await elb.send(new DescribeRulesCommand({ ListenerArn: door.https.ListenerArn }));
      expect(out.Rules?.map((r) => [r.Priority, r.IsDefault])).toEqual([
        ["10", false],
        ["default", true],
      ]);
      expect(out.Rules?.[0]?.RuleArn).toMatch(
        /^arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener-rule\/app\/my-web-alb\/[0-9a-f]{16}\/[0-9a-f]{16}\/[0-9a-f]{16}$/,
      );
      expect(out.Rules?.[1]?.Actions?.[0]?.TargetGroupArn).toBe(door.tgArn);
      const byArn = await elb.send(new DescribeRulesCommand({ RuleArns: [door.rule.RuleArn ?? ""] }));
      expect(byArn.Rules?.[0]?.Conditions).toEqual([{ Field: "path-pattern", Values: ["/health"] }]);
    });

    it("throws RuleNotFoundException for a rule that does not exist", async () => {
      const error = await failure(
        elb.send(new DescribeRulesCommand({ RuleArns: [`${door.rule.RuleArn?.slice(0, -1)}0`] })),
      );
      expect(error).toBeInstanceOf(RuleNotFoundException);
    });
  });

  describe("DescribeTargetGroups", () => {
    it("describes my-web-tg with the load balancer that forwards to it", async () => {
      const out = await elb.send(new DescribeTargetGroupsCommand({ Names: ["my-web-tg"] }));
      expect(out.TargetGroups?.[0]).toMatchObject({
        TargetGroupArn: expect.stringMatching(
          /^arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup\/my-web-tg\/[0-9a-f]{16}$/,
        ),
        TargetType: "ip",
        Port: 80,
        Protocol: "HTTP",
        LoadBalancerArns: [door.albArn],
      });
      const ofLb = await elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: door.albArn }));
      expect(ofLb.TargetGroups?.map((t) => t.TargetGroupName)).toEqual(["my-web-tg"]);
    });

    it("throws TargetGroupNotFoundException for a name that does not exist", async () => {
      const error = await failure(elb.send(new DescribeTargetGroupsCommand({ Names: ["nope"] })));
      expect(error).toBeInstanceOf(TargetGroupNotFoundException);
    });
  });

  describe("DescribeTargetHealth", () => {
    it("reports the registered targets healthy, an unregistered one unused, and an idle group's NotInUse", async () => {
      const out = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: door.tgArn }));
      expect(out.TargetHealthDescriptions?.map((t) => [t.Target?.Id, t.Target?.Port, t.TargetHealth?.State])).toEqual([
        ["10.0.0.10", 80, "healthy"],
        ["10.0.1.11", 80, "healthy"],
        ["10.0.0.12", 80, "healthy"],
      ]);
      const asked = await elb.send(
        new DescribeTargetHealthCommand({ TargetGroupArn: door.tgArn, Targets: [{ Id: "10.0.0.99" }] }),
      );
      expect(asked.TargetHealthDescriptions?.[0]?.TargetHealth).toMatchObject({
        State: "unused",
        Reason: "Target.NotRegistered",
      });
      const idle = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: door.idleArn }));
      expect(idle.TargetHealthDescriptions?.[0]?.TargetHealth).toMatchObject({
        State: "unused",
        Reason: "Target.NotInUse",
      });
    });

    it("follows RegisterTargets and DeregisterTargets", async () => {
      await elb.send(new RegisterTargetsCommand({ TargetGroupArn: door.tgArn, Targets: [{ Id: "10.0.1.13" }] }));
      let out = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: door.tgArn }));
      expect(out.TargetHealthDescriptions).toHaveLength(4);
      await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: door.tgArn, Targets: [{ Id: "10.0.1.13" }] }));
      out = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: door.tgArn }));
      expect(out.TargetHealthDescriptions).toHaveLength(3);
    });

    it("reports the running tasks of an ECS service that names the target group", async () => {
      const ecs = state.ecs as object as { services: Record<string, Service[]>; tasks: Record<string, Task[]> };
      const clusterArn = "arn:aws:ecs:ap-northeast-1:123456789012:cluster/my-cluster";
      const savedServices = ecs.services;
      const savedTasks = ecs.tasks;
      const task = (ip: string, lastStatus: string): Task => ({
        clusterArn,
        group: "service:my-web-service",
        lastStatus,
        availabilityZone: "ap-northeast-1a",
        attachments: [{ type: "ElasticNetworkInterface", details: [{ name: "privateIPv4Address", value: ip }] }],
      });
      ecs.services = {
        "my-cluster": [
          {
            serviceName: "my-web-service",
            clusterArn,
            status: "ACTIVE",
            loadBalancers: [{ targetGroupArn: door.idleArn, containerName: "my-web-app", containerPort: 8080 }],
          },
        ],
      };
      ecs.tasks = {
        "my-cluster": [task("10.0.0.31", "RUNNING"), task("10.0.0.32", "PENDING"), task("10.0.0.33", "STOPPED")],
      };
      try {
        await elb.send(
          new ModifyListenerCommand({ ListenerArn: door.http.ListenerArn, DefaultActions: [forwardTo(door.idleArn)] }),
        );
        const out = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: door.idleArn }));
        expect(out.TargetHealthDescriptions?.map((t) => [t.Target?.Id, t.Target?.Port, t.TargetHealth?.State])).toEqual(
          [
            ["10.0.0.20", 8080, "healthy"],
            ["10.0.0.31", 8080, "healthy"],
            ["10.0.0.32", 8080, "initial"],
          ],
        );
      } finally {
        await elb.send(
          new ModifyListenerCommand({ ListenerArn: door.http.ListenerArn, DefaultActions: [forwardTo(door.tgArn)] }),
        );
        ecs.services = savedServices;
        ecs.tasks = savedTasks;
      }
    });

    it("throws TargetGroupNotFoundException for a group that does not exist", async () => {
      const error = await failure(
        elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: `${door.tgArn.slice(0, -1)}0` })),
      );
      expect(error.name).toBe("TargetGroupNotFoundException");
    });
  });

  describe("ModifyListener", () => {
    it("turns the HTTP listener into a 301 redirect to HTTPS, default rule included", async () => {
      const out = await elb.send(
        new ModifyListenerCommand({ ListenerArn: door.http.ListenerArn, DefaultActions: [redirectToHttps()] }),
      );
      const expected = [
        {
          Type: "redirect",
          Order: 1,
          RedirectConfig: {
            Protocol: "HTTPS",
            Port: "443",
            Host: "#{host}",
            Path: "/#{path}",
            Query: "#{query}",
            StatusCode: "HTTP_301",
          },
        },
      ];
      expect(out.Listeners?.[0]).toMatchObject({ Port: 80, Protocol: "HTTP", DefaultActions: expected });
      const rules = await elb.send(new DescribeRulesCommand({ ListenerArn: door.http.ListenerArn }));
      expect(rules.Rules?.[0]?.Actions).toEqual(expected);
      const described = await elb.send(new DescribeListenersCommand({ ListenerArns: [door.http.ListenerArn ?? ""] }));
      expect(described.Listeners?.[0]?.DefaultActions).toEqual(expected);
      // The target group is still used by the HTTPS listener.
      const tg = await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [door.tgArn] }));
      expect(tg.TargetGroups?.[0]?.LoadBalancerArns).toEqual([door.albArn]);
    });

    it("changes port, protocol and certificate, and refuses what ELBv2 refuses", async () => {
      const noCert = await failure(
        elb.send(new ModifyListenerCommand({ ListenerArn: door.http.ListenerArn, Protocol: "HTTPS", Port: 8443 })),
      );
      expect(noCert.name).toBe("CertificateNotFoundException");
      const clash = await failure(
        elb.send(new ModifyListenerCommand({ ListenerArn: door.http.ListenerArn, Port: 443 })),
      );
      expect(clash.name).toBe("DuplicateListenerException");
      const badRedirect = await failure(
        elb.send(
          new ModifyListenerCommand({
            ListenerArn: door.http.ListenerArn,
            DefaultActions: [{ Type: "redirect", RedirectConfig: { Protocol: "HTTPS", StatusCode: undefined } }],
          }),
        ),
      );
      expect(badRedirect.name).toBe("ValidationError");
      const missingGroup = await failure(
        elb.send(
          new ModifyListenerCommand({
            ListenerArn: door.http.ListenerArn,
            DefaultActions: [forwardTo(`${door.tgArn.slice(0, -1)}0`)],
          }),
        ),
      );
      expect(missingGroup.name).toBe("TargetGroupNotFoundException");
      const missing = await failure(
        elb.send(new ModifyListenerCommand({ ListenerArn: `${door.http.ListenerArn?.slice(0, -1)}0`, Port: 81 })),
      );
      expect(missing).toBeInstanceOf(ListenerNotFoundException);

      const secure = await elb.send(
        new ModifyListenerCommand({
          ListenerArn: door.http.ListenerArn,
          Port: 8443,
          Protocol: "HTTPS",
          Certificates: [{ CertificateArn: CERT }],
          SslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        }),
      );
      expect(secure.Listeners?.[0]).toMatchObject({
        Port: 8443,
        Protocol: "HTTPS",
        Certificates: [{ CertificateArn: CERT }],
        SslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      });
      const back = await elb.send(
        new ModifyListenerCommand({ ListenerArn: door.http.ListenerArn, Port: 80, Protocol: "HTTP" }),
      );
      expect(back.Listeners?.[0]?.Certificates).toBeUndefined();
      expect(back.Listeners?.[0]?.SslPolicy).toBeUndefined();
    });
  });

  describe("DescribeTags, AddTags and RemoveTags", () => {
    it("returns each resource's tags, empty when it has none", async () => {
      const out = await elb.send(new DescribeTagsCommand({ ResourceArns: [door.albArn, door.tgArn] }));
      expect(out.TagDescriptions).toEqual([
        { ResourceArn: door.albArn, Tags: [{ Key: "Environment", Value: "production" }] },
        { ResourceArn: door.tgArn, Tags: [] },
      ]);
      await elb.send(new AddTagsCommand({ ResourceArns: [door.tgArn], Tags: [{ Key: "Owner", Value: "web" }] }));
      await elb.send(new RemoveTagsCommand({ ResourceArns: [door.albArn], TagKeys: ["Environment"] }));
      const after = await elb.send(new DescribeTagsCommand({ ResourceArns: [door.albArn, door.tgArn] }));
      expect(after.TagDescriptions?.map((d) => d.Tags)).toEqual([[], [{ Key: "Owner", Value: "web" }]]);
    });

    it("refuses more than 20 ARNs and names the kind of a missing resource", async () => {
      const many = await failure(elb.send(new DescribeTagsCommand({ ResourceArns: Array(21).fill(door.albArn) })));
      expect(many.name).toBe("ValidationError");
      const missing = await failure(
        elb.send(new DescribeTagsCommand({ ResourceArns: [`${door.albArn.slice(0, -1)}0`] })),
      );
      expect(missing).toBeInstanceOf(LoadBalancerNotFoundException);
    });
  });
});

describe("ELBv2 paging through the SDK's paginators", () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let elb: ElasticLoadBalancingV2Client;
  let groupNames: string[];

  beforeAll(async () => {
    const state = emptyState("paging");
    const ids: IdSource = { hex: (n) => drawHex(state, n) };
    const vpc = addVpc(state, ids, { cidrBlock: "10.0.0.0/16", withDefaults: false });
    groupNames = [];
    for (let i = 0; i < 450; i++) {
      addTargetGroup(state, ids, { name: `tg-${i}`, vpcId: vpc.VpcId ?? "", port: 80 });
      groupNames.push(`tg-${i}`);
    }
    for (let i = 0; i < 45; i++) addLoadBalancer(state, ids, { name: `lb-${i}`, subnetIds: [], securityGroupIds: [] });
    sandbox = await startSandbox({ port: 0, state });
    elb = new ElasticLoadBalancingV2Client(clientConfig(sandbox.endpoint, { maxAttempts: 1 }));
  });

  afterAll(async () => {
    elb?.destroy();
    await sandbox?.stop();
  });

  it("paginateDescribeTargetGroups returns all 450 groups (400 a page by default)", async () => {
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeTargetGroups({ client: elb }, {})) {
      pages += 1;
      names.push(...(page.TargetGroups ?? []).map((t) => t.TargetGroupName ?? ""));
    }
    expect(pages).toBe(2);
    expect(names).toEqual(groupNames);
  });

  it("pages by PageSize and Marker → NextMarker", async () => {
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeLoadBalancers({ client: elb }, { PageSize: 10 })) {
      pages += 1;
      names.push(...(page.LoadBalancers ?? []).map((l) => l.LoadBalancerName ?? ""));
    }
    expect(pages).toBe(5);
    expect(names).toHaveLength(45);
    expect(new Set(names).size).toBe(45);
  });

  it("refuses a PageSize outside 1–400 with ValidationError", async () => {
    const error = await failure(elb.send(new DescribeLoadBalancersCommand({ PageSize: 401 })));
    expect(error.name).toBe("ValidationError");
  });
});
