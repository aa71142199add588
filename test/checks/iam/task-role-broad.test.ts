import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/iam/task-role-broad";
import { denied, known } from "../fixtures";
import { CLEAN_TASK_ROLE_ARN, inlinePolicy, LEAST_PRIVILEGE, role, roles, webService } from "../network/web-service";

function withTaskPolicies(statements: object[]) {
  const task = role(CLEAN_TASK_ROLE_ARN, [inlinePolicy("app", statements)]);
  return webService("clean", { roles: { ...roles("clean"), [CLEAN_TASK_ROLE_ARN]: known(task) } });
}

describe("task-role-broad", () => {
  test("fails a service-wide wildcard and a data action on every resource", () => {
    const [verdict] = run(
      withTaskPolicies([
        { Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::my-web-uploads/*" },
        { Effect: "Allow", Action: "sqs:SendMessage", Resource: "*" },
      ]),
    );
    expect(verdict).toMatchObject({ status: "fail", resource: "role/my-web-app-task" });
    const detail = verdict?.status === "fail" ? verdict.detail : "";
    expect(detail).toContain('"s3:*" (every s3 action) in app (inline)');
    expect(detail).toContain('"sqs:SendMessage" on every resource in app (inline)');
  });

  test("fails NotAction: everything but a few actions is not least privilege", () => {
    const [verdict] = run(withTaskPolicies([{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }]));
    expect(verdict).toMatchObject({ status: "fail", detail: expect.stringContaining("every action except iam:*") });
  });

  test("passes scoped actions, and X-Ray writes on * (they take no resource scope)", () => {
    expect(run(webService("clean"))).toEqual([
      expect.objectContaining({ status: "pass", resource: "role/my-web-app-task" }),
    ]);
    expect(
      run(withTaskPolicies([{ Effect: "Allow", Action: "xray:PutTraceSegments", Resource: "*" }]))[0]?.status,
    ).toBe("pass");
  });

  test("says nothing of an administrator role: task-role-admin reports it", () => {
    expect(run(webService("inherited"))).toEqual([]);
  });

  test("unknown when the role's policies could not be read", () => {
    const unread = { ...role(CLEAN_TASK_ROLE_ARN, [LEAST_PRIVILEGE]), policies: denied<never>("iam:GetRolePolicy") };
    const snapshot = webService("clean", { roles: { ...roles("clean"), [CLEAN_TASK_ROLE_ARN]: known(unread) } });
    expect(run(snapshot)).toEqual([expect.objectContaining({ status: "unknown", missing: "iam:GetRolePolicy" })]);
  });
});
