// `npm run docs`: regenerates the README's sections that come from the code (the checks table, the audit policy).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { auditPolicy, checksTable, replaceSection } from "../lib/checks/docs";
import { CHECKS } from "../lib/checks/registry";
import { projectRoot } from "../lib/project";

export function generatedReadme(readme: string): string {
  const policy = `\`\`\`json\n${JSON.stringify(auditPolicy(CHECKS), null, 2)}\n\`\`\``;
  return replaceSection(replaceSection(readme, "checks", checksTable(CHECKS)), "audit-policy", policy);
}

if (require.main === module) {
  const path = join(projectRoot, "README.md");
  writeFileSync(path, generatedReadme(readFileSync(path, "utf8")));
}
