// Secrets (DESIGN §2 "secrets never leave", §9 "nothing secret in any output"): canaries planted in every place a
// secret hides in an account — environment values (by name and by value), Secrets Manager, tags, log lines, X-Ray
// annotations and SQL, an AWS error message — never appear in what the tool writes: `audit` in every format, the
// Snapshot, `run` notebook outputs and their Markdown/HTML export (charts included), the tool's stderr.
//
// Every canary is something the design promises to catch: a secret-named value, a known credential format, a
// password in a URL, or (for environment values, judged by name and value together) a long random value.
import { createHmac } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudWatchLogsClient, DescribeLogStreamsCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
} from "@aws-sdk/client-ecs";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PutTraceSegmentsCommand, XRayClient } from "@aws-sdk/client-xray";
import { afterAll, beforeAll, describe, test } from "vitest";
import { createAws } from "../../lib/aws/client";
import { CHECKS } from "../../lib/checks/registry";
import { audit } from "../../lib/checks/report";
import { discover } from "../../lib/inventory/discover";
import { redactionKey } from "../../lib/inventory/secret-detection";
import { SERVICES } from "../../lib/sandbox/registry";
import { type Sandbox, startSandbox } from "../../lib/sandbox/server";
import { AwsError, type ServiceDefinition } from "../../lib/sandbox/service";
import { secretsManagerService } from "../../lib/sandbox/services/secrets-manager";
import { type CliResult, cli, expectOneLine } from "../cli/cli";
import { writeTempNotebook } from "../notebook/fixtures";
import { CLOCK, DUMMY_CREDENTIALS, figure, KEY_PATH } from "./harness";

/** Each canary's value as planted, and the part of it that must never be seen (what is unique to it). */
const CANARIES = {
  "env DB_PASSWD (the scenario's own)": { value: "mysupersecretpasswd", core: "mysupersecretpasswd" },
  "env by name (PAYMENT_API_KEY)": { value: "pk-canary-7Hq2Lw9Xz4", core: "canary-7Hq2Lw9Xz4" },
  "env by value: a secret access key under CONFIG_BLOB": {
    value: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYcanary8Q2Z",
    core: "bPxRfiCYcanary8Q2Z",
  },
  "env by value: an access key id under UPSTREAM": { value: "AKIAZ7CANARY2Q9W4PLX", core: "Z7CANARY2Q9W4PLX" },
  "Secrets Manager secret string": {
    value: '{"username":"app","password":"sm-canary-Vb83kQ0p"}',
    core: "canary-Vb83kQ0p",
  },
  "tag value on the task definition (db-password)": { value: "tag-canary-Pq7Zx2", core: "canary-Pq7Zx2" },
  "tag value on the cluster (deploy-token)": { value: "tag-canary-Lm4Kd8", core: "canary-Lm4Kd8" },
  "log line: password=…": { value: "log-canary-Hx6Ws3", core: "canary-Hx6Ws3" },
  "log line: URL with a password": { value: "log-canary-Ny2Vb7", core: "canary-Ny2Vb7" },
  "log line: access key id": { value: "AKIAQ3CANARY7LOGX8ZZ", core: "Q3CANARY7LOGX8ZZ" },
  "X-Ray annotation (stripe_key)": { value: "sk_live_xraycanary4T7u9K2m", core: "xraycanary4T7u9K2m" },
  "X-Ray SQL connection URL": { value: "sql-canary-Jk3Fd9", core: "canary-Jk3Fd9" },
  "X-Ray SQL query literal": { value: "sqlq-canary-Wz5Qa1", core: "canary-Wz5Qa1" },
  "AWS error message quoting a key": { value: "err-canary-Gg5Rr3", core: "canary-Gg5Rr3" },
  "a cell's error message": { value: "cell-canary-Uu8Ty2", core: "canary-Uu8Ty2" },
} as const;
type Canary = keyof typeof CANARIES;
const ENV_CANARIES: readonly Canary[] = [
  "env DB_PASSWD (the scenario's own)",
  "env by name (PAYMENT_API_KEY)",
  "env by value: a secret access key under CONFIG_BLOB",
  "env by value: an access key id under UPSTREAM",
];
const value = (canary: Canary) => CANARIES[canary].value;

/** The canaries (or their keyed hashes: DESIGN §2, never shown either) found in a text. */
function leaks(text: string): string[] {
  const key = redactionKey(KEY_PATH);
  const found: string[] = [];
  for (const [name, { core, value: planted }] of Object.entries(CANARIES)) {
    if (text.includes(core)) found.push(name);
    if (text.includes(createHmac("sha256", key).update(planted, "utf8").digest("hex"))) found.push(`HMAC of ${name}`);
  }
  return found;
}

/** A denial whose message quotes a request value, as some AWS errors echo their input. */
const ECHOING_SECRETS_MANAGER: ServiceDefinition = {
  ...secretsManagerService,
  handlers: {
    ...secretsManagerService.handlers,
    DescribeSecret: (input) => {
      throw new AwsError(
        "AccessDeniedException",
        `User: arn:aws:iam::123456789012:user/new-owner is not authorized to perform: secretsmanager:DescribeSecret on resource: ${String(input.SecretId)} because of an explicit deny (request header X-Api-Key=${value("AWS error message quoting a key")})`,
      );
    },
  },
};

let sandbox: Sandbox;
const work = mkdtempSync(join(tmpdir(), "takeover-secrets-"));
/** What the command line gets: the sandbox as a real endpoint, dummy keys, this suite's redaction key. */
let env: Record<string, string>;
let connection: string[];
let plantedTraceId: string;

beforeAll(async () => {
  sandbox = await startSandbox({
    scenario: "incident",
    clock: CLOCK,
    services: SERVICES.map((s) => (s === secretsManagerService ? ECHOING_SECRETS_MANAGER : s)),
  });
  env = {
    AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: "",
    AWS_PROFILE: "",
    ECS_TAKEOVER_KEY_FILE: KEY_PATH,
  };
  connection = ["--endpoint", sandbox.endpoint, "--region", "ap-northeast-1"];
  plantedTraceId = await plant(sandbox);
});
afterAll(() => sandbox?.stop());

/** Plants every canary through the SDK, as a person or a deploy pipeline would have put it there. */
async function plant(target: Sandbox): Promise<string> {
  const config = { endpoint: target.endpoint, region: "ap-northeast-1", credentials: DUMMY_CREDENTIALS };
  const ecs = new ECSClient(config);
  const secret = await new SecretsManagerClient(config).send(
    new CreateSecretCommand({ Name: "my-web-app/api", SecretString: value("Secrets Manager secret string") }),
  );
  const { services } = await ecs.send(
    new DescribeServicesCommand({ cluster: "my-cluster", services: ["my-web-service"] }),
  );
  const running = services?.[0]?.taskDefinition ?? "my-web-app";
  const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: running }));
  if (!taskDefinition?.containerDefinitions) throw new Error("no task definition to copy");
  const [app, ...rest] = taskDefinition.containerDefinitions;
  // The latest ACTIVE revision is judged even before it is deployed (DESIGN §2).
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: taskDefinition.family,
      taskRoleArn: taskDefinition.taskRoleArn,
      executionRoleArn: taskDefinition.executionRoleArn,
      networkMode: taskDefinition.networkMode,
      requiresCompatibilities: taskDefinition.requiresCompatibilities,
      cpu: taskDefinition.cpu,
      memory: taskDefinition.memory,
      containerDefinitions: [
        {
          ...app,
          environment: [
            ...(app?.environment ?? []),
            { name: "PAYMENT_API_KEY", value: value("env by name (PAYMENT_API_KEY)") },
            { name: "CONFIG_BLOB", value: value("env by value: a secret access key under CONFIG_BLOB") },
            { name: "UPSTREAM", value: value("env by value: an access key id under UPSTREAM") },
          ],
          secrets: [...(app?.secrets ?? []), { name: "API_CREDENTIALS", valueFrom: secret.ARN }],
        },
        ...rest,
      ],
      tags: [{ key: "db-password", value: value("tag value on the task definition (db-password)") }],
    }),
  );
  await ecs.send(
    new TagResourceCommand({
      resourceArn: "arn:aws:ecs:ap-northeast-1:123456789012:cluster/my-cluster",
      tags: [{ key: "deploy-token", value: value("tag value on the cluster (deploy-token)") }],
    }),
  );

  const now = target.now().getTime();
  const logs = new CloudWatchLogsClient(config);
  const group = "/ecs/my-web-app";
  const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, limit: 1 }));
  const stream = streams.logStreams?.[0]?.logStreamName;
  if (!stream) throw new Error("the incident scenario has no log stream");
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: stream,
      logEvents: [
        `"POST /login" 200 12ms user login ok password=${value("log line: password=…")}`,
        `connecting to mysql://app:${value("log line: URL with a password")}@db:3306/app`,
        `using aws key ${value("log line: access key id")}`,
      ].map((message, i) => ({ timestamp: now - 60_000 + i, message })),
    }),
  );

  const start = now / 1000 - 30;
  const traceId = `1-${Math.floor(start).toString(16)}-${"c0ffee".repeat(4)}`;
  await new XRayClient(config).send(
    new PutTraceSegmentsCommand({
      TraceSegmentDocuments: [
        JSON.stringify({
          id: "a1b2c3d4e5f60718",
          trace_id: traceId,
          name: "my-web-app",
          start_time: start,
          end_time: start + 0.4,
          http: { request: { method: "POST", url: "http://my-web-alb/checkout" }, response: { status: 200 } },
          annotations: { stripe_key: value("X-Ray annotation (stripe_key)") },
          subsegments: [
            {
              id: "b1b2c3d4e5f60718",
              name: "db.internal",
              namespace: "remote",
              start_time: start + 0.1,
              end_time: start + 0.3,
              sql: {
                url: `mysql://app:${value("X-Ray SQL connection URL")}@db.internal:3306/app`,
                sanitized_query: `SELECT id FROM users WHERE password = '${value("X-Ray SQL query literal")}'`,
                database_type: "MySQL",
              },
            },
          ],
        }),
      ],
    }),
  );
  for (const client of [ecs, logs]) client.destroy();
  return traceId;
}

/** One command line run; its stderr must leak nothing either. */
async function run(args: readonly string[]): Promise<CliResult> {
  const result = await cli(args, { env });
  const leaked = leaks(result.stderr);
  if (leaked.length > 0) throw new Error(`stderr of ${args.join(" ")} shows ${leaked.join(", ")}`);
  if (/^\s+at /m.test(result.stderr)) throw new Error(`stderr of ${args.join(" ")} has a stack trace`);
  return result;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The runbook-style notebook: what the lib shows of the account, the logs, the traces and a diagnosis. */
const OBSERVING_NOTEBOOK = [
  {
    source: 'let cluster: string = "my-cluster";\nlet service: string = "my-web-service";\nlet traceId: string = "";',
    tags: ["parameters"],
  },
  [
    'import { createAws } from "./lib/aws/client";',
    'import { discover } from "./lib/inventory/discover";',
    'import { audit } from "./lib/checks/report";',
    'import { CHECKS } from "./lib/checks/registry";',
    'import { formatReport } from "./lib/render/findings";',
    "const aws = createAws();",
    // tslab does not resolve a shorthand property ({ cluster }) to an earlier cell's variable: spelt out.
    "const snapshot = await discover(aws, { cluster: cluster, service: service });",
    "const report = audit(snapshot, CHECKS);",
    'console.log(formatReport(report, "md"));',
  ].join("\n"),
  [
    'import { logGroupsOf, tail } from "./lib/observe/logs";',
    'import { tableBundle } from "./lib/render/tables";',
    'import { display } from "./lib/render/display";',
    "const where = await logGroupsOf(aws, { cluster: cluster, service: service });",
    "const since = new Date(aws.now().getTime() - 3_600_000);",
    "const lines = (await Promise.all(where.destinations.map((d) => tail(aws, { logGroup: d.logGroup, since, limit: 500 })))).flat();",
    "for (const line of lines) console.log(line.taskId, line.message);",
    "display(tableBundle(lines.slice(-20).map((l) => ({ task: l.taskId ?? null, message: l.message }))));",
  ].join("\n"),
  [
    'import { findTraces, getTrace, spanTree } from "./lib/observe/traces";',
    'import { waterfallSpec } from "./lib/render/waterfall";',
    'import { show } from "./lib/render/display";',
    "const now = aws.now();",
    'const at = Number.parseInt(traceId.split("-")[1] ?? "0", 16) * 1000;',
    "const summaries = await findTraces(aws, { from: new Date(at - 5_000), to: new Date(at + 60_000) });",
    "console.log(JSON.stringify(summaries.filter((s) => s.id === traceId)));",
    "const trace = await getTrace(aws, traceId);",
    "const tree = spanTree(trace!);",
    "console.log(JSON.stringify(tree));",
    "await show(waterfallSpec(tree));",
  ].join("\n"),
  [
    'import { diagnoseSlowEndpoint } from "./lib/observe/diagnose";',
    'const diagnosis = await diagnoseSlowEndpoint(aws, { cluster: cluster, service: service, path: "/something", since: new Date(now.getTime() - 40 * 60_000) });',
    "diagnosis.findings.forEach((finding) => console.log(finding));",
    "console.log(JSON.stringify(diagnosis.logs));",
  ].join("\n"),
];

describe("secrets", () => {
  test.concurrent.for(["table", "json", "md", "sarif"])(
    "audit --format %s holds no canary",
    async (format, { expect, task }) => {
      const result = await run(["audit", ...connection, "--cluster", "my-cluster", "--format", format]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("DB_PASSWD");
      expect(leaks(result.stdout)).toEqual([]);
      figure(task.meta, `${result.stdout.length} bytes checked for ${Object.keys(CANARIES).length} canaries`);
    },
  );

  test.concurrent("the Snapshot holds no canary, and reports the env canaries by name only", async ({
    expect,
    task,
  }) => {
    const aws = createAws({ endpoint: sandbox.endpoint, region: "ap-northeast-1", credentials: DUMMY_CREDENTIALS });
    try {
      const snapshot = await discover(aws, { cluster: "my-cluster", keyPath: KEY_PATH });
      const text = JSON.stringify(snapshot);
      // The Snapshot keeps a keyed hash of a secret value by design (to tell a change); outputs never show it.
      expect(leaks(text).filter((leak) => !leak.startsWith("HMAC of "))).toEqual([]);
      const report = audit(snapshot, CHECKS);
      const envSecrets = report.findings.filter((f) => f.check.id === "env-secrets" && f.status === "fail");
      const named = envSecrets.map((f) => (f.status === "fail" ? f.detail : "")).join(" ");
      for (const name of ["DB_PASSWD", "PAYMENT_API_KEY", "CONFIG_BLOB", "UPSTREAM"]) expect(named).toContain(name);
      figure(task.meta, `${text.length} bytes of Snapshot; env-secrets names ${ENV_CANARIES.length} planted values`);
    } finally {
      aws.destroy();
    }
  });

  test.concurrent("run (a notebook showing the account, logs, traces and a diagnosis) and its export hold no canary", {
    timeout: 300_000,
  }, async ({ expect, task }) => {
    const notebook = writeTempNotebook(OBSERVING_NOTEBOOK, "observe.ipynb");
    const out = join(work, "observe.out.ipynb");
    const md = join(work, "observe-export", "observe.md");
    const result = await run([
      "run",
      notebook,
      ...connection,
      "-p",
      `traceId=${plantedTraceId}`,
      "--out",
      out,
      "--md",
      md,
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const executed = readFileSync(out, "utf8");
    // The notebook really saw what was planted: the names, the planted log lines and trace, by their safe parts.
    expect(executed).toContain("PAYMENT_API_KEY");
    expect(executed).toContain("user login ok");
    expect(executed).toContain("stripe_key");
    expect(leaks(executed), "the executed notebook").toEqual([]);
    const exported = filesUnder(join(work, "observe-export"));
    expect(exported.some((file) => file.endsWith(".svg"))).toBe(true);
    for (const file of exported) expect(leaks(readFileSync(file, "utf8")), file).toEqual([]);
    const html = join(work, "observe.html");
    const again = await run(["export", out, "--md", join(work, "again", "observe.md"), "--html", html]);
    expect(again.code).toBe(0);
    expect(leaks(readFileSync(html, "utf8")), "the HTML export").toEqual([]);
    figure(task.meta, `${executed.length} bytes of executed notebook, ${exported.length} exported files, HTML checked`);
  });

  test.concurrent("run notebooks/00-start-here.ipynb -p cluster/service, and its export, hold no canary", {
    timeout: 300_000,
  }, async ({ expect }) => {
    const out = join(work, "start-here.out.ipynb");
    const md = join(work, "start-here", "start-here.md");
    const result = await run([
      "run",
      "notebooks/00-start-here.ipynb",
      ...connection,
      "-p",
      "cluster=my-cluster",
      "-p",
      "service=my-web-service",
      "--out",
      out,
      "--md",
      md,
    ]);
    expect(result.code).toBe(0);
    expect(leaks(readFileSync(out, "utf8"))).toEqual([]);
    for (const file of filesUnder(join(work, "start-here")))
      expect(leaks(readFileSync(file, "utf8")), file).toEqual([]);
  });

  test.concurrent("a cell that fails quoting a secret: one line on stderr, redacted, no stack trace", {
    timeout: 300_000,
  }, async ({ expect }) => {
    const notebook = writeTempNotebook([
      `throw new Error("cannot log in to the database with DB_PASSWORD=${value("a cell's error message")}");`,
    ]);
    const out = join(work, "failing.out.ipynb");
    const result = await run(["run", notebook, ...connection, "--out", out]);
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toMatch(/cell 1 failed: .*DB_PASSWORD=«redacted»/);
    expect(existsSync(out)).toBe(true);
  });

  test.concurrent("errors of the tool itself quote no secret: a -p value, a bad --endpoint with a password", async ({
    expect,
  }) => {
    const badEndpoint = await run([
      "audit",
      "--cluster",
      "c",
      "--endpoint",
      `ftp://u:${value("log line: URL with a password")}@h`,
    ]);
    expect(badEndpoint.code).toBe(2);
    const badParameter = await run([
      "run",
      "notebooks/00-start-here.ipynb",
      "-p",
      `DB_PASSWORD:${value("env by name (PAYMENT_API_KEY)")}`,
    ]);
    expect(badParameter.code).toBe(2);
    expectOneLine(badParameter.stderr);
  });
});
