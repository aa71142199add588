// ECR: repositories (tag mutability, scan on push, lifecycle policy, tags), their images, basic and enhanced image
// scans that complete on the virtual clock with the findings a scenario seeded, and registry scanning.
import { createHash } from "node:crypto";
import type {
  EnhancedImageScanFinding,
  FindingSeverity,
  ImageDetail,
  ImageIdentifier,
  ImageScanFinding,
  ImageTagMutability,
  ImageTagMutabilityExclusionFilter,
  RegistryScanningRule,
  Repository,
  ScanType,
  Tag,
} from "@aws-sdk/client-ecr";
import { AwsError, type RequestContext, type ServiceDefinition } from "../service";
import type { SandboxState } from "../state";
import { recordCall } from "./cloudtrail-events";
import { validateLifecyclePolicy } from "./ecr-lifecycle";

/** A vulnerability a scan of the image will report. */
export interface SeededFinding {
  name: string;
  severity: FindingSeverity;
  uri?: string;
  description?: string;
  packageName?: string;
  packageVersion?: string;
}

export interface StoredRepository {
  repositoryArn: string;
  registryId: string;
  repositoryName: string;
  repositoryUri: string;
  createdAt: Date;
  imageTagMutability: ImageTagMutability;
  imageTagMutabilityExclusionFilters?: ImageTagMutabilityExclusionFilter[];
  imageScanningConfiguration: { scanOnPush: boolean };
  lifecyclePolicy?: string;
  tags: Tag[];
}

export interface StoredScan {
  status: "IN_PROGRESS" | "COMPLETE";
  scanType: ScanType;
  startedAt: Date;
  completesAt: Date;
  completedAt?: Date;
}

export interface StoredImage {
  registryId: string;
  repositoryName: string;
  imageDigest: string;
  imageTags: string[];
  imageSizeInBytes: number;
  imagePushedAt: Date;
  lastRecordedPullTime?: Date;
  /** What a scan will find; empty scans clean. */
  vulnerabilities: SeededFinding[];
  scan?: StoredScan;
}

export interface EcrState {
  repositories: StoredRepository[];
  images: StoredImage[];
  registryScanning: { scanType: ScanType; rules: RegistryScanningRule[] };
}

export function emptyEcrState(): EcrState {
  return { repositories: [], images: [], registryScanning: { scanType: "BASIC", rules: [] } };
}

type Input = Record<string, unknown>;
type Ids = { hex(length: number): string; readonly now: Date };

/** A scan takes this many virtual seconds: the clock moves one second per request. */
export const SCAN_SECONDS = 10;
/** Basic scanning allows one manual scan per image every 24 hours. */
const SCAN_QUOTA_MS = 24 * 3_600_000;
const SOURCE = "ecr.amazonaws.com";
const MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
const CONFIG = "application/vnd.docker.container.image.v1+json";
const SEVERITIES: readonly FindingSeverity[] = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED"];

function invalidParameter(message: string): AwsError {
  return new AwsError("InvalidParameterException", message);
}

function string(input: Input, name: string): string | undefined {
  const value = input[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function required(input: Input, name: string): string {
  const value = string(input, name);
  if (value === undefined) {
    throw invalidParameter(`Invalid parameter at '${name}' failed to satisfy constraint: 'Member must not be null'`);
  }
  return value;
}

function registryOf(input: Input, state: SandboxState): string {
  return string(input, "registryId") ?? state.account;
}

function repositoryNotFound(name: string, registry: string): AwsError {
  return new AwsError(
    "RepositoryNotFoundException",
    `The repository with name '${name}' does not exist in the registry with id '${registry}'`,
  );
}

function findRepository(state: SandboxState, name: string, registry = state.account): StoredRepository {
  const repository =
    registry === state.account ? state.ecr.repositories.find((r) => r.repositoryName === name) : undefined;
  if (!repository) throw repositoryNotFound(name, registry);
  return repository;
}

function repositoryFromInput(state: SandboxState, input: Input): StoredRepository {
  return findRepository(state, required(input, "repositoryName"), registryOf(input, state));
}

function describeIdentifier(id: ImageIdentifier): string {
  return `{imageDigest:'${id.imageDigest ?? "null"}', imageTag:'${id.imageTag ?? "null"}'}`;
}

function findImage(state: SandboxState, repository: StoredRepository, id: ImageIdentifier): StoredImage {
  const image = state.ecr.images.find(
    (i) =>
      i.repositoryName === repository.repositoryName &&
      (id.imageDigest === undefined || i.imageDigest === id.imageDigest) &&
      (id.imageTag === undefined || i.imageTags.includes(id.imageTag)),
  );
  if (!image || (id.imageDigest === undefined && id.imageTag === undefined)) {
    throw new AwsError(
      "ImageNotFoundException",
      `The image with imageId ${describeIdentifier(id)} does not exist within the repository with name '${repository.repositoryName}' in the registry with id '${repository.registryId}'`,
    );
  }
  return image;
}

function identifierOf(value: unknown): ImageIdentifier {
  const id = (typeof value === "object" && value !== null ? value : {}) as ImageIdentifier;
  return {
    ...(id.imageDigest ? { imageDigest: id.imageDigest } : {}),
    ...(id.imageTag ? { imageTag: id.imageTag } : {}),
  };
}

function tagsOf(value: unknown): Tag[] {
  return Array.isArray(value) ? (value as Tag[]).map((t) => ({ Key: t.Key, Value: t.Value ?? "" })) : [];
}

function mergeTags(target: Tag[], tags: readonly Tag[]): void {
  for (const tag of tags) {
    const existing = target.find((t) => t.Key === tag.Key);
    if (existing) existing.Value = tag.Value;
    else target.push({ ...tag });
  }
  if (target.length > 50) throw new AwsError("TooManyTagsException", "The number of tags exceeds the limit of 50.");
}

const REPOSITORY_NAME = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

function validateMutability(
  mutability: string,
  filters: readonly ImageTagMutabilityExclusionFilter[] | undefined,
): ImageTagMutability {
  if (!["MUTABLE", "IMMUTABLE", "MUTABLE_WITH_EXCLUSION", "IMMUTABLE_WITH_EXCLUSION"].includes(mutability)) {
    throw invalidParameter(
      `Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION]'`,
    );
  }
  const withExclusion = mutability.endsWith("_WITH_EXCLUSION");
  if (withExclusion !== (filters !== undefined && filters.length > 0)) {
    throw invalidParameter(
      withExclusion
        ? `imageTagMutabilityExclusionFilters are required when imageTagMutability is ${mutability}.`
        : `imageTagMutabilityExclusionFilters are only allowed with MUTABLE_WITH_EXCLUSION or IMMUTABLE_WITH_EXCLUSION.`,
    );
  }
  return mutability as ImageTagMutability;
}

/** Adds a repository as CreateRepository would; scenarios and the handler share it. */
export function addRepository(
  state: SandboxState,
  _ids: Ids,
  spec: {
    name: string;
    tagMutability?: ImageTagMutability;
    tagMutabilityExclusionFilters?: ImageTagMutabilityExclusionFilter[];
    scanOnPush?: boolean;
    lifecyclePolicy?: string | object;
    createdAt: Date;
    tags?: Readonly<Record<string, string>> | readonly Tag[];
  },
): StoredRepository {
  if (!REPOSITORY_NAME.test(spec.name)) {
    throw invalidParameter(
      `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''`,
    );
  }
  if (state.ecr.repositories.some((r) => r.repositoryName === spec.name)) {
    throw new AwsError(
      "RepositoryAlreadyExistsException",
      `The repository with name '${spec.name}' already exists in the registry with id '${state.account}'`,
    );
  }
  const policy =
    spec.lifecyclePolicy === undefined
      ? undefined
      : typeof spec.lifecyclePolicy === "string"
        ? spec.lifecyclePolicy
        : JSON.stringify(spec.lifecyclePolicy);
  if (policy !== undefined) validateLifecyclePolicy(policy);
  const repository: StoredRepository = {
    repositoryArn: `arn:aws:ecr:${state.region}:${state.account}:repository/${spec.name}`,
    registryId: state.account,
    repositoryName: spec.name,
    repositoryUri: `${state.account}.dkr.ecr.${state.region}.amazonaws.com/${spec.name}`,
    createdAt: spec.createdAt,
    imageTagMutability: validateMutability(spec.tagMutability ?? "MUTABLE", spec.tagMutabilityExclusionFilters),
    ...(spec.tagMutabilityExclusionFilters
      ? { imageTagMutabilityExclusionFilters: spec.tagMutabilityExclusionFilters.map((f) => ({ ...f })) }
      : {}),
    imageScanningConfiguration: { scanOnPush: spec.scanOnPush ?? false },
    ...(policy === undefined ? {} : { lifecyclePolicy: policy }),
    tags: [],
  };
  mergeTags(
    repository.tags,
    Array.isArray(spec.tags)
      ? (spec.tags as readonly Tag[])
      : Object.entries(spec.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
  );
  state.ecr.repositories.push(repository);
  return repository;
}

function tagIsImmutable(repository: StoredRepository, tag: string): boolean {
  const matches = (repository.imageTagMutabilityExclusionFilters ?? []).some((f) =>
    new RegExp(`^${(f.filter ?? "").replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(tag),
  );
  switch (repository.imageTagMutability) {
    case "IMMUTABLE":
      return true;
    case "IMMUTABLE_WITH_EXCLUSION":
      return !matches;
    case "MUTABLE_WITH_EXCLUSION":
      return matches;
    default:
      return false;
  }
}

/**
 * Adds an image as a push would: a tag already on another image moves to the new one (MUTABLE), or the push is
 * refused (IMMUTABLE). `findings` are what a later scan reports; none means the image scans clean.
 */
export function seedImage(
  state: SandboxState,
  ids: Ids,
  spec: {
    repository: string;
    tag?: string;
    digest?: string;
    pushedAt: Date;
    sizeBytes?: number;
    lastPulledAt?: Date;
    findings?: readonly SeededFinding[];
  },
): StoredImage {
  const repository = findRepository(state, spec.repository);
  const digest = spec.digest ?? `sha256:${ids.hex(64)}`;
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw invalidParameter(`Invalid image digest '${digest}'.`);
  if (spec.tag !== undefined) {
    const holder = state.ecr.images.find(
      (i) => i.repositoryName === repository.repositoryName && i.imageTags.includes(spec.tag as string),
    );
    if (holder && holder.imageDigest !== digest) {
      if (tagIsImmutable(repository, spec.tag)) {
        throw new AwsError(
          "ImageTagAlreadyExistsException",
          `The image tag '${spec.tag}' already exists in the '${repository.repositoryName}' repository and cannot be overwritten because the tag is immutable.`,
        );
      }
      holder.imageTags = holder.imageTags.filter((t) => t !== spec.tag);
    }
  }
  const existing = state.ecr.images.find(
    (i) => i.repositoryName === repository.repositoryName && i.imageDigest === digest,
  );
  if (existing) {
    if (spec.tag !== undefined && !existing.imageTags.includes(spec.tag)) existing.imageTags.push(spec.tag);
    return existing;
  }
  const image: StoredImage = {
    registryId: repository.registryId,
    repositoryName: repository.repositoryName,
    imageDigest: digest,
    imageTags: spec.tag === undefined ? [] : [spec.tag],
    imageSizeInBytes: spec.sizeBytes ?? 52_428_800,
    imagePushedAt: spec.pushedAt,
    ...(spec.lastPulledAt ? { lastRecordedPullTime: spec.lastPulledAt } : {}),
    vulnerabilities: (spec.findings ?? []).map((f) => ({ ...f })),
  };
  state.ecr.images.push(image);
  return image;
}

/** Sets the registry's scanning configuration as PutRegistryScanningConfiguration would. */
export function setRegistryScanning(
  state: SandboxState,
  spec: { scanType: ScanType; rules?: readonly RegistryScanningRule[] },
): void {
  if (spec.scanType !== "BASIC" && spec.scanType !== "ENHANCED") {
    throw invalidParameter(
      "Invalid parameter at 'scanType' failed to satisfy constraint: 'Member must satisfy enum value set: [BASIC, ENHANCED]'",
    );
  }
  const rules = spec.rules ?? [];
  if (rules.length > 2) throw invalidParameter("A registry scanning configuration can have at most 2 rules.");
  for (const rule of rules) {
    const frequency = rule.scanFrequency;
    if (frequency !== "SCAN_ON_PUSH" && frequency !== "CONTINUOUS_SCAN" && frequency !== "MANUAL") {
      throw invalidParameter(
        "Invalid parameter at 'scanFrequency' failed to satisfy constraint: 'Member must satisfy enum value set: [SCAN_ON_PUSH, CONTINUOUS_SCAN, MANUAL]'",
      );
    }
    if (spec.scanType === "BASIC" && frequency === "CONTINUOUS_SCAN") {
      throw invalidParameter("The CONTINUOUS_SCAN scan frequency is only supported with the ENHANCED scan type.");
    }
    const filters = rule.repositoryFilters ?? [];
    if (filters.length === 0 || filters.length > 100) {
      throw invalidParameter("Each scanning rule needs between 1 and 100 repository filters.");
    }
    for (const f of filters) {
      if (f.filterType !== "WILDCARD") {
        throw invalidParameter(
          "Invalid parameter at 'filterType' failed to satisfy constraint: 'Member must satisfy enum value set: [WILDCARD]'",
        );
      }
      if (typeof f.filter !== "string" || !/^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$/.test(f.filter)) {
        throw invalidParameter(`Invalid repository filter '${String(f.filter)}'.`);
      }
    }
  }
  state.ecr.registryScanning = {
    scanType: spec.scanType,
    rules: rules.map((r) => ({
      scanFrequency: r.scanFrequency,
      repositoryFilters: (r.repositoryFilters ?? []).map((f) => ({ filter: f.filter, filterType: f.filterType })),
    })),
  };
}

function wildcard(filter: string, name: string): boolean {
  return new RegExp(`^${filter.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(name);
}

/** The registry rule frequency that covers a repository, if any. */
function registryFrequency(state: SandboxState, name: string): string | undefined {
  return state.ecr.registryScanning.rules.find((r) =>
    (r.repositoryFilters ?? []).some((f) => wildcard(f.filter ?? "", name)),
  )?.scanFrequency;
}

function startScan(image: StoredImage, now: Date, scanType: ScanType): void {
  image.scan = {
    status: "IN_PROGRESS",
    scanType,
    startedAt: now,
    completesAt: new Date(now.getTime() + SCAN_SECONDS * 1000),
  };
}

/** Completes scans whose time has come; true if any did. */
function completeScans(state: SandboxState, now: Date): boolean {
  let changed = false;
  for (const image of state.ecr.images) {
    const scan = image.scan;
    if (scan?.status === "IN_PROGRESS" && scan.completesAt.getTime() <= now.getTime()) {
      scan.status = "COMPLETE";
      scan.completedAt = scan.completesAt;
      changed = true;
    }
  }
  return changed;
}

function severityCounts(image: StoredImage): Partial<Record<FindingSeverity, number>> {
  const counts: Partial<Record<FindingSeverity, number>> = {};
  for (const severity of SEVERITIES) {
    const n = image.vulnerabilities.filter((f) => f.severity === severity).length;
    if (n > 0) counts[severity] = n;
  }
  return counts;
}

function scanStatus(scan: StoredScan) {
  return scan.status === "COMPLETE"
    ? { status: "COMPLETE" as const, description: "The scan was completed successfully." }
    : { status: "IN_PROGRESS" as const, description: "The scan is in progress." };
}

/** The vulnerability database's last update: a day before the scan, at midnight. */
function sourceUpdatedAt(scan: StoredScan): Date {
  const day = 86_400_000;
  return new Date(Math.floor(scan.startedAt.getTime() / day) * day - day);
}

function imageDetail(image: StoredImage): ImageDetail {
  const scan = image.scan;
  return {
    registryId: image.registryId,
    repositoryName: image.repositoryName,
    imageDigest: image.imageDigest,
    ...(image.imageTags.length > 0 ? { imageTags: [...image.imageTags] } : {}),
    imageSizeInBytes: image.imageSizeInBytes,
    imagePushedAt: image.imagePushedAt,
    ...(scan ? { imageScanStatus: scanStatus(scan) } : {}),
    ...(scan?.status === "COMPLETE"
      ? {
          imageScanFindingsSummary: {
            imageScanCompletedAt: scan.completedAt,
            vulnerabilitySourceUpdatedAt: sourceUpdatedAt(scan),
            findingSeverityCounts: severityCounts(image),
          },
        }
      : {}),
    imageManifestMediaType: MANIFEST,
    artifactMediaType: CONFIG,
    ...(image.lastRecordedPullTime ? { lastRecordedPullTime: image.lastRecordedPullTime } : {}),
  };
}

function basicFinding(finding: SeededFinding): ImageScanFinding {
  const attributes = [
    ...(finding.packageVersion ? [{ key: "package_version", value: finding.packageVersion }] : []),
    ...(finding.packageName ? [{ key: "package_name", value: finding.packageName }] : []),
  ];
  return {
    name: finding.name,
    ...(finding.description ? { description: finding.description } : {}),
    uri: finding.uri ?? `https://security-tracker.debian.org/tracker/${finding.name}`,
    severity: finding.severity,
    ...(attributes.length > 0 ? { attributes } : {}),
  };
}

function enhancedFinding(
  state: SandboxState,
  image: StoredImage,
  scan: StoredScan,
  finding: SeededFinding,
): EnhancedImageScanFinding {
  const id = createHash("sha256").update(`${image.imageDigest}/${finding.name}`).digest("hex").slice(0, 32);
  const observed = scan.completedAt ?? scan.startedAt;
  return {
    awsAccountId: state.account,
    ...(finding.description ? { description: finding.description } : {}),
    findingArn: `arn:aws:inspector2:${state.region}:${state.account}:finding/${id}`,
    firstObservedAt: observed,
    lastObservedAt: observed,
    updatedAt: observed,
    severity: finding.severity,
    status: "ACTIVE",
    title: `${finding.name}${finding.packageName ? ` - ${finding.packageName}` : ""}`,
    type: "PACKAGE_VULNERABILITY",
    packageVulnerabilityDetails: {
      vulnerabilityId: finding.name,
      source: "NVD",
      ...(finding.uri ? { sourceUrl: finding.uri } : {}),
      vulnerablePackages: finding.packageName
        ? [{ name: finding.packageName, ...(finding.packageVersion ? { version: finding.packageVersion } : {}) }]
        : [],
    },
    resources: [
      {
        id: `arn:aws:ecr:${state.region}:${state.account}:repository/${image.repositoryName}/${image.imageDigest}`,
        type: "AWS_ECR_CONTAINER_IMAGE",
      },
    ],
  };
}

function pageOf<T>(items: readonly T[], input: Input, name: string): { items: T[]; nextToken?: string } {
  const max = input.maxResults === undefined ? 100 : Number(input.maxResults);
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw invalidParameter(
      `Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value between 1 and 1000'`,
    );
  }
  let start = 0;
  const token = string(input, "nextToken");
  if (token !== undefined) {
    const decoded = new RegExp(`^${name}:(\\d+)$`).exec(Buffer.from(token, "base64").toString("utf8"));
    if (!decoded) throw invalidParameter("Invalid parameter at 'nextToken' failed to satisfy constraint: 'invalid'");
    start = Number(decoded[1]);
  }
  const end = start + max;
  return end < items.length
    ? { items: items.slice(start, end), nextToken: Buffer.from(`${name}:${end}`).toString("base64") }
    : { items: items.slice(start, end) };
}

function describeRepository(repository: StoredRepository): Repository {
  return {
    repositoryArn: repository.repositoryArn,
    registryId: repository.registryId,
    repositoryName: repository.repositoryName,
    repositoryUri: repository.repositoryUri,
    createdAt: repository.createdAt,
    imageTagMutability: repository.imageTagMutability,
    ...(repository.imageTagMutabilityExclusionFilters
      ? { imageTagMutabilityExclusionFilters: repository.imageTagMutabilityExclusionFilters.map((f) => ({ ...f })) }
      : {}),
    imageScanningConfiguration: { ...repository.imageScanningConfiguration },
    encryptionConfiguration: { encryptionType: "AES256" },
  };
}

function recordEcrCall(context: RequestContext, name: string, repository: StoredRepository | undefined, input: Input) {
  recordCall(context, {
    eventSource: SOURCE,
    eventName: name,
    resources: repository ? [{ type: "AWS::ECR::Repository", name: repository.repositoryArn }] : [],
    requestParameters: input,
  });
}

function lifecyclePolicyNotFound(repository: StoredRepository): AwsError {
  return new AwsError(
    "LifecyclePolicyNotFoundException",
    `Lifecycle policy does not exist for the repository with name '${repository.repositoryName}' in the registry with id '${repository.registryId}'`,
  );
}

function repositoryFromArn(state: SandboxState, arn: string | undefined): StoredRepository {
  const match = /^arn:aws[\w-]*:ecr:([\w-]+):(\d{12}):repository\/(.+)$/.exec(arn ?? "");
  if (!match) throw invalidParameter(`Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'`);
  return findRepository(state, match[3] as string, match[2]);
}

const handlers: Record<string, (input: Input, context: RequestContext) => unknown> = {
  CreateRepository: (input, context) => {
    const scanning = input.imageScanningConfiguration as { scanOnPush?: boolean } | undefined;
    const repository = addRepository(context.state, context, {
      name: required(input, "repositoryName"),
      tagMutability: (string(input, "imageTagMutability") ?? "MUTABLE") as ImageTagMutability,
      tagMutabilityExclusionFilters: input.imageTagMutabilityExclusionFilters as
        | ImageTagMutabilityExclusionFilter[]
        | undefined,
      scanOnPush: scanning?.scanOnPush === true,
      createdAt: context.now,
      tags: tagsOf(input.tags),
    });
    context.changed();
    recordEcrCall(context, "CreateRepository", repository, input);
    return { repository: describeRepository(repository) };
  },

  DescribeRepositories: (input, { state }) => {
    const registry = registryOf(input, state);
    const names = Array.isArray(input.repositoryNames) ? (input.repositoryNames as string[]) : undefined;
    if (names && (input.maxResults !== undefined || input.nextToken !== undefined)) {
      throw invalidParameter("You cannot specify repositoryNames together with maxResults or nextToken.");
    }
    const repositories = names
      ? names.map((name) => findRepository(state, name, registry))
      : registry === state.account
        ? state.ecr.repositories
        : [];
    const page = pageOf(repositories, input, "repositories");
    return {
      repositories: page.items.map(describeRepository),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  },

  PutImageTagMutability: (input, context) => {
    const repository = repositoryFromInput(context.state, input);
    const filters = input.imageTagMutabilityExclusionFilters as ImageTagMutabilityExclusionFilter[] | undefined;
    repository.imageTagMutability = validateMutability(required(input, "imageTagMutability"), filters);
    if (filters && filters.length > 0) {
      repository.imageTagMutabilityExclusionFilters = filters.map((f) => ({
        filter: f.filter,
        filterType: f.filterType,
      }));
    } else delete repository.imageTagMutabilityExclusionFilters;
    context.changed();
    recordEcrCall(context, "PutImageTagMutability", repository, input);
    return {
      registryId: repository.registryId,
      repositoryName: repository.repositoryName,
      imageTagMutability: repository.imageTagMutability,
      ...(repository.imageTagMutabilityExclusionFilters
        ? { imageTagMutabilityExclusionFilters: repository.imageTagMutabilityExclusionFilters }
        : {}),
    };
  },

  PutImageScanningConfiguration: (input, context) => {
    const repository = repositoryFromInput(context.state, input);
    const scanning = input.imageScanningConfiguration as { scanOnPush?: boolean } | undefined;
    if (!scanning) {
      throw invalidParameter(
        "Invalid parameter at 'imageScanningConfiguration' failed to satisfy constraint: 'Member must not be null'",
      );
    }
    repository.imageScanningConfiguration = { scanOnPush: scanning.scanOnPush === true };
    context.changed();
    recordEcrCall(context, "PutImageScanningConfiguration", repository, input);
    return {
      registryId: repository.registryId,
      repositoryName: repository.repositoryName,
      imageScanningConfiguration: { ...repository.imageScanningConfiguration },
    };
  },

  GetRegistryScanningConfiguration: (_input, { state }) => ({
    registryId: state.account,
    scanningConfiguration: {
      scanType: state.ecr.registryScanning.scanType,
      rules: state.ecr.registryScanning.rules,
    },
  }),

  PutRegistryScanningConfiguration: (input, context) => {
    const { state } = context;
    setRegistryScanning(state, {
      scanType: (string(input, "scanType") ?? "BASIC") as ScanType,
      rules: Array.isArray(input.rules) ? (input.rules as RegistryScanningRule[]) : [],
    });
    // Turning enhanced scanning on makes Inspector scan the images already in the repositories it covers.
    if (state.ecr.registryScanning.scanType === "ENHANCED") {
      for (const image of state.ecr.images) {
        const frequency = registryFrequency(state, image.repositoryName);
        if ((frequency === "CONTINUOUS_SCAN" || frequency === "SCAN_ON_PUSH") && image.scan?.scanType !== "ENHANCED") {
          startScan(image, context.now, "ENHANCED");
        }
      }
    }
    context.changed();
    recordEcrCall(context, "PutRegistryScanningConfiguration", undefined, input);
    return {
      registryScanningConfiguration: {
        scanType: state.ecr.registryScanning.scanType,
        rules: state.ecr.registryScanning.rules,
      },
    };
  },

  DescribeImages: (input, { state }) => {
    const repository = repositoryFromInput(state, input);
    const ids = Array.isArray(input.imageIds) ? (input.imageIds as unknown[]).map(identifierOf) : undefined;
    if (ids && (input.maxResults !== undefined || input.nextToken !== undefined)) {
      throw invalidParameter("You cannot specify imageIds together with maxResults or nextToken.");
    }
    const filter = (input.filter ?? {}) as { tagStatus?: string; imageStatus?: string };
    let images = ids
      ? [...new Set(ids.map((id) => findImage(state, repository, id)))]
      : state.ecr.images.filter((i) => i.repositoryName === repository.repositoryName);
    const tagStatus = filter.tagStatus ?? "ANY";
    if (tagStatus === "TAGGED") images = images.filter((i) => i.imageTags.length > 0);
    if (tagStatus === "UNTAGGED") images = images.filter((i) => i.imageTags.length === 0);
    // Images are never archived in the sandbox.
    if (filter.imageStatus === "ARCHIVED" || filter.imageStatus === "ACTIVATING") images = [];
    const page = pageOf(images, input, "images");
    return { imageDetails: page.items.map(imageDetail), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  },

  StartImageScan: (input, context) => {
    const { state, now } = context;
    const repository = repositoryFromInput(state, input);
    const image = findImage(state, repository, identifierOf(input.imageId));
    const scanType = state.ecr.registryScanning.scanType;
    if (scanType === "BASIC" && image.scan && now.getTime() - image.scan.startedAt.getTime() < SCAN_QUOTA_MS) {
      throw new AwsError("LimitExceededException", "The scan quota per image has been exceeded. Wait and try again.");
    }
    startScan(image, now, scanType);
    context.changed();
    recordEcrCall(context, "StartImageScan", repository, input);
    return {
      registryId: repository.registryId,
      repositoryName: repository.repositoryName,
      imageId: {
        imageDigest: image.imageDigest,
        ...(image.imageTags[0] === undefined
          ? {}
          : { imageTag: identifierOf(input.imageId).imageTag ?? image.imageTags[0] }),
      },
      imageScanStatus: scanStatus(image.scan as StoredScan),
    };
  },

  DescribeImageScanFindings: (input, { state }) => {
    const repository = repositoryFromInput(state, input);
    const id = identifierOf(input.imageId);
    const image = findImage(state, repository, id);
    const scan = image.scan;
    if (!scan) {
      throw new AwsError(
        "ScanNotFoundException",
        `Image scan does not exist for the image with '${describeIdentifier(id)}' in the repository with name '${repository.repositoryName}' in the registry with id '${repository.registryId}'`,
      );
    }
    const head = {
      registryId: repository.registryId,
      repositoryName: repository.repositoryName,
      imageId: { imageDigest: image.imageDigest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) },
      imageScanStatus: scanStatus(scan),
    };
    if (scan.status !== "COMPLETE") return head;
    const enhanced = scan.scanType === "ENHANCED";
    const page = pageOf(image.vulnerabilities, input, "findings");
    return {
      ...head,
      imageScanFindings: {
        imageScanCompletedAt: scan.completedAt,
        vulnerabilitySourceUpdatedAt: sourceUpdatedAt(scan),
        findingSeverityCounts: severityCounts(image),
        ...(enhanced
          ? { enhancedFindings: page.items.map((f) => enhancedFinding(state, image, scan, f)) }
          : { findings: page.items.map(basicFinding) }),
      },
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  },

  GetLifecyclePolicy: (input, { state }) => {
    const repository = repositoryFromInput(state, input);
    if (repository.lifecyclePolicy === undefined) throw lifecyclePolicyNotFound(repository);
    return {
      registryId: repository.registryId,
      repositoryName: repository.repositoryName,
      lifecyclePolicyText: repository.lifecyclePolicy,
    };
  },

  PutLifecyclePolicy: (input, context) => {
    const repository = repositoryFromInput(context.state, input);
    const text = required(input, "lifecyclePolicyText");
    validateLifecyclePolicy(text);
    repository.lifecyclePolicy = text;
    context.changed();
    recordEcrCall(context, "PutLifecyclePolicy", repository, input);
    return { registryId: repository.registryId, repositoryName: repository.repositoryName, lifecyclePolicyText: text };
  },

  DeleteLifecyclePolicy: (input, context) => {
    const repository = repositoryFromInput(context.state, input);
    const text = repository.lifecyclePolicy;
    if (text === undefined) throw lifecyclePolicyNotFound(repository);
    delete repository.lifecyclePolicy;
    context.changed();
    recordEcrCall(context, "DeleteLifecyclePolicy", repository, input);
    return { registryId: repository.registryId, repositoryName: repository.repositoryName, lifecyclePolicyText: text };
  },

  TagResource: (input, context) => {
    const repository = repositoryFromArn(context.state, string(input, "resourceArn"));
    mergeTags(repository.tags, tagsOf(input.tags));
    context.changed();
    recordEcrCall(context, "TagResource", repository, input);
    return {};
  },

  UntagResource: (input, context) => {
    const repository = repositoryFromArn(context.state, string(input, "resourceArn"));
    const keys = Array.isArray(input.tagKeys) ? (input.tagKeys as string[]) : [];
    repository.tags = repository.tags.filter((t) => !keys.includes(t.Key ?? ""));
    context.changed();
    recordEcrCall(context, "UntagResource", repository, input);
    return {};
  },

  ListTagsForResource: (input, { state }) => ({
    tags: repositoryFromArn(state, string(input, "resourceArn")).tags.map((t) => ({ ...t })),
  }),
};

export const ecrService: ServiceDefinition = {
  signingName: "ecr",
  protocol: "awsJson1_1",
  handlers,
  tick: (context) => {
    if (completeScans(context.state, context.now)) context.changed();
  },
};
