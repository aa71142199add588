// `ecs-takeover run NOTEBOOK`: execute a notebook headless and write the executed copy.
import { basename, dirname, extname, join } from "node:path";
import type { Command } from "commander";
import { parseSeconds } from "../cli";
import { FailureError, UsageError } from "../errors";
import { NotebookError, readNotebook, writeNotebook } from "../notebook/ipynb";
import { type Parameter, parseParameter } from "../notebook/parameters";
import { runNotebook } from "../notebook/run";
import { projectRoot } from "../project";
import { addConnectionOptions, type ConnectionFlags, checkConnectionFlags, connect } from "./connection";
import { displayPath } from "./display-path";
import { writeExports } from "./export";

interface RunFlags extends ConnectionFlags {
  parameter: string[];
  out?: string;
  md?: string;
  timeout: number;
}

export function registerRunCommand(program: Command): void {
  const command = program
    .command("run")
    .description("execute a notebook headless (Node only) and write the executed notebook")
    .argument("<notebook>", "the .ipynb file to run")
    .option("-p, --parameter <NAME=VALUE>", "set a parameter of the notebook (repeatable)", collect, [])
    .option("--out <file.ipynb>", "where to write the executed notebook (default: NOTEBOOK.out.ipynb)")
    .option("--md <file.md>", "also export the executed notebook to Markdown (charts as SVG files beside it)")
    .option("--timeout <seconds>", "longest time one cell may run", parseSeconds, 600);
  addConnectionOptions(command).action(async (path: string, flags: RunFlags) => runCommand(path, flags));
}

async function runCommand(path: string, flags: RunFlags): Promise<void> {
  checkConnectionFlags(flags);
  const parameters: Parameter[] = flags.parameter.map(parseParameter);
  let notebook: ReturnType<typeof readNotebook>;
  try {
    notebook = readNotebook(path);
  } catch (error) {
    if (error instanceof NotebookError) throw new UsageError(error.message);
    throw error;
  }
  const out = flags.out ?? join(dirname(path), `${basename(path, extname(path))}.out.ipynb`);
  const connection = await connect(flags);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const started = Date.now();
  try {
    const result = await runNotebook(notebook, {
      root: projectRoot,
      parameters,
      timeoutMs: flags.timeout * 1000,
      signal: controller.signal,
      env: connection.env,
    });
    writeNotebook(out, result.notebook);
    if (flags.md) writeExports(result.notebook, { md: flags.md, includeCode: true });
    const where = displayPath(out);
    const failure = result.failure;
    if (failure === undefined) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`ran ${result.cellsRun} cells in ${seconds} s; wrote ${where}\n`);
      return;
    }
    const line = `${failure.label} ${failure.reason === "error" ? "failed" : "stopped"}: ${failure.message} (the notebook so far is in ${where})`;
    if (failure.reason === "interrupted") {
      process.stderr.write(`ecs-takeover: ${line}\n`);
      process.exit(130);
    }
    if (failure.injected) throw new UsageError(`${line}; check the -p values`);
    throw new FailureError(line);
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    await connection.close();
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
