// runbooks/: the runbooks executed against the sandbox and exported (npm run runbooks). Regenerating them gives the
// same bytes, every chart they link exists, and no page holds the sandbox's planted password.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { projectRoot } from "../../lib/project";
import { generateRunbooks, indexOf, planRunbooks, RUNBOOKS } from "../../scripts/runbooks";

const COMMITTED = join(projectRoot, "runbooks");
const PLANTED_PASSWORD = "mysupersecretpasswd";

/** Every file below `dir`, as paths relative to it, sorted. */
function files(dir: string): string[] {
  const walk = (at: string): string[] =>
    readdirSync(at).flatMap((name) => {
      const path = join(at, name);
      return statSync(path).isDirectory() ? walk(path) : [relative(dir, path)];
    });
  return walk(dir).sort();
}

/** The relative links and images of a Markdown page (not web addresses, not anchors). */
function localLinks(markdown: string): string[] {
  return [...markdown.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)]
    .map((match) => match[1] as string)
    .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith("#"));
}

/** Where two texts first differ (line and column, with some context), for a failure people can act on. */
function firstDifference(regenerated: string, committed: string): string {
  let at = 0;
  while (at < regenerated.length && regenerated[at] === committed[at]) at++;
  const line = regenerated.slice(0, at).split("\n").length;
  const context = (text: string) => JSON.stringify(text.slice(Math.max(0, at - 40), at + 60));
  return `first at line ${line}, character ${at}:\n  committed:   ${context(committed)}\n  regenerated: ${context(regenerated)}`;
}

describe("planRunbooks", () => {
  test("runs the runbooks whose notebook exists, one account per scenario in table order, and names the rest", () => {
    const exists = new Set(["00-start-here", "03-triage"]);
    const plan = planRunbooks((runbook) => exists.has(runbook.name));
    expect(plan.states.map((s) => [s.scenario, s.runbooks.map((r) => r.name)])).toEqual([
      ["inherited", ["00-start-here"]],
      ["incident", ["03-triage"]],
    ]);
    expect(plan.skipped.map((r) => r.name)).toEqual(["01-secure", "02-observe", "04-handover"]);
  });

  test("00, 01, 02 and 04 share one inherited account with apply=true, in that order; 03 triages incident", () => {
    const plan = planRunbooks(() => true);
    expect(plan.states.map((s) => [s.scenario, s.runbooks.map((r) => r.name)])).toEqual([
      ["inherited", ["00-start-here", "01-secure", "02-observe", "04-handover"]],
      ["incident", ["03-triage"]],
    ]);
    for (const runbook of plan.states[0]?.runbooks ?? []) expect(runbook.parameters).toContain("apply=true");
    expect(RUNBOOKS.map((r) => r.name).sort()).toEqual([
      "00-start-here",
      "01-secure",
      "02-observe",
      "03-triage",
      "04-handover",
    ]);
  });

  test("the index links the runbooks that ran and lists the others as not written yet", () => {
    const plan = planRunbooks((runbook) => runbook.name === "00-start-here");
    const index = indexOf(plan, new Map([["00-start-here", "Start here"]]));
    expect(index).toContain("| [00-start-here](00-start-here.md) | Start here | `inherited` | `apply=true` |");
    expect(index).toContain("| 01-secure | not written yet | `inherited` | `apply=true` |");
    expect(localLinks(index)).toEqual(["../notebooks", "00-start-here.md"]);
  });
});

describe("the committed runbooks/", () => {
  test("every link and image of every page resolves to a file", () => {
    const pages = files(COMMITTED).filter((path) => path.endsWith(".md"));
    expect(pages).toContain("README.md");
    expect(pages).toContain("00-start-here.md");
    const missing = pages.flatMap((page) =>
      localLinks(readFileSync(join(COMMITTED, page), "utf8"))
        .filter((target) => {
          try {
            statSync(join(COMMITTED, dirname(page), decodeURI(target)));
            return false;
          } catch {
            return true;
          }
        })
        .map((target) => `${page} → ${target}`),
    );
    expect(missing).toEqual([]);
    const images = pages.flatMap((page) =>
      [...readFileSync(join(COMMITTED, page), "utf8").matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]),
    );
    expect(images.length).toBeGreaterThan(0);
  });

  test("no file holds the sandbox's planted database password", () => {
    const holding = files(COMMITTED).filter((path) =>
      readFileSync(join(COMMITTED, path), "utf8").includes(PLANTED_PASSWORD),
    );
    expect(holding).toEqual([]);
  });
});

describe("regenerating runbooks/", () => {
  const out = mkdtempSync(join(tmpdir(), "ecs-takeover-runbooks-test-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test("gives byte-identical files to the committed ones (else: npm run runbooks)", async () => {
    await generateRunbooks(out);
    expect(files(out), "the files differ from runbooks/: run `npm run runbooks`").toEqual(files(COMMITTED));
    for (const path of files(out)) {
      const regenerated = readFileSync(join(out, path), "utf8");
      const committed = readFileSync(join(COMMITTED, path), "utf8");
      if (regenerated !== committed) {
        expect.fail(
          `runbooks/${path} differs when regenerated (npm run runbooks), ${firstDifference(regenerated, committed)}`,
        );
      }
    }
    for (const path of files(out)) expect(readFileSync(join(out, path), "utf8")).not.toContain(PLANTED_PASSWORD);
  }, 1_200_000);
});
