// `ecs-takeover notebook`: Jupyter Notebook on 127.0.0.1 with the project's TypeScript kernel (what `npm start` runs).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, openSync } from "node:fs";
import { createServer } from "node:net";
import { join, relative } from "node:path";
import type { Command } from "commander";
import { parsePort } from "../cli";
import { EnvironmentError } from "../errors";
import { projectRoot } from "../project";
import {
  addConnectionOptions,
  type ConnectionFlags,
  checkConnectionFlags,
  connect,
  withConnection,
} from "./connection";

interface NotebookFlags extends ConnectionFlags {
  browser: boolean;
  port: number;
}

export const FIRST_NOTEBOOK = "notebooks/00-start-here.ipynb";

export function registerNotebookCommand(program: Command): void {
  const command = program
    .command("notebook")
    .description(
      "open the runbooks in Jupyter Notebook with the TypeScript kernel (installs Jupyter with apt if missing)",
    )
    .option("--no-browser", "do not open a browser")
    .option("--port <n>", "port on 127.0.0.1 (0 = any free port)", parsePort, 8888);
  addConnectionOptions(command).action(async (flags: NotebookFlags) => notebookCommand(flags));
}

async function notebookCommand(flags: NotebookFlags): Promise<void> {
  checkConnectionFlags(flags);
  ensureJupyter();
  // The kernels Jupyter starts inherit its environment: the notebooks talk to what the connection says.
  const connection = await connect(flags);
  const port = await reservePort(flags.port);
  const token = randomBytes(24).toString("hex");
  const stateDir = join(projectRoot, ".takeover");
  mkdirSync(stateDir, { recursive: true });
  const logPath = join(stateDir, "jupyter.log");
  const log = openSync(logPath, "a");
  const args = [
    "notebook",
    "--ip=127.0.0.1",
    `--port=${port}`,
    "--port-retries=0",
    `--notebook-dir=${projectRoot}`,
    `--NotebookApp.token=${token}`,
    `--NotebookApp.default_url=/notebooks/${FIRST_NOTEBOOK}`,
  ];
  if (!flags.browser) args.push("--no-browser");
  if (process.getuid?.() === 0) args.push("--allow-root");
  const jupyter = spawn("jupyter", args, {
    cwd: projectRoot,
    env: withConnection(connection, {
      JUPYTER_PATH: join(projectRoot, "jupyter"),
      JUPYTER_RUNTIME_DIR: join(projectRoot, ".jupyter-runtime"),
    }),
    stdio: ["ignore", log, log],
  });
  const exited = new Promise<number>((resolve) => jupyter.on("exit", (code) => resolve(code ?? 0)));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    // Jupyter asks "Shutdown this notebook server?" on SIGINT; SIGTERM stops it without a question.
    process.once(signal, () => jupyter.kill("SIGTERM"));
  }
  const base = `http://127.0.0.1:${port}`;
  const ready = await Promise.race([waitForServer(`${base}/api/status?token=${token}`), exited.then(() => false)]);
  if (!ready) {
    jupyter.kill("SIGTERM");
    throw new EnvironmentError(`Jupyter did not start; see ${relative(process.cwd(), logPath)}`);
  }
  const banner = [`The notebooks talk to ${connection.target}.`];
  if (connection.sandbox) {
    if (flags.sandboxState)
      banner.push(`The sandbox keeps its state in ${flags.sandboxState}: your progress survives a restart.`);
    banner.push("To use a real account instead: npx ecs-takeover notebook --profile NAME --region REGION");
  }
  banner.push(
    `Jupyter is serving the runbooks at ${base}/notebooks/${FIRST_NOTEBOOK}?token=${token}`,
    `all notebooks: ${base}/tree/notebooks?token=${token}`,
    `Jupyter's log: ${relative(process.cwd(), logPath)}. Stop with Ctrl-C.`,
  );
  process.stdout.write(`${banner.join("\n")}\n`);
  const code = await exited;
  await connection.close();
  if (code !== 0 && code !== 143) throw new EnvironmentError(`Jupyter exited with code ${code}; see ${logPath}`);
}

/** Finds Jupyter, or installs Debian's package when this is a root shell with apt; else says what to run. */
function ensureJupyter(): void {
  if (hasCommand("jupyter", ["notebook", "--version"])) return;
  const install = "apt-get install -y jupyter-notebook";
  if (process.getuid?.() === 0 && hasCommand("apt-get", ["--version"])) {
    process.stdout.write(`Jupyter Notebook is missing: installing Debian's jupyter-notebook (${install})…\n`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    let result = spawnSync("apt-get", ["install", "-y", "-q", "jupyter-notebook"], { stdio: "inherit", env });
    if (result.status !== 0) {
      spawnSync("apt-get", ["update", "-q"], { stdio: "inherit", env });
      result = spawnSync("apt-get", ["install", "-y", "-q", "jupyter-notebook"], { stdio: "inherit", env });
    }
    if (result.status === 0 && hasCommand("jupyter", ["notebook", "--version"])) return;
    throw new EnvironmentError(`could not install Jupyter Notebook; try: apt-get update && ${install}`);
  }
  throw new EnvironmentError(`Jupyter Notebook is missing; install it with: sudo ${install}`);
}

function hasCommand(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: "ignore" }).status === 0;
}

/** Checks that the port is free (or picks one for 0), so a port in use is a clear error, not Jupyter's log line. */
function reservePort(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", () =>
      reject(new EnvironmentError(`port ${port} on 127.0.0.1 is in use; choose another with --port`)),
    );
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const chosen = typeof address === "object" && address !== null ? address.port : port;
      server.close(() => resolve(chosen));
    });
  });
}

async function waitForServer(url: string): Promise<boolean> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}
