// The README's TypeScript example works as a notebook cell, against the incident sandbox, exactly as printed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { parseNotebook } from "../../lib/notebook/ipynb";
import { projectRoot } from "../../lib/project";
import { writeTempNotebook } from "../notebook/fixtures";
import { cli } from "./cli";

test("the observe-and-triage example of the README runs in a notebook and finds task B", async () => {
  const readme = readFileSync(join(projectRoot, "README.md"), "utf8");
  const code = readme.match(/## Observing and triaging a service[\s\S]*?```ts\n([\s\S]*?)```/)?.[1];
  expect(code).toBeDefined();
  const path = writeTempNotebook([code as string]);
  const out = `${path}.out.ipynb`;
  const result = await cli(["run", path, "--sandbox", "incident", "--clock", "2026-11-28T00:00:00Z", "--out", out]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  const outputs = parseNotebook(readFileSync(out, "utf8")).cells.flatMap((cell) =>
    cell.cell_type === "code" ? cell.outputs : [],
  );
  const text = outputs.map((output) => (output.output_type === "stream" ? [output.text].flat().join("") : "")).join("");
  expect(text).toMatch(/task 1b2c3d4e runs at 9\d/);
  expect(text).toMatch(/of the time was spent in the app itself/);
  const charts = outputs.filter((output) => output.output_type === "display_data");
  expect(charts).toHaveLength(2); // CPU per task and the waterfall
  expect(JSON.stringify(outputs)).not.toContain("mysupersecretpasswd");
  expect(JSON.stringify(outputs)).not.toContain("NodeVersionSupportWarning");
});
