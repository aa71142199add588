import { RegisterTaskDefinitionCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Aws } from "../../lib/aws/client";
import { discover, UnknownClusterError, UnknownServiceError } from "../../lib/inventory/discover";
import type { Known, Snapshot } from "../../lib/inventory/snapshot";
import { CLOCK, KEY_PATH, sandboxAws } from "./sandbox";

function value<T>(read: Known<T>): T {
  if (read.status !== "known") throw new Error(`expected known, got ${read.error}: ${read.message}`);
  return read.value;
}

function unknowns(snapshot: Snapshot): string[] {
  return JSON.stringify(snapshot).match(/"status":"unknown"[^}]*/g) ?? [];
}

describe("discover on inherited", () => {
  let close: () => Promise<void>;
  let aws: Aws;
  let snapshot: Snapshot;
  const progress: number[] = [];
  beforeAll(async () => {
    const started = await sandboxAws({ scenario: "inherited" });
    close = started.close;
    aws = started.aws;
    snapshot = await discover(aws, {
      cluster: "my-cluster",
      keyPath: KEY_PATH,
      onProgress: ({ done }) => progress.push(done),
    });
  });
  afterAll(() => close());

  it("knows everything and takes its time from the sandbox's clock", () => {
    expect(unknowns(snapshot)).toEqual([]);
    expect(snapshot.account).toBe("123456789012");
    expect(snapshot.region).toBe("ap-northeast-1");
    expect(snapshot.identity).toBe("arn:aws:iam::123456789012:user/new-owner");
    expect(Date.parse(snapshot.takenAt) - Date.parse(CLOCK)).toBeLessThan(3_600_000);
    expect(Date.parse(snapshot.takenAt)).toBeGreaterThanOrEqual(Date.parse(CLOCK));
    expect(progress.at(-1)).toBe(1);
  });

  it("holds the service, its revision and three tasks", () => {
    const [service] = value(snapshot.services);
    expect(service?.service.serviceName).toBe("my-web-service");
    expect(service?.runningRevisions.map((a) => a.split("/").pop())).toEqual(["my-web-app:1"]);
    expect(service?.latestRevision?.split("/").pop()).toBe("my-web-app:1");
    expect(Object.keys(snapshot.taskDefinitions).map((a) => a.split("/").pop())).toEqual(["my-web-app:1"]);
    const ids = value(snapshot.tasks).map((t) => t.taskArn?.split("/").pop());
    expect(ids.sort()).toEqual([
      "0a1b2c3d4e5f4a6b8c9d0e1f2a3b4c5d",
      "1b2c3d4e5f6a4b7c9d0e1f2a3b4c5d6e",
      "2c3d4e5f6a7b4c8d0e1f2a3b4c5d6e7f",
    ]);
    expect(value(snapshot.cluster).clusterName).toBe("my-cluster");
  });

  it("keeps DB_PASSWD only as Redacted and DB_HOST as it is", () => {
    const definition = value(
      Object.values(snapshot.taskDefinitions)[0] as Known<never>,
    ) as Snapshot["taskDefinitions"][string] extends Known<infer T> ? T : never;
    const env = definition.containerDefinitions[0]?.environment ?? [];
    const password = env.find((e) => e.name === "DB_PASSWD")?.value;
    expect(password).toMatchObject({ redacted: true, length: "mysupersecretpasswd".length, reason: "name" });
    expect(env.find((e) => e.name === "DB_HOST")?.value).toBe("my-db.cluster-abc123.ap-northeast-1.rds.amazonaws.com");
    expect(env.find((e) => e.name === "UPLOAD_BUCKET")?.value).toBe("my-web-uploads");
    expect(JSON.stringify(snapshot)).not.toContain("mysupersecretpasswd");
  });

  it("follows the security groups from the ALB to the tasks to the database", () => {
    const groups = value(snapshot.securityGroups);
    const byName = (name: string) => groups.find((g) => g.Tags?.some((t) => t.Key === "Name" && t.Value === name));
    const rules = value(snapshot.securityGroupRules);
    const ingress = (name: string) =>
      rules
        .filter((r) => r.GroupId === byName(name)?.GroupId && !r.IsEgress)
        .map((r) => `${r.FromPort}:${r.CidrIpv4}`)
        .sort();
    expect(ingress("sg-ALB")).toEqual(["443:0.0.0.0/0", "80:0.0.0.0/0"]);
    expect(ingress("sg-ECSTask")).toEqual(["80:10.0.0.0/16"]);
    expect(ingress("sg-AuroraDB")).toEqual(["3306:10.0.0.0/16"]);
    const [store] = value(snapshot.dataStores);
    expect(value(snapshot.dataStores)).toHaveLength(1);
    expect(store?.kind).toBe("amazon-rds");
    expect(store?.networkInterfaceIds).toHaveLength(2);
    expect(store?.securityGroupIds).toEqual([byName("sg-AuroraDB")?.GroupId]);
    expect(value(snapshot.networkInterfaces).length).toBe(5);
  });

  it("tells public subnets from private ones", () => {
    const { subnets, vpcs } = value(snapshot.network);
    const name = (s: (typeof subnets)[number]) => s.Tags?.find((t) => t.Key === "Name")?.Value;
    expect(vpcs).toHaveLength(1);
    const publicNames = subnets
      .filter((s) => s.public)
      .map(name)
      .sort();
    const privateNames = subnets
      .filter((s) => !s.public)
      .map(name)
      .sort();
    expect(publicNames).toEqual(["public-a", "public-c"]);
    expect(privateNames).toEqual(["private-a", "private-c"]);
  });

  it("reads the ALB, its 80 listener forwarding, and the target group", () => {
    expect(value(snapshot.loadBalancers).map((lb) => lb.LoadBalancerName)).toEqual(["my-web-alb"]);
    expect(value(snapshot.targetGroups).map((t) => t.TargetGroupName)).toEqual(["my-web-tg"]);
    const http = value(snapshot.listeners).find((l) => l.Port === 80);
    expect(http?.DefaultActions?.[0]?.Type).toBe("forward");
    expect(value(snapshot.rules).length).toBeGreaterThanOrEqual(2);
  });

  it("reads the roles with their documents, and the principals with ECS or PassRole", () => {
    const roles = Object.values(snapshot.roles).map(value);
    const admin = roles.find((r) => r.name === "AdministratorAccessRole");
    const policies = value(admin?.policies as Known<never[]>) as {
      name: string;
      document: unknown;
      awsManaged: boolean;
    }[];
    expect(policies.map((p) => p.name)).toEqual(["AdministratorAccess"]);
    expect(JSON.stringify(policies[0]?.document)).toContain('"Action":"*"');
    expect(policies[0]?.awsManaged).toBe(true);
    expect(
      value(admin?.lastAccessed as Known<{ service: string }[]>)
        .map((s) => s.service)
        .sort(),
    ).toEqual(["s3", "sqs"]);
    expect(roles.map((r) => r.name).sort()).toEqual(["AdministratorAccessRole", "ecsTaskExecutionRole"]);
    const principals = value(snapshot.principals);
    expect(principals.find((p) => p.name === "ecs-operators")?.kind).toBe("group");
    expect(principals.find((p) => p.name === "deploy-bot")?.kind).toBe("user");
  });

  it("reads ECR, trails, log groups and alarms", () => {
    const [repo] = value(snapshot.repositories);
    expect(repo?.repository.imageTagMutability).toBe("MUTABLE");
    expect(repo?.repository.imageScanningConfiguration?.scanOnPush).toBe(false);
    expect(repo?.lifecyclePolicy).toEqual({ status: "known", value: null });
    const [image] = snapshot.images;
    expect(image?.tag).toBe("v1");
    expect(image?.repositoryName).toBe("my-web-app");
    expect(value(image?.detail as Known<unknown>)).not.toBeNull();
    expect(image?.findings).toEqual({ status: "known", value: null });
    expect(value(snapshot.registryScanning).scanType).toBe("BASIC");
    expect(value(snapshot.trails)).toEqual([]);
    expect(snapshot.logGroups).toEqual({});
    expect(value(snapshot.alarms)).toEqual([]);
    expect(snapshot.secrets).toEqual([]);
  });

  it("makes the minimum of calls: one per batch, one DescribeTaskDefinition per revision", async () => {
    aws.resetCounters();
    await discover(aws, { cluster: "my-cluster", keyPath: KEY_PATH });
    const calls = aws.counters.byAction;
    expect(aws.counters.retried).toBe(0);
    expect(calls["ecs:ListServices"]).toBe(1);
    expect(calls["ecs:DescribeServices"]).toBe(1);
    expect(calls["ecs:ListTasks"]).toBe(1);
    expect(calls["ecs:DescribeTasks"]).toBe(1);
    expect(calls["ecs:DescribeTaskDefinition"]).toBe(1);
    expect(calls["ecs:ListTaskDefinitions"]).toBe(1);
    expect(calls["sts:GetCallerIdentity"]).toBe(1);
    // Every action once, except per-role and per-listener reads (2 roles, 2 listeners) and the account-settings pages.
    expect(aws.counters.sent).toBe(44);
  });

  it("throws a usage error for an unknown cluster or service", async () => {
    await expect(discover(aws, { cluster: "nope", keyPath: KEY_PATH })).rejects.toBeInstanceOf(UnknownClusterError);
    await expect(discover(aws, { cluster: "nope", keyPath: KEY_PATH })).rejects.toMatchObject({ exitCode: 2 });
    await expect(discover(aws, { cluster: "my-cluster", service: "nope", keyPath: KEY_PATH })).rejects.toBeInstanceOf(
      UnknownServiceError,
    );
  });

  it("scopes to one service", async () => {
    const scoped = await discover(aws, { cluster: "my-cluster", service: "my-web-service", keyPath: KEY_PATH });
    expect(scoped.scope).toEqual({ cluster: "my-cluster", service: "my-web-service" });
    expect(value(scoped.services)).toHaveLength(1);
  });

  it("sees a change after UpdateService", async () => {
    const td = value(Object.values(snapshot.taskDefinitions)[0] as Known<{ family?: string }>);
    expect(td.family).toBe("my-web-app");
    const { taskDefinition } = await aws.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "my-web-app",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "512",
        memory: "1024",
        containerDefinitions: [{ name: "my-web-app", image: "nginx:1", essential: true }],
      }),
    );
    await aws.ecs.send(
      new UpdateServiceCommand({
        cluster: "my-cluster",
        service: "my-web-service",
        taskDefinition: taskDefinition?.taskDefinitionArn,
      }),
    );
    const after = await discover(aws, { cluster: "my-cluster", keyPath: KEY_PATH });
    const { diffSnapshots } = await import("../../lib/inventory/diff");
    const changes = diffSnapshots(snapshot, after);
    const changed = changes.find(
      (c) => c.resource === "services/my-web-service" && c.field === "service.taskDefinition",
    );
    expect(changed?.before).toMatch(/my-web-app:1$/);
    expect(changed?.after).toMatch(/my-web-app:2$/);
    expect(changes.some((c) => c.resource.endsWith("my-web-app:2") && c.after === "present")).toBe(true);
  });
});

describe("discover on clean", () => {
  it("finds secrets referenced and existing, trails logging, log group retention and alarms, with no unknowns", async () => {
    const { aws, close } = await sandboxAws({ scenario: "clean" });
    try {
      const snapshot = await discover(aws, { cluster: "my-cluster", keyPath: KEY_PATH });
      expect(unknowns(snapshot)).toEqual([]);
      const [secret] = snapshot.secrets;
      expect(secret?.store).toBe("secretsmanager");
      expect(secret?.name).toBe("my-web-app/db-password");
      expect(secret?.exists).toEqual({ status: "known", value: true });
      const [trail] = value(snapshot.trails);
      expect(trail?.isLogging).toEqual({ status: "known", value: true });
      expect(
        value(snapshot.logGroups["/ecs/my-web-app"] as Known<{ retentionInDays?: number } | null>)?.retentionInDays,
      ).toBe(30);
      expect(value(snapshot.alarms)).toHaveLength(3);
      expect(JSON.stringify(snapshot)).not.toContain("mysupersecretpasswd");
      const [image] = snapshot.images.filter((i) => i.repositoryName === "my-web-app");
      expect(image?.findings).toEqual({ status: "known", value: { LOW: 1 } });
    } finally {
      await close();
    }
  });
});

describe("discover under faults", () => {
  it("records a denied DescribeTaskDefinition as unknown with the missing action, and reads the rest", async () => {
    const { aws, close } = await sandboxAws({ scenario: "inherited", faults: "deny=ecs:DescribeTaskDefinition" });
    try {
      const snapshot = await discover(aws, { cluster: "my-cluster", keyPath: KEY_PATH });
      const definitions = Object.values(snapshot.taskDefinitions);
      expect(definitions.length).toBeGreaterThan(0);
      for (const definition of definitions) {
        expect(definition).toMatchObject({
          status: "unknown",
          error: "AccessDeniedException",
          missing: "ecs:DescribeTaskDefinition",
        });
      }
      expect(unknowns(snapshot)).toHaveLength(definitions.length);
      expect(value(snapshot.services)).toHaveLength(1);
      expect(value(snapshot.securityGroups).length).toBe(3);
    } finally {
      await close();
    }
  });

  it("gives the same snapshot under throttle=0.3 as without faults", async () => {
    const calm = await sandboxAws({ scenario: "inherited" });
    const stormy = await sandboxAws({ scenario: "inherited", faults: "throttle=0.3,seed=7" });
    try {
      const [a, b] = await Promise.all([
        discover(calm.aws, { cluster: "my-cluster", keyPath: KEY_PATH }),
        discover(stormy.aws, { cluster: "my-cluster", keyPath: KEY_PATH }),
      ]);
      expect(stormy.aws.counters.retried).toBeGreaterThan(0);
      expect(unknowns(b)).toEqual([]);
      const { diffSnapshots } = await import("../../lib/inventory/diff");
      expect(diffSnapshots(a, b)).toEqual([]);
    } finally {
      await calm.close();
      await stormy.close();
    }
  });
});
