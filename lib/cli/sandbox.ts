// `ecs-takeover sandbox`: the sandbox account on 127.0.0.1 until SIGINT or SIGTERM.
import type { Command } from "commander";
import { parsePort } from "../cli";
import { EnvironmentError, UsageError } from "../errors";
import { StateFileError } from "../sandbox/persist";
import { isScenario, SCENARIOS } from "../sandbox/scenarios/index";
import { startSandbox } from "../sandbox/server";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION, sandboxOptions } from "./connection";

interface SandboxFlags {
  port: number;
  scenario: string;
  clock?: string;
  faults?: string;
  state?: string;
}

export function registerSandboxCommand(program: Command): void {
  program
    .command("sandbox")
    .description("serve the sandbox account: a local endpoint speaking the AWS wire protocols, seeded with a scenario")
    .option("--port <n>", "port on 127.0.0.1 (0 = any free port)", parsePort, 4600)
    .option("--scenario <name>", `what the account holds: ${SCENARIOS.join(", ")}`, "inherited")
    .option("--clock <iso>", "where the virtual clock starts (default: now)")
    .option("--faults <spec>", "inject faults, e.g. throttle=0.3,error=0.1,deny=ecs:DescribeTaskDefinition,seed=7")
    .option("--state <file>", "keep the account's state in this file, and resume from it")
    .action(async (flags: SandboxFlags) => sandboxCommand(flags));
}

async function sandboxCommand(flags: SandboxFlags): Promise<void> {
  if (!isScenario(flags.scenario)) {
    throw new UsageError(`unknown scenario "${flags.scenario}": choose one of ${SCENARIOS.join(", ")}`);
  }
  const options = sandboxOptions(flags.scenario, {
    sandboxState: flags.state,
    clock: flags.clock,
    faults: flags.faults,
  });
  const sandbox = await startSandbox({ ...options, port: flags.port }).catch((error: NodeJS.ErrnoException) => {
    if (error instanceof StateFileError) throw new UsageError(error.message);
    if (error.code === "EADDRINUSE") {
      throw new EnvironmentError(`port ${flags.port} on 127.0.0.1 is in use; choose another with --port`);
    }
    throw new EnvironmentError(`cannot start the sandbox: ${error.message}`);
  });
  process.stdout.write(
    [
      `endpoint ${sandbox.endpoint}`,
      `scenario ${flags.scenario}, account ${sandbox.state.account}, region ${SANDBOX_REGION}`,
      "point any AWS tool at it:",
      `  export AWS_ENDPOINT_URL=${sandbox.endpoint} AWS_REGION=${SANDBOX_REGION}`,
      `  export AWS_ACCESS_KEY_ID=${SANDBOX_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${SANDBOX_CREDENTIALS.secretAccessKey}`,
      "stop with Ctrl-C",
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await sandbox.stop();
}
