// The first line of a runbook: where its calls go and as whom, read from STS — and a clear failure when it cannot be.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createAws } from "../../lib/aws/client";
import { connectionTarget, identityLine } from "../../lib/aws/identity-line";
import { type Sandbox, startSandbox } from "../../lib/sandbox/server";

const credentials = { accessKeyId: "AKIASANDBOXEXAMPLE", secretAccessKey: "sandbox-secret-key" };

describe("identityLine", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, scenario: "incident", clock: "2026-11-28T00:00:00Z" });
  });
  afterAll(() => sandbox.stop());

  test("names the sandbox and its scenario when --sandbox set them, the region and the caller STS reports", async () => {
    const aws = createAws({ endpoint: sandbox.endpoint, region: "ap-northeast-1", credentials });
    const env = { AWS_ENDPOINT_URL: sandbox.endpoint, ECS_TAKEOVER_SANDBOX: "incident" };
    // No port: an embedded sandbox's changes every run, and an executed runbook must not.
    expect(await identityLine(aws, { env })).toBe(
      "Talking to the sandbox account (scenario incident), region ap-northeast-1, as arn:aws:iam::123456789012:user/new-owner (account 123456789012).",
    );
    aws.destroy();
  });

  test("an endpoint alone is just an endpoint: nothing but the CLI's variable says it is a sandbox", async () => {
    const aws = createAws({ endpoint: sandbox.endpoint, region: "ap-northeast-1", credentials });
    expect(await identityLine(aws, { endpoint: sandbox.endpoint, env: {} })).toMatch(
      new RegExp(`^Talking to the endpoint ${sandbox.endpoint}, region ap-northeast-1, as arn:aws:iam::123456789012:`),
    );
    aws.destroy();
  });

  test("a real account is named by its profile, when there is one", () => {
    expect(connectionTarget({ profile: "prod" }, {})).toBe("AWS (profile prod)");
    expect(connectionTarget({ profile: "" }, { AWS_PROFILE: "staging" })).toBe("AWS (profile staging)");
    expect(connectionTarget({}, {})).toBe("AWS");
  });

  test("an endpoint that does not answer fails with one line saying so", async () => {
    const aws = createAws({ endpoint: "http://127.0.0.1:9", region: "ap-northeast-1", credentials, maxAttempts: 1 });
    await expect(identityLine(aws, { env: {} })).rejects.toThrow(
      /^cannot tell who we are \(sts:GetCallerIdentity\): the AWS endpoint did not answer/,
    );
    aws.destroy();
  });
});
