import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/iam/execution-role-missing";
import { denied, known } from "../fixtures";
import { appContainer, TD_ARN, taskDefinition, webService } from "../network/web-service";

function withoutExecutionRole(containers = [appContainer("clean")]) {
  const { executionRoleArn: _, ...definition } = taskDefinition("clean", containers);
  return webService("clean", { taskDefinitions: { [TD_ARN]: known(definition) } });
}

describe("execution-role-missing", () => {
  test("fails a Fargate definition that pulls from private ECR, logs with awslogs and injects secrets without one", () => {
    const [verdict] = run(withoutExecutionRole());
    expect(verdict).toMatchObject({ status: "fail", resource: "my-web-app:1" });
    const detail = verdict?.status === "fail" ? verdict.detail : "";
    expect(detail).toContain("container my-web-app pulls a private ECR image");
    expect(detail).toContain("container my-web-app logs with awslogs");
    expect(detail).toContain("container my-web-app injects secrets");
  });

  test("passes a definition with an execution role (the inherited service has one)", () => {
    expect(run(webService("inherited"))).toEqual([
      { status: "pass", resource: "my-web-app:1", detail: "runs with execution role role/ecsTaskExecutionRole" },
    ]);
  });

  test("passes a definition that needs none: a public image, no logs, no secrets", () => {
    const plain = { name: "web", image: "public.ecr.aws/nginx/nginx:1.27", essential: true };
    expect(run(withoutExecutionRole([plain]))).toEqual([
      { status: "pass", resource: "my-web-app:1", detail: "needs no execution role and has none" },
    ]);
  });

  test("unknown when the task definition could not be read", () => {
    const snapshot = webService("inherited", { taskDefinitions: { [TD_ARN]: denied("ecs:DescribeTaskDefinition") } });
    expect(run(snapshot)).toEqual([
      expect.objectContaining({ status: "unknown", missing: "ecs:DescribeTaskDefinition" }),
    ]);
  });

  test("nothing to judge without services", () => {
    expect(run(webService("inherited", { services: known([]) }))).toEqual([]);
  });
});
