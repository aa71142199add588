import { describe, expect, test } from "vitest";
import { run } from "../../../lib/checks/runtime/platform-outdated";
import { denied, known } from "../fixtures";
import { cleanSnapshot, inheritedSnapshot, service } from "./web-service-snapshots";

describe("platform-outdated", () => {
  test("fails the inherited Fargate service pinned to 1.3.0", () => {
    expect(run(inheritedSnapshot())).toEqual([
      {
        status: "fail",
        resource: "service my-web-service",
        detail: "pinned to platform version 1.3.0; the latest is 1.4.0 (use LATEST)",
      },
    ]);
  });

  test("passes LATEST, no version (which means LATEST) and 1.4.0", () => {
    expect(run(cleanSnapshot())).toMatchObject([{ status: "pass" }]);
    for (const platformVersion of [undefined, "1.4.0"]) {
      expect(run(cleanSnapshot({ services: known([service({ platformVersion })]) }))).toMatchObject([
        { status: "pass", resource: "service my-web-service" },
      ]);
    }
  });

  test("judges Windows services against 1.0.0 and Fargate capacity providers like the launch type", () => {
    const windows = service({ platformVersion: "1.0.0", platformFamily: "WINDOWS_SERVER_2019_CORE" });
    expect(run(cleanSnapshot({ services: known([windows]) }))).toMatchObject([{ status: "pass" }]);
    const spot = service({
      launchType: undefined,
      capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
      platformVersion: "1.3.0",
    });
    expect(run(cleanSnapshot({ services: known([spot]) }))).toMatchObject([{ status: "fail" }]);
  });

  test("does not judge services on EC2", () => {
    const ec2 = service({ launchType: "EC2", platformVersion: undefined });
    expect(run(cleanSnapshot({ services: known([ec2]) }))).toEqual([]);
  });

  test("is unknown when the services could not be read", () => {
    expect(run(cleanSnapshot({ services: denied("ecs:DescribeServices") }))).toMatchObject([
      { status: "unknown", resource: "cluster my-cluster", missing: "ecs:DescribeServices" },
    ]);
  });
});
