// An audit report as people and tools read it: JSON (DESIGN §8), Markdown, SARIF 2.1.0 and a terminal table.
import { createHash } from "node:crypto";
import { type CheckMeta, type Finding, PILLARS, SEVERITIES, type Severity } from "../checks/check";
import type { AuditReport } from "../checks/report";

export type FindingsFormat = "table" | "json" | "md" | "sarif";
export const FINDINGS_FORMATS: readonly FindingsFormat[] = ["table", "json", "md", "sarif"];

export function formatReport(report: AuditReport, format: FindingsFormat, options: { color?: boolean } = {}): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(toJson(report), null, 2)}\n`;
    case "md":
      return toMarkdown(report);
    case "sarif":
      return `${JSON.stringify(toSarif(report), null, 2)}\n`;
    case "table":
      return toTable(report, options.color ?? false);
  }
}

/** Most severe first, then failures before unknowns before passes, then by check and resource. */
export function ordered(findings: readonly Finding[]): Finding[] {
  const status = { fail: 0, unknown: 1, pass: 2 } as const;
  return [...findings].sort(
    (a, b) =>
      SEVERITIES.indexOf(b.check.severity) - SEVERITIES.indexOf(a.check.severity) ||
      status[a.status] - status[b.status] ||
      a.check.id.localeCompare(b.check.id) ||
      a.resource.localeCompare(b.resource),
  );
}

function toJson(report: AuditReport) {
  return {
    account: report.account,
    region: report.region,
    scope: report.scope,
    results: ordered(report.findings).map((finding) => ({
      check: finding.check.id,
      severity: finding.check.severity,
      status: finding.status,
      resource: finding.resource,
      title: finding.check.title,
      detail: finding.status === "unknown" ? null : (finding.detail ?? null),
      reason: finding.status === "unknown" ? finding.reason : null,
      missing: finding.status === "unknown" ? (finding.missing ?? null) : null,
      fix: finding.check.fix?.id ?? null,
    })),
    summary: report.summary,
  };
}

function explain(finding: Finding): string {
  if (finding.status === "unknown") {
    return `could not be judged: ${finding.reason}${finding.missing ? ` (needs ${finding.missing})` : ""}`;
  }
  return finding.detail ?? "";
}

function toMarkdown(report: AuditReport): string {
  const { fail, pass, unknown } = report.summary;
  const scope = `cluster \`${report.scope.cluster}\`${report.scope.service ? `, service \`${report.scope.service}\`` : ""}`;
  const lines = [
    `# Audit of ${scope}`,
    "",
    `Account ${report.account}, ${report.region}, taken ${report.takenAt}.`,
    "",
    `**${fail} failed, ${unknown} unknown, ${pass} passed.**`,
    "",
  ];
  for (const pillar of PILLARS) {
    const findings = ordered(report.findings.filter((finding) => finding.check.pillar === pillar));
    if (findings.length === 0) continue;
    lines.push(
      `## ${pillar[0]?.toUpperCase()}${pillar.slice(1)}`,
      "",
      "| | severity | check | resource | detail |",
      "|---|---|---|---|---|",
    );
    for (const finding of findings) {
      lines.push(
        `| ${finding.status} | ${finding.check.severity} | \`${finding.check.id}\` ${cell(finding.check.title)} | ${cell(finding.resource)} | ${cell(explain(finding))} |`,
      );
    }
    lines.push("");
  }
  const failing = uniqueChecks(report.findings.filter((finding) => finding.status !== "pass"));
  if (failing.length > 0) {
    lines.push("## Why these matter", "");
    for (const check of failing) lines.push(`- **${check.id}** — ${check.why}`);
    lines.push("");
  }
  return `${lines.join("\n")}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function uniqueChecks(findings: readonly Finding[]): CheckMeta[] {
  const seen = new Map<string, CheckMeta>();
  for (const finding of ordered(findings)) seen.set(finding.check.id, finding.check);
  return [...seen.values()];
}

const SARIF_LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
};
/** GitHub code scanning ranks security results by this score (0–10). */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

function toSarif(report: AuditReport) {
  const rules = uniqueChecks(report.findings);
  const location = `ecs-takeover/${report.account}/${report.region}/${report.scope.cluster}`;
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "ecs-takeover",
            rules: rules.map((check) => ({
              id: check.id,
              name: check.id,
              shortDescription: { text: check.title },
              fullDescription: { text: check.why },
              help: {
                text: `${check.why}${check.fix ? ` Fix: ecs-takeover fix --check ${check.id}.` : ""}`,
                markdown: `${check.why}\n\n${check.references.map((r) => (r.url ? `- [${r.label}](${r.url})` : `- ${r.label}`)).join("\n")}`,
              },
              defaultConfiguration: { level: SARIF_LEVEL[check.severity] },
              properties: { tags: ["security", check.pillar], "security-severity": SECURITY_SEVERITY[check.severity] },
            })),
          },
        },
        results: ordered(report.findings)
          .filter((finding) => finding.status !== "pass")
          .map((finding) => ({
            ruleId: finding.check.id,
            ruleIndex: rules.findIndex((rule) => rule.id === finding.check.id),
            kind: finding.status === "fail" ? "fail" : "review",
            level: finding.status === "fail" ? SARIF_LEVEL[finding.check.severity] : "warning",
            message: { text: `${finding.resource}: ${explain(finding)}` },
            locations: [
              {
                physicalLocation: { artifactLocation: { uri: location }, region: { startLine: 1 } },
                logicalLocations: [{ name: finding.resource, kind: "resource" }],
              },
            ],
            partialFingerprints: {
              resource: createHash("sha256").update(`${finding.check.id}\n${finding.resource}`).digest("hex"),
            },
          })),
      },
    ],
  };
}

const ANSI = {
  red: "\u001b[31m",
  yellow: "\u001b[33m",
  green: "\u001b[32m",
  dim: "\u001b[2m",
  bold: "\u001b[1m",
  reset: "\u001b[0m",
};

function toTable(report: AuditReport, color: boolean): string {
  const paint = (code: keyof typeof ANSI, text: string) => (color ? `${ANSI[code]}${text}${ANSI.reset}` : text);
  const statusText = (finding: Finding) =>
    finding.status === "fail"
      ? paint("red", "FAIL   ")
      : finding.status === "unknown"
        ? paint("yellow", "UNKNOWN")
        : paint("green", "pass   ");
  const severityText = (severity: Severity) =>
    severity === "critical" || severity === "high" ? paint("bold", severity.padEnd(8)) : severity.padEnd(8);
  const lines: string[] = [];
  const scope = `${report.scope.cluster}${report.scope.service ? `/${report.scope.service}` : ""}`;
  lines.push(`Audit of ${scope} (account ${report.account}, ${report.region})`);
  for (const pillar of PILLARS) {
    const findings = ordered(report.findings.filter((finding) => finding.check.pillar === pillar));
    if (findings.length === 0) continue;
    lines.push("", paint("bold", pillar));
    const width = Math.max(...findings.map((finding) => finding.check.id.length));
    for (const finding of findings) {
      const text = explain(finding);
      lines.push(
        `  ${statusText(finding)} ${severityText(finding.check.severity)} ${finding.check.id.padEnd(width)}  ${finding.resource}${text ? paint("dim", ` — ${text}`) : ""}`,
      );
    }
  }
  const { fail, pass, unknown } = report.summary;
  lines.push("", `${fail} failed, ${unknown} unknown, ${pass} passed`, "");
  return lines.join("\n");
}
