// The `ecs-takeover` command. Thin: it parses arguments, calls lib, and turns errors into one line and an exit code.
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { registerAuditCommand } from "./cli/audit";
import { normaliseSandboxFlag } from "./cli/connection";
import { registerExportCommand } from "./cli/export";
import { registerFixCommand } from "./cli/fix";
import { registerNotebookCommand } from "./cli/notebook";
import { registerRunCommand } from "./cli/run";
import { registerSandboxCommand } from "./cli/sandbox";
import { isCliError } from "./errors";
import { KernelError } from "./notebook/kernel";
import { redactText } from "./render/redaction";

export function buildProgram(): Command {
  const program = new Command("ecs-takeover")
    .description(
      "Runbook notebooks for taking over an Amazon ECS (Fargate) service: secure it, make it observable, triage it.",
    )
    .version(packageVersion(), "--version")
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(errorLine(text.replace(/^error: /, ""))) })
    .showSuggestionAfterError();
  registerRunCommand(program);
  registerNotebookCommand(program);
  registerSandboxCommand(program);
  registerAuditCommand(program);
  registerFixCommand(program);
  registerExportCommand(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the command line and returns the exit code; never throws, never prints a stack trace. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(normaliseSandboxFlag(argv), { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed its one-line message already; --help and --version are not errors
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isCliError(error)) {
      process.stderr.write(errorLine(error.message));
      return error.exitCode;
    }
    if (error instanceof KernelError) {
      process.stderr.write(errorLine(`cannot run the TypeScript kernel: ${error.message}`));
      return 3;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(errorLine(`unexpected error: ${message.split("\n")[0] ?? ""}`));
    return 1;
  }
}

/**
 * An error as DESIGN §8 wants it: one line on stderr (commander's "Did you mean …?" and multi-line messages are
 * joined), through the redaction filter (a flag's value or a cell's message may quote a secret).
 */
function errorLine(message: string): string {
  return `ecs-takeover: ${redactText(message.trim().replace(/\s*\n\s*/g, " "))}\n`;
}

/** Parses a positive number of seconds for commander, as a usage error when it is not one. */
export function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new InvalidArgumentError("expected a positive number of seconds");
  return seconds;
}

/** Parses a TCP port (0 = any free port). */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError("expected a port, 0-65535");
  return port;
}

function packageVersion(): string {
  return (require("../package.json") as { version: string }).version;
}
