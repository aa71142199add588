// apply, verify and rollback on plans made by hand (so they do not depend on any one fix): confirmation, the
// journal, idempotence, stale plans refused with what changed named, one merged deployment, and rollback.
import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { GetRolePolicyCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { apply } from "../../lib/fixes/apply";
import type { Change } from "../../lib/fixes/plan";
import { assemble } from "../../lib/fixes/planner";
import type { Snapshot } from "../../lib/inventory/snapshot";
import { WEB } from "../../lib/sandbox/scenarios/web-service";
import { type FixSandbox, fixSandbox } from "./harness";

let box: FixSandbox;
beforeEach(async () => {
  box = await fixSandbox();
});
afterEach(async () => {
  await box.close();
});

const ROLE = WEB.executionRole;
const POLICY = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] };

function insightsAndPolicy(): Change {
  return {
    check: "container-insights-off",
    resource: WEB.cluster,
    title: "hand-made change",
    manual: false,
    steps: [
      {
        id: "insights",
        title: "Container Insights enhanced",
        call: {
          service: "ecs",
          action: "UpdateClusterSettings",
          input: { cluster: WEB.cluster, settings: [{ name: "containerInsights", value: "enhanced" }] },
        },
        changes: { kind: "cluster" },
      },
      {
        id: "policy",
        title: "an inline policy",
        call: {
          service: "iam",
          action: "PutRolePolicy",
          input: { RoleName: ROLE, PolicyName: "test-policy", PolicyDocument: { $json: POLICY } },
        },
      },
    ],
    outcome: "",
    risk: "",
    rollback: [],
    notes: [],
    reads: [{ kind: "cluster" }],
  };
}

const insightsOf = async () => {
  const { clusters } = await box.aws.ecs.send(
    new DescribeClustersCommand({ clusters: [WEB.cluster], include: ["SETTINGS"] }),
  );
  return clusters?.[0]?.settings?.find((s) => s.name === "containerInsights")?.value;
};

describe("apply", () => {
  test("refuses without confirm: true, and changes nothing", async () => {
    const plan = assemble(await box.snapshot(), [insightsAndPolicy()]);
    await expect(apply(box.aws, plan, { confirm: false, journal: box.journal })).rejects.toThrow(/confirm: true/);
    expect(await insightsOf()).toBe("disabled");
    expect(box.journalEntries()).toEqual([]);
  });

  test("applies each step, journals before and after, and a second apply changes nothing", async () => {
    const plan = assemble(await box.snapshot(), [insightsAndPolicy()]);
    const first = await box.apply(plan);
    expect(first).toMatchObject({ applied: ["insights", "policy"], unchanged: [], refused: [] });
    expect(await insightsOf()).toBe("enhanced");
    const entries = box.journalEntries();
    expect(entries.map((e) => `${e.step}:${e.phase}`)).toEqual([
      "insights:started",
      "insights:applied",
      "policy:started",
      "policy:applied",
    ]);
    expect(entries[1]?.identity).toMatch(/^arn:aws:iam::123456789012:/);
    expect(entries[1]?.undo?.[0]).toMatchObject({ action: "UpdateClusterSettings" });
    expect(entries[3]?.undo?.[0]).toMatchObject({ action: "DeleteRolePolicy" });

    // The cluster changed, but by this very plan: its precondition is not held against the rerun.
    const second = await box.apply(plan);
    expect(second).toMatchObject({ applied: [], unchanged: ["insights", "policy"], refused: [] });
  });

  test("refuses a plan made stale by another client, naming what changed, and changes nothing", async () => {
    const plan = assemble(await box.snapshot(), [insightsAndPolicy()]);
    await box.aws.ecs.send(
      new (await import("@aws-sdk/client-ecs")).UpdateClusterSettingsCommand({
        cluster: WEB.cluster,
        settings: [{ name: "containerInsights", value: "enabled" }],
      }),
    );
    const result = await box.apply(plan);
    expect(result.applied).toEqual([]);
    expect(result.refused).toHaveLength(1);
    expect(result.refused[0]).toMatch(/the cluster's settings changed since the plan was made/);
    expect(result.refused[0]).toMatch(/disabled → enabled/);
    expect(await insightsOf()).toBe("enabled");
  });

  test("rollback undoes the journaled steps newest first, and can be run twice", async () => {
    const earlier = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListBucket", Resource: "*" }] };
    await box.aws.iam.send(
      new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: "test-policy", PolicyDocument: JSON.stringify(earlier) }),
    );
    const plan = assemble(await box.snapshot(), [insightsAndPolicy()]);
    await box.apply(plan);
    const undone = await box.rollback(plan);
    expect(undone.undone).toEqual(["undo:policy", "undo:insights"]);
    expect(await insightsOf()).toBe("disabled");
    const { PolicyDocument } = await box.aws.iam.send(
      new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: "test-policy" }),
    );
    expect(JSON.parse(decodeURIComponent(PolicyDocument ?? ""))).toEqual(earlier);
    expect((await box.rollback(plan)).undone).toEqual([]);
  });
});

describe("a merged deployment", () => {
  const base = (snapshot: Snapshot) =>
    String(snapshot.services.status === "known" && snapshot.services.value[0]?.service.taskDefinition);
  const withDeploy = (snapshot: Snapshot, check: string, edits: NonNullable<Change["deploy"]>["edits"]): Change => ({
    check,
    resource: WEB.service,
    title: check,
    manual: false,
    steps: [],
    outcome: "",
    risk: "",
    rollback: [],
    notes: [],
    reads: [],
    deploy: { cluster: WEB.cluster, service: WEB.service, base: base(snapshot), edits },
  });

  test("two fixes' edits become one revision and one deployment; the old revision stays; a rerun adds none", async () => {
    const snapshot = await box.snapshot();
    const plan = assemble(snapshot, [
      withDeploy(snapshot, "logging-missing", [
        {
          kind: "log-configuration",
          container: WEB.container,
          logConfiguration: {
            logDriver: "awslogs",
            options: {
              "awslogs-group": "/ecs/my-web-app",
              "awslogs-region": "ap-northeast-1",
              "awslogs-stream-prefix": "ecs",
            },
          },
        },
      ]),
      withDeploy(snapshot, "tracing-missing", [
        {
          kind: "add-container",
          definition: {
            name: "aws-otel-collector",
            image: "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.1",
            essential: false,
          },
        },
      ]),
    ]);
    const deploy = plan.changes.find((c) => c.check === "deploy");
    expect(deploy?.checks).toEqual(["logging-missing", "tracing-missing"]);
    expect(deploy?.steps.map((s) => s.call.action)).toEqual(["RegisterTaskDefinition", "UpdateService"]);
    expect(JSON.stringify(plan)).not.toContain(WEB.dbPassword);

    const result = await box.apply(plan);
    expect(result.failed).toBeUndefined();
    expect(result.applied).toHaveLength(2);
    const { services } = await box.aws.ecs.send(
      new DescribeServicesCommand({ cluster: WEB.cluster, services: [WEB.service] }),
    );
    const running = services?.[0]?.taskDefinition ?? "";
    expect(running).toMatch(/my-web-app:2$/);
    expect(services?.[0]?.deployments).toHaveLength(1);
    const { taskDefinition } = await box.aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: running }));
    expect(taskDefinition?.containerDefinitions?.map((c) => c.name)).toEqual([WEB.container, "aws-otel-collector"]);
    expect(taskDefinition?.containerDefinitions?.[0]?.logConfiguration?.logDriver).toBe("awslogs");
    // Values the plan never held are carried over from the live revision.
    expect(taskDefinition?.containerDefinitions?.[0]?.environment?.find((e) => e.name === "DB_PASSWD")?.value).toBe(
      WEB.dbPassword,
    );
    const old = await box.aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "my-web-app:1" }));
    expect(old.taskDefinition?.status).toBe("ACTIVE");

    const again = await box.apply(plan);
    expect(again).toMatchObject({
      applied: [],
      unchanged: [expect.stringContaining("RegisterTaskDefinition"), expect.stringContaining("UpdateService")],
    });
    const journal = JSON.stringify(box.journalEntries());
    expect(journal).not.toContain(WEB.dbPassword);
  });
});
