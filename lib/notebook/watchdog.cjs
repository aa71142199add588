// Supervises a kernel for the headless runner: `node watchdog.cjs COMMAND ARGS...`.
//
// The runner holds this process's stdin open. If the runner dies, even by SIGKILL, the pipe closes and the kernel
// is killed here, so no kernel is ever left spinning (a busy kernel cannot notice that itself: its JavaScript
// thread may be stuck in a cell). SIGINT and SIGTERM are passed on to the kernel.
"use strict";
const { spawn } = require("node:child_process");

const [command, ...args] = process.argv.slice(2);
const kernel = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"] });

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (kernel.exitCode === null) kernel.kill(signal);
  });
}
process.stdin.on("data", () => {});
process.stdin.on("close", () => {
  if (kernel.exitCode === null) kernel.kill("SIGKILL");
});
process.stdin.resume();
kernel.on("error", (error) => {
  process.stderr.write(`cannot start the kernel: ${error.message}\n`);
  process.exit(127);
});
kernel.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
