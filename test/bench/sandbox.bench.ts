// The sandbox: start-up and memory for `large`, and calls answered per second under 50 concurrent clients.
import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeServicesCommand, ECSClient, ListServicesCommand } from "@aws-sdk/client-ecs";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { startSandbox } from "../../lib/sandbox/server";
import { clientConfig } from "../sandbox/client";
import { report, timed } from "./report";

const CLIENTS = 50;
const CALLS_PER_CLIENT = 40;

export async function benchSandbox(): Promise<void> {
  const heapBefore = settledHeap();
  const [startMs, large] = await timed(() => startSandbox({ scenario: "large", clock: "2026-11-28T00:00:00Z" }));
  const heapMb = (settledHeap() - heapBefore) / 1024 / 1024;
  report({ name: "sandbox start, large (1,000 services, 3,000 tasks)", value: startMs, unit: "ms", goal: "<= 5000" });
  report({ name: "sandbox heap, large", value: heapMb, unit: "MiB", goal: "<= 300" });
  await large.stop();

  const sandbox = await startSandbox({ scenario: "inherited", clock: "2026-11-28T00:00:00Z" });
  const calls = [
    (c: Clients) => c.ecs.send(new DescribeServicesCommand({ cluster: "my-cluster", services: ["my-web-service"] })),
    (c: Clients) => c.ecs.send(new ListServicesCommand({ cluster: "my-cluster" })),
    (c: Clients) => c.ec2.send(new DescribeSecurityGroupsCommand({})),
    (c: Clients) => c.sts.send(new GetCallerIdentityCommand({})),
  ];
  const [ms] = await timed(() =>
    Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        const config = clientConfig(sandbox.endpoint);
        const clients = { ecs: new ECSClient(config), ec2: new EC2Client(config), sts: new STSClient(config) };
        for (let i = 0; i < CALLS_PER_CLIENT; i++) await (calls[(client + i) % calls.length] as Call)(clients);
      }),
    ),
  );
  await sandbox.stop();
  report({
    name: `sandbox calls answered per second, ${CLIENTS} concurrent SDK clients, mixed protocols`,
    value: (CLIENTS * CALLS_PER_CLIENT) / (ms / 1000),
    unit: "calls/s",
    goal: ">= 300",
  });
}

/** Heap in use after a full collection (npm run bench runs node with --expose-gc), so only what is kept counts. */
function settledHeap(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

interface Clients {
  ecs: ECSClient;
  ec2: EC2Client;
  sts: STSClient;
}
type Call = (clients: Clients) => Promise<unknown>;
