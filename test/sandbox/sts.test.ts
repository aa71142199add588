import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterEach, describe, expect, it } from "vitest";
import { startSandbox } from "../../lib/sandbox/server";
import { setCallerIdentity } from "../../lib/sandbox/services/sts";
import { emptyState } from "../../lib/sandbox/state";
import { clientConfig } from "./client";

describe("STS over the SDK", () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
  });

  it("GetCallerIdentity answers the account's new owner by default", async () => {
    const sandbox = await startSandbox({ port: 0, state: emptyState("test") });
    stop = () => sandbox.stop();
    const sts = new STSClient(clientConfig(sandbox.endpoint));
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({
      Account: "123456789012",
      Arn: "arn:aws:iam::123456789012:user/new-owner",
      UserId: expect.stringMatching(/^AIDA[0-9A-Z]+$/),
    });
    sts.destroy();
  });

  it("GetCallerIdentity answers whoever the scenario set", async () => {
    const state = emptyState("test");
    setCallerIdentity(state, {
      arn: "arn:aws:sts::123456789012:assumed-role/OnCall/alice",
      userId: "AROAEXAMPLEONCALL0001:alice",
    });
    const sandbox = await startSandbox({ port: 0, state });
    stop = () => sandbox.stop();
    const sts = new STSClient(clientConfig(sandbox.endpoint));
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe("arn:aws:sts::123456789012:assumed-role/OnCall/alice");
    expect(me.UserId).toBe("AROAEXAMPLEONCALL0001:alice");
    expect(me.Account).toBe("123456789012");
    sts.destroy();
  });
});
