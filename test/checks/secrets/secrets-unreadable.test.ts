import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/secrets/secrets-unreadable";
import type { Snapshot } from "../../../lib/inventory/snapshot";
import { denied, known } from "../fixtures";
import {
  appContainer,
  ECS_TASK_EXECUTION_POLICY,
  EXECUTION_ROLE_ARN,
  inlinePolicy,
  role,
  roles,
  secrets,
  TD_ARN,
  taskDefinition,
  webService,
} from "../network/web-service";

/** The clean service with the execution role's policies replaced. */
function withExecutionPolicies(policies: Parameters<typeof role>[1]): Snapshot {
  return webService("clean", {
    roles: { ...roles("clean"), [EXECUTION_ROLE_ARN]: known(role(EXECUTION_ROLE_ARN, policies)) },
  });
}

describe("secrets-unreadable", () => {
  test("fails when the execution role may not read the secret", () => {
    const [verdict] = run(withExecutionPolicies([ECS_TASK_EXECUTION_POLICY]));
    expect(verdict).toMatchObject({ status: "fail", resource: "my-web-app:1" });
    expect(verdict?.status === "fail" && verdict.detail).toContain(
      "DB_PASSWD of container my-web-app: role/ecsTaskExecutionRole may not secretsmanager:GetSecretValue on my-web-app/db-password",
    );
  });

  test("fails when the secret does not exist, or when there is no execution role at all", () => {
    const gone = webService("clean", { secrets: secrets("clean").map((s) => ({ ...s, exists: known(false) })) });
    expect(run(gone)[0]).toMatchObject({ status: "fail", detail: expect.stringContaining("does not exist") });
    const { executionRoleArn: _, ...noRole } = taskDefinition("clean");
    const orphan = webService("clean", { taskDefinitions: { [TD_ARN]: known(noRole) } });
    expect(run(orphan)[0]).toMatchObject({ status: "fail", detail: expect.stringContaining("has no execution role") });
  });

  test("passes when the role may read exactly that secret (a wildcard on the ARN's random suffix works too)", () => {
    expect(run(webService("clean"))).toEqual([
      { status: "pass", resource: "my-web-app:1", detail: "role/ecsTaskExecutionRole may read the secret it injects" },
    ]);
    const suffixed = withExecutionPolicies([
      ECS_TASK_EXECUTION_POLICY,
      inlinePolicy("read", [
        {
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:my-web-app/db-password-??????",
        },
      ]),
    ]);
    expect(run(suffixed)[0]?.status).toBe("pass");
  });

  test("judges SSM parameters named without an ARN against ssm:GetParameters on the parameter's ARN", () => {
    const container = { ...appContainer("clean"), secrets: [{ name: "API_TOKEN", valueFrom: "/my-web/api-token" }] };
    const base = withExecutionPolicies([
      inlinePolicy("params", [
        {
          Effect: "Allow",
          Action: "ssm:GetParameters",
          Resource: "arn:aws:ssm:ap-northeast-1:123456789012:parameter/my-web/*",
        },
      ]),
    ]);
    const snapshot: Snapshot = {
      ...base,
      taskDefinitions: { [TD_ARN]: known(taskDefinition("clean", [container])) },
      secrets: [{ reference: "/my-web/api-token", store: "ssm", name: "/my-web/api-token", exists: known(true) }],
    };
    expect(run(snapshot)[0]?.status).toBe("pass");
  });

  test("unknown when the role's policies, or whether the secret exists, could not be read", () => {
    const policiesDenied = webService("clean", {
      roles: {
        ...roles("clean"),
        [EXECUTION_ROLE_ARN]: known({
          ...role(EXECUTION_ROLE_ARN, []),
          policies: denied("iam:ListAttachedRolePolicies"),
        }),
      },
    });
    expect(run(policiesDenied)).toEqual([
      expect.objectContaining({ status: "unknown", resource: "my-web-app:1", missing: "iam:ListAttachedRolePolicies" }),
    ]);
    const existence = webService("clean", {
      secrets: secrets("clean").map((s) => ({ ...s, exists: denied<boolean>("secretsmanager:DescribeSecret") })),
    });
    expect(run(existence)).toEqual([
      expect.objectContaining({ status: "unknown", missing: "secretsmanager:DescribeSecret" }),
    ]);
  });

  test("nothing to judge when no container references a secret", () => {
    expect(run(webService("inherited"))).toEqual([]);
  });
});
