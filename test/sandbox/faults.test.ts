// --faults through the real SDK clients: each fault is answered the way the service's own wire family does.
import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from "@aws-sdk/client-ecs";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { afterEach, describe, expect, test } from "vitest";
import { parseFaults } from "../../lib/sandbox/faults";
import { type Sandbox, startSandbox } from "../../lib/sandbox/server";
import { emptyState } from "../../lib/sandbox/state";
import { clientConfig } from "./client";
import { wireServices } from "./wire-services";

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

async function start(faults: string): Promise<Sandbox> {
  sandbox = await startSandbox({
    services: wireServices,
    state: emptyState("test"),
    faults,
    clock: "2024-01-01T00:00:00Z",
  });
  return sandbox;
}

async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected the call to fail");
}

describe("parseFaults", () => {
  test("reads the whole documented spec", () => {
    expect(
      parseFaults(
        "throttle=0.3,error=0.1,latency=20,deny=ecs:DescribeTaskDefinition+iam:GetRole,hang=ecs:UpdateService,expired,seed=7",
      ),
    ).toEqual({
      throttle: 0.3,
      error: 0.1,
      latency: 20,
      deny: ["ecs:DescribeTaskDefinition", "iam:GetRole"],
      hang: ["ecs:UpdateService"],
      expired: true,
      seed: 7,
    });
  });

  test.each([
    ["throttle=2", /fraction between 0 and 1/],
    ["throttle=abc", /fraction/],
    ["latency=-1", /whole number/],
    ["deny=DescribeServices", /not an action/],
    ["slow=1", /not one of/],
    ["expired=yes", /takes no value/],
    ["seed=", /needs a value/],
  ])("refuses %s with a clear message", (spec, message) => {
    expect(() => parseFaults(spec)).toThrow(message);
  });
});

describe("faults on the wire", () => {
  test("throttle=0.3 is absorbed by the SDK's retries", async () => {
    const { endpoint } = await start("throttle=0.3,seed=7");
    // The SDK's own retry strategy with its usual attempts, only with a short backoff to keep the test quick.
    const ecs = new ECSClient({ ...clientConfig(endpoint), retryStrategy: new ConfiguredRetryStrategy(10, 5) });
    let attempts = 0;
    for (let i = 0; i < 20; i++) {
      const out = await ecs.send(new DescribeServicesCommand({ services: ["s"] }));
      attempts += out.$metadata.attempts ?? 1;
    }
    expect(attempts).toBeGreaterThan(20);
  });

  test("throttling is named as each family names it", async () => {
    const { endpoint } = await start("throttle=1");
    const config = clientConfig(endpoint, { maxAttempts: 1 });
    expect((await rejection(new ECSClient(config).send(new DescribeServicesCommand({ services: ["s"] })))).name).toBe(
      "ThrottlingException",
    );
    const ec2 = await rejection(new EC2Client(config).send(new DescribeSecurityGroupsCommand({})));
    expect(ec2.name).toBe("RequestLimitExceeded");
    expect((ec2.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(503);
    expect((await rejection(new IAMClient(config).send(new GetRoleCommand({ RoleName: "r" })))).name).toBe(
      "Throttling",
    );
  });

  test("error=1 answers 500 InternalFailure / InternalError", async () => {
    const { endpoint } = await start("error=1");
    const config = clientConfig(endpoint, { maxAttempts: 1 });
    const ecs = await rejection(new ECSClient(config).send(new DescribeServicesCommand({ services: ["s"] })));
    expect([ecs.name, (ecs.$metadata as { httpStatusCode: number }).httpStatusCode]).toEqual(["InternalFailure", 500]);
    expect((await rejection(new EC2Client(config).send(new DescribeSecurityGroupsCommand({})))).name).toBe(
      "InternalError",
    );
  });

  test("deny names the action like AWS, per family", async () => {
    const { endpoint } = await start("deny=ecs:DescribeTaskDefinition+iam:GetRole+ec2:DescribeSecurityGroups");
    const config = clientConfig(endpoint, { maxAttempts: 1 });
    const ecs = await rejection(new ECSClient(config).send(new DescribeTaskDefinitionCommand({ taskDefinition: "x" })));
    expect(ecs.name).toBe("AccessDeniedException");
    expect(ecs.message).toBe(
      "User: arn:aws:iam::123456789012:user/new-owner is not authorized to perform: ecs:DescribeTaskDefinition because no identity-based policy allows the ecs:DescribeTaskDefinition action",
    );
    const iam = await rejection(new IAMClient(config).send(new GetRoleCommand({ RoleName: "r" })));
    expect([iam.name, (iam.$metadata as { httpStatusCode: number }).httpStatusCode]).toEqual(["AccessDenied", 403]);
    const ec2 = await rejection(new EC2Client(config).send(new DescribeSecurityGroupsCommand({})));
    expect(ec2.name).toBe("UnauthorizedOperation");
    expect(ec2.message).toContain("ec2:DescribeSecurityGroups");
    // Other actions still answer.
    await new ECSClient(config).send(new DescribeServicesCommand({ services: ["s"] }));
  });

  test("expired answers every call as expired credentials", async () => {
    const { endpoint } = await start("expired");
    const config = clientConfig(endpoint, { maxAttempts: 1 });
    expect((await rejection(new ECSClient(config).send(new DescribeServicesCommand({ services: ["s"] })))).name).toBe(
      "ExpiredTokenException",
    );
    expect((await rejection(new IAMClient(config).send(new GetRoleCommand({ RoleName: "r" })))).name).toBe(
      "ExpiredToken",
    );
    expect((await rejection(new EC2Client(config).send(new DescribeSecurityGroupsCommand({})))).name).toBe(
      "RequestExpired",
    );
  });

  // This SDK only warns on requestTimeout unless throwOnRequestTimeout is set (lib/aws must set it).
  test("hang never answers: a client with a request timeout gives up, and stop() still returns", async () => {
    const { endpoint } = await start("hang=ecs:DescribeServices");
    const ecs = new ECSClient({
      ...clientConfig(endpoint, { maxAttempts: 1 }),
      requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
    });
    const error = await rejection(ecs.send(new DescribeServicesCommand({ services: ["s"] })));
    expect(error.name).toBe("TimeoutError");
  });

  test("latency delays every answer", async () => {
    const { endpoint } = await start("latency=150");
    const ecs = new ECSClient(clientConfig(endpoint));
    const started = Date.now();
    await ecs.send(new DescribeServicesCommand({ services: ["s"] }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
