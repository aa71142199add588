// The reliability report: cases tried, held and failed per category (a test file's top-level describe), and the
// figures each case recorded, printed after vitest's own output.
import type { Reporter, TestCase, TestModule, TestSuite, Vitest } from "vitest/node";

declare module "vitest" {
  interface TaskMeta {
    /** Lines a case wants in the report: what it measured (calls, retries, sizes, times). */
    figures?: string[];
  }
}

interface Tally {
  tried: number;
  held: number;
  failed: number;
  skipped: number;
  figures: string[];
  failures: string[];
}

export default class ReliabilityReporter implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const tallies = new Map<string, Tally>();
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const name = category(test);
        const tally = tallies.get(name) ?? { tried: 0, held: 0, failed: 0, skipped: 0, figures: [], failures: [] };
        tallies.set(name, tally);
        const state = test.result().state;
        if (state === "skipped" || state === "pending") {
          tally.skipped++;
          continue;
        }
        tally.tried++;
        if (state === "passed") tally.held++;
        else {
          tally.failed++;
          tally.failures.push(caseName(test));
        }
        for (const line of test.meta().figures ?? []) tally.figures.push(`${shortName(test)}: ${line}`);
      }
    }
    const log = (line: string) => (this.vitest ? this.vitest.logger.log(line) : process.stdout.write(`${line}\n`));
    log(report(tallies));
  }
}

/** The top-level describe the case sits in. */
function category(test: TestCase): string {
  let suite: TestSuite | undefined;
  for (let parent = test.parent; parent.type === "suite"; parent = parent.parent) suite = parent;
  return suite?.name ?? "(no category)";
}

/** The case's name without what it claims (up to the first ": "), to label its figures. */
function shortName(test: TestCase): string {
  return caseName(test).split(": ")[0] ?? test.name;
}

/** The case's name below its category. */
function caseName(test: TestCase): string {
  return test.fullName.split(" > ").slice(1).join(" › ") || test.name;
}

const COUNTS = ["tried", "held", "failed", "skipped"] as const;

export function report(tallies: ReadonlyMap<string, Tally>): string {
  const rows = [...tallies.entries()].map(([name, tally]) => [name, ...COUNTS.map((count) => String(tally[count]))]);
  const sum = (count: (typeof COUNTS)[number]) => [...tallies.values()].reduce((total, t) => total + t[count], 0);
  const header = ["category", ...COUNTS];
  const body = [...rows, ["total", ...COUNTS.map((count) => String(sum(count)))]];
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  const out = [
    "",
    "Reliability report (issue 9): every case should hold",
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...body.slice(0, -1).map(line),
    line(widths.map((w) => "-".repeat(w))),
    line(body[body.length - 1] ?? []),
  ];
  for (const [name, tally] of tallies) {
    if (tally.failures.length > 0) {
      out.push("", `${name}: did not hold`, ...tally.failures.map((failure) => `  ✗ ${failure}`));
    }
  }
  for (const [name, tally] of tallies) {
    if (tally.figures.length > 0) out.push("", `${name}: figures`, ...tally.figures.map((figure) => `  ${figure}`));
  }
  return `${out.join("\n")}\n`;
}
