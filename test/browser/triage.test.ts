/// <reference lib="dom" />
// notebooks/03-triage run as a person runs it: `ecs-takeover notebook` on the incident sandbox, the notebook opened
// in Jupyter Notebook (Debian's 6.4) in headless Chromium, Cell ▸ Run All, every cell waited for. The charts must be
// on the page, and the page is saved as the screenshot the README shows.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { projectRoot } from "../../lib/project";
import { WEB } from "../../lib/sandbox/scenarios/web-service";
import { finished, startCli } from "../cli/cli";

const CHROMIUM = "/usr/bin/chromium";
const NOTEBOOK = "notebooks/03-triage.ipynb";
const KERNEL = "TypeScript (ecs-takeover)";
/** The README shows it. */
const SCREENSHOTS = [join(projectRoot, "docs", "images", "03-triage.png")];
const TASK_B = WEB.taskIds[1];
/** Only a hang should ever reach these: ten cells on a shared 2-core machine take from seconds to minutes. */
const SERVER_START_MS = 120_000;
const RUN_ALL_MS = 840_000;

let server: ReturnType<typeof startCli>;
let exited: ReturnType<typeof finished>;
let browser: Browser | undefined;
let base = "";
let token = "";
let committed = "";

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  committed = readFileSync(join(projectRoot, NOTEBOOK), "utf8");
  server = startCli([
    "notebook",
    "--no-browser",
    "--port",
    "0",
    "--sandbox",
    "incident",
    "--clock",
    "2026-11-28T00:00:00Z",
  ]);
  exited = finished(server);
  [base, token] = await new Promise<[string, string]>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(
      () => reject(new Error(`no notebook server after ${SERVER_START_MS} ms: ${out}`)),
      SERVER_START_MS,
    );
    server.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/serving the runbooks at (http:\/\/127\.0\.0\.1:\d+)\S*\?token=(\w+)/);
      if (match) {
        clearTimeout(timer);
        resolve([match[1] as string, match[2] as string]);
      }
    });
    server.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`notebook server exited (${code}): ${out}`));
    });
  });
  // As root in a container: no user namespace sandbox, and /dev/shm may be too small for Chromium.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--headless=new"],
  });
}, SERVER_START_MS + 60_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  server?.kill("SIGTERM");
  await exited;
  // The run must not have saved its outputs into the committed notebook (autosave is off; this checks it).
  if (committed) expect(readFileSync(join(projectRoot, NOTEBOOK), "utf8")).toBe(committed);
}, 60_000);

interface PageState {
  prompts: string[];
  busy: boolean;
  errors: string[];
}

/** What the page shows: each code cell's prompt ("In [3]:", "In [*]:", "In [ ]:"), the kernel's state, errors. */
function pageState(page: Page): Promise<PageState> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as InPage;
    return {
      prompts: [...document.querySelectorAll("#notebook-container .code_cell .input_prompt")].map((prompt) =>
        (prompt.textContent ?? "").replace(/\s+/g, ""),
      ),
      busy: document.querySelector("#kernel_indicator_icon")?.classList.contains("kernel_idle_icon") !== true,
      errors: [
        ...document.querySelectorAll("#notebook-container .output_stderr, #notebook-container .output_error"),
      ].map((output) => (output.textContent ?? "").slice(0, 500)),
    };
  });
}

/** Waits for the state to satisfy `done`; fails at once on an error output, and with the last state on timeout. */
async function waitFor(page: Page, what: string, done: (state: PageState) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let state = await pageState(page);
  while (!done(state)) {
    if (state.errors.length > 0)
      throw new Error(`a cell failed while waiting for ${what}:\n${state.errors.join("\n")}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(state)}`);
    await page.waitForTimeout(1000);
    state = await pageState(page);
  }
  return state;
}

/** Waits for the notebook's kernel; if Jupyter asks which one (it does not know the notebook's), chooses ours. */
async function waitForKernel(page: Page) {
  const deadline = Date.now() + SERVER_START_MS;
  const name = page.locator("#kernel_indicator .kernel_indicator_name");
  const dialog = page.locator(".modal-dialog", { hasText: "Kernel not found" });
  while ((await name.textContent()) !== KERNEL) {
    if (await dialog.isVisible()) {
      await dialog.locator("select").selectOption({ label: KERNEL });
      await dialog.getByRole("button", { name: "Set Kernel" }).click();
    }
    if (Date.now() > deadline) throw new Error(`the notebook has no ${KERNEL} kernel: "${await name.textContent()}"`);
    await page.waitForTimeout(500);
  }
}

describe("03-triage in Jupyter Notebook, in Chromium", () => {
  test(
    "Run All executes every cell; the per-task CPU and the trace waterfall are on the page",
    async () => {
      if (!browser) throw new Error("Chromium did not start");
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const pageErrors: string[] = [];
      page.on("pageerror", (error) => pageErrors.push(error.message));
      await page.goto(`${base}/notebooks/${NOTEBOOK}?token=${token}`);
      await page.waitForSelector("#notebook-container .code_cell", { timeout: SERVER_START_MS });
      await waitForKernel(page);
      const initial = await waitFor(page, "the kernel to start", (state) => !state.busy, SERVER_START_MS);
      expect(initial.prompts.length).toBeGreaterThanOrEqual(10);
      // Outputs stay out of the committed notebook: no autosave while the cells run.
      await page.evaluate(() => (globalThis as unknown as InPage).Jupyter.notebook.set_autosave_interval(0));

      await page.locator("#menubar .dropdown-toggle", { hasText: /^Cell$/ }).click();
      await page.locator("#run_all_cells > a").click();
      const ran = await waitFor(
        page,
        "every cell to run",
        (state) => !state.busy && state.prompts.every((prompt) => /^In\[\d+\]:$/.test(prompt)),
        RUN_ALL_MS,
      );
      expect(ran.errors).toEqual([]);
      expect(ran.prompts).toEqual(ran.prompts.map((_, i) => `In[${i + 1}]:`));

      // Every cell has run, so its outputs are on the page: counted once, not waited for.
      const outputs = page.locator("#notebook-container .output_area");
      expect(await outputs.filter({ hasText: "Talking to the sandbox account (scenario incident)" }).count()).toBe(1);
      expect(await outputs.filter({ hasText: `Hot task: ${TASK_B}` }).count()).toBe(1);
      // Classic Notebook draws each chart from its SVG: the talk's per-task chart and the waterfall among them.
      const charts = page.locator("#notebook-container .output_svg svg");
      expect(await charts.count()).toBeGreaterThanOrEqual(4);
      expect(await charts.filter({ hasText: "Recent CPU per task against the service average" }).count()).toBe(1);
      expect(await charts.filter({ hasText: "CPU per task over the window" }).count()).toBe(1);
      const waterfall = charts.filter({ hasText: "ms since the trace started" });
      expect(await waterfall.count()).toBe(1);
      expect(await waterfall.textContent()).toMatch(/Trace 1-[0-9a-f]{8}-[0-9a-f]{24}/);
      // Drawn whole: not cut off at the right edge of the notebook.
      const drawn = await waterfall.boundingBox();
      const notebook = await page.locator("#notebook-container").boundingBox();
      expect(drawn && notebook && drawn.x + drawn.width <= notebook.x + notebook.width).toBe(true);
      expect(pageErrors).toEqual([]);

      await saveScreenshot(page);
      await page.close();
    },
    SERVER_START_MS + RUN_ALL_MS + 60_000,
  );
});

/** The little of the page the functions run in it use (tsconfig has no DOM types: the rest of the code is Node). */
interface InPage {
  document: {
    body: PageElement;
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): Iterable<PageElement>;
  };
  scrollTo(x: number, y: number): void;
  Jupyter: { notebook: { set_autosave_interval(ms: number): void } };
}

interface PageElement {
  textContent: string | null;
  scrollHeight: number;
  classList: { contains(name: string): boolean };
  getBoundingClientRect(): { height: number };
}

/**
 * The whole notebook, 1280 px wide. Classic Notebook scrolls inside #site, not the page, so the viewport is grown
 * to the notebook's height first; otherwise a full-page shot stops at the first screen.
 */
async function saveScreenshot(page: Page) {
  await page.evaluate(() => (globalThis as unknown as InPage).scrollTo(0, 0));
  const height = await page.evaluate(() => {
    const { document } = globalThis as unknown as InPage;
    const header = document.querySelector("#header")?.getBoundingClientRect().height ?? 0;
    const notebook = document.querySelector("#notebook")?.scrollHeight ?? document.body.scrollHeight;
    return Math.ceil(header + notebook);
  });
  await page.setViewportSize({ width: 1280, height: Math.min(height, 16_000) });
  const png = await page.screenshot({ fullPage: true, type: "png" });
  for (const path of SCREENSHOTS) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, png);
  }
}
