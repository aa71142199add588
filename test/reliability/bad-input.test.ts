// Bad input (DESIGN §8, §9 "bad input gets one clear line and a non-zero exit, never a stack trace"): one table of
// everything a person can get wrong, run through the real command — each case exactly one line on stderr, the
// exit code §8 gives (2 usage or input, 3 environment), nothing on stdout, no stack trace. Many of these are also
// tested beside their command in test/cli; this table is the proof in one place.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { cli, expectOneLine } from "../cli/cli";
import { CLOCK, DUMMY_CREDENTIALS, KEY_PATH } from "./harness";

const dir = mkdtempSync(join(tmpdir(), "takeover-bad-input-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const CORRUPT_NOTEBOOK = file("corrupt.ipynb", '{"cells": [');
const NOT_A_NOTEBOOK = file("empty.ipynb", "{}");
const CORRUPT_STATE = file("corrupt-state.json", '{"version": 1, "ecs": {"clusters": ');
const FOREIGN_STATE = file("foreign-state.json", '{"version": 99}\n');
const MISSING = join(dir, "missing.ipynb");
const START_HERE = "notebooks/00-start-here.ipynb";
/** A `jupyter` that says it is installed and does nothing else: `notebook` reaches its port check, never Jupyter. */
const FAKE_BIN = join(dir, "bin");

let busy: Server;
let busyPort = 0;
let closedPort = 0;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );
}

beforeAll(async () => {
  busy = createServer();
  busyPort = await listen(busy);
  const closing = createServer();
  closedPort = await listen(closing);
  await new Promise((resolve) => closing.close(resolve));
  mkdirSync(FAKE_BIN);
  writeFileSync(join(FAKE_BIN, "jupyter"), "#!/bin/sh\nexit 0\n");
  chmodSync(join(FAKE_BIN, "jupyter"), 0o755);
});
afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

interface Case {
  readonly name: string;
  readonly args: () => string[];
  readonly code: 2 | 3;
  readonly message: RegExp;
  /** Give the dummy keys (cases about something other than credentials that still need some). */
  readonly credentials?: boolean;
  readonly fakeJupyter?: boolean;
}

const audit = (...args: string[]) => ["audit", "--cluster", "my-cluster", ...args];
const onSandbox = (...args: string[]) => audit("--sandbox", "--clock", CLOCK, ...args);
const endpoint = () => `http://127.0.0.1:${closedPort}`;

const CASES: readonly Case[] = [
  {
    name: "unknown cluster",
    args: () => ["audit", "--sandbox", "--cluster", "nope"],
    code: 2,
    message: /cluster "nope" not found/,
  },
  {
    name: "unknown service",
    args: () => onSandbox("--service", "nope"),
    code: 2,
    message: /service "nope" not found in cluster "my-cluster"/,
  },
  {
    name: "empty --cluster",
    args: () => ["audit", "--sandbox", "--cluster", ""],
    code: 2,
    message: /--cluster must name a cluster/,
  },
  {
    name: "no --cluster",
    args: () => ["audit", "--sandbox"],
    code: 2,
    message: /required option '--cluster <name>' not specified/,
  },
  {
    name: "bad --region",
    args: () => audit("--region", "not_a_region"),
    code: 2,
    message: /expected a region such as ap-northeast-1/,
  },
  {
    name: "malformed --endpoint URL",
    args: () => audit("--endpoint", "not a url"),
    code: 2,
    message: /expected a URL/,
  },
  {
    name: "--endpoint not http(s)",
    args: () => audit("--endpoint", "ftp://127.0.0.1/"),
    code: 2,
    message: /expected an http\(s\) URL/,
  },
  {
    name: "endpoint down",
    args: () => audit("--region", "ap-northeast-1", "--endpoint", endpoint()),
    credentials: true,
    code: 3,
    message: /the AWS endpoint did not answer \(ECONNREFUSED\)/,
  },
  {
    name: "no credentials",
    args: () => audit("--region", "ap-northeast-1", "--endpoint", endpoint()),
    code: 3,
    message: /no AWS credentials found: .* or use --sandbox/,
  },
  {
    name: "expired credentials",
    args: () => onSandbox("--faults", "expired"),
    code: 3,
    message: /the AWS credentials were refused \(ExpiredToken\)/,
  },
  {
    name: "AccessDenied on the first call",
    args: () => onSandbox("--faults", "deny=sts:GetCallerIdentity"),
    code: 3,
    message: /access denied before anything could be read \(sts:GetCallerIdentity\)/,
  },
  {
    name: "the first read never answers (hang, --request-timeout 200)",
    args: () => onSandbox("--faults", "hang=sts:GetCallerIdentity", "--request-timeout", "200"),
    code: 3,
    message: /the AWS endpoint did not answer \(TimeoutError\)/,
  },
  // audit has no check selection yet (fix --check comes with the fixes): a check id is an unknown option for now.
  {
    name: "a check id to audit (no --check yet)",
    args: () => onSandbox("--check", "nope"),
    code: 2,
    message: /unknown option '--check'/,
  },
  {
    name: "bad --fail-on",
    args: () => onSandbox("--fail-on", "severe"),
    code: 2,
    message: /Allowed choices are none, low, medium, high, critical/,
  },
  {
    name: "bad --format",
    args: () => onSandbox("--format", "xml"),
    code: 2,
    message: /Allowed choices are table, json, md, sarif/,
  },
  {
    name: "bad --unknown",
    args: () => onSandbox("--unknown", "maybe"),
    code: 2,
    message: /Allowed choices are fail, ignore/,
  },
  {
    name: "bad --request-timeout",
    args: () => onSandbox("--request-timeout", "soon"),
    code: 2,
    message: /expected a positive whole number/,
  },
  {
    name: "malformed -p",
    args: () => ["run", START_HERE, "-p", "cluster"],
    code: 2,
    message: /malformed parameter "cluster": expected NAME=VALUE/,
  },
  {
    name: "-p naming no parameter",
    args: () => ["run", START_HERE, "-p", "nosuch=1"],
    code: 2,
    message: /unknown parameter "nosuch"/,
  },
  {
    name: "bad run --timeout",
    args: () => ["run", START_HERE, "--timeout", "0"],
    code: 2,
    message: /expected a positive number of seconds/,
  },
  { name: "missing notebook (run)", args: () => ["run", MISSING], code: 2, message: /notebook not found/ },
  {
    name: "corrupt notebook (run)",
    args: () => ["run", CORRUPT_NOTEBOOK],
    code: 2,
    message: /is not a notebook: it is not valid JSON/,
  },
  {
    name: "not a notebook (run)",
    args: () => ["run", NOT_A_NOTEBOOK],
    code: 2,
    message: /is not a notebook in nbformat 4/,
  },
  { name: "missing notebook (export)", args: () => ["export", MISSING], code: 2, message: /notebook not found/ },
  {
    name: "corrupt notebook (export)",
    args: () => ["export", CORRUPT_NOTEBOOK],
    code: 2,
    message: /is not a notebook: it is not valid JSON/,
  },
  {
    name: "port in use (sandbox)",
    args: () => ["sandbox", "--port", String(busyPort)],
    code: 3,
    message: /port \d+ on 127\.0\.0\.1 is in use; choose another with --port/,
  },
  {
    name: "port in use (notebook)",
    args: () => ["notebook", "--no-browser", "--port", String(busyPort)],
    fakeJupyter: true,
    code: 3,
    message: /port \d+ on 127\.0\.0\.1 is in use; choose another with --port/,
  },
  { name: "bad --port", args: () => ["sandbox", "--port", "70000"], code: 2, message: /expected a port, 0-65535/ },
  {
    name: "bad --faults fraction",
    args: () => onSandbox("--faults", "throttle=2"),
    code: 2,
    message: /--faults: "throttle=2" must be a fraction/,
  },
  {
    name: "bad --faults action",
    args: () => onSandbox("--faults", "deny=DescribeServices"),
    code: 2,
    message: /not an action like ecs:DescribeServices/,
  },
  {
    name: "bad --faults key",
    args: () => onSandbox("--faults", "slow=1"),
    code: 2,
    message: /is not one of throttle, error/,
  },
  { name: "bad --clock", args: () => onSandbox("--clock", "yesterday"), code: 2, message: /not an ISO-8601 time/ },
  {
    name: "--sandbox-state without --sandbox",
    args: () => audit("--sandbox-state", join(dir, "s.json")),
    code: 2,
    message: /--sandbox-state needs --sandbox/,
  },
  {
    name: "--faults without --sandbox",
    args: () => audit("--faults", "expired"),
    code: 2,
    message: /--faults needs --sandbox/,
  },
  {
    name: "--sandbox with --endpoint",
    args: () => onSandbox("--endpoint", "http://127.0.0.1:4600"),
    code: 2,
    message: /--sandbox cannot be combined with --endpoint or --profile/,
  },
  {
    name: "unknown --sandbox scenario",
    args: () => audit("--sandbox=nope"),
    code: 2,
    message: /unknown sandbox scenario "nope"/,
  },
  {
    name: "unknown sandbox --scenario",
    args: () => ["sandbox", "--scenario", "nope"],
    code: 2,
    message: /unknown scenario "nope"/,
  },
  {
    name: "corrupt --sandbox-state",
    args: () => onSandbox("--sandbox-state", CORRUPT_STATE),
    code: 2,
    message: /corrupt-state\.json: not valid JSON/,
  },
  {
    name: "--sandbox-state of another version",
    args: () => onSandbox("--sandbox-state", FOREIGN_STATE),
    code: 2,
    message: /state version 99 is not the version 1 this sandbox reads/,
  },
  { name: "unknown command", args: () => ["frobnicate"], code: 2, message: /unknown command 'frobnicate'/ },
];

describe("bad input", () => {
  test.concurrent.for(CASES)("$name: exit $code, one line", async (each, { expect }) => {
    const env: Record<string, string> = {
      // Nothing from this machine's AWS setup: only what the case gives.
      AWS_ACCESS_KEY_ID: each.credentials ? DUMMY_CREDENTIALS.accessKeyId : "",
      AWS_SECRET_ACCESS_KEY: each.credentials ? DUMMY_CREDENTIALS.secretAccessKey : "",
      AWS_SESSION_TOKEN: "",
      AWS_PROFILE: "",
      AWS_CONFIG_FILE: join(dir, "no-aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-aws-credentials"),
      ECS_TAKEOVER_KEY_FILE: KEY_PATH,
      ...(each.fakeJupyter ? { PATH: `${FAKE_BIN}${delimiter}${process.env.PATH ?? ""}` } : {}),
    };
    const result = await cli(each.args(), { env });
    expect(expectOneLine(result.stderr)).toMatch(each.message);
    expect(result.stderr).toMatch(/^ecs-takeover: /);
    expect(result.code).toBe(each.code);
    expect(result.stdout).toBe("");
  });
});
