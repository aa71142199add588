// ecr-scan-off: images pushed to a repository are never scanned for known vulnerabilities. Either setting
// satisfies it (DESIGN §4: registry-level scanning satisfies repository scanning):
// - BASIC registry scanning: the repository's own scanOnPush, or a registry SCAN_ON_PUSH rule whose filter
//   matches the repository;
// - ENHANCED (Amazon Inspector): a registry rule (SCAN_ON_PUSH or CONTINUOUS_SCAN) whose filter matches — ECR then
//   ignores the repository's own scanOnPush.
// Filters follow ECR's documented matching: without `*` a filter matches names that contain it; with `*` the
// wildcard stands for zero or more characters of the whole name.
import type { RegistryScanningRule } from "@aws-sdk/client-ecr";
import type { Plain, Snapshot, SnapshotRepository } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { securityHub } from "../references";
import { type Judgement, unknownJudgement } from "../runtime/scope";
import { eachRepository, REPOSITORY_READS } from "./repositories";

export const meta: CheckMeta = {
  id: "ecr-scan-off",
  title: "Images pushed to an ECR repository are not scanned",
  pillar: "image",
  severity: "high",
  why:
    "Without scanning nobody learns that an image carries a known vulnerability (an old OpenSSH, curl, glibc…) " +
    "until it is exploited. Scan on push, or the registry's basic or enhanced scanning, checks every image.",
  references: [
    securityHub("ECR", 1),
    { label: "Seed talk, step 5 (ECR)" },
    { label: "ECR image scanning", url: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html" },
  ],
  fix: { id: "ecr-scan-off", manual: false },
  reads: [...REPOSITORY_READS, "ecr:GetRegistryScanningConfiguration"],
};

/** Whether an ECR scanning filter selects a repository name (ECR user guide, "Filter wildcards"). */
export function filterMatches(filter: string, name: string): boolean {
  if (!filter.includes("*")) return name.includes(filter);
  const pattern = filter
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\/-]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${pattern}$`).test(name);
}

function coveringRule(
  rules: readonly Plain<RegistryScanningRule>[],
  name: string,
  frequencies: readonly string[],
): Plain<RegistryScanningRule> | undefined {
  return rules.find(
    (rule) =>
      frequencies.includes(rule.scanFrequency ?? "") &&
      (rule.repositoryFilters ?? []).some((f) => filterMatches(f.filter ?? "", name)),
  );
}

function describeRule(rule: Plain<RegistryScanningRule>): string {
  const filters = (rule.repositoryFilters ?? []).map((f) => `'${f.filter}'`).join(", ");
  return `${rule.scanFrequency} rule ${filters}`;
}

export function run(snapshot: Snapshot): Verdict[] {
  const registry = snapshot.registryScanning;
  return eachRepository(snapshot, (repository: SnapshotRepository): Judgement => {
    // Whether the repository's own setting counts depends on the registry's scan type: unknown without it.
    if (registry.status === "unknown") return unknownJudgement(registry);
    const name = repository.repository.repositoryName ?? "";
    const rules = registry.value.rules ?? [];
    if (registry.value.scanType === "ENHANCED") {
      const rule = coveringRule(rules, name, ["SCAN_ON_PUSH", "CONTINUOUS_SCAN"]);
      return rule
        ? { status: "pass", detail: `enhanced scanning by the registry's ${describeRule(rule)}` }
        : {
            status: "fail",
            detail:
              "enhanced scanning is on, but no registry rule matches this repository (its own scanOnPush is ignored)",
          };
    }
    if (repository.repository.imageScanningConfiguration?.scanOnPush === true) {
      return { status: "pass", detail: "scan on push" };
    }
    const rule = coveringRule(rules, name, ["SCAN_ON_PUSH"]);
    return rule
      ? { status: "pass", detail: `basic scanning by the registry's ${describeRule(rule)}` }
      : { status: "fail", detail: "scan on push is off and no registry scanning rule covers this repository" };
  });
}

export const check: Check = { meta, run };
