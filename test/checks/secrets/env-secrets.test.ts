import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/secrets/env-secrets";
import { denied, known } from "../fixtures";
import { appContainer, DB_PASSWD_REDACTED, TD_ARN, taskDefinition, webService } from "../network/web-service";

describe("env-secrets", () => {
  test("fails a task definition with a redacted value, naming the variable and why — never the value or its hash", () => {
    const verdicts = run(webService("inherited"));
    expect(verdicts).toEqual([expect.objectContaining({ status: "fail", resource: "my-web-app:1" })]);
    const detail = verdicts[0]?.status === "fail" ? verdicts[0].detail : "";
    expect(detail).toContain("container my-web-app: DB_PASSWD (its name says it is a secret)");
    expect(JSON.stringify(verdicts)).not.toContain(DB_PASSWD_REDACTED.hmac);
    expect(detail).not.toContain(String(DB_PASSWD_REDACTED.length));
  });

  test("says why a value looked secret when its name did not", () => {
    const container = {
      ...appContainer("clean"),
      environment: [
        {
          name: "SOME_SETTING",
          value: { redacted: true as const, length: 40, hmac: "aa11bb22cc33dd44", reason: "aws-access-key" },
        },
      ],
    };
    const snapshot = webService("clean", {
      taskDefinitions: { [TD_ARN]: known(taskDefinition("clean", [container])) },
    });
    const [verdict] = run(snapshot);
    expect(verdict?.status === "fail" && verdict.detail).toContain(
      "SOME_SETTING (its value has the format of aws access key)",
    );
    expect(JSON.stringify(verdict)).not.toContain("aa11bb22cc33dd44");
  });

  test("passes a task definition whose environment holds no secret-looking value", () => {
    expect(run(webService("clean"))).toEqual([
      { status: "pass", resource: "my-web-app:1", detail: "no secret-looking value in any container's environment" },
    ]);
  });

  test("unknown when the task definition could not be read, naming the missing action", () => {
    const snapshot = webService("inherited", { taskDefinitions: { [TD_ARN]: denied("ecs:DescribeTaskDefinition") } });
    expect(run(snapshot)).toEqual([
      expect.objectContaining({ status: "unknown", resource: "my-web-app:1", missing: "ecs:DescribeTaskDefinition" }),
    ]);
  });

  test("unknown, not nothing, when the services could not be listed", () => {
    expect(run(webService("inherited", { services: denied("ecs:ListServices") }))).toEqual([
      expect.objectContaining({ status: "unknown", resource: "cluster my-cluster", missing: "ecs:ListServices" }),
    ]);
  });

  test("nothing to judge without services", () => {
    expect(run(webService("inherited", { services: known([]) }))).toEqual([]);
  });
});
