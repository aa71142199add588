// `npm run docs`: regenerates the README's sections that come from the code (the checks table, the audit policy).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { auditPolicy, checksTable, replaceSection } from "../lib/checks/docs";
import { CHECKS } from "../lib/checks/registry";
import { applyPolicy, fixesTable } from "../lib/fixes/docs";
import { FIXES } from "../lib/fixes/registry";
import { projectRoot } from "../lib/project";

export function generatedReadme(readme: string): string {
  const policy = `\`\`\`json\n${JSON.stringify(auditPolicy(CHECKS), null, 2)}\n\`\`\``;
  const apply = `\`\`\`json\n${JSON.stringify(applyPolicy(FIXES, CHECKS), null, 2)}\n\`\`\``;
  let out = replaceSection(readme, "checks", checksTable(CHECKS));
  out = replaceSection(out, "audit-policy", policy);
  out = replaceSection(out, "fixes", fixesTable(FIXES, CHECKS));
  return replaceSection(out, "apply-policy", apply);
}

if (require.main === module) {
  const path = join(projectRoot, "README.md");
  writeFileSync(path, generatedReadme(readFileSync(path, "utf8")));
}
