// The observability fixes together in one plan: one new revision and one deployment for all their edits, steps two
// fixes share kept once, and nothing secret in it.
import { describe, expect, test } from "vitest";
import { CHECKS } from "../../../lib/checks/registry";
import { audit } from "../../../lib/checks/report";
import { plan } from "../../../lib/fixes/planner";
import { altered, fixture, PLANTED_SECRET } from "../image/fixture-verdicts";

const OBSERVABILITY = [
  "container-insights-off",
  "logging-missing",
  "logging-blocking",
  "log-retention-unset",
  "tracing-missing",
  "xray-daemon-eos",
  "alarms-missing",
];
const TD = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/my-web-app:1";

describe("the observability fixes in one plan", () => {
  test("inherited: their task-definition edits share one revision and one deployment", () => {
    const snapshot = fixture("inherited");
    const planned = plan(snapshot, audit(snapshot, CHECKS).findings, { checks: OBSERVABILITY });
    expect(planned.changes.map((change) => change.check)).toEqual([
      "container-insights-off",
      "logging-missing",
      "tracing-missing",
      "alarms-missing",
      "deploy",
    ]);
    const deploy = planned.changes.find((change) => change.check === "deploy");
    expect(deploy?.checks).toEqual(["logging-missing", "tracing-missing"]);
    expect(deploy?.steps.map((s) => s.call.action)).toEqual(["RegisterTaskDefinition", "UpdateService"]);
    const registered = deploy?.steps[0]?.call.input.$taskDefinition as { edits: { kind: string }[] };
    expect(registered.edits.map((edit) => edit.kind)).toEqual(["log-configuration", "add-container", "depends-on"]);
    expect(planned.preconditions.map((p) => p.label)).toEqual([
      "the cluster's settings",
      "service my-web-service",
      "log group /ecs/my-web-app",
      "role ecsTaskExecutionRole",
      "role AdministratorAccessRole",
      "the CloudWatch alarms",
    ]);
    expect(JSON.stringify(planned)).not.toContain(PLANTED_SECRET);
  });

  test("with no execution role, logging-missing and execution-role-missing create the role once", () => {
    const snapshot = altered(fixture("inherited"), (copy) => {
      const definition = copy.taskDefinitions[TD];
      if (definition?.status !== "known") throw new Error("fixture");
      delete (definition.value as { executionRoleArn?: string }).executionRoleArn;
    });
    const planned = plan(snapshot, audit(snapshot, CHECKS).findings, {
      checks: ["execution-role-missing", "logging-missing"],
    });
    const ids = planned.changes.flatMap((change) => change.steps.map((s) => s.id));
    expect(ids.filter((id) => id === "iam:CreateRole:my-web-app-execution")).toHaveLength(1);
    const deploy = planned.changes.find((change) => change.check === "deploy");
    const registered = deploy?.steps[0]?.call.input.$taskDefinition as { edits: { kind: string }[] };
    expect(registered.edits.filter((edit) => edit.kind === "execution-role")).toHaveLength(1);
  });
});
