import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/iam/cluster-access-unscoped";
import type { SnapshotPrincipal } from "../../../lib/inventory/snapshot";
import { denied, known } from "../fixtures";
import { CLUSTER_ARN, inlinePolicy, managedPolicy, webService } from "../network/web-service";

function user(name: string, statements: object[]): SnapshotPrincipal {
  return {
    kind: "user",
    name,
    arn: `arn:aws:iam::123456789012:user/${name}`,
    groups: [],
    policies: [inlinePolicy("p", statements)],
  };
}

describe("cluster-access-unscoped", () => {
  test("fails a group allowing ecs:* on *, once as the group (not again in each member)", () => {
    const verdicts = run(webService("inherited"));
    const group = verdicts.find((v) => v.resource === "group/ecs-operators");
    expect(group).toMatchObject({ status: "fail" });
    expect(group?.status === "fail" && group.detail).toContain(
      'for alice, bob: ecs-operate (inline) allows "ecs:*" on "*"',
    );
    expect(verdicts.map((v) => v.resource)).not.toContain("user/alice");
  });

  test("fails write actions on * without an ecs:cluster condition, and an AWS managed full-access policy", () => {
    const writes = user("ops", [{ Effect: "Allow", Action: ["ecs:UpdateService", "ecs:StopTask"], Resource: "*" }]);
    const managed: SnapshotPrincipal = {
      ...user("admin-ish", []),
      policies: [
        managedPolicy("arn:aws:iam::aws:policy/AmazonECS_FullAccess", "AmazonECS_FullAccess", [
          { Effect: "Allow", Action: ["ecs:*"], Resource: "*" },
        ]),
      ],
    };
    const verdicts = run(webService("clean", { principals: known([writes, managed]) }));
    expect(verdicts.map((v) => v.status)).toEqual(["fail", "fail"]);
  });

  test("passes writes scoped by an ecs:cluster condition or by the cluster's ARNs", () => {
    expect(run(webService("clean")).map((v) => v.status)).toEqual(["pass", "pass"]);
    const byArn = user("ops", [
      {
        Effect: "Allow",
        Action: ["ecs:UpdateService", "ecs:DeleteService"],
        Resource: "arn:aws:ecs:ap-northeast-1:123456789012:service/my-cluster/*",
      },
      { Effect: "Allow", Action: "ecs:UpdateCluster", Resource: CLUSTER_ARN },
    ]);
    expect(run(webService("clean", { principals: known([byArn]) }))).toEqual([
      { status: "pass", resource: "user/ops", detail: "its ECS write actions are scoped to a cluster" },
    ]);
  });

  test("unknown when the principals could not be read", () => {
    expect(run(webService("inherited", { principals: denied("iam:GetAccountAuthorizationDetails") }))).toEqual([
      expect.objectContaining({ status: "unknown", missing: "iam:GetAccountAuthorizationDetails" }),
    ]);
  });

  test("nothing to judge for read-only ECS access or an AWS service-linked role", () => {
    const reader = user("viewer", [{ Effect: "Allow", Action: ["ecs:Describe*", "ecs:List*"], Resource: "*" }]);
    const linked: SnapshotPrincipal = {
      kind: "role",
      name: "AWSServiceRoleForECS",
      arn: "arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
      policies: [inlinePolicy("p", [{ Effect: "Allow", Action: "ecs:*", Resource: "*" }])],
    };
    expect(run(webService("clean", { principals: known([reader, linked]) }))).toEqual([]);
  });
});
