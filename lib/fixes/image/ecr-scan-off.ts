// ecr-scan-off: scan every image pushed to the repository, and scan the images the services run now (so that
// image-vulnerable learns what they carry). Which setting to change follows the check's own logic:
// - BASIC registry scanning: the repository's scanOnPush (the narrowest change; it counts under BASIC);
// - ENHANCED (Amazon Inspector): ECR ignores scanOnPush, so a registry rule must cover the repository. The rule
//   covers every repository the check fails at once, so that fixes for several repositories plan one identical
//   call (kept once by the planner) instead of calls that would overwrite each other.
import type { RegistryScanningRule } from "@aws-sdk/client-ecr";
import { run as runCheck } from "../../checks/image/ecr-scan-off";
import { shortImageName } from "../../checks/image/repositories";
import type { Plain, Snapshot, SnapshotImage } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange, step } from "../fix";
import type { Change, Json, ResourceRef, Step } from "../plan";
import { imageIdentifier, imageRef, imagesInUse, repositoryOfVerdict, repositoryRef } from "./repository";

export const ID = "ecr-scan-off";

/** ECR allows this many filters in one scanning rule, and this many rules. */
const MAX_FILTERS = 100;
const MAX_RULES = 2;

const REGISTRY: ResourceRef = { kind: "registry-scanning" };

type Rule = Plain<RegistryScanningRule>;

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const found = repositoryOfVerdict(snapshot, verdict.resource);
  const name = found?.repository.repositoryName;
  if (found === undefined || name === undefined || snapshot.registryScanning.status !== "known") {
    return manualChange(ID, verdict.resource, "scan images pushed to the repository", [
      `${verdict.resource} or the registry's scanning configuration was not read: run the audit again`,
    ]);
  }
  const registry = snapshot.registryScanning.value;
  if (registry.scanType === "ENHANCED") return enhanced(snapshot, verdict, name, registry.rules ?? []);
  const images = imagesInUse(snapshot, name);
  const scans = scanSteps(name, images);
  return {
    check: ID,
    resource: verdict.resource,
    title: `repository ${name}: scan on push, and scan the images in use now`,
    manual: false,
    steps: [
      step(
        `ecr:PutImageScanningConfiguration:${name}`,
        `repository ${name}: scan on push`,
        {
          service: "ecr",
          action: "PutImageScanningConfiguration",
          input: { repositoryName: name, imageScanningConfiguration: { scanOnPush: true } },
        },
        repositoryRef(name),
      ),
      ...scans.steps,
    ],
    outcome:
      `every image pushed to ${name} is scanned for known vulnerabilities (basic scanning)` +
      (scans.steps.length > 0 ? `, and ${scans.scanned.join(", ")} are scanned now` : ""),
    risk:
      "none to the service: scanning only reads the images. The scan of the images in use reports what they " +
      "carry: image-vulnerable then fails if they have CRITICAL findings, and the fix is a rebuild",
    rollback: [`turn ${name}'s scan on push off again`, "the scans made stay (a scan changes nothing to undo)"],
    notes: [
      "basic scanning allows one scan per image every 24 hours; the results appear when the scan completes " +
        "(seconds to minutes): audit again to see them",
      ...scans.notes,
    ],
    reads: [repositoryRef(name), REGISTRY, ...images.map(imageRef)],
  };
}

/** StartImageScan for each image in use that is in the repository (basic scanning only: enhanced scans itself). */
function scanSteps(name: string, images: readonly SnapshotImage[]) {
  const steps: Step[] = [];
  const scanned: string[] = [];
  const notes: string[] = [];
  for (const image of images) {
    const label = shortImageName(image.image);
    if (image.detail.status === "known" && image.detail.value === null) {
      notes.push(`${label} is not in repository ${name}: there is nothing to scan (is the image reference right?)`);
      continue;
    }
    const imageId = imageIdentifier(image);
    if (imageId === undefined) {
      notes.push(`${label}: neither its digest nor a tag is known, so it cannot be named to ECR for a scan`);
      continue;
    }
    const id = "imageDigest" in imageId ? imageId.imageDigest : imageId.imageTag;
    steps.push(
      step(
        `ecr:StartImageScan:${name}@${id}`,
        `scan ${label} now`,
        { service: "ecr", action: "StartImageScan", input: { repositoryName: name, imageId } },
        imageRef(image),
      ),
    );
    scanned.push(label);
  }
  return { steps, scanned, notes };
}

/**
 * Under enhanced scanning: one registry rule that covers every repository the check fails — added to an existing
 * SCAN_ON_PUSH (else CONTINUOUS_SCAN) rule, or as a new SCAN_ON_PUSH rule — with every other rule kept as it is.
 */
function enhanced(snapshot: Snapshot, verdict: FailVerdict, name: string, rules: readonly Rule[]): Change {
  const failing = runCheck(snapshot)
    .filter((v) => v.status === "fail")
    .flatMap((v) => {
      const repository = repositoryOfVerdict(snapshot, v.resource)?.repository.repositoryName;
      return repository ? [repository] : [];
    })
    .sort();
  const names = [...new Set([...failing, name])].sort();
  const filters = names.map((filter) => ({ filter, filterType: "WILDCARD" as const }));
  const index = ["SCAN_ON_PUSH", "CONTINUOUS_SCAN"]
    .map((frequency) => rules.findIndex((rule) => rule.scanFrequency === frequency))
    .find((i) => i >= 0);
  const extended = index === undefined ? undefined : rules[index];
  const wanted = (extended?.repositoryFilters ?? []).length + filters.length;
  if ((extended === undefined && rules.length >= MAX_RULES) || wanted > MAX_FILTERS) {
    return manualChange(ID, verdict.resource, "cover the repository with an enhanced scanning rule", [
      `enhanced scanning is on, but no rule can take the filter for ${name}: ECR allows ${MAX_RULES} rules of at ` +
        `most ${MAX_FILTERS} filters each. Widen an existing filter (e.g. a wildcard) in the registry's scanning settings`,
    ]);
  }
  const newRules: Json[] =
    extended === undefined
      ? [...rules.map(plainRule), { scanFrequency: "SCAN_ON_PUSH", repositoryFilters: filters }]
      : rules.map((rule, i) =>
          i === index
            ? plainRule({ ...rule, repositoryFilters: [...(rule.repositoryFilters ?? []), ...filters] })
            : plainRule(rule),
        );
  const frequency = extended?.scanFrequency ?? "SCAN_ON_PUSH";
  return {
    check: ID,
    resource: verdict.resource,
    title: `registry enhanced scanning: a ${frequency} rule covers ${name}`,
    manual: false,
    steps: [
      step(
        "ecr:PutRegistryScanningConfiguration",
        `registry scanning: the ${frequency} rule also covers ${names.join(", ")}`,
        {
          service: "ecr",
          action: "PutRegistryScanningConfiguration",
          input: { scanType: "ENHANCED", rules: newRules },
        },
        REGISTRY,
      ),
    ],
    outcome: `Amazon Inspector scans the images pushed to ${names.join(", ")} (${frequency === "CONTINUOUS_SCAN" ? "continuously" : "on push"})`,
    risk:
      "none to the service: scanning only reads the images. Amazon Inspector charges per image scanned; the scan " +
      "of the images in use may make image-vulnerable fail, and the fix then is a rebuild",
    rollback: ["put the registry's scanning rules back as they were"],
    notes: [
      "the registry uses enhanced scanning, which ignores a repository's own scan-on-push setting, so the rule is " +
        "changed at registry level (every other rule is kept as it is)",
      "a filter without a wildcard matches every repository whose name contains it",
      "enhanced scanning cannot be started by hand (StartImageScan is for basic scanning): Inspector scans the " +
        "images already in a newly covered repository by itself when they fall within its re-scan duration; audit " +
        "again in a few minutes, and if the images in use still show no scan, push them again under a new tag",
    ],
    reads: [repositoryRef(name), REGISTRY],
  };
}

/** A rule as PutRegistryScanningConfiguration takes it: its frequency and filters only. */
function plainRule(rule: Rule): Json {
  return {
    scanFrequency: rule.scanFrequency ?? "SCAN_ON_PUSH",
    repositoryFilters: (rule.repositoryFilters ?? []).map((f) => ({
      filter: f.filter ?? "",
      filterType: f.filterType ?? "WILDCARD",
    })),
  };
}

export const fix: Fix = {
  id: ID,
  plan,
  writes: ["ecr:PutImageScanningConfiguration", "ecr:PutRegistryScanningConfiguration", "ecr:StartImageScan"],
};
