// notebooks/03-triage on the incident, run headless the way `ecs-takeover run` runs it: the runbook finds task B, and
// draws the per-task CPU and the slowest trace's waterfall — on the embedded sandbox, and through nothing but an
// endpoint (a sandbox started apart, as any AWS-compatible endpoint would be), so no sandbox-only API is used.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type CodeCell, type Notebook, parseNotebook, readNotebook, sourceText } from "../../lib/notebook/ipynb";
import { projectRoot } from "../../lib/project";
import { WEB } from "../../lib/sandbox/scenarios/web-service";
import { type Sandbox, startSandbox } from "../../lib/sandbox/server";
import { cli } from "../cli/cli";

const NOTEBOOK = join(projectRoot, "notebooks", "03-triage.ipynb");
const CLOCK = "2026-11-28T00:00:00Z";
const [TASK_A, TASK_B, TASK_C] = WEB.taskIds;
/** A whole run: a kernel and ten cells, on a 2-core machine other tests share. Generous: only a hang should fail. */
const RUN_TIMEOUT_MS = 600_000;

const codeCells = (notebook: Notebook) => notebook.cells.filter((cell): cell is CodeCell => cell.cell_type === "code");

interface Display {
  cell: string;
  data: Record<string, unknown>;
}

/** What a reader of the executed notebook sees: text (streams and text/plain of displays), and the displays. */
function readRun(path: string) {
  const cells = codeCells(parseNotebook(readFileSync(path, "utf8")));
  const displays: Display[] = [];
  const streams: { cell: string; name: string; text: string }[] = [];
  for (const cell of cells) {
    for (const output of cell.outputs) {
      if (output.output_type === "stream")
        streams.push({ cell: cell.id ?? "", name: output.name, text: text(output.text) });
      if (output.output_type === "display_data") displays.push({ cell: cell.id ?? "", data: output.data });
    }
  }
  const plain = displays.map((display) => text(display.data["text/plain"] as string | string[]));
  return { cells, displays, streams, text: [...streams.map((stream) => stream.text), ...plain].join("\n") };
}

const text = (value: string | string[] | undefined) => [value ?? ""].flat().join("");

function chart(run: ReturnType<typeof readRun>, title: RegExp) {
  const found = run.displays.find((display) => {
    const spec = display.data["application/vnd.vegalite.v5+json"] as { title?: unknown } | undefined;
    return typeof spec?.title === "string" && title.test(spec.title);
  });
  if (!found) {
    const titles = run.displays.map(
      (display) => (display.data["application/vnd.vegalite.v5+json"] as { title?: string })?.title,
    );
    throw new Error(`no chart titled ${title} among ${JSON.stringify(titles)}`);
  }
  return {
    spec: found.data["application/vnd.vegalite.v5+json"] as { data?: { values?: Record<string, unknown>[] } },
    svg: text(found.data["image/svg+xml"] as string | string[]),
  };
}

/** What both runs must show: task B found by every pillar, and the two charts that show it. */
function expectTaskBFound(run: ReturnType<typeof readRun>) {
  expect(run.cells.every((cell) => cell.execution_count !== null)).toBe(true);
  // Neither an error nor the SDK's Node-version notice reaches the notebook.
  expect(run.streams.filter((stream) => stream.name === "stderr")).toEqual([]);
  expect(run.text).toContain(`Hot task: ${TASK_B} (task ${TASK_B.slice(0, 8)}, 9`);
  for (const other of [TASK_A, TASK_C]) expect(run.text).not.toContain(`Hot task: ${other}`);
  expect(run.text).toMatch(/^1\. task 1b2c3d4e runs at 9\d(\.\d)? % CPU .*\[metrics: /m);
  expect(run.text).toMatch(
    /^2\. \d+ \/something requests slower than 1000 ms in the logs; 100 % of them served by task 1b2c3d4e/m,
  );
  expect(run.text).toMatch(
    /^3\. In the slowest trace \(\d+ ms, served by task 1b2c3d4e\), 9\d % of the time was spent in the app itself/m,
  );
  // The slowest log lines, each with the task that served it: task B's full id.
  const slowLines = run.displays.find((display) => display.cell === "slow-lines");
  expect(text(slowLines?.data["text/plain"] as string)).toContain(`${TASK_B}  POST    /something  200`);

  const cpu = chart(run, /CPU per task against the service average/);
  expect(cpu.spec.data?.values?.filter((bar) => bar.emphasis === true).map((bar) => bar.label)).toEqual([
    `task ${TASK_B.slice(0, 8)}`,
  ]);
  expect(cpu.svg).toMatch(/^<svg[\s\S]*task 1b2c3d4e[\s\S]*<\/svg>$/);

  const waterfall = chart(run, /^Trace 1-[0-9a-f]{8}-[0-9a-f]{24} — 4\.\d\d s, \d+ spans$/);
  expect(waterfall.svg).toMatch(/^<svg[\s\S]*ms since the trace started[\s\S]*my-web-service[\s\S]*<\/svg>$/);
}

describe("notebooks/03-triage as committed", () => {
  const notebook = readNotebook(NOTEBOOK);

  test("is a runbook: steps first, prose before every code cell, a conclusion last, no outputs", () => {
    const [first, second] = notebook.cells;
    expect(first?.cell_type).toBe("markdown");
    expect(sourceText(first?.source ?? "")).toMatch(/\*\*Steps\*\*/);
    expect(second?.cell_type === "code" && second.metadata.tags).toEqual(["parameters"]);
    notebook.cells.forEach((cell, i) => {
      if (cell.cell_type === "code" && i > 1)
        expect(notebook.cells[i - 1]?.cell_type, `before ${cell.id}`).toBe("markdown");
    });
    const last = notebook.cells.at(-1);
    expect(last?.cell_type === "markdown" && sourceText(last.source)).toMatch(/^## Conclusion/);
    for (const cell of codeCells(notebook)) {
      expect(cell.outputs, cell.id).toEqual([]);
      expect(cell.execution_count, cell.id).toBeNull();
    }
    expect(notebook.metadata.kernelspec).toMatchObject({ name: "tslab" });
  });

  test("takes its window from the account's clock, never the local one", () => {
    const code = codeCells(notebook)
      .map((cell) => sourceText(cell.source))
      .join("\n");
    expect(code).toContain("await aws.serviceNow()");
    expect(code).not.toMatch(/Date\.now\(\)|new Date\(\)/);
  });

  test("imports lib by file, never by folder (tslab resolves only <path>.js)", () => {
    const code = codeCells(notebook)
      .map((cell) => sourceText(cell.source))
      .join("\n");
    const imports = [...code.matchAll(/from "(\.\/lib\/[^"]+)"/g)].map((match) => match[1] as string);
    expect(imports.length).toBeGreaterThan(5);
    expect(imports.filter((path) => !existsSync(join(projectRoot, `${path}.ts`)))).toEqual([]);
  });
});

describe("notebooks/03-triage on the incident", () => {
  const dir = mkdtempSync(join(tmpdir(), "triage-"));

  test(
    "--sandbox=incident: exits 0, says it talks to the sandbox, names task B, draws its CPU and the waterfall",
    async () => {
      const out = join(dir, "sandbox.ipynb");
      const result = await cli(["run", NOTEBOOK, "--sandbox=incident", "--clock", CLOCK, "--out", out]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^ran 11 cells in [\d.]+ s; wrote /);
      const run = readRun(out);
      expect(run.text).toContain(
        "Talking to the sandbox account (scenario incident), region ap-northeast-1, as arn:aws:iam::123456789012:user/new-owner (account 123456789012).",
      );
      // The window ends at the sandbox's clock (its last whole minute), not this machine's.
      expect(run.text).toContain("POST /something from 2026-11-27T23:15:00.000Z to 2026-11-28T00:00:00.000Z");
      expectTaskBFound(run);
      // The action is a plan: shown, not applied, without apply = true.
      expect(run.text).toContain("stop task 1b2c3d4e5f6a4b7c9d0e1f2a3b4c5d6e");
      expect(run.text).toContain("Nothing was changed: set apply = true");
    },
    RUN_TIMEOUT_MS,
  );

  describe("through --endpoint, against a sandbox started apart", () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0, scenario: "incident", clock: CLOCK });
    });
    afterAll(() => sandbox.stop());

    test(
      "names task B too: the notebook uses only what any AWS endpoint serves",
      async () => {
        const out = join(dir, "endpoint.ipynb");
        const result = await cli(
          ["run", NOTEBOOK, "--endpoint", sandbox.endpoint, "--region", "ap-northeast-1", "--out", out],
          {
            env: {
              AWS_ACCESS_KEY_ID: "AKIASANDBOXEXAMPLE",
              AWS_SECRET_ACCESS_KEY: "sandbox-secret-key",
              AWS_SESSION_TOKEN: "",
              AWS_PROFILE: "",
              ECS_TAKEOVER_SANDBOX: "",
            },
          },
        );
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
        const run = readRun(out);
        expect(run.text).toContain(
          `Talking to the endpoint ${sandbox.endpoint}, region ap-northeast-1, as arn:aws:iam::`,
        );
        expectTaskBFound(run);
      },
      RUN_TIMEOUT_MS,
    );
  });
});
