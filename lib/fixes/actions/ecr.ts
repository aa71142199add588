// What apply knows of each ecr write action (see ../action.ts): a repository's tag mutability, scan on push and
// lifecycle policy, the registry's scanning configuration, and manual scans of the images in use.
import {
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
} from "@aws-sdk/client-ecr";
import type { Aws } from "../../aws/client";
import { type ActionTable, canonical, field, orAbsent, type ResolvedInput, sameJsonText, toJson } from "../action";
import type { Call, Json } from "../plan";

// One JSON-text comparison for bucket and lifecycle policies (it belongs in ../action.ts; asked of the lead).

/** The repository an input names, in the registry it names (this account's when none). */
function repositoryOf(input: ResolvedInput): { repositoryName: string; registryId?: string } {
  const registryId = typeof input.registryId === "string" ? input.registryId : undefined;
  return { repositoryName: String(input.repositoryName), ...(registryId ? { registryId } : {}) };
}

/** The repository as DescribeRepositories gives it, or null when it does not exist. */
async function describeRepository(aws: Aws, input: ResolvedInput): Promise<Record<string, unknown> | null> {
  const { repositoryName, registryId } = repositoryOf(input);
  const found = await orAbsent(
    () =>
      aws.ecr.send(
        new DescribeRepositoriesCommand({ repositoryNames: [repositoryName], ...(registryId ? { registryId } : {}) }),
      ),
    "RepositoryNotFoundException",
  );
  return (found?.repositories?.[0] as Record<string, unknown> | undefined) ?? null;
}

function ecrCall(action: string, input: Record<string, Json>): Call {
  return { service: "ecr", action, input };
}

/** The lifecycle policy text, or null when the repository has none. */
async function lifecyclePolicyText(aws: Aws, input: ResolvedInput): Promise<Json> {
  const policy = await orAbsent(
    () => aws.ecr.send(new GetLifecyclePolicyCommand(repositoryOf(input))),
    "LifecyclePolicyNotFoundException",
  );
  return { lifecyclePolicyText: policy?.lifecyclePolicyText ?? null };
}

/** The undo of a step that replaced a lifecycle policy: the old one back, or none again. */
function restoreLifecyclePolicy(input: ResolvedInput, before: Json): Call[] {
  const text = field(before, "lifecyclePolicyText");
  const repository = repositoryOf(input) as Record<string, Json>;
  return typeof text === "string"
    ? [ecrCall("PutLifecyclePolicy", { ...repository, lifecyclePolicyText: text })]
    : [ecrCall("DeleteLifecyclePolicy", repository)];
}

/** Scan states in which another scan adds nothing: done, running, or (enhanced) continuously watched. */
const SCANNED = new Set(["COMPLETE", "IN_PROGRESS", "ACTIVE", "PENDING"]);

export const ECR_ACTIONS: ActionTable = {
  PutImageTagMutability: {
    observe: async (aws, input) => {
      const repository = await describeRepository(aws, input);
      if (repository === null) return null;
      return toJson({
        imageTagMutability: repository.imageTagMutability ?? "MUTABLE",
        imageTagMutabilityExclusionFilters: repository.imageTagMutabilityExclusionFilters ?? [],
      });
    },
    satisfied: (observed, input) =>
      field(observed, "imageTagMutability") === input.imageTagMutability &&
      canonical(field(observed, "imageTagMutabilityExclusionFilters") ?? []) ===
        canonical(input.imageTagMutabilityExclusionFilters ?? [])
        ? {}
        : undefined,
    output: () => ({}),
    undo: (input, before) => {
      const filters = field(before, "imageTagMutabilityExclusionFilters");
      return [
        ecrCall("PutImageTagMutability", {
          ...(repositoryOf(input) as Record<string, Json>),
          imageTagMutability: field(before, "imageTagMutability") ?? "MUTABLE",
          ...(Array.isArray(filters) && filters.length > 0 ? { imageTagMutabilityExclusionFilters: filters } : {}),
        }),
      ];
    },
    iam: ["ecr:PutImageTagMutability", "ecr:DescribeRepositories"],
  },

  PutImageScanningConfiguration: {
    observe: async (aws, input) => {
      const repository = await describeRepository(aws, input);
      if (repository === null) return null;
      const scanning = repository.imageScanningConfiguration as { scanOnPush?: boolean } | undefined;
      return { scanOnPush: scanning?.scanOnPush === true };
    },
    satisfied: (observed, input) => {
      const wanted = (input.imageScanningConfiguration as { scanOnPush?: boolean } | undefined)?.scanOnPush === true;
      return observed !== null && field(observed, "scanOnPush") === wanted ? {} : undefined;
    },
    output: () => ({}),
    undo: (input, before) => [
      ecrCall("PutImageScanningConfiguration", {
        ...(repositoryOf(input) as Record<string, Json>),
        imageScanningConfiguration: { scanOnPush: field(before, "scanOnPush") === true },
      }),
    ],
    iam: ["ecr:PutImageScanningConfiguration", "ecr:DescribeRepositories"],
  },

  PutRegistryScanningConfiguration: {
    observe: async (aws) => {
      const { scanningConfiguration } = await aws.ecr.send(new GetRegistryScanningConfigurationCommand({}));
      return toJson({
        scanType: scanningConfiguration?.scanType ?? "BASIC",
        rules: scanningConfiguration?.rules ?? [],
      });
    },
    satisfied: (observed, input) =>
      canonical(observed) === canonical({ scanType: input.scanType ?? "BASIC", rules: input.rules ?? [] })
        ? {}
        : undefined,
    output: () => ({}),
    undo: (_input, before) => [
      ecrCall("PutRegistryScanningConfiguration", {
        scanType: field(before, "scanType") ?? "BASIC",
        rules: field(before, "rules") ?? [],
      }),
    ],
    // Enhanced scanning is Amazon Inspector's: ECR asks it on the caller's behalf.
    iam: [
      "ecr:PutRegistryScanningConfiguration",
      "ecr:GetRegistryScanningConfiguration",
      "inspector2:Enable",
      "inspector2:ListAccountPermissions",
    ],
  },

  StartImageScan: {
    observe: async (aws, input) => {
      const described = await orAbsent(
        () =>
          aws.ecr.send(
            new DescribeImagesCommand({
              ...repositoryOf(input),
              imageIds: [input.imageId as { imageDigest?: string; imageTag?: string }],
            }),
          ),
        "ImageNotFoundException",
        "RepositoryNotFoundException",
      );
      const image = described?.imageDetails?.[0];
      if (image === undefined) return null;
      return { imageDigest: image.imageDigest ?? null, scanStatus: image.imageScanStatus?.status ?? null };
    },
    satisfied: (observed) => (SCANNED.has(String(field(observed, "scanStatus"))) ? {} : undefined),
    output: () => ({}),
    // A scan only reads the image: there is nothing to undo.
    undo: () => [],
    iam: ["ecr:StartImageScan", "ecr:DescribeImages"],
  },

  PutLifecyclePolicy: {
    observe: lifecyclePolicyText,
    satisfied: (observed, input) =>
      sameJsonText(field(observed, "lifecyclePolicyText"), input.lifecyclePolicyText) ? {} : undefined,
    output: () => ({}),
    undo: restoreLifecyclePolicy,
    iam: ["ecr:PutLifecyclePolicy", "ecr:GetLifecyclePolicy"],
  },

  DeleteLifecyclePolicy: {
    observe: lifecyclePolicyText,
    satisfied: (observed) => (field(observed, "lifecyclePolicyText") === null ? {} : undefined),
    output: () => ({}),
    // Nothing was deleted when there was no policy: nothing to put back.
    undo: (input, before) =>
      typeof field(before, "lifecyclePolicyText") === "string" ? restoreLifecyclePolicy(input, before) : [],
    iam: ["ecr:DeleteLifecyclePolicy", "ecr:GetLifecyclePolicy"],
  },
};
