import { describe, expect, test } from "vitest";
import { fix as executionRoleMissing } from "../../../lib/fixes/iam/execution-role-missing";
import { fix } from "../../../lib/fixes/observability/logging-missing";
import type { PolicyDocument } from "../../../lib/inventory/snapshot";
import { actions, altered, failing, fixture, PLANTED_SECRET } from "../image/fixture-verdicts";
import { deployOf, editsOf, onlyChange } from "./plans";

const TD = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/my-web-app:1";
const EXECUTION_ROLE = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";

const AWSLOGS = {
  logDriver: "awslogs",
  options: {
    "awslogs-group": "/ecs/my-web-app",
    "awslogs-region": "ap-northeast-1",
    "awslogs-stream-prefix": "ecs",
    mode: "non-blocking",
    "max-buffer-size": "25m",
  },
};

/** The inherited snapshot with the execution role's policies replaced. */
function executionRolePolicies(policies: PolicyDocument[]) {
  return altered(fixture("inherited"), (copy) => {
    const role = copy.roles[EXECUTION_ROLE];
    if (role?.status !== "known") throw new Error("fixture");
    (role.value as { policies: unknown }).policies = { status: "known", value: policies };
  });
}

describe("logging-missing fix", () => {
  test("inherited: /ecs/my-web-app with a 90-day retention, awslogs for the app in the shared deployment", () => {
    const change = onlyChange(fix, fixture("inherited"));
    expect(change).toMatchObject({ check: "logging-missing", resource: "my-web-app:1", manual: false });
    // AmazonECSTaskExecutionRolePolicy already lets the execution role write logs: no policy is added.
    expect(actions(change)).toEqual(["logs:CreateLogGroup", "logs:PutRetentionPolicy"]);
    expect(change.steps.map((s) => s.id)).toEqual([
      "logs:CreateLogGroup:/ecs/my-web-app",
      "logs:PutRetentionPolicy:/ecs/my-web-app",
    ]);
    // Tagged, so that a rollback knows the group is this tool's and keeps it as made (retention included).
    expect(change.steps[0]?.call.input).toEqual({
      logGroupName: "/ecs/my-web-app",
      tags: { "ecs-takeover:source": "ecs-takeover" },
    });
    expect(change.steps[1]?.call.input).toEqual({ logGroupName: "/ecs/my-web-app", retentionInDays: 90 });
    expect(change.steps.every((s) => s.changes?.kind === "log-group")).toBe(true);
    expect(deployOf(change)).toEqual({
      cluster: "my-cluster",
      service: "my-web-service",
      base: TD,
      edits: [{ kind: "log-configuration", container: "my-web-app", logConfiguration: AWSLOGS }],
    });
    expect(change.reads).toEqual([
      { kind: "service", name: "my-web-service" },
      { kind: "task-definition", arn: TD },
      { kind: "log-group", name: "/ecs/my-web-app" },
      { kind: "role", arn: EXECUTION_ROLE },
    ]);
    expect(change.notes.join(" ")).toMatch(/AmazonECSTaskExecutionRolePolicy\): no policy added/);
    expect(change.outcome).toMatch(/kept 90 days/);
    expect(change.rollback.join(" ")).toMatch(/stays, with the logs it received/);
    expect(JSON.stringify(change)).not.toContain(PLANTED_SECRET);
  });

  test("an execution role that may not write there gets an inline policy on exactly that group's streams", () => {
    const change = onlyChange(fix, executionRolePolicies([]));
    expect(actions(change)).toEqual(["logs:CreateLogGroup", "logs:PutRetentionPolicy", "iam:PutRolePolicy"]);
    expect(change.steps[2]).toEqual({
      id: "iam:PutRolePolicy:ecsTaskExecutionRole/ecs-takeover-logs-my-web-app",
      title: expect.stringContaining(
        "execution role ecsTaskExecutionRole: allow logs:CreateLogStream, logs:PutLogEvents",
      ),
      call: {
        service: "iam",
        action: "PutRolePolicy",
        input: {
          RoleName: "ecsTaskExecutionRole",
          PolicyName: "ecs-takeover-logs-my-web-app",
          PolicyDocument: {
            $json: {
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                  Resource: "arn:aws:logs:ap-northeast-1:123456789012:log-group:/ecs/my-web-app:*",
                },
              ],
            },
          },
        },
      },
      changes: { kind: "role", arn: EXECUTION_ROLE },
    });
    expect(change.rollback.join(" ")).toMatch(/inline policy .* is deleted/);
  });

  test("a policy on another group does not count; one on the group's streams does", () => {
    const on = (resource: string): PolicyDocument => ({
      source: "inline:logs",
      name: "logs",
      managed: false,
      awsManaged: false,
      document: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: resource }],
      },
    });
    const other = on("arn:aws:logs:ap-northeast-1:123456789012:log-group:/ecs/other:*");
    expect(actions(onlyChange(fix, executionRolePolicies([other])))).toContain("iam:PutRolePolicy");
    const ours = on("arn:aws:logs:ap-northeast-1:123456789012:log-group:/ecs/my-web-app:*");
    expect(actions(onlyChange(fix, executionRolePolicies([ours])))).not.toContain("iam:PutRolePolicy");
  });

  test("no execution role: creates my-web-app-execution exactly as execution-role-missing plans it, and sets it", () => {
    const snapshot = altered(fixture("inherited"), (copy) => {
      const definition = copy.taskDefinitions[TD];
      if (definition?.status !== "known") throw new Error("fixture");
      delete (definition.value as { executionRoleArn?: string }).executionRoleArn;
    });
    const change = onlyChange(fix, snapshot);
    expect(change.steps.map((s) => s.id)).toEqual([
      "logs:CreateLogGroup:/ecs/my-web-app",
      "logs:PutRetentionPolicy:/ecs/my-web-app",
      "iam:CreateRole:my-web-app-execution",
      "iam:AttachRolePolicy:my-web-app-execution/AmazonECSTaskExecutionRolePolicy",
    ]);
    expect(editsOf(change, "execution-role")).toEqual([
      { kind: "execution-role", roleArn: "arn:aws:iam::123456789012:role/my-web-app-execution" },
    ]);
    // The same steps and edit execution-role-missing plans, so a plan with both keeps them once.
    const other = onlyChange(executionRoleMissing, snapshot);
    expect(change.steps.slice(2)).toEqual(other.steps);
    expect(editsOf(other, "execution-role")).toEqual(editsOf(change, "execution-role"));
  });

  test("every container without a log configuration gets one; those that have one keep it", () => {
    const snapshot = altered(fixture("inherited"), (copy) => {
      const definition = copy.taskDefinitions[TD];
      if (definition?.status !== "known") throw new Error("fixture");
      definition.value.containerDefinitions.push(
        { name: "worker", image: "busybox:1.36", essential: true },
        { name: "proxy", image: "envoy:1.30", essential: false, logConfiguration: { logDriver: "splunk" } },
      );
    });
    const change = onlyChange(fix, snapshot);
    expect(editsOf(change, "log-configuration").map((edit) => edit.container)).toEqual(["my-web-app", "worker"]);
  });

  test("a revision no service deploys is left to a person, saying why", () => {
    const snapshot = altered(fixture("inherited"), (copy) => {
      if (copy.services.status !== "known") throw new Error("fixture");
      const service = copy.services.value[0] as { latestRevision?: string; runningRevisions: string[] };
      service.latestRevision = `${TD.slice(0, -1)}2`;
      copy.taskDefinitions[service.latestRevision] = structuredClone(copy.taskDefinitions[TD]) as never;
    });
    const changes = failing(snapshot, "logging-missing").map((verdict) => fix.plan(snapshot, verdict));
    const latest = changes.find((change) => change.resource === "my-web-app:2");
    expect(latest).toMatchObject({ manual: true, steps: [] });
    expect(latest?.notes.join(" ")).toMatch(/no service of my-cluster runs my-web-app:2/);
  });

  test("nothing to plan on the clean service", () => {
    expect(failing(fixture("clean"), "logging-missing")).toEqual([]);
  });
});
