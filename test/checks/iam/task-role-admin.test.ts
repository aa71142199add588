import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/iam/task-role-admin";
import { denied, known } from "../fixtures";
import { ADMIN_ROLE_ARN, inlinePolicy, role, roles, TD_ARN, taskDefinition, webService } from "../network/web-service";

describe("task-role-admin", () => {
  test("fails a task role with AdministratorAccess, naming the policy and who runs with it", () => {
    expect(run(webService("inherited"))).toEqual([
      {
        status: "fail",
        resource: "role/AdministratorAccessRole",
        detail:
          "AdministratorAccess (AWS managed) allows every action on every resource, and my-web-app:1 runs with it as " +
          "task role: code in the container — or anyone who breaks into it — can do anything in the account",
      },
    ]);
  });

  test("fails a task role whose own inline policy allows * on *, even with a service trust", () => {
    const homemade = role(ADMIN_ROLE_ARN, [
      inlinePolicy("everything", [{ Effect: "Allow", Action: "*", Resource: "*" }]),
    ]);
    const snapshot = webService("inherited", { roles: { ...roles("inherited"), [ADMIN_ROLE_ARN]: known(homemade) } });
    expect(run(snapshot)[0]).toMatchObject({ status: "fail", detail: expect.stringContaining("everything (inline)") });
  });

  test("passes a least-privilege task role", () => {
    expect(run(webService("clean"))).toEqual([
      expect.objectContaining({ status: "pass", resource: "role/my-web-app-task" }),
    ]);
  });

  test("unknown when the role, its policies or the task definition could not be read", () => {
    const policies = webService("inherited", {
      roles: {
        ...roles("inherited"),
        [ADMIN_ROLE_ARN]: known({ ...role(ADMIN_ROLE_ARN, []), policies: denied("iam:ListAttachedRolePolicies") }),
      },
    });
    expect(run(policies)).toEqual([
      expect.objectContaining({
        status: "unknown",
        resource: "role/AdministratorAccessRole",
        missing: "iam:ListAttachedRolePolicies",
      }),
    ]);
    const roleDenied = webService("inherited", { roles: { [ADMIN_ROLE_ARN]: denied("iam:GetRole") } });
    expect(run(roleDenied)).toEqual([expect.objectContaining({ status: "unknown", missing: "iam:GetRole" })]);
    const definition = webService("inherited", { taskDefinitions: { [TD_ARN]: denied("ecs:DescribeTaskDefinition") } });
    expect(run(definition)).toEqual([
      expect.objectContaining({ status: "unknown", resource: "my-web-app:1", missing: "ecs:DescribeTaskDefinition" }),
    ]);
  });

  test("nothing to judge for a task definition without a task role", () => {
    const { taskRoleArn: _, ...noRole } = taskDefinition("inherited");
    expect(run(webService("inherited", { taskDefinitions: { [TD_ARN]: known(noRole) } }))).toEqual([]);
  });
});
