// The virtual clock makes runs repeatable byte for byte; --state FILE makes them resumable across restarts.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeServicesCommand, ECSClient, ListClustersCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, test } from "vitest";
import { CLOCK_STEP_MS } from "../../lib/sandbox/clock";
import { decodeState, encodeState } from "../../lib/sandbox/persist";
import { startSandbox } from "../../lib/sandbox/server";
import type { ServiceDefinition } from "../../lib/sandbox/service";
import { emptyState } from "../../lib/sandbox/state";
import { clientConfig } from "./client";
import { wireServices } from "./wire-services";

const stateful: ServiceDefinition = {
  signingName: "sts",
  protocol: "awsQuery",
  handlers: {
    GetCallerIdentity: (_input, { state }) => ({ ...state.sts.callerIdentity }),
    // Stands in for any changing call: records who, with an id drawn from the state's sequence.
    AssumeRole: (input, context) => {
      context.state.sts.callerIdentity = {
        Account: context.account,
        Arn: String(input.RoleArn),
        UserId: `AROA${context.hex(16)}`,
      };
      context.changed();
      return { AssumedRoleUser: { Arn: String(input.RoleArn), AssumedRoleId: context.hex(8) } };
    },
  },
};

const calls: ReadonlyArray<{ headers: Record<string, string>; body: string }> = [
  {
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "AmazonEC2ContainerServiceV20141113.DescribeServices",
    },
    body: '{"services":["a"]}',
  },
  {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "Action=GetRole&Version=2010-05-08&RoleName=r",
  },
  {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "Action=DescribeSecurityGroups&Version=2016-11-15&GroupId.1=sg-1",
  },
  {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fx&RoleSessionName=s",
  },
];

async function transcript(clock: string): Promise<string[]> {
  const services = [...wireServices.filter((s) => s.signingName !== "sts"), stateful];
  const sandbox = await startSandbox({ services, state: emptyState("test"), clock, faults: "throttle=0.5,seed=3" });
  const lines: string[] = [];
  for (const call of calls) {
    const response = await fetch(sandbox.endpoint, { method: "POST", ...call });
    lines.push(
      `${response.status} ${response.headers.get("date")} ${response.headers.get("x-amzn-requestid")} ${await response.text()}`,
    );
  }
  await sandbox.stop();
  return lines;
}

describe("virtual clock", () => {
  test("the same clock and calls give byte-identical answers, Date and request ids included", async () => {
    const first = await transcript("2024-01-01T00:00:00Z");
    const second = await transcript("2024-01-01T00:00:00Z");
    expect(second).toEqual(first);
    expect(first[0]).toContain("Mon, 01 Jan 2024 00:00:00 GMT");
    expect(first[3]).toContain("Mon, 01 Jan 2024 00:00:03 GMT");
    expect(await transcript("2024-01-01T00:00:01Z")).not.toEqual(first);
  });

  test("time moves one step per request served, never with wall time", async () => {
    const sandbox = await startSandbox({ services: [stateful], state: emptyState("t"), clock: "2024-06-01T12:00:00Z" });
    expect(sandbox.now().toISOString()).toBe("2024-06-01T12:00:00.000Z");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(sandbox.now().toISOString()).toBe("2024-06-01T12:00:00.000Z");
    await new STSClient(clientConfig(sandbox.endpoint)).send(new GetCallerIdentityCommand({}));
    expect(sandbox.now().getTime()).toBe(Date.parse("2024-06-01T12:00:00Z") + CLOCK_STEP_MS);
    await sandbox.stop();
  });
});

describe("--state FILE", () => {
  test("a restart on the same file resumes the state", async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), "sandbox-state-")), "state.json");
    const first = await startSandbox({
      services: [stateful],
      statePath,
      scenario: "clean",
      clock: "2024-01-01T00:00:00Z",
    });
    const form =
      "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fops&RoleSessionName=s";
    const response = await fetch(first.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
    });
    expect(response.status).toBe(200);
    const sequence = first.state.sequence;
    expect(sequence).toBeGreaterThan(0);
    await first.stop();
    expect(JSON.parse(readFileSync(statePath, "utf8")).sts.callerIdentity.Arn).toBe(
      "arn:aws:iam::123456789012:role/ops",
    );

    const second = await startSandbox({ services: [stateful], statePath, scenario: "clean" });
    const me = await new STSClient(clientConfig(second.endpoint)).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe("arn:aws:iam::123456789012:role/ops");
    expect(second.state.sequence).toBe(sequence);
    await second.stop();
  });

  test("an ECS change survives a restart, and the clock goes on from it rather than back to --clock", async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), "sandbox-state-")), "state.json");
    const clock = "2026-11-28T00:00:00Z";
    const first = await startSandbox({ statePath, clock });
    const ecs = new ECSClient(clientConfig(first.endpoint));
    for (let i = 0; i < 5; i++) await ecs.send(new ListClustersCommand({}));
    await ecs.send(new UpdateServiceCommand({ cluster: "my-cluster", service: "my-web-service", desiredCount: 1 }));
    const changedAt = first.now().getTime() - CLOCK_STEP_MS;
    await first.stop();

    const second = await startSandbox({ statePath, clock });
    expect(second.now().getTime()).toBeGreaterThan(changedAt);
    const { services } = await new ECSClient(clientConfig(second.endpoint)).send(
      new DescribeServicesCommand({ cluster: "my-cluster", services: ["my-web-service"] }),
    );
    expect(services?.[0]?.desiredCount).toBe(1);
    await second.stop();
  });

  test("a file of another version is refused", async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), "sandbox-state-")), "state.json");
    writeFileSync(statePath, JSON.stringify({ ...emptyState("x"), version: 2 }));
    await expect(startSandbox({ services: [stateful], statePath })).rejects.toThrow(/version 2/);
  });

  test("Dates and bytes survive encoding", () => {
    const state = emptyState("x");
    const extra = { at: new Date("2024-01-02T03:04:05.678Z"), bytes: new Uint8Array([1, 2, 3]) };
    const decoded = decodeState(encodeState(Object.assign(state, { extra }))) as typeof state & { extra: typeof extra };
    expect(decoded.extra).toEqual(extra);
    expect(decoded.extra.at).toBeInstanceOf(Date);
  });
});
