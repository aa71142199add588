// notebooks/01-secure, 02-observe and 04-handover, run headless the way runbooks/ runs them: one after another on one
// inherited sandbox account with apply=true. Run with apply=false, 01 changes nothing (the state file stays
// byte-identical) and says how to apply; with apply=true, 01 and 02 leave failing only what a person must do (DESIGN
// §3); 04 hands over what the journal says was changed and how to roll it back — and no output holds the password.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { type CodeCell, type Notebook, parseNotebook, readNotebook, sourceText } from "../../lib/notebook/ipynb";
import { projectRoot } from "../../lib/project";
import { WEB } from "../../lib/sandbox/scenarios/web-service";
import { MANUAL_AFTER_FIX } from "../checks/expected";
import { type CliResult, cli } from "../cli/cli";

const CLOCK = "2026-11-28T00:00:00Z";
const NOTEBOOKS = ["01-secure", "02-observe", "04-handover"] as const;
type Name = (typeof NOTEBOOKS)[number];
const path = (name: Name) => join(projectRoot, "notebooks", `${name}.ipynb`);
/** Four kernels on a 2-core machine other tests share. Generous: only a hang should fail. */
const RUNS_TIMEOUT_MS = 1_200_000;

const codeCells = (notebook: Notebook) => notebook.cells.filter((cell): cell is CodeCell => cell.cell_type === "code");
const joined = (value: unknown) => [value ?? ""].flat().join("");

/** What a reader of an executed notebook sees: its streams and the text of its displays, and its stderr apart. */
function readRun(file: string) {
  const cells = codeCells(parseNotebook(readFileSync(file, "utf8")));
  const parts: string[] = [];
  const stderr: string[] = [];
  for (const cell of cells) {
    for (const output of cell.outputs) {
      if (output.output_type === "stream") (output.name === "stderr" ? stderr : parts).push(joined(output.text));
      if (output.output_type === "display_data") {
        parts.push(joined(output.data["text/markdown"] ?? output.data["text/plain"]));
      }
    }
  }
  return { cells, text: parts.join("\n"), stderr, raw: readFileSync(file, "utf8") };
}

describe("the secure, observe and handover notebooks as committed", () => {
  for (const name of NOTEBOOKS) {
    test(`${name} is a runbook: steps first, parameters, prose before every code cell, a conclusion, no outputs`, () => {
      const notebook = readNotebook(path(name));
      const [first, second] = notebook.cells;
      expect(first?.cell_type).toBe("markdown");
      expect(sourceText(first?.source ?? "")).toMatch(/\*\*Steps\*\*/);
      expect(second?.cell_type === "code" && second.metadata.tags).toEqual(["parameters"]);
      const parameters = sourceText(second?.source ?? "");
      for (const parameter of ["profile", "region", "cluster", "service", "apply"]) {
        expect(parameters).toMatch(new RegExp(`^let ${parameter}: `, "m"));
      }
      notebook.cells.forEach((cell, i) => {
        if (cell.cell_type === "code" && i > 1) {
          expect(notebook.cells[i - 1]?.cell_type, `before ${cell.id}`).toBe("markdown");
        }
      });
      const last = notebook.cells.at(-1);
      expect(last?.cell_type === "markdown" && sourceText(last.source)).toMatch(/^## Conclusion/);
      for (const cell of codeCells(notebook)) {
        expect(cell.outputs, cell.id).toEqual([]);
        expect(cell.execution_count, cell.id).toBeNull();
        // Short calls into lib: the work is in lib, not in cells.
        expect(sourceText(cell.source).split("\n").length, cell.id).toBeLessThanOrEqual(11);
      }
      expect(notebook.metadata.kernelspec).toMatchObject({ name: "tslab" });
      const code = codeCells(notebook)
        .map((cell) => sourceText(cell.source))
        .join("\n");
      expect(code).toContain("identityLine(aws");
      expect(code).not.toMatch(/Date\.now\(\)|new Date\(\)/);
    });
  }

  test("01-secure walks the six steps of the talk, then the runtime, in order", () => {
    const code = codeCells(readNotebook(path("01-secure")))
      .map((cell) => sourceText(cell.source))
      .join("\n");
    const order = [
      "task-sg-open",
      "env-secrets",
      "task-role-admin",
      "passrole-escalation",
      "ecr-scan-off",
      "cloudtrail-off",
      "root-user",
    ];
    const at = order.map((check) => code.indexOf(`"${check}"`));
    expect(at.every((index) => index >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });
});

describe("01, 02 and 04 on one inherited sandbox account", () => {
  const dir = mkdtempSync(join(tmpdir(), "ecs-takeover-secure-"));
  const state = join(dir, "state.json");
  const env = { ECS_TAKEOVER_JOURNAL: join(dir, "journal.jsonl") };
  const sandbox = ["--sandbox", "--sandbox-state", state, "--clock", CLOCK];
  const results = new Map<string, CliResult>();
  const run = async (key: string, name: Name, apply: boolean) => {
    const out = join(dir, `${key}.ipynb`);
    results.set(key, await cli(["run", path(name), ...sandbox, "-p", `apply=${apply}`, "--out", out], { env }));
    return out;
  };
  let stateBefore = "";
  let stateAfterDryRun = "";
  let audited: CliResult;
  const runs: Record<string, ReturnType<typeof readRun>> = {};

  beforeAll(async () => {
    const audit = ["audit", "--cluster", WEB.cluster, "--service", WEB.service, "--format", "json", ...sandbox];
    await cli(audit, { env }); // creates the account's state file
    stateBefore = readFileSync(state, "utf8");
    runs.dry = readRun(await run("dry", "01-secure", false));
    stateAfterDryRun = readFileSync(state, "utf8");
    runs.secure = readRun(await run("secure", "01-secure", true));
    runs.observe = readRun(await run("observe", "02-observe", true));
    audited = await cli(audit, { env });
    runs.handover = readRun(await run("handover", "04-handover", true));
  }, RUNS_TIMEOUT_MS);

  test("every run exits 0 with nothing on stderr, and no cell wrote to stderr (no SDK notice, no error)", () => {
    expect([...results.keys()]).toEqual(["dry", "secure", "observe", "handover"]);
    for (const [key, result] of results) {
      expect(result.stderr, key).toBe("");
      expect(result.code, key).toBe(0);
      expect(runs[key]?.stderr, key).toEqual([]);
      expect(
        runs[key]?.cells.every((cell) => cell.execution_count !== null),
        key,
      ).toBe(true);
    }
  });

  test("each says whether it talks to the sandbox or a real account, and as whom", () => {
    for (const key of ["dry", "secure", "observe", "handover"]) {
      expect(runs[key]?.text, key).toContain(
        "Talking to the sandbox account (scenario inherited), region ap-northeast-1, as arn:aws:iam::123456789012:user/new-owner",
      );
    }
  });

  test("01 with apply=false changes nothing — the state file stays byte-identical — and says how to apply", () => {
    expect(stateAfterDryRun === stateBefore).toBe(true);
    const text = runs.dry?.text ?? "";
    expect(text).toContain("**Nothing was changed**: `apply` is `false`");
    expect(text).toContain("--check task-sg-open --check datastore-sg-open");
    expect(text).toContain("**Nothing was applied, so there is nothing to verify**");
    expect(text).toContain("**inferred — review it before applying**");
  });

  test("01 applies each step and verifies it; what is left needs a person", () => {
    const text = runs.secure?.text ?? "";
    expect(text).toMatch(
      /\*\*verified: `task-sg-open`, `datastore-sg-open`, `service-public-ip`, `alb-http-no-redirect`\*\*/,
    );
    expect(text).toContain("**verified: `env-secrets`**");
    expect(text).toContain("| image-vulnerable | image my-web-app:v1 | ✖ fail |");
    expect(text).toMatch(/- \*\*root-user\*\* — my-web-app:\d+: .*\(plan only: a person decides\)/);
  });

  test("02 enables the three pillars and alarms, then draws the service's CPU, CPU per task and ALB latency", () => {
    const text = runs.observe?.text ?? "";
    for (const check of ["container-insights-off", "logging-missing", "tracing-missing", "alarms-missing"]) {
      expect(text).toContain(`\`${check}\``);
    }
    expect(text).toContain("[chart: my-web-service: average CPU and memory]");
    expect(text).toContain("[chart: CPU per task]");
    expect(text).toContain("[chart: my-web-service: load balancer latency (TargetResponseTime)]");
  });

  test("after 01 and 02, an audit fails only the checks a person must fix (DESIGN §3)", () => {
    expect(audited.code).toBe(0);
    const report = JSON.parse(audited.stdout) as { results: { check: string; status: string }[] };
    const failing = [...new Set(report.results.filter((r) => r.status !== "pass").map((r) => r.check))].sort();
    expect(failing).toEqual([...MANUAL_AFTER_FIX].sort());
  });

  test("04 lists what was changed, plan by plan, with how to roll each back, and what is left", () => {
    const text = runs.handover?.text ?? "";
    expect(text).toMatch(/\*\*11 plans changed this account: \d+ steps applied\*\*/);
    expect(text).toContain("| task-sg-open | sg-ECSTask (");
    expect(text).toContain("| env-secrets | create secret my-web-app/db-passwd from DB_PASSWD");
    expect(text).toMatch(/`await rollback\(aws, \{ plan: "[0-9a-f]{20}", confirm: true \}\)`/);
    expect(text).toMatch(/\| image \| 1 \| 0 \| \d+ \| image-vulnerable \|/);
    for (const check of MANUAL_AFTER_FIX) expect(text).toContain(`#### \`${check}\``);
  });

  test("no output, notebook or journal holds the planted password", () => {
    for (const [key, run] of Object.entries(runs)) expect(run.raw, key).not.toContain(WEB.dbPassword);
    for (const [key, result] of results) expect(result.stdout + result.stderr, key).not.toContain(WEB.dbPassword);
    expect(readFileSync(env.ECS_TAKEOVER_JOURNAL, "utf8")).not.toContain(WEB.dbPassword);
  });
});
