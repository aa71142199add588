// ECR reads: the repositories of the images the task definitions run (when they are in this account's registry),
// their lifecycle policies, registry scanning, the images themselves and their scan findings.
import {
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
  type ImageIdentifier,
  type RegistryScanningConfiguration,
  type Repository,
} from "@aws-sdk/client-ecr";
import { known } from "../aws/known";
import { chunks } from "../aws/limit";
import { unique } from "./ecs";
import { plain } from "./plain";
import type { Reader } from "./reader";
import type { Known, Plain, SnapshotImage, SnapshotRepository } from "./snapshot";

export interface ImageReference {
  readonly image: string;
  readonly account: string;
  readonly region: string;
  readonly repositoryName: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Parses `<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag][@sha256:…]`; undefined for other registries. */
export function parseEcrImage(image: string): ImageReference | undefined {
  const match =
    /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?::([^@]+))?(?:@(sha256:[a-f0-9]+))?$/.exec(
      image,
    );
  if (!match) return undefined;
  const [, account, region, repositoryName, tag, digest] = match;
  return {
    image,
    account: account as string,
    region: region as string,
    repositoryName: repositoryName as string,
    ...(tag ? { tag } : digest ? {} : { tag: "latest" }),
    ...(digest ? { digest } : {}),
  };
}

export function readRegistryScanning(reader: Reader): Promise<Known<Plain<RegistryScanningConfiguration>>> {
  return reader.once("ecr:registry-scanning", () =>
    known("ecr:GetRegistryScanningConfiguration", async () => {
      const out = await reader.aws.ecr.send(new GetRegistryScanningConfigurationCommand({}));
      return plain(out.scanningConfiguration ?? {});
    }),
  );
}

export async function readRepositories(reader: Reader, names: readonly string[]): Promise<Known<SnapshotRepository[]>> {
  if (names.length === 0) return { status: "known", value: [] };
  const repositories = await known("ecr:DescribeRepositories", async () => {
    const found = await Promise.all(
      chunks(unique(names).sort(), 100).map((repositoryNames) => describeRepositories(reader, repositoryNames)),
    );
    return found.flat();
  });
  if (repositories.status === "unknown") return repositories;
  const withPolicies = await Promise.all(
    repositories.value.map(
      async (repository): Promise<SnapshotRepository> => ({
        repository: plain(repository),
        lifecyclePolicy: await readLifecyclePolicy(reader, repository.repositoryName as string),
      }),
    ),
  );
  return { status: "known", value: withPolicies };
}

/** One call for all names; when one is missing ECR fails the whole call, so then each is asked alone. */
async function describeRepositories(reader: Reader, repositoryNames: string[]): Promise<Repository[]> {
  try {
    const out = await reader.aws.ecr.send(new DescribeRepositoriesCommand({ repositoryNames }));
    return out.repositories ?? [];
  } catch (error) {
    if (!(error instanceof Error && error.name === "RepositoryNotFoundException") || repositoryNames.length === 1) {
      if (error instanceof Error && error.name === "RepositoryNotFoundException") return [];
      throw error;
    }
    const each = await Promise.all(repositoryNames.map((name) => describeRepositories(reader, [name])));
    return each.flat();
  }
}

function readLifecyclePolicy(reader: Reader, repositoryName: string): Promise<Known<string | null>> {
  return known("ecr:GetLifecyclePolicy", async () => {
    try {
      const out = await reader.aws.ecr.send(new GetLifecyclePolicyCommand({ repositoryName }));
      return out.lifecyclePolicyText ?? null;
    } catch (error) {
      if (error instanceof Error && error.name === "LifecyclePolicyNotFoundException") return null;
      throw error;
    }
  });
}

/** An image as the task definitions name it, with its detail and latest scan's severity counts when in our ECR. */
export function readImage(reader: Reader, image: string): Promise<SnapshotImage> {
  return reader.once(`ecr:image:${image}`, async (): Promise<SnapshotImage> => {
    const ref = parseEcrImage(image);
    if (!ref || ref.account !== reader.account || ref.region !== reader.region) {
      return { image, detail: { status: "known", value: null }, findings: { status: "known", value: null } };
    }
    const imageId: ImageIdentifier = ref.digest ? { imageDigest: ref.digest } : { imageTag: ref.tag };
    const { repositoryName } = ref;
    const detail = await known("ecr:DescribeImages", async () => {
      try {
        const out = await reader.aws.ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [imageId] }));
        const found = out.imageDetails?.[0];
        return found ? plain(found) : null;
      } catch (error) {
        if (error instanceof Error && /^(ImageNotFoundException|RepositoryNotFoundException)$/.test(error.name)) {
          return null;
        }
        throw error;
      }
    });
    const findings: Known<Record<string, number> | null> =
      detail.status === "known" && detail.value === null
        ? { status: "known", value: null }
        : await known("ecr:DescribeImageScanFindings", async () => {
            try {
              const out = await reader.aws.ecr.send(
                new DescribeImageScanFindingsCommand({ repositoryName, imageId, maxResults: 1 }),
              );
              if (out.imageScanStatus?.status !== "COMPLETE" && out.imageScanStatus?.status !== "ACTIVE") return null;
              const counts: Record<string, number> = {};
              for (const [severity, count] of Object.entries(out.imageScanFindings?.findingSeverityCounts ?? {})) {
                if (typeof count === "number") counts[severity] = count;
              }
              return counts;
            } catch (error) {
              if (error instanceof Error && error.name === "ScanNotFoundException") return null;
              throw error;
            }
          });
    return { image, repositoryName, ...(ref.tag ? { tag: ref.tag } : {}), detail, findings };
  });
}
