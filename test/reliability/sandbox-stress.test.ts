// The sandbox under stress (DESIGN §3): malformed requests of every wire family get the family's own error while it
// keeps serving; 200 concurrent clients × 50 mixed calls are all answered and leave a consistent account; a
// `--state` file survives SIGKILL at any moment. All on 127.0.0.1. test/sandbox/protocols.test.ts has one malformed
// case per family on a test registry; this is the whole registry, each case followed by a good call.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogStreamsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { DescribeSecurityGroupsCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  DescribeServicesCommand,
  ECSClient,
  ListClustersCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
} from "@aws-sdk/client-ecs";
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { GetTraceSummariesCommand, XRayClient } from "@aws-sdk/client-xray";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { projectRoot } from "../../lib/project";
import { decodeState } from "../../lib/sandbox/persist";
import { type Sandbox, startSandbox } from "../../lib/sandbox/server";
import { CLOCK, DUMMY_CREDENTIALS, figure, seconds } from "./harness";

const CLUSTER_ARN = "arn:aws:ecs:ap-northeast-1:123456789012:cluster/my-cluster";

/** A real client's settings, with no retry: every request must be answered the first time. */
function config(endpoint: string) {
  return { endpoint, region: "ap-northeast-1", credentials: DUMMY_CREDENTIALS, maxAttempts: 1, forcePathStyle: true };
}

/** The SigV4 header a real client would send (the sandbox routes by its scope; it does not check signatures). */
function signedFor(service: string): Record<string, string> {
  return {
    authorization: `AWS4-HMAC-SHA256 Credential=${DUMMY_CREDENTIALS.accessKeyId}/20261128/ap-northeast-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
  };
}

const json = (service: string, target: string, version = "1.1") => ({
  ...signedFor(service),
  "content-type": `application/x-amz-json-${version}`,
  "x-amz-target": target,
});
const form = (service: string) => ({ ...signedFor(service), "content-type": "application/x-www-form-urlencoded" });
const ECS = "AmazonEC2ContainerServiceV20141113";
const BIG = 20 * 1024 * 1024;

interface Malformed {
  readonly name: string;
  readonly method?: string;
  readonly path?: string;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array<ArrayBuffer>;
  readonly status: number;
  /** The error code as the family writes it. */
  readonly code: string;
  /** A good call of the same family right after. */
  readonly good: (endpoint: string) => Promise<unknown>;
}

const ecsCall = (endpoint: string) => new ECSClient(config(endpoint)).send(new ListClustersCommand({}));
const xrayCall = (endpoint: string) =>
  new XRayClient(config(endpoint)).send(
    new GetTraceSummariesCommand({ StartTime: new Date(Date.parse(CLOCK) - 60_000), EndTime: new Date(CLOCK) }),
  );
const MALFORMED: readonly Malformed[] = [
  {
    name: "awsJson1_1 (ECS): a body that is not JSON",
    headers: json("ecs", `${ECS}.DescribeServices`),
    body: "{not json",
    status: 400,
    code: "SerializationException",
    good: ecsCall,
  },
  {
    name: "awsJson1_1 (ECS): JSON of the wrong types",
    headers: json("ecs", `${ECS}.DescribeServices`),
    body: '{"cluster": 5, "services": "my-web-service"}',
    status: 400,
    code: "SerializationException",
    good: ecsCall,
  },
  {
    name: "awsJson1_1 (ECS): a JSON array for a body",
    headers: json("ecs", `${ECS}.ListClusters`),
    body: "[1, 2]",
    status: 400,
    code: "SerializationException",
    good: ecsCall,
  },
  {
    name: "awsJson1_1: an X-Amz-Target of no service",
    headers: json("ecs", "NoSuchService_20200101.ListClusters"),
    body: "{}",
    status: 400,
    code: "UnknownOperationException",
    good: ecsCall,
  },
  {
    name: "awsJson1_1 (ECS): an unknown operation",
    headers: json("ecs", `${ECS}.FrobnicateClusters`),
    body: "{}",
    status: 400,
    code: "UnknownOperationException",
    good: ecsCall,
  },
  {
    name: "awsJson1_1 (ECS): a gzip body that is not gzip",
    headers: { ...json("ecs", `${ECS}.ListClusters`), "content-encoding": "gzip" },
    body: "not gzip at all",
    status: 400,
    code: "SerializationException",
    good: ecsCall,
  },
  {
    name: "awsJson1_1 (ECS): a 20 MB body",
    headers: json("ecs", `${ECS}.ListClusters`),
    body: new Uint8Array(BIG).fill(0x20),
    status: 413,
    code: "RequestEntityTooLarge",
    good: ecsCall,
  },
  {
    name: "awsJson1_0 (CloudWatch): a body that is not JSON",
    headers: json("monitoring", "GraniteServiceVersion20100801.DescribeAlarms", "1.0"),
    body: "{bad",
    status: 400,
    code: "SerializationException",
    good: (endpoint) => new CloudWatchClient(config(endpoint)).send(new DescribeAlarmsCommand({})),
  },
  {
    name: "awsQuery (IAM): an unknown Action",
    headers: form("iam"),
    body: "Action=FrobnicateRole&Version=2010-05-08",
    status: 400,
    code: "InvalidAction",
    good: (endpoint) =>
      new IAMClient(config(endpoint)).send(new GetRoleCommand({ RoleName: "AdministratorAccessRole" })),
  },
  {
    name: "awsQuery (IAM): a form without Action",
    headers: form("iam"),
    body: "Version=2010-05-08&RoleName=x",
    status: 400,
    code: "MissingAction",
    good: (endpoint) =>
      new IAMClient(config(endpoint)).send(new GetRoleCommand({ RoleName: "AdministratorAccessRole" })),
  },
  {
    name: "awsQuery (STS): a Version no service speaks",
    headers: form("sts"),
    body: "Action=GetCallerIdentity&Version=1999-01-01",
    status: 400,
    code: "InvalidAction",
    good: (endpoint) => new STSClient(config(endpoint)).send(new GetCallerIdentityCommand({})),
  },
  {
    name: "awsQuery (ELBv2): a 20 MB form",
    headers: form("elasticloadbalancing"),
    body: new Uint8Array(BIG).fill(0x61),
    status: 413,
    code: "RequestEntityTooLarge",
    good: (endpoint) => new ElasticLoadBalancingV2Client(config(endpoint)).send(new DescribeLoadBalancersCommand({})),
  },
  {
    name: "ec2Query (EC2): an unknown Action",
    headers: form("ec2"),
    body: "Action=DescribeFrobs&Version=2016-11-15",
    status: 400,
    code: "InvalidAction",
    good: (endpoint) => new EC2Client(config(endpoint)).send(new DescribeVpcsCommand({})),
  },
  {
    name: "restJson1 (X-Ray): a body that is not JSON",
    path: "/TraceSummaries",
    headers: { ...signedFor("xray"), "content-type": "application/json" },
    body: "{bad",
    status: 400,
    code: "SerializationException",
    good: xrayCall,
  },
  {
    name: "restJson1 (X-Ray): a path of no operation",
    path: "/NoSuchOperation",
    headers: { ...signedFor("xray"), "content-type": "application/json" },
    body: "{}",
    status: 404,
    code: "UnknownOperationException",
    good: xrayCall,
  },
  {
    name: "restJson1 (X-Ray): JSON of the wrong types",
    path: "/TraceSummaries",
    headers: { ...signedFor("xray"), "content-type": "application/json" },
    body: '{"StartTime": 1795824000, "EndTime": 1795824060, "Sampling": "yes"}',
    status: 400,
    code: "SerializationException",
    good: xrayCall,
  },
  {
    name: "restXml (S3): XML that is not well-formed",
    method: "PUT",
    path: "/trail-logs?publicAccessBlock",
    headers: signedFor("s3"),
    body: "<PublicAccessBlockConfiguration><BlockPublicAcls>true",
    status: 400,
    code: "MalformedXML",
    good: (endpoint) => new S3Client(config(endpoint)).send(new ListBucketsCommand({})),
  },
  {
    name: "restXml (S3): a 20 MB object",
    method: "PUT",
    path: "/trail-logs/big-object",
    headers: signedFor("s3"),
    body: new Uint8Array(BIG).fill(0x61),
    status: 413,
    code: "RequestEntityTooLarge",
    good: (endpoint) => new S3Client(config(endpoint)).send(new ListBucketsCommand({})),
  },
];

/** Bytes that are not HTTP at all, then what the server said (Node's parser answers 400 and closes). */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(bytes));
    let answer = "";
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString();
    });
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
  });
}

/** Starts `ecs-takeover sandbox` as a child process and waits for its endpoint line. */
async function startChild(args: readonly string[]): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, [join(projectRoot, "bin", "ecs-takeover.js"), "sandbox", ...args], {
    cwd: projectRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^endpoint (\S+)$/m.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on("exit", (code) => reject(new Error(`the sandbox exited (${code}) before serving: ${err}`)));
  });
  return { child, endpoint };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

async function allLogStreams(logs: CloudWatchLogsClient, logGroupName: string): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new DescribeLogStreamsCommand({ logGroupName, nextToken }));
    names.push(...(page.logStreams ?? []).map((s) => s.logStreamName ?? ""));
    nextToken = page.nextToken;
  } while (nextToken);
  return names;
}

describe("sandbox stress", () => {
  describe("malformed requests", () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox({ scenario: "inherited", clock: CLOCK });
    });
    afterAll(() => sandbox.stop());

    test.for(MALFORMED)("$name: the family's error, then a good call works", async (each) => {
      const response = await fetch(`${sandbox.endpoint}${each.path ?? "/"}`, {
        method: each.method ?? "POST",
        headers: each.headers,
        body: each.body,
      });
      // restJson1 names the error in X-Amzn-ErrorType; the other families in the body.
      const text = `${response.headers.get("x-amzn-errortype") ?? ""} ${await response.text()}`;
      expect(response.status).toBe(each.status);
      expect(text).toContain(each.code);
      expect(response.headers.get("date")).toBeTruthy();
      await each.good(sandbox.endpoint);
    });

    test("bytes that are not HTTP: 400 from the HTTP layer, then a good call works", async () => {
      const answer = await rawExchange(sandbox.port, "GARBAGE / NOT-HTTP\r\n\r\n");
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      await ecsCall(sandbox.endpoint);
    });

    test("a client that hangs up halfway through its body: the sandbox keeps serving", async () => {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(sandbox.port, "127.0.0.1", () => {
          socket.write(
            `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: ${ECS}.ListClusters\r\nContent-Length: 100000\r\n\r\n{"half":`,
          );
          setImmediate(() => socket.destroy());
        });
        socket.on("close", () => resolve());
        socket.on("error", reject);
      });
      await ecsCall(sandbox.endpoint);
    });
  });

  test("200 concurrent clients × 50 mixed calls: every call answered, the writes all there afterwards", {
    timeout: 600_000,
  }, async ({ task }) => {
    const CLIENTS = 200;
    const CALLS = 50;
    const TAG_KEYS = 40; // ECS allows 50 tags on a resource: clients share 40 keys, last write wins
    const { child, endpoint } = await startChild(["--port", "0", "--clock", CLOCK]);
    try {
      await new CloudWatchLogsClient(config(endpoint)).send(new CreateLogGroupCommand({ logGroupName: "/stress" }));
      const started = Date.now();
      const failures: string[] = [];
      const written = { streams: 0, datapoints: 0, tags: 0 };
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, c) => {
          // Each client its own SDK clients, hence its own connections.
          const clients = {
            ecs: new ECSClient(config(endpoint)),
            cloudWatch: new CloudWatchClient(config(endpoint)),
            logs: new CloudWatchLogsClient(config(endpoint)),
            sts: new STSClient(config(endpoint)),
            ec2: new EC2Client(config(endpoint)),
            iam: new IAMClient(config(endpoint)),
          };
          for (let i = 0; i < CALLS; i++) {
            try {
              switch (i % 10) {
                case 0:
                  await clients.logs.send(
                    new CreateLogStreamCommand({ logGroupName: "/stress", logStreamName: `c${c}-${i}` }),
                  );
                  written.streams++;
                  break;
                case 1:
                  await clients.cloudWatch.send(
                    new PutMetricDataCommand({
                      Namespace: "Stress",
                      MetricData: [{ MetricName: "calls", Dimensions: [{ Name: "Client", Value: `c${c}` }], Value: 1 }],
                    }),
                  );
                  written.datapoints++;
                  break;
                case 2:
                  await clients.ecs.send(
                    new TagResourceCommand({
                      resourceArn: CLUSTER_ARN,
                      tags: [{ key: `stress-${c % TAG_KEYS}`, value: `c${c}` }],
                    }),
                  );
                  written.tags++;
                  break;
                case 3:
                case 4:
                  await clients.sts.send(new GetCallerIdentityCommand({}));
                  break;
                case 5:
                case 6:
                  await clients.ecs.send(
                    new DescribeServicesCommand({ cluster: "my-cluster", services: ["my-web-service"] }),
                  );
                  break;
                case 7:
                  await clients.ec2.send(new DescribeSecurityGroupsCommand({}));
                  break;
                case 8:
                  await clients.iam.send(new GetRoleCommand({ RoleName: "ecsTaskExecutionRole" }));
                  break;
                default:
                  await clients.ecs.send(new ListClustersCommand({}));
              }
            } catch (error) {
              failures.push(`client ${c} call ${i}: ${(error as Error).name}: ${(error as Error).message}`);
            }
          }
          for (const client of Object.values(clients)) client.destroy();
        }),
      );
      const elapsed = Date.now() - started;
      expect(failures.slice(0, 10)).toEqual([]);
      expect(written).toEqual({ streams: CLIENTS * 5, datapoints: CLIENTS * 5, tags: CLIENTS * 5 });

      // Consistent afterwards: what was written is what the reads return.
      const logs = new CloudWatchLogsClient(config(endpoint));
      const streams = await allLogStreams(logs, "/stress");
      expect(streams.length).toBe(CLIENTS * 5);
      expect(new Set(streams).size).toBe(CLIENTS * 5);
      const { tags } = await new ECSClient(config(endpoint)).send(
        new ListTagsForResourceCommand({ resourceArn: CLUSTER_ARN }),
      );
      const stress = (tags ?? []).filter((tag) => tag.key?.startsWith("stress-"));
      expect(stress.length).toBe(TAG_KEYS);
      for (const tag of stress) expect(Number(tag.value?.slice(1)) % TAG_KEYS).toBe(Number(tag.key?.slice(7)));
      const cloudWatch = new CloudWatchClient(config(endpoint));
      let metrics = 0;
      let nextToken: string | undefined;
      do {
        const page = await cloudWatch.send(new ListMetricsCommand({ Namespace: "Stress", NextToken: nextToken }));
        metrics += page.Metrics?.length ?? 0;
        nextToken = page.NextToken;
      } while (nextToken);
      expect(metrics).toBe(CLIENTS);
      // Every datapoint counted once: the sum over all clients' series in one period spanning the run.
      const { MetricDataResults } = await cloudWatch.send(
        new GetMetricDataCommand({
          StartTime: new Date(Date.parse(CLOCK) - 3_600_000),
          EndTime: new Date(Date.parse(CLOCK) + 86_400_000),
          MetricDataQueries: [
            {
              Id: "total",
              Expression: `SUM(SEARCH('{Stress,Client} MetricName="calls"', 'Sum', 86400))`,
              Period: 86400,
            },
          ],
        }),
      );
      const total = (MetricDataResults?.[0]?.Values ?? []).reduce((sum, v) => sum + v, 0);
      expect(total).toBe(CLIENTS * 5);
      figure(
        task.meta,
        `${CLIENTS * CALLS} calls from ${CLIENTS} clients (no retries) in ${seconds(elapsed)}, ` +
          `${Math.round((CLIENTS * CALLS) / (elapsed / 1000))} calls/s; ${streams.length} streams, ${stress.length} tags, ` +
          `${metrics} metrics with ${total} datapoints read back`,
      );
    } finally {
      child.kill("SIGTERM");
      await exited(child);
    }
  });

  test("a --state file survives SIGKILL mid-write, every time: it parses, loads, and holds every acknowledged write", {
    timeout: 600_000,
  }, async ({ task }) => {
    const dir = mkdtempSync(join(tmpdir(), "takeover-state-"));
    const statePath = join(dir, "state.json");
    const KILLS = 5;
    const acknowledged: string[] = [];
    const sizes: number[] = [];
    for (let round = 0; round < KILLS; round++) {
      const { child, endpoint } = await startChild(["--port", "0", "--clock", CLOCK, "--state", statePath]);
      const logs = new CloudWatchLogsClient(config(endpoint));
      if (round === 0) await logs.send(new CreateLogGroupCommand({ logGroupName: "/kill" }));
      let stop = false;
      const writers = Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; !stop; i++) {
          const name = `r${round}-w${w}-${i}`;
          try {
            await logs.send(new CreateLogStreamCommand({ logGroupName: "/kill", logStreamName: name }));
            acknowledged.push(name);
          } catch {
            return; // the kill: this write was never acknowledged
          }
        }
      });
      // A random moment into the hammering: after 5 to 60 acknowledged writes this round.
      const target = acknowledged.length + 5 + Math.floor(Math.random() * 55);
      while (acknowledged.length < target) await new Promise((resolve) => setTimeout(resolve, 5));
      child.kill("SIGKILL");
      stop = true;
      await exited(child);
      await Promise.all(writers);
      logs.destroy();

      const text = readFileSync(statePath, "utf8");
      sizes.push(text.length);
      const state = decodeState(text, statePath);
      const restored = await startSandbox({ statePath, clock: CLOCK });
      try {
        const streams = new Set(await allLogStreams(new CloudWatchLogsClient(config(restored.endpoint)), "/kill"));
        expect(acknowledged.filter((name) => !streams.has(name))).toEqual([]);
        expect(state.account).toBe("123456789012");
      } finally {
        await restored.stop();
      }
    }
    const leftovers = readdirSync(dirname(statePath)).filter((f) => f.startsWith(`${basename(statePath)}.`));
    expect(existsSync(statePath)).toBe(true);
    figure(
      task.meta,
      `${KILLS} SIGKILLs after ${acknowledged.length} acknowledged writes in all; the file always parsed and held ` +
        `every one (${Math.round(Math.min(...sizes) / 1024)}–${Math.round(Math.max(...sizes) / 1024)} KiB); ` +
        `${leftovers.length} temporary file(s) left behind by killed writes`,
    );
  });
});
