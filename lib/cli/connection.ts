// The options every AWS-facing command shares (DESIGN §8) and what they become: an environment for the SDK and for
// notebook kernels, and — with --sandbox — an embedded sandbox account started for this one command.
import { type Command, InvalidArgumentError, Option } from "commander";
import { EnvironmentError, UsageError } from "../errors";
import { parseClockStart } from "../sandbox/clock";
import { parseFaults } from "../sandbox/faults";
import { StateFileError } from "../sandbox/persist";
import { isScenario, SCENARIOS, type ScenarioName } from "../sandbox/scenarios/index";
import { type Sandbox, startSandbox } from "../sandbox/server";

export interface ConnectionFlags {
  profile?: string;
  region?: string;
  endpoint?: string;
  requestTimeout?: number;
  sandbox?: string;
  sandboxState?: string;
  clock?: string;
  faults?: string;
}

export interface Connection {
  /** AWS_* variables for the SDK's standard chain; `undefined` removes an inherited variable. */
  env: Record<string, string | undefined>;
  /** One line for people: where the commands go. Never holds a secret. */
  target: string;
  sandbox?: Sandbox;
  close(): Promise<void>;
}

/** The sandbox's dummy credentials: any key works there, and these can never work anywhere else. */
export const SANDBOX_CREDENTIALS = {
  accessKeyId: "AKIASANDBOXEXAMPLE00",
  secretAccessKey: "sandbox-only-not-a-real-key",
};
export const SANDBOX_REGION = "ap-northeast-1";

export function addConnectionOptions(command: Command): Command {
  return command
    .option("--profile <name>", "AWS profile (default: the standard credential chain)")
    .option("--region <region>", "AWS region", parseRegion)
    .option("--endpoint <url>", "send AWS calls to this endpoint (default: AWS_ENDPOINT_URL)", parseEndpoint)
    .option("--request-timeout <ms>", "give up on one AWS request after this long", parsePositiveInteger)
    .addOption(
      new Option("--sandbox [scenario]", `start a sandbox account for this command (${SCENARIOS.join(", ")})`).preset(
        "inherited",
      ),
    )
    .option("--sandbox-state <file>", "with --sandbox: keep its state in this file across runs")
    .option("--clock <iso>", "with --sandbox: where its virtual clock starts")
    .option("--faults <spec>", "with --sandbox: inject faults, e.g. throttle=0.3,error=0.1,seed=7");
}

/**
 * `--sandbox SCENARIO` with a space means `--sandbox=SCENARIO`; a bare `--sandbox` must not swallow the argument
 * after it (`run --sandbox notebook.ipynb`), so it becomes `--sandbox=inherited` unless a scenario name follows.
 */
export function normaliseSandboxFlag(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg !== "--sandbox") {
      out.push(arg);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && isScenario(next)) {
      out.push(`--sandbox=${next}`);
      i++;
    } else {
      out.push("--sandbox=inherited");
    }
  }
  return out;
}

/** Refuses contradictory or malformed connection flags before any work starts. */
export function checkConnectionFlags(flags: ConnectionFlags): void {
  const sandboxOnly = (["sandboxState", "clock", "faults"] as const).filter((key) => flags[key] !== undefined);
  if (flags.sandbox === undefined) {
    if (sandboxOnly.length > 0) throw new UsageError(`--${kebab(sandboxOnly[0] as string)} needs --sandbox`);
    return;
  }
  if (!isScenario(flags.sandbox)) {
    throw new UsageError(`unknown sandbox scenario "${flags.sandbox}": choose one of ${SCENARIOS.join(", ")}`);
  }
  if (flags.endpoint !== undefined || flags.profile !== undefined) {
    throw new UsageError("--sandbox cannot be combined with --endpoint or --profile");
  }
  sandboxOptions(flags.sandbox, flags);
}

export async function connect(flags: ConnectionFlags): Promise<Connection> {
  checkConnectionFlags(flags);
  if (flags.sandbox === undefined || !isScenario(flags.sandbox)) return awsConnection(flags);
  const sandbox = await startEmbeddedSandbox(flags.sandbox, flags);
  return {
    env: {
      AWS_ENDPOINT_URL: sandbox.endpoint,
      AWS_REGION: SANDBOX_REGION,
      AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_EC2_METADATA_DISABLED: "true",
      ECS_TAKEOVER_SANDBOX: flags.sandbox,
      ...requestTimeoutEnv(flags),
    },
    target: `the sandbox account (scenario ${flags.sandbox}) at ${sandbox.endpoint}`,
    sandbox,
    close: () => sandbox.stop(),
  };
}

/** A child process's environment: this one's, the connection's, and `extra` (undefined removes a variable). */
export function withConnection(connection: Connection, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...connection.env, ...extra };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return env;
}

/** Points this process's own SDK clients at the connection (commands that call AWS in-process, like `audit`). */
export function useConnection(connection: Connection): void {
  for (const [key, value] of Object.entries(connection.env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

function awsConnection(flags: ConnectionFlags): Connection {
  const env: Record<string, string | undefined> = { ...requestTimeoutEnv(flags) };
  if (flags.profile !== undefined) env.AWS_PROFILE = flags.profile;
  if (flags.region !== undefined) env.AWS_REGION = flags.region;
  if (flags.endpoint !== undefined) env.AWS_ENDPOINT_URL = flags.endpoint;
  const region = flags.region ?? process.env.AWS_REGION ?? "the default region";
  const endpoint = flags.endpoint ?? process.env.AWS_ENDPOINT_URL;
  const profile = flags.profile ?? process.env.AWS_PROFILE;
  const target = [
    endpoint ? `the endpoint ${endpoint}` : "AWS",
    `(${profile ? `profile ${profile}, ` : ""}region ${region})`,
  ].join(" ");
  return { env, target, close: async () => {} };
}

/** Options in the form Sandbox takes, validated here so that a bad value is a usage error, not a stack trace. */
export function sandboxOptions(
  scenario: ScenarioName,
  flags: Pick<ConnectionFlags, "sandboxState" | "clock" | "faults">,
) {
  return {
    scenario,
    statePath: flags.sandboxState,
    clock: flags.clock === undefined ? undefined : asUsage(() => parseClockStart(flags.clock)),
    faults: flags.faults === undefined ? undefined : asUsage(() => parseFaults(flags.faults as string)),
  };
}

async function startEmbeddedSandbox(scenario: ScenarioName, flags: ConnectionFlags): Promise<Sandbox> {
  try {
    return await startSandbox({ ...sandboxOptions(scenario, flags), port: 0 });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof StateFileError) throw new UsageError(error.message);
    throw new EnvironmentError(`cannot start the sandbox: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function requestTimeoutEnv(flags: ConnectionFlags): Record<string, string> {
  return flags.requestTimeout === undefined ? {} : { ECS_TAKEOVER_REQUEST_TIMEOUT_MS: String(flags.requestTimeout) };
}

function asUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error instanceof Error ? error.message : String(error)).replace(/^sandbox: /, ""));
  }
}

function parseEndpoint(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError("expected a URL such as http://127.0.0.1:4600");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new InvalidArgumentError("expected an http(s) URL");
  return value.replace(/\/+$/, "");
}

/** A region is a host name label (the SDK builds endpoints from it); which regions exist is AWS's to say. */
function parseRegion(value: string): string {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(value)) {
    throw new InvalidArgumentError("expected a region such as ap-northeast-1");
  }
  return value;
}

function parsePositiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError("expected a positive whole number");
  return number;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
