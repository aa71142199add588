// Runs the real `ecs-takeover` command as a user would, and collects what it printed.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { projectRoot } from "../../lib/project";

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  return spawn(process.execPath, [join(projectRoot, "bin", "ecs-takeover.js"), ...args], {
    cwd: options.cwd ?? projectRoot,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

export function cli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  return finished(startCli(args, options));
}

/** DESIGN §8: an error is one clear line on stderr, never a stack trace. */
export function expectOneLine(stderr: string): string {
  const lines = stderr.split("\n").filter((line) => line !== "");
  if (lines.length !== 1 || /^\s+at /m.test(stderr)) throw new Error(`expected one line on stderr, got:\n${stderr}`);
  return lines[0] as string;
}
