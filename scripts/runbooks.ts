// `npm run runbooks`: every runbook of notebooks/ executed against the sandbox account with a fixed clock and exported
// to Markdown in runbooks/ (charts as SVG files beside each), with an index. 00, 01, 02 and 04 run one after another
// on one `inherited` account with apply=true, so 04 hands over what 01 and 02 changed; 03 triages `incident`.
// The same code gives the same bytes (DESIGN §7; test/notebook/runbooks.test.ts regenerates and compares): the clock
// starts at RUNBOOK_CLOCK and moves one second per request served, notebooks run one at a time in a pinned time zone
// and locale, and nothing that varies between runs — the sandbox's port, temporary paths, durations — is printed.
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "../lib/cli/connection";
import { writeExports } from "../lib/cli/export";
import { type Notebook, readNotebook, sourceText } from "../lib/notebook/ipynb";
import { parseParameter } from "../lib/notebook/parameters";
import { runNotebook } from "../lib/notebook/run";
import { projectRoot } from "../lib/project";
import type { ScenarioName } from "../lib/sandbox/scenarios/index";

export interface Runbook {
  /** The notebook's file name in notebooks/, without `.ipynb`; also the name of its export. */
  readonly name: string;
  /** The sandbox state it runs on: runbooks of the same scenario share one account, in the order of this table. */
  readonly scenario: ScenarioName;
  /** `-p` values. */
  readonly parameters: readonly string[];
}

/** Every runbook, in the order they run. One whose notebook does not exist yet is skipped (and named as skipped). */
export const RUNBOOKS: readonly Runbook[] = [
  { name: "00-start-here", scenario: "inherited", parameters: ["apply=true"] },
  { name: "01-secure", scenario: "inherited", parameters: ["apply=true"] },
  { name: "02-observe", scenario: "inherited", parameters: ["apply=true"] },
  { name: "04-handover", scenario: "inherited", parameters: ["apply=true"] },
  { name: "03-triage", scenario: "incident", parameters: [] },
];

/** Where every sandbox clock starts. */
export const RUNBOOK_CLOCK = "2026-11-28T00:00:00Z";
/** Longest a cell may run. */
const CELL_TIMEOUT_MS = 300_000;
/** The redaction key of the runs (hex): fixed, so that nothing keyed by it can differ between runs. Never shown. */
const RUNBOOK_KEY = "0123456789abcdef".repeat(4);

export interface RunbookPlan {
  /** One sandbox account per scenario, in the order the table first names it, with its runbooks in table order. */
  readonly states: readonly { readonly scenario: ScenarioName; readonly runbooks: readonly Runbook[] }[];
  readonly skipped: readonly Runbook[];
}

export function planRunbooks(exists: (runbook: Runbook) => boolean, runbooks = RUNBOOKS): RunbookPlan {
  const states: { scenario: ScenarioName; runbooks: Runbook[] }[] = [];
  const skipped: Runbook[] = [];
  for (const runbook of runbooks) {
    if (!exists(runbook)) {
      skipped.push(runbook);
      continue;
    }
    const state = states.find((s) => s.scenario === runbook.scenario);
    if (state) state.runbooks.push(runbook);
    else states.push({ scenario: runbook.scenario, runbooks: [runbook] });
  }
  return { states, skipped };
}

export function notebookPath(runbook: Runbook): string {
  return join(projectRoot, "notebooks", `${runbook.name}.ipynb`);
}

export interface GenerateOptions {
  /** One line per event, for people: what runs, how long it took, what was skipped. */
  readonly log?: (line: string) => void;
}

export class RunbookFailure extends Error {
  override name = "RunbookFailure";
}

/** Runs every runbook whose notebook exists and writes `<name>.md`, its charts and README.md into `outDir`. */
export async function generateRunbooks(outDir: string, options: GenerateOptions = {}): Promise<RunbookPlan> {
  const log = options.log ?? (() => {});
  const plan = planRunbooks((runbook) => existsSync(notebookPath(runbook)));
  for (const runbook of plan.skipped)
    log(`${runbook.name}: skipped, notebooks/${runbook.name}.ipynb does not exist yet`);
  mkdirSync(outDir, { recursive: true });
  const titles = new Map<string, string>();
  const scratch = mkdtempSync(join(tmpdir(), "ecs-takeover-runbooks-"));
  try {
    for (const state of plan.states) {
      const keyFile = join(scratch, `${state.scenario}.key`);
      writeFileSync(keyFile, RUNBOOK_KEY, { mode: 0o600 });
      // One account per state: the runbooks of a scenario see each other's changes, in table order.
      const connection = await connect({ sandbox: state.scenario, clock: RUNBOOK_CLOCK });
      try {
        for (const runbook of state.runbooks) {
          const started = Date.now();
          const notebook = readNotebook(notebookPath(runbook));
          titles.set(runbook.name, titleOf(notebook.cells) ?? runbook.name);
          const result = await runNotebook(notebook, {
            root: projectRoot,
            parameters: runbook.parameters.map(parseParameter),
            timeoutMs: CELL_TIMEOUT_MS,
            env: {
              ...withoutInheritedSettings(),
              ...connection.env,
              // Dates and numbers a cell formats for people read the same on every machine.
              TZ: "UTC",
              LC_ALL: "C.UTF-8",
              LANG: "C.UTF-8",
              ECS_TAKEOVER_KEY_FILE: keyFile,
              ECS_TAKEOVER_JOURNAL: join(scratch, `${state.scenario}.journal.jsonl`),
            },
          });
          writeExports(result.notebook, { md: join(outDir, `${runbook.name}.md`), includeCode: true });
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          if (result.failure) {
            throw new RunbookFailure(
              `${runbook.name}: ${result.failure.label} ${result.failure.reason === "error" ? "failed" : "stopped"}: ` +
                `${result.failure.message}`,
            );
          }
          log(`${runbook.name}: ${result.cellsRun} cells on the ${state.scenario} sandbox in ${seconds} s`);
        }
      } finally {
        await connection.close();
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  writeFileSync(join(outDir, "README.md"), indexOf(plan, titles));
  return plan;
}

/**
 * The user's own AWS and ecs-takeover settings must not reach the runs: a per-service endpoint
 * (AWS_ENDPOINT_URL_ECS), a profile or a request timeout would change where the calls go or what they print.
 * The SDK's own switches (AWS_SDK_JS_*) stay.
 */
function withoutInheritedSettings(): Record<string, undefined> {
  return Object.fromEntries(
    Object.keys(process.env)
      .filter((key) => (key.startsWith("AWS_") && !key.startsWith("AWS_SDK_")) || key.startsWith("ECS_TAKEOVER_"))
      .map((key) => [key, undefined]),
  );
}

function titleOf(cells: Notebook["cells"]): string | undefined {
  for (const cell of cells) {
    if (cell.cell_type !== "markdown") continue;
    const heading = /^#\s+(.+)$/m.exec(sourceText(cell.source))?.[1];
    if (heading) return heading.trim();
  }
  return undefined;
}

/** runbooks/README.md: what each runbook is, on which account it ran, and which are still to be written. */
export function indexOf(plan: RunbookPlan, titles: ReadonlyMap<string, string>): string {
  const ran = new Set(plan.states.flatMap((state) => state.runbooks.map((r) => r.name)));
  const byName = [...RUNBOOKS].sort((a, b) => a.name.localeCompare(b.name));
  const rows = byName.map((runbook) => {
    const state = plan.states.find((s) => s.scenario === runbook.scenario);
    const order =
      state && state.runbooks.length > 1
        ? `, run ${state.runbooks.indexOf(runbook) + 1} of ${state.runbooks.length}`
        : "";
    const parameters = runbook.parameters.length > 0 ? runbook.parameters.map((p) => `\`${p}\``).join(" ") : "—";
    return ran.has(runbook.name)
      ? `| [${runbook.name}](${runbook.name}.md) | ${titles.get(runbook.name) ?? runbook.name} | \`${runbook.scenario}\`${order} | ${parameters} |`
      : `| ${runbook.name} | not written yet | \`${runbook.scenario}\` | ${parameters} |`;
  });
  return [
    "# Runbooks, executed",
    "",
    "The runbooks of [`notebooks/`](../notebooks), each executed headless against the sandbox account and exported",
    "to Markdown: prose, code, what each cell printed, tables, and charts as SVG files beside each page. Secret-looking",
    "values pass the redaction filter.",
    "",
    `Every sandbox account starts with its clock at ${RUNBOOK_CLOCK}. \`00-start-here\`, \`01-secure\`, \`02-observe\``,
    "and `04-handover` run one after another on one `inherited` account with `apply=true`, so the handover shows what",
    "the earlier runbooks changed; `03-triage` runs on the `incident` account.",
    "",
    "| runbook | title | sandbox account | parameters |",
    "|---|---|---|---|",
    ...rows,
    "",
    "Regenerate with `npm run runbooks`. The output is reproducible: `npm test` regenerates it and compares every byte.",
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const outDir = join(projectRoot, "runbooks");
  // Written beside runbooks/ and swapped in only when every runbook ran: a failure leaves the old pages alone.
  const staging = `${outDir}.new-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const started = Date.now();
  try {
    const plan = await generateRunbooks(staging, { log: (line) => process.stdout.write(`${line}\n`) });
    rmSync(outDir, { recursive: true, force: true });
    renameSync(staging, outDir);
    const count = plan.states.reduce((sum, state) => sum + state.runbooks.length, 0);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`wrote ${count} runbooks to runbooks/ in ${seconds} s\n`);
  } catch (error) {
    process.stderr.write(
      `runbooks: ${error instanceof Error ? error.message : String(error)} (what ran is in ${staging})\n`,
    );
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
