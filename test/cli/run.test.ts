// `ecs-takeover run` end to end: the real command, the real kernel, files in a path with a space.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseNotebook } from "../../lib/notebook/ipynb";
import { projectRoot } from "../../lib/project";
import { writeTempNotebook } from "../notebook/fixtures";
import { cli, expectOneLine, finished, startCli } from "./cli";

const readOutputs = (path: string) =>
  parseNotebook(readFileSync(path, "utf8")).cells.flatMap((cell) => (cell.cell_type === "code" ? cell.outputs : []));

describe("ecs-takeover run", () => {
  test("runs the first notebook on the sandbox: its picture and tables, and the CPU chart, each with SVG and vega-lite", async () => {
    const out = join(dirname(writeTempNotebook(["1"])), "start here.ipynb");
    const result = await cli(["run", join(projectRoot, "notebooks/00-start-here.ipynb"), "--sandbox", "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ran \d+ cells in [\d.]+ s; wrote /);
    const charts = readOutputs(out).flatMap((output) =>
      output.output_type === "display_data" && output.data["application/vnd.vegalite.v5+json"] ? [output.data] : [],
    );
    expect(charts.map((data) => data["application/vnd.vegalite.v5+json"])).toMatchObject([
      { title: { text: "my-cluster: what runs, and who may reach it" } },
      { title: "CPU per task: the average hides task B" },
    ]);
    expect([charts[1]?.["image/svg+xml"]].flat().join("")).toMatch(/^<svg[\s\S]*task B[\s\S]*<\/svg>$/);
  }, 180_000);

  test("a failing second cell: exit 1, one line naming cell 2 and the error, the notebook so far written", async () => {
    const path = writeTempNotebook(["console.log('one')", 'throw new Error("boom")', "console.log('three')"]);
    const out = path.replace(/\.ipynb$/, ".out.ipynb");
    const result = await cli(["run", path]);
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toMatch(
      /^ecs-takeover: cell 2 failed: Error: boom \(the notebook so far is in .+\.out\.ipynb\)$/,
    );
    expect(existsSync(out)).toBe(true);
    expect(readOutputs(out).some((output) => output.output_type === "error")).toBe(true);
  });

  test("a failing cell's error is printed with secret-looking values masked", async () => {
    const path = writeTempNotebook(['throw new Error("login failed: DB_PASSWD=mysupersecretpasswd")']);
    const result = await cli(["run", path]);
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toMatch(/cell 1 failed: Error: login failed: DB_PASSWD=«redacted»/);
    expect(result.stderr).not.toContain("mysupersecretpasswd");
  });

  test("-p reaches a typed parameter; a value of the wrong type is a usage error naming tslab's type error", async () => {
    const path = writeTempNotebook([
      { source: "let rows: number = 1;", tags: ["parameters"] },
      'console.log("rows=" + rows)',
    ]);
    const ok = await cli(["run", path, "-p", "rows=5", "--out", `${path}.ok.ipynb`]);
    expect(ok.code).toBe(0);
    expect(JSON.stringify(readOutputs(`${path}.ok.ipynb`))).toContain("rows=5");

    const bad = await cli(["run", path, "-p", "rows=abc"]);
    expect(bad.code).toBe(2);
    expect(expectOneLine(bad.stderr)).toMatch(
      /the injected parameters cell failed: .*Type 'string' is not assignable to type 'number'.*check the -p values/,
    );
  });

  test.each([
    [["run"], /missing required argument 'notebook'/],
    [["run", "missing.ipynb"], /notebook not found: missing.ipynb/],
    [["run", "NOTEBOOK", "--timeout", "0"], /expected a positive number of seconds/],
    [["run", "NOTEBOOK", "-p", "nonsense"], /malformed parameter "nonsense"/],
    [["run", "NOTEBOOK", "-p", "nope=1"], /unknown parameter "nope"/],
    [["run", "CORRUPT"], /is not a notebook: it is not valid JSON/],
    [["run", "NOTEBOOK", "--bogus"], /unknown option '--bogus'/],
    [["frobnicate"], /unknown command 'frobnicate'/],
  ])("%j: exit 2 with one line", async (args, message) => {
    const notebook = writeTempNotebook([{ source: "let rows: number = 1;", tags: ["parameters"] }]);
    const corrupt = join(dirname(notebook), "corrupt.ipynb");
    writeFileSync(corrupt, "{ not json");
    const result = await cli(args.map((arg) => (arg === "NOTEBOOK" ? notebook : arg === "CORRUPT" ? corrupt : arg)));
    expect(result.code).toBe(2);
    expect(expectOneLine(result.stderr)).toMatch(message);
  });

  test("--help lists the commands and exits 0", async () => {
    const result = await cli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/run \[options\] <notebook>/);
    expect(result.stdout).toMatch(/notebook \[options\]/);
  });
});

describe("the kernel never outlives the runner", () => {
  const spinner = (pidFile: string) => [
    `require("node:fs").writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));\nwhile (true) {}`,
  ];

  async function kernelPid(pidFile: string): Promise<number> {
    for (let i = 0; i < 300 && !existsSync(pidFile); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 100));
    return Number(readFileSync(pidFile, "utf8"));
  }

  async function gone(pid: number, withinMs: number): Promise<boolean> {
    const deadline = Date.now() + withinMs;
    while (Date.now() < deadline) {
      try {
        process.kill(pid, 0);
      } catch {
        return true;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }

  test("Ctrl-C of the runner: exit 130, the notebook so far written, the kernel gone", async () => {
    const pidFile = join(dirname(writeTempNotebook(["1"])), "kernel.pid");
    const path = writeTempNotebook(spinner(pidFile));
    const child = startCli(["run", path]);
    const done = finished(child);
    const pid = await kernelPid(pidFile);
    child.kill("SIGINT");
    const result = await done;
    expect(result.code).toBe(130);
    expect(expectOneLine(result.stderr)).toMatch(/cell 1 stopped: interrupted/);
    expect(existsSync(path.replace(/\.ipynb$/, ".out.ipynb"))).toBe(true);
    expect(await gone(pid, 3000)).toBe(true);
  });

  test("SIGKILL of the runner: the watchdog kills the busy kernel", async () => {
    const pidFile = join(dirname(writeTempNotebook(["1"])), "kernel.pid");
    const child = startCli(["run", writeTempNotebook(spinner(pidFile))]);
    const done = finished(child);
    const pid = await kernelPid(pidFile);
    child.kill("SIGKILL");
    await done;
    expect(await gone(pid, 5000)).toBe(true);
  });
});
