import { ListClustersCommand } from "@aws-sdk/client-ecs";
import { afterEach, describe, expect, it } from "vitest";
import { createAws } from "../../lib/aws/client";
import { classifyEnvironmentError, deniedAction, known } from "../../lib/aws/known";
import { chunks, createLimit } from "../../lib/aws/limit";
import { DiscoveryEnvironmentError, discover } from "../../lib/inventory/discover";
import { KEY_PATH, sandboxAws } from "../inventory/sandbox";

describe("limit and chunks", () => {
  it("runs at most N at once", async () => {
    const limit = createLimit(3);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        limit(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it("splits into batches", () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 10)).toEqual([]);
  });
});

describe("known", () => {
  it("turns a denial into unknown with the missing action", async () => {
    const error = Object.assign(new Error("User: x is not authorized to perform: ecs:DescribeTaskDefinition on y"), {
      name: "AccessDeniedException",
    });
    expect(await known("ecs:DescribeTaskDefinition", () => Promise.reject(error))).toEqual({
      status: "unknown",
      error: "AccessDeniedException",
      missing: "ecs:DescribeTaskDefinition",
      message: "User: x is not authorized to perform: ecs:DescribeTaskDefinition on y",
    });
    expect(deniedAction("You are not authorized to perform this operation.")).toBeUndefined();
    const ec2 = Object.assign(new Error("You are not authorized to perform this operation."), {
      name: "UnauthorizedOperation",
    });
    expect(await known("ec2:DescribeSubnets", () => Promise.reject(ec2))).toMatchObject({
      missing: "ec2:DescribeSubnets",
    });
  });

  it("keeps a known value", async () => {
    expect(await known("x:Y", async () => 3)).toEqual({ status: "known", value: 3 });
  });
});

describe("createAws against the sandbox", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("counts requests and retries, and takes now() from the sandbox's Date header", async () => {
    const { aws, close } = await sandboxAws({ scenario: "inherited", faults: "throttle=0.5,seed=3" });
    try {
      for (let i = 0; i < 6; i++) await aws.ecs.send(new ListClustersCommand({}));
      expect(aws.counters.sent).toBeGreaterThan(6);
      expect(aws.counters.retried).toBe(aws.counters.sent - 6);
      expect(aws.counters.byAction["ecs:ListClusters"]).toBe(aws.counters.sent);
      expect(Math.abs(aws.now().getTime() - Date.parse("2026-11-28T00:00:00Z"))).toBeLessThan(3_600_000);
    } finally {
      await close();
    }
  });

  it("classifies no credentials as an environment error (exit 3)", async () => {
    for (const key of Object.keys(process.env))
      if (key.startsWith("AWS_") && key !== "AWS_EC2_METADATA_DISABLED") delete process.env[key];
    process.env.AWS_EC2_METADATA_DISABLED = "true";
    process.env.AWS_SHARED_CREDENTIALS_FILE = "/nonexistent/credentials";
    process.env.AWS_CONFIG_FILE = "/nonexistent/config";
    const { sandbox, close } = await sandboxAws({ scenario: "inherited" });
    const aws = createAws({ endpoint: sandbox.endpoint, region: "ap-northeast-1" });
    try {
      const error = await discover(aws, { cluster: "my-cluster", keyPath: KEY_PATH }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DiscoveryEnvironmentError);
      expect(error).toMatchObject({ exitCode: 3 });
      expect((error as Error).message).toMatch(/no AWS credentials/);
    } finally {
      aws.destroy();
      await close();
    }
  });

  it("classifies expired credentials and an unreachable endpoint", async () => {
    const { aws, close } = await sandboxAws({ scenario: "inherited", faults: "expired" });
    try {
      const error = await discover(aws, { cluster: "my-cluster", keyPath: KEY_PATH }).catch((e: unknown) => e);
      expect(error).toMatchObject({ exitCode: 3, code: "ExpiredToken" });
    } finally {
      await close();
    }
    const unreachable = createAws({
      endpoint: "http://127.0.0.1:9",
      region: "ap-northeast-1",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
      maxAttempts: 2,
    });
    const error = await discover(unreachable, { cluster: "c", keyPath: KEY_PATH }).catch((e: unknown) => e);
    unreachable.destroy();
    expect(error).toMatchObject({ exitCode: 3 });
    expect((error as Error).message).toMatch(/did not answer/);
    expect(classifyEnvironmentError(new Error("Region is missing"))?.problem).toBe("no-region");
  });
});
