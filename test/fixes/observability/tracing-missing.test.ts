import { describe, expect, test } from "vitest";
import { COLLECTOR_IMAGE } from "../../../lib/fixes/observability/adot-collector";
import { fix } from "../../../lib/fixes/observability/tracing-missing";
import type { PolicyDocument, SnapshotContainer } from "../../../lib/inventory/snapshot";
import { actions, altered, failing, fixture, PLANTED_SECRET } from "../image/fixture-verdicts";
import { deployOf, editsOf, onlyChange } from "./plans";

const TD = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/my-web-app:1";
const TASK_ROLE = "arn:aws:iam::123456789012:role/AdministratorAccessRole";
const XRAY_ACTIONS = [
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "xray:GetSamplingStatisticSummaries",
];

describe("tracing-missing fix", () => {
  test("inherited: an ADOT collector the app starts after, and X-Ray permissions beside AdministratorAccess", () => {
    const change = onlyChange(fix, fixture("inherited"));
    expect(change).toMatchObject({ check: "tracing-missing", resource: "my-web-app:1", manual: false });
    // AdministratorAccess allows X-Ray, but task-role-admin replaces it: the permission must stand on its own.
    expect(actions(change)).toEqual(["iam:PutRolePolicy"]);
    expect(change.steps[0]).toMatchObject({
      id: "iam:PutRolePolicy:AdministratorAccessRole/ecs-takeover-xray",
      call: {
        input: {
          RoleName: "AdministratorAccessRole",
          PolicyName: "ecs-takeover-xray",
          PolicyDocument: {
            $json: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: XRAY_ACTIONS, Resource: "*" }] },
          },
        },
      },
      changes: { kind: "role", arn: TASK_ROLE },
    });
    expect(deployOf(change)).toMatchObject({ cluster: "my-cluster", service: "my-web-service", base: TD });
    expect(editsOf(change, "add-container")).toEqual([
      {
        kind: "add-container",
        definition: {
          name: "aws-otel-collector",
          image: COLLECTOR_IMAGE,
          essential: false,
          command: ["--config=/etc/ecs/ecs-default-config.yaml"],
          user: "10001",
          readonlyRootFilesystem: true,
        },
      },
    ]);
    expect(COLLECTOR_IMAGE).toMatch(/:v\d+\.\d+\.\d+$/);
    expect(editsOf(change, "depends-on")).toEqual([
      {
        kind: "depends-on",
        container: "my-web-app",
        dependsOn: { containerName: "aws-otel-collector", condition: "START" },
      },
    ]);
    expect(change.reads).toEqual([
      { kind: "service", name: "my-web-service" },
      { kind: "task-definition", arn: TD },
      { kind: "role", arn: TASK_ROLE },
    ]);
    const notes = change.notes.join(" ");
    expect(notes).toMatch(/localhost:4317/);
    expect(notes).toMatch(/localhost:2000/);
    expect(notes).toMatch(/own logs are not collected/);
    expect(JSON.stringify(change)).not.toContain(PLANTED_SECRET);
  });

  test("the collector logs beside an app that uses awslogs, with its own stream prefix", () => {
    const snapshot = altered(fixture("inherited"), (copy) => {
      const definition = copy.taskDefinitions[TD];
      if (definition?.status !== "known") throw new Error("fixture");
      (definition.value.containerDefinitions[0] as SnapshotContainer).logConfiguration = {
        logDriver: "awslogs",
        options: { "awslogs-group": "/ecs/web", "awslogs-region": "ap-northeast-1", "awslogs-stream-prefix": "app" },
      };
    });
    const [added] = editsOf(onlyChange(fix, snapshot), "add-container");
    expect(added?.definition.logConfiguration).toEqual({
      logDriver: "awslogs",
      options: {
        "awslogs-group": "/ecs/web",
        "awslogs-region": "ap-northeast-1",
        "awslogs-stream-prefix": "otel",
        mode: "non-blocking",
        "max-buffer-size": "25m",
      },
    });
  });

  test("a task role that already allows X-Ray (not as an administrator) gets no policy", () => {
    const snapshot = altered(fixture("inherited"), (copy) => {
      const role = copy.roles[TASK_ROLE];
      if (role?.status !== "known") throw new Error("fixture");
      const daemonAccess: PolicyDocument = {
        source: "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
        name: "AWSXRayDaemonWriteAccess",
        managed: true,
        awsManaged: true,
        document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: XRAY_ACTIONS, Resource: ["*"] }] },
      };
      (role.value as { policies: unknown }).policies = { status: "known", value: [daemonAccess] };
    });
    const change = onlyChange(fix, snapshot);
    expect(change.steps).toEqual([]);
    expect(change.notes.join(" ")).toMatch(
      /already allows xray:PutTraceSegments, .* on \* \(AWSXRayDaemonWriteAccess\)/,
    );
    expect(editsOf(change, "add-container")).toHaveLength(1);
  });

  test("no task role: nothing could send traces, so a person creates one first", () => {
    const snapshot = altered(fixture("inherited"), (copy) => {
      const definition = copy.taskDefinitions[TD];
      if (definition?.status !== "known") throw new Error("fixture");
      delete (definition.value as { taskRoleArn?: string }).taskRoleArn;
    });
    const change = onlyChange(fix, snapshot);
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change.notes.join(" ")).toMatch(/has no task role/);
  });

  test("nothing to plan on the clean service, which runs a collector", () => {
    expect(failing(fixture("clean"), "tracing-missing")).toEqual([]);
  });
});
