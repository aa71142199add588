import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { PILLARS, SEVERITIES } from "../../lib/checks/check";
import { CHECKS } from "../../lib/checks/registry";
import { projectRoot } from "../../lib/project";
import { generatedReadme } from "../../scripts/update-readme";

const REQUIRED = [
  "task-sg-open",
  "datastore-sg-open",
  "sg-world-open",
  "service-public-ip",
  "alb-http-no-redirect",
  "env-secrets",
  "secrets-unreadable",
  "task-role-admin",
  "task-role-broad",
  "execution-role-missing",
  "cluster-access-unscoped",
  "passrole-escalation",
  "ecr-tag-mutable",
  "ecr-scan-off",
  "image-vulnerable",
  "ecr-lifecycle-missing",
  "image-tag-latest",
  "cloudtrail-off",
  "cloudtrail-no-validation",
  "privileged",
  "rootfs-writable",
  "root-user",
  "host-pid",
  "host-network",
  "platform-outdated",
  "untagged",
  "container-insights-off",
  "logging-missing",
  "logging-blocking",
  "log-retention-unset",
  "tracing-missing",
  "xray-daemon-eos",
  "alarms-missing",
];

describe("the check registry", () => {
  test("holds every check the catalogue requires, each id once, in kebab-case", () => {
    const ids = CHECKS.map((check) => check.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of REQUIRED) expect(ids).toContain(id);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  test("every check explains itself, cites a reference and declares the read-only actions it needs", () => {
    for (const { meta } of CHECKS) {
      expect(PILLARS).toContain(meta.pillar);
      expect(SEVERITIES).toContain(meta.severity);
      expect(meta.why.length, meta.id).toBeGreaterThan(40);
      expect(meta.references.length, meta.id).toBeGreaterThan(0);
      expect(meta.reads.length, meta.id).toBeGreaterThan(0);
      for (const action of meta.reads)
        expect(action, meta.id).toMatch(/^[a-z0-9-]+:(Get|List|Describe|Lookup|Generate|BatchGet)[A-Za-z]*$/);
    }
  });

  test("the README's checks table and audit policy are generated from the code and up to date (npm run docs)", () => {
    const readme = readFileSync(join(projectRoot, "README.md"), "utf8");
    expect(generatedReadme(readme)).toBe(readme);
  });
});
