import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/network/service-public-ip";
import { denied, known } from "../fixtures";
import { service, webService } from "./web-service";

describe("service-public-ip", () => {
  test("fails a service that assigns public IPs, saying which subnets it runs in", () => {
    expect(run(webService("inherited"))).toEqual([
      expect.objectContaining({ status: "fail", resource: "service my-web-service" }),
    ]);
    const [verdict] = run(webService("inherited"));
    expect(verdict?.status === "fail" && verdict.detail).toContain("in public subnets public-a, public-c");
  });

  test("fails a task set that assigns public IPs even when the service does not", () => {
    const clean = service("clean");
    const withTaskSet = {
      ...clean,
      service: {
        ...clean.service,
        taskSets: [
          {
            id: "ecs-svc/0123456789",
            networkConfiguration: {
              awsvpcConfiguration: { subnets: ["subnet-0a1a2a3a4a5a6a7a8"], assignPublicIp: "ENABLED" as const },
            },
          },
        ],
      },
    };
    const [verdict] = run(webService("clean", { services: known([withTaskSet]) }));
    expect(verdict?.status === "fail" && verdict.detail).toContain("task set ecs-svc/0123456789 assigns");
  });

  test("passes a service in private subnets without public IPs", () => {
    expect(run(webService("clean"))).toEqual([
      {
        status: "pass",
        resource: "service my-web-service",
        detail: "tasks get no public IP (in private subnets private-a, private-c)",
      },
    ]);
  });

  test("unknown when the services could not be read", () => {
    expect(run(webService("inherited", { services: denied("ecs:DescribeServices") }))).toEqual([
      expect.objectContaining({ status: "unknown", resource: "cluster my-cluster", missing: "ecs:DescribeServices" }),
    ]);
  });

  test("nothing to judge for a service outside awsvpc mode", () => {
    const bridge = service("inherited");
    const { networkConfiguration: _, ...rest } = bridge.service;
    expect(run(webService("inherited", { services: known([{ ...bridge, service: rest }]) }))).toEqual([]);
  });
});
