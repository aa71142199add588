// Kernel start-up and the runner's cost per cell, against nbconvert where Jupyter is installed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatNotebook } from "../../lib/notebook/ipynb";
import { Kernel } from "../../lib/notebook/kernel";
import { runNotebook } from "../../lib/notebook/run";
import { projectRoot } from "../../lib/project";
import { notebookOf } from "../notebook/fixtures";
import { median, report, timed } from "./report";

const RUNS = 3;
const CELLS = 20;

export async function benchNotebook(): Promise<void> {
  const starts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const [ms, kernel] = await timed(() => Kernel.start({ root: projectRoot, env: process.env }));
    starts.push(ms);
    await kernel.shutdown();
  }
  const kernelStart = median(starts);
  report({ name: "kernel start (spawn to ready)", value: kernelStart, unit: "ms", goal: "<= 4000" });

  const notebook = notebookOf(Array.from({ length: CELLS }, (_, i) => `const x${i}: number = ${i}; x${i}`));
  const totals: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const [ms, result] = await timed(() => runNotebook(notebook, { root: projectRoot, timeoutMs: 60_000 }));
    if (result.failure !== undefined) throw new Error(`bench notebook failed: ${result.failure.message}`);
    totals.push(ms);
  }
  const runner = median(totals);
  report({
    name: `runner per cell (${CELLS} trivial cells, less kernel start)`,
    value: (runner - kernelStart) / CELLS,
    unit: "ms",
    goal: "<= 50",
  });
  report({ name: `runner wall time, ${CELLS} trivial cells`, value: runner, unit: "ms", goal: null });

  const nbconvert = nbconvertTime(notebook);
  if (nbconvert !== undefined) {
    report({
      name: "runner / jupyter nbconvert --execute, same notebook",
      value: runner / nbconvert,
      unit: "ratio",
      goal: "<= 1",
    });
  }
}

/** Wall time of nbconvert on the same notebook and kernel, or undefined where Jupyter is not installed. */
function nbconvertTime(notebook: ReturnType<typeof notebookOf>): number | undefined {
  if (spawnSync("jupyter", ["nbconvert", "--version"], { stdio: "ignore" }).status !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "ecs-takeover-bench-"));
  const path = join(dir, "bench.ipynb");
  writeFileSync(path, formatNotebook(notebook));
  const env = { ...process.env, JUPYTER_PATH: join(projectRoot, "jupyter"), JUPYTER_RUNTIME_DIR: join(dir, "runtime") };
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const result = spawnSync("jupyter", ["nbconvert", "--to", "notebook", "--execute", "--output-dir", dir, path], {
      env,
      stdio: "ignore",
    });
    if (result.status !== 0) return undefined;
    times.push(performance.now() - started);
  }
  return median(times);
}
