import {
  CreateRepositoryCommand,
  DeleteLifecyclePolicyCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
  ImageNotFoundException,
  InvalidParameterException,
  LifecyclePolicyNotFoundException,
  ListTagsForResourceCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
  PutRegistryScanningConfigurationCommand,
  paginateDescribeImageScanFindings,
  paginateDescribeImages,
  paginateDescribeRepositories,
  RepositoryNotFoundException,
  ScanNotFoundException,
  StartImageScanCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-ecr";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawHex } from "../../lib/sandbox/clock";
import { type Sandbox, startSandbox } from "../../lib/sandbox/server";
import { addRepository, SCAN_SECONDS, type SeededFinding, seedImage } from "../../lib/sandbox/services/ecr";
import { emptyState, type SandboxState } from "../../lib/sandbox/state";
import { clientConfig } from "./client";

const START = new Date("2026-11-01T00:00:00Z");
const DAY = 86_400_000;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

const V1_FINDINGS: SeededFinding[] = [
  { name: "CVE-2024-6387", severity: "CRITICAL", packageName: "openssh", packageVersion: "1:9.2p1-2" },
  { name: "CVE-2023-38545", severity: "CRITICAL", packageName: "curl", packageVersion: "7.88.1-10" },
  ...[1, 2, 3, 4, 5].map((n) => ({ name: `CVE-2024-000${n}`, severity: "HIGH" as const, packageName: "openssl" })),
];

const LIFECYCLE = JSON.stringify({
  rules: [
    {
      rulePriority: 1,
      description: "keep the last 30 images",
      selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 },
      action: { type: "expire" },
    },
  ],
});

describe("ECR over the SDK", () => {
  let sandbox: Sandbox;
  let ecr: ECRClient;
  let state: SandboxState;
  let v1Digest: string;

  beforeAll(async () => {
    state = emptyState("test");
    const ids = { now: START, hex: (n: number) => drawHex(state, n) };
    addRepository(state, ids, {
      name: "my-web-app",
      tagMutability: "MUTABLE",
      scanOnPush: false,
      createdAt: new Date(START.getTime() - 30 * DAY),
    });
    addRepository(state, ids, {
      name: "with-policy",
      tagMutability: "IMMUTABLE",
      scanOnPush: true,
      lifecyclePolicy: LIFECYCLE,
      createdAt: new Date(START.getTime() - 20 * DAY),
    });
    for (let i = 0; i < 25; i += 1) {
      addRepository(state, ids, { name: `bulk/repo-${String(i).padStart(2, "0")}`, createdAt: START });
    }
    v1Digest = seedImage(state, ids, {
      repository: "my-web-app",
      tag: "v0",
      pushedAt: new Date(START.getTime() - 20 * DAY),
    }).imageDigest;
    // v1 is pushed twice: the mutable tag moves to the second image and the first is left untagged.
    seedImage(state, ids, { repository: "my-web-app", tag: "v1", pushedAt: new Date(START.getTime() - 17 * DAY) });
    v1Digest = seedImage(state, ids, {
      repository: "my-web-app",
      tag: "v1",
      pushedAt: new Date(START.getTime() - 16 * DAY),
      sizeBytes: 73_400_320,
      findings: V1_FINDINGS,
    }).imageDigest;
    for (let i = 0; i < 12; i += 1) {
      seedImage(state, ids, { repository: "with-policy", tag: `build-${i}`, pushedAt: START });
    }
    sandbox = await startSandbox({ port: 0, state, clock: START });
    ecr = new ECRClient(clientConfig(sandbox.endpoint));
  });
  afterAll(async () => {
    ecr?.destroy();
    await sandbox?.stop();
  });

  it("seedImage refuses to move an immutable tag", () => {
    const ids = { now: START, hex: (n: number) => drawHex(state, n) };
    expect(() => seedImage(state, ids, { repository: "with-policy", tag: "build-0", pushedAt: START })).toThrow(
      /immutable/,
    );
  });

  it("DescribeRepositories by name shows tag mutability, scan on push and the repository URI", async () => {
    const out = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["my-web-app"] }));
    expect(out.repositories).toEqual([
      {
        repositoryArn: "arn:aws:ecr:ap-northeast-1:123456789012:repository/my-web-app",
        registryId: "123456789012",
        repositoryName: "my-web-app",
        repositoryUri: "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/my-web-app",
        createdAt: new Date(START.getTime() - 30 * DAY),
        imageTagMutability: "MUTABLE",
        imageScanningConfiguration: { scanOnPush: false },
        encryptionConfiguration: { encryptionType: "AES256" },
      },
    ]);
  });

  it("DescribeRepositories answers RepositoryNotFoundException for an unknown name", async () => {
    const error = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["nope"] })).catch((e) => e);
    expect(error).toBeInstanceOf(RepositoryNotFoundException);
    expect(error.message).toBe("The repository with name 'nope' does not exist in the registry with id '123456789012'");
  });

  it("paginateDescribeRepositories returns every repository", async () => {
    const names: string[] = [];
    for await (const page of paginateDescribeRepositories({ client: ecr, pageSize: 7 }, {})) {
      expect((page.repositories ?? []).length).toBeLessThanOrEqual(7);
      names.push(...(page.repositories ?? []).map((r) => r.repositoryName as string));
    }
    expect(names).toHaveLength(27);
    expect(new Set(names).size).toBe(27);
  });

  it("CreateRepository adds a repository, and a second one with the same name is refused", async () => {
    const out = await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: "created",
        imageTagMutability: "IMMUTABLE",
        tags: [{ Key: "a", Value: "b" }],
      }),
    );
    expect(out.repository?.imageTagMutability).toBe("IMMUTABLE");
    await expect(ecr.send(new CreateRepositoryCommand({ repositoryName: "created" }))).rejects.toMatchObject({
      name: "RepositoryAlreadyExistsException",
    });
    await expect(ecr.send(new CreateRepositoryCommand({ repositoryName: "Bad_Name" }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
  });

  it("PutImageTagMutability and PutImageScanningConfiguration change the repository, and change back", async () => {
    const mutability = await ecr.send(
      new PutImageTagMutabilityCommand({ repositoryName: "created", imageTagMutability: "MUTABLE" }),
    );
    expect(mutability).toMatchObject({ repositoryName: "created", imageTagMutability: "MUTABLE" });
    const scanning = await ecr.send(
      new PutImageScanningConfigurationCommand({
        repositoryName: "created",
        imageScanningConfiguration: { scanOnPush: true },
      }),
    );
    expect(scanning.imageScanningConfiguration).toEqual({ scanOnPush: true });
    const [repository] =
      (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["created"] }))).repositories ?? [];
    expect(repository).toMatchObject({
      imageTagMutability: "MUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
    });
    await expect(
      ecr.send(
        new PutImageTagMutabilityCommand({ repositoryName: "created", imageTagMutability: "MUTABLE_WITH_EXCLUSION" }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      ecr.send(new PutImageTagMutabilityCommand({ repositoryName: "ghost", imageTagMutability: "IMMUTABLE" })),
    ).rejects.toBeInstanceOf(RepositoryNotFoundException);
  });

  it("the registry starts with basic scanning and no rules; PutRegistryScanningConfiguration sets rules", async () => {
    const before = await ecr.send(new GetRegistryScanningConfigurationCommand({}));
    expect(before).toMatchObject({
      registryId: "123456789012",
      scanningConfiguration: { scanType: "BASIC", rules: [] },
    });
    const rules = [
      { scanFrequency: "SCAN_ON_PUSH" as const, repositoryFilters: [{ filter: "*", filterType: "WILDCARD" as const }] },
    ];
    const put = await ecr.send(new PutRegistryScanningConfigurationCommand({ scanType: "BASIC", rules }));
    expect(put.registryScanningConfiguration).toEqual({ scanType: "BASIC", rules });
    const after = await ecr.send(new GetRegistryScanningConfigurationCommand({}));
    expect(after.scanningConfiguration).toEqual({ scanType: "BASIC", rules });
    await expect(
      ecr.send(
        new PutRegistryScanningConfigurationCommand({
          scanType: "BASIC",
          rules: [{ scanFrequency: "CONTINUOUS_SCAN", repositoryFilters: [{ filter: "*", filterType: "WILDCARD" }] }],
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await ecr.send(new PutRegistryScanningConfigurationCommand({ scanType: "BASIC", rules: [] }));
  });

  it("DescribeImages lists images with digests and tags, filters by tag status, and finds by tag or digest", async () => {
    const all = await ecr.send(new DescribeImagesCommand({ repositoryName: "my-web-app" }));
    expect(all.imageDetails).toHaveLength(3);
    for (const detail of all.imageDetails ?? []) expect(detail.imageDigest).toMatch(DIGEST);
    const untagged = await ecr.send(
      new DescribeImagesCommand({ repositoryName: "my-web-app", filter: { tagStatus: "UNTAGGED" } }),
    );
    expect(untagged.imageDetails).toHaveLength(1);
    expect(untagged.imageDetails?.[0]?.imageTags).toBeUndefined();
    const byTag = await ecr.send(
      new DescribeImagesCommand({ repositoryName: "my-web-app", imageIds: [{ imageTag: "v1" }] }),
    );
    expect(byTag.imageDetails?.[0]).toMatchObject({
      imageDigest: v1Digest,
      imageTags: ["v1"],
      imageSizeInBytes: 73_400_320,
      imagePushedAt: new Date(START.getTime() - 16 * DAY),
    });
    // Never scanned: no scan status, no summary.
    expect(byTag.imageDetails?.[0]?.imageScanStatus).toBeUndefined();
    expect(byTag.imageDetails?.[0]?.imageScanFindingsSummary).toBeUndefined();
    const byDigest = await ecr.send(
      new DescribeImagesCommand({ repositoryName: "my-web-app", imageIds: [{ imageDigest: v1Digest }] }),
    );
    expect(byDigest.imageDetails?.[0]?.imageTags).toEqual(["v1"]);
    await expect(
      ecr.send(new DescribeImagesCommand({ repositoryName: "my-web-app", imageIds: [{ imageTag: "v9" }] })),
    ).rejects.toBeInstanceOf(ImageNotFoundException);
  });

  it("paginateDescribeImages returns every image", async () => {
    const tags: string[] = [];
    for await (const page of paginateDescribeImages({ client: ecr, pageSize: 5 }, { repositoryName: "with-policy" })) {
      tags.push(...(page.imageDetails ?? []).flatMap((d) => d.imageTags ?? []));
    }
    expect(tags.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `build-${i}`).sort());
  });

  it("DescribeImageScanFindings answers ScanNotFoundException for an image never scanned", async () => {
    const error = await ecr
      .send(new DescribeImageScanFindingsCommand({ repositoryName: "my-web-app", imageId: { imageTag: "v1" } }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(ScanNotFoundException);
    expect(error.message).toContain("in the repository with name 'my-web-app'");
  });

  it("StartImageScan is IN_PROGRESS, completes after the clock moves, and reports 2 CRITICAL and 5 HIGH", async () => {
    const started = await ecr.send(
      new StartImageScanCommand({ repositoryName: "my-web-app", imageId: { imageTag: "v1" } }),
    );
    expect(started).toMatchObject({
      repositoryName: "my-web-app",
      imageId: { imageDigest: v1Digest, imageTag: "v1" },
      imageScanStatus: { status: "IN_PROGRESS" },
    });
    const during = await ecr.send(
      new DescribeImageScanFindingsCommand({ repositoryName: "my-web-app", imageId: { imageTag: "v1" } }),
    );
    expect(during.imageScanStatus?.status).toBe("IN_PROGRESS");
    expect(during.imageScanFindings).toBeUndefined();
    for (let i = 0; i < SCAN_SECONDS; i += 1) await ecr.send(new GetRegistryScanningConfigurationCommand({}));
    const done = await ecr.send(
      new DescribeImageScanFindingsCommand({ repositoryName: "my-web-app", imageId: { imageTag: "v1" } }),
    );
    expect(done.imageScanStatus?.status).toBe("COMPLETE");
    expect(done.imageScanFindings?.findingSeverityCounts).toEqual({ CRITICAL: 2, HIGH: 5 });
    expect(done.imageScanFindings?.findings).toHaveLength(7);
    expect(done.imageScanFindings?.findings?.[0]).toMatchObject({
      name: "CVE-2024-6387",
      severity: "CRITICAL",
      attributes: [
        { key: "package_version", value: "1:9.2p1-2" },
        { key: "package_name", value: "openssh" },
      ],
    });
    const images = await ecr.send(
      new DescribeImagesCommand({ repositoryName: "my-web-app", imageIds: [{ imageTag: "v1" }] }),
    );
    expect(images.imageDetails?.[0]?.imageScanStatus?.status).toBe("COMPLETE");
    expect(images.imageDetails?.[0]?.imageScanFindingsSummary?.findingSeverityCounts).toEqual({ CRITICAL: 2, HIGH: 5 });
  });

  it("a second basic scan within 24 hours exceeds the scan quota", async () => {
    const quick = new ECRClient(clientConfig(sandbox.endpoint, { maxAttempts: 1 }));
    await expect(
      quick.send(new StartImageScanCommand({ repositoryName: "my-web-app", imageId: { imageTag: "v1" } })),
    ).rejects.toMatchObject({ name: "LimitExceededException" });
    quick.destroy();
  });

  it("an image with no seeded findings scans clean", async () => {
    await ecr.send(new StartImageScanCommand({ repositoryName: "my-web-app", imageId: { imageTag: "v0" } }));
    for (let i = 0; i < SCAN_SECONDS; i += 1) await ecr.send(new GetRegistryScanningConfigurationCommand({}));
    const done = await ecr.send(
      new DescribeImageScanFindingsCommand({ repositoryName: "my-web-app", imageId: { imageTag: "v0" } }),
    );
    expect(done.imageScanStatus?.status).toBe("COMPLETE");
    expect(done.imageScanFindings?.findingSeverityCounts).toEqual({});
    expect(done.imageScanFindings?.findings).toEqual([]);
  });

  it("paginateDescribeImageScanFindings returns every finding", async () => {
    const names: string[] = [];
    const counts: Record<string, number>[] = [];
    for await (const page of paginateDescribeImageScanFindings(
      { client: ecr, pageSize: 3 },
      { repositoryName: "my-web-app", imageId: { imageDigest: v1Digest } },
    )) {
      names.push(...(page.imageScanFindings?.findings ?? []).map((f) => f.name as string));
      counts.push(page.imageScanFindings?.findingSeverityCounts ?? {});
    }
    expect(names).toEqual(V1_FINDINGS.map((f) => f.name));
    expect(counts).toHaveLength(3);
    for (const c of counts) expect(c).toEqual({ CRITICAL: 2, HIGH: 5 });
  });

  it("enhanced registry scanning rescans covered images and reports enhanced findings", async () => {
    await ecr.send(
      new PutRegistryScanningConfigurationCommand({
        scanType: "ENHANCED",
        rules: [
          { scanFrequency: "CONTINUOUS_SCAN", repositoryFilters: [{ filter: "my-web-*", filterType: "WILDCARD" }] },
        ],
      }),
    );
    for (let i = 0; i < SCAN_SECONDS; i += 1) await ecr.send(new GetRegistryScanningConfigurationCommand({}));
    const done = await ecr.send(
      new DescribeImageScanFindingsCommand({ repositoryName: "my-web-app", imageId: { imageTag: "v1" } }),
    );
    expect(done.imageScanFindings?.findingSeverityCounts).toEqual({ CRITICAL: 2, HIGH: 5 });
    expect(done.imageScanFindings?.findings).toBeUndefined();
    expect(done.imageScanFindings?.enhancedFindings?.[0]).toMatchObject({
      severity: "CRITICAL",
      status: "ACTIVE",
      type: "PACKAGE_VULNERABILITY",
      packageVulnerabilityDetails: { vulnerabilityId: "CVE-2024-6387" },
    });
    await ecr.send(new PutRegistryScanningConfigurationCommand({ scanType: "BASIC", rules: [] }));
  });

  it("GetLifecyclePolicy answers LifecyclePolicyNotFoundException when there is none", async () => {
    const error = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: "my-web-app" })).catch((e) => e);
    expect(error).toBeInstanceOf(LifecyclePolicyNotFoundException);
    expect(error.message).toBe(
      "Lifecycle policy does not exist for the repository with name 'my-web-app' in the registry with id '123456789012'",
    );
    const seeded = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: "with-policy" }));
    expect(seeded.lifecyclePolicyText).toBe(LIFECYCLE);
  });

  it("PutLifecyclePolicy validates the rules; DeleteLifecyclePolicy returns the policy it removed", async () => {
    const put = await ecr.send(
      new PutLifecyclePolicyCommand({ repositoryName: "my-web-app", lifecyclePolicyText: LIFECYCLE }),
    );
    expect(put).toMatchObject({ repositoryName: "my-web-app", lifecyclePolicyText: LIFECYCLE });
    expect((await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: "my-web-app" }))).lifecyclePolicyText).toBe(
      LIFECYCLE,
    );
    const deleted = await ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: "my-web-app" }));
    expect(deleted.lifecyclePolicyText).toBe(LIFECYCLE);
    await expect(ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: "my-web-app" }))).rejects.toBeInstanceOf(
      LifecyclePolicyNotFoundException,
    );
    const tagged = JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          selection: { tagStatus: "tagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 },
          action: { type: "expire" },
        },
      ],
    });
    const error = await ecr
      .send(new PutLifecyclePolicyCommand({ repositoryName: "my-web-app", lifecyclePolicyText: tagged }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toContain("Lifecycle policy validation failure");
    await expect(
      ecr.send(
        new PutLifecyclePolicyCommand({ repositoryName: "my-web-app", lifecyclePolicyText: `${"x".repeat(120)}` }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it("TagResource, ListTagsForResource and UntagResource work on a repository ARN", async () => {
    const arn = "arn:aws:ecr:ap-northeast-1:123456789012:repository/my-web-app";
    await ecr.send(new TagResourceCommand({ resourceArn: arn, tags: [{ Key: "Project", Value: "my-web" }] }));
    expect((await ecr.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([
      { Key: "Project", Value: "my-web" },
    ]);
    await ecr.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["Project"] }));
    expect((await ecr.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([]);
  });

  it("mutating calls are recorded in the CloudTrail event history", () => {
    const names = state.cloudTrail.events.map((e) => e.EventName);
    expect(names).toContain("StartImageScan");
    expect(names).toContain("PutLifecyclePolicy");
    expect(names).toContain("DeleteLifecyclePolicy");
    expect(state.cloudTrail.events.every((e) => e.EventSource === "ecr.amazonaws.com")).toBe(true);
  });
});
