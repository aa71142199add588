// Executes a notebook headless on the project's tslab kernel: Node only, no Python, no Jupyter.
import { type CodeCell, hasTag, type Notebook, type Output, sourceText } from "./ipynb";
import { Kernel } from "./kernel";
import { OutputCollector, parseCellError, splitStreams, stderrText } from "./outputs";
import { injectParameters, type Parameter } from "./parameters";

export interface RunOptions {
  /** The repository root, which holds the kernelspec and is the kernel's working directory. */
  root: string;
  parameters?: readonly Parameter[];
  /** Per cell; the cell is interrupted when it runs longer. */
  timeoutMs: number;
  /** Added to this process's environment for the kernel (the sandbox endpoint, credentials…); undefined removes. */
  env?: Record<string, string | undefined>;
  /** Aborting kills the kernel; the run returns with the notebook as far as it got. */
  signal?: AbortSignal;
  onCell?: (progress: CellProgress) => void;
}

export interface CellProgress {
  label: string;
  index: number;
  total: number;
  durationMs: number;
}

export interface CellFailure {
  /** "cell 2" (its place in the notebook as given, counting every cell) or "the injected parameters cell". */
  label: string;
  /** The failing cell is the one made from -p values: a usage error rather than a notebook failure. */
  injected: boolean;
  reason: "error" | "timeout" | "died" | "interrupted";
  /** One line: tslab's own error text, or what happened to the kernel. */
  message: string;
}

export interface RunResult {
  /** The executed notebook: outputs and execution counts, up to and including a failed cell. */
  notebook: Notebook;
  failure?: CellFailure;
  cellsRun: number;
}

export async function runNotebook(source: Notebook, options: RunOptions): Promise<RunResult> {
  const notebook = prepare(injectParameters(source, options.parameters ?? []));
  const cells = notebook.cells.flatMap((cell, index) =>
    cell.cell_type === "code" && sourceText(cell.source).trim() !== ""
      ? [{ cell, label: labelOf(notebook, index) }]
      : [],
  );
  const kernel = await Kernel.start({ root: options.root, env: kernelEnvironment(options.env ?? {}) });
  const abort = () => kernel.kill();
  options.signal?.addEventListener("abort", abort);
  const collector = new OutputCollector();
  let cellsRun = 0;
  try {
    for (const [index, { cell, label }] of cells.entries()) {
      if (options.signal?.aborted) return { notebook, cellsRun, failure: interrupted(label) };
      const started = Date.now();
      const outcome = await kernel.execute(sourceText(cell.source), {
        timeoutMs: options.timeoutMs,
        onMessage: (message) => collector.add(cell.outputs, message),
      });
      cellsRun++;
      options.onCell?.({ label, index: index + 1, total: cells.length, durationMs: Date.now() - started });
      if (outcome.status === "ok") {
        cell.execution_count = outcome.executionCount;
        continue;
      }
      if (options.signal?.aborted) return { notebook, cellsRun, failure: interrupted(label) };
      return { notebook, cellsRun, failure: describeFailure(cell, label, outcome, options.timeoutMs, kernel) };
    }
    return { notebook, cellsRun };
  } finally {
    options.signal?.removeEventListener("abort", abort);
    await kernel.shutdown();
    for (const { cell } of cells) splitStreams(cell.outputs);
  }
}

function kernelEnvironment(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return env;
}

/** A copy with every code cell cleared, so outputs of an earlier run never mix with this one's. */
function prepare(notebook: Notebook): Notebook {
  const copy = structuredClone(notebook);
  for (const cell of copy.cells) {
    if (cell.cell_type !== "code") continue;
    cell.outputs = [];
    cell.execution_count = null;
  }
  return copy;
}

const INJECTED_LABEL = "the injected parameters cell";

function isInjected(label: string): boolean {
  return label === INJECTED_LABEL;
}

function labelOf(notebook: Notebook, index: number): string {
  const cell = notebook.cells[index];
  if (cell !== undefined && hasTag(cell, "injected-parameters")) return INJECTED_LABEL;
  const injectedBefore = notebook.cells.slice(0, index).filter((other) => hasTag(other, "injected-parameters")).length;
  return `cell ${index + 1 - injectedBefore}`;
}

function describeFailure(
  cell: CodeCell,
  label: string,
  outcome: Awaited<ReturnType<Kernel["execute"]>>,
  timeoutMs: number,
  kernel: Kernel,
): CellFailure {
  switch (outcome.status) {
    case "timeout": {
      const how = outcome.kernelAlive ? "interrupted" : "the kernel was stopped";
      const message = `timed out after ${timeoutMs / 1000} s (${how})`;
      appendError(cell.outputs, "TimeoutError", message);
      return { label, injected: isInjected(label), reason: "timeout", message };
    }
    case "died": {
      const message = `the kernel exited while running it${kernel.processOutput.trim() ? `: ${lastLine(kernel.processOutput)}` : ""}`;
      appendError(cell.outputs, "KernelDied", message);
      return { label, injected: isInjected(label), reason: "died", message };
    }
    default: {
      cell.execution_count = outcome.executionCount;
      const error = parseCellError(stderrText(cell.outputs));
      appendError(cell.outputs, error.ename, error.evalue);
      return { label, injected: isInjected(label), reason: "error", message: error.summary };
    }
  }
}

function interrupted(label: string): CellFailure {
  return { label, injected: isInjected(label), reason: "interrupted", message: "interrupted before it finished" };
}

/** tslab reports errors only as stderr text; an error output makes them show as errors in Jupyter too. */
function appendError(outputs: Output[], ename: string, evalue: string): void {
  outputs.push({ output_type: "error", ename, evalue, traceback: [`${ename}: ${evalue}`] });
}

function lastLine(text: string): string {
  return text.trim().split("\n").pop() ?? "";
}
