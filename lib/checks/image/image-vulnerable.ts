// image-vulnerable: an image in use has CRITICAL findings in its latest ECR scan. The check fails on CRITICAL only
// and reports HIGH (and the rest) in the detail: CRITICAL is the bar for "rebuild now"; a HIGH count alone would
// make almost every image fail and teach people to ignore it. An image never scanned is unknown, never pass.
// Only images in this account's ECR are judged: an image from another registry (Docker Hub, public ECR) has no
// scan here to read.
import type { Snapshot, SnapshotImage } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { unknownVerdict, unreadDefinitions } from "../judge";
import { securityHub } from "../references";
import { TASK_DEFINITION_READS } from "../runtime/scope";
import { shortImageName } from "./repositories";

const SEVERITY_ORDER = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED", "UNTRIAGED"];

export const meta: CheckMeta = {
  id: "image-vulnerable",
  title: "An image in use has critical vulnerabilities",
  pillar: "image",
  severity: "high",
  why:
    "A CRITICAL finding is a known, usually remotely exploitable flaw in a package inside the image (OpenSSH, " +
    "curl, glibc…): the service is exposed until the image is rebuilt on patched packages and redeployed.",
  references: [
    securityHub("ECR", 1),
    { label: "Seed talk, step 5 (ECR)" },
    { label: "ECR image scanning", url: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html" },
  ],
  // Rebuilding the image on patched packages is the application team's work: the tool can only plan it.
  fix: { id: "image-vulnerable", manual: true },
  reads: [...TASK_DEFINITION_READS, "ecr:DescribeImages", "ecr:DescribeImageScanFindings"],
};

export function imageName(image: SnapshotImage): string {
  return `image ${image.repositoryName && image.tag ? `${image.repositoryName}:${image.tag}` : shortImageName(image.image)}`;
}

function counts(findings: Readonly<Record<string, number>>): string {
  const severities = Object.keys(findings).sort((a, b) => rank(a) - rank(b));
  const parts = severities.filter((s) => (findings[s] ?? 0) > 0).map((s) => `${findings[s]} ${s}`);
  return parts.length > 0 ? parts.join(", ") : "no findings";
}

function rank(severity: string): number {
  const index = SEVERITY_ORDER.indexOf(severity);
  return index < 0 ? SEVERITY_ORDER.length : index;
}

function judgeImage(image: SnapshotImage): Verdict {
  const resource = imageName(image);
  if (image.findings.status === "unknown") return unknownVerdict(resource, image.findings);
  const findings = image.findings.value;
  if (findings === null) {
    if (image.detail.status === "known" && image.detail.value === null) {
      return {
        status: "unknown",
        resource,
        reason: `the image is not in repository ${image.repositoryName}: nothing was scanned`,
      };
    }
    const scan = image.detail.status === "known" ? image.detail.value?.imageScanStatus : undefined;
    const reason = scan?.status
      ? `no scan result (scan status ${scan.status}${scan.description ? `: ${scan.description}` : ""})`
      : "never scanned";
    return {
      status: "unknown",
      resource,
      reason: `${reason}: its vulnerabilities are unknown until a scan completes (turn on scan on push and scan the images in use)`,
    };
  }
  const critical = findings.CRITICAL ?? 0;
  return critical > 0
    ? {
        status: "fail",
        resource,
        detail: `${counts(findings)} findings in the latest scan: rebuild on patched packages`,
      }
    : { status: "pass", resource, detail: `no CRITICAL findings in the latest scan (${counts(findings)})` };
}

export function run(snapshot: Snapshot): Verdict[] {
  // Which images are in use comes from the task definitions: without them, the images are unknown too.
  const unread = unreadDefinitions(snapshot);
  if (snapshot.services.status === "unknown") return unread;
  const images = snapshot.images.filter((image) => image.repositoryName !== undefined).map(judgeImage);
  return [...unread, ...images];
}

export const check: Check = { meta, run };
