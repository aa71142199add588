// Secrets Manager: secrets with versions, tags, resource policies and deletion with a recovery window.
// Values are stored only to be returned by GetSecretValue; nothing here logs or echoes them elsewhere.
import type { SecretListEntry, Tag } from "@aws-sdk/client-secrets-manager";
import { AwsError, type RequestContext, type ServiceDefinition } from "../service";
import type { SandboxState } from "../state";

interface StoredVersion {
  VersionId: string;
  SecretString?: string;
  /** Base64, so the state stays plain JSON. */
  SecretBinary?: string;
  VersionStages: string[];
  CreatedDate: Date;
}

export interface StoredSecret {
  ARN: string;
  Name: string;
  Description?: string;
  KmsKeyId?: string;
  CreatedDate: Date;
  LastChangedDate: Date;
  LastAccessedDate?: Date;
  /** When DeleteSecret was called; the secret is gone for good at `deletionDate`. */
  DeletedDate?: Date;
  deletionDate?: Date;
  Tags: Tag[];
  ResourcePolicy?: string;
  versions: StoredVersion[];
}

export interface SecretsManagerState {
  secrets: StoredSecret[];
}

export function emptySecretsManagerState(): SecretsManagerState {
  return { secrets: [] };
}

type Input = Record<string, unknown>;

function notFound(message = "Secrets Manager can't find the specified secret."): AwsError {
  return new AwsError("ResourceNotFoundException", message);
}
function invalidParameter(message: string): AwsError {
  return new AwsError("InvalidParameterException", message);
}
function invalidRequest(message: string): AwsError {
  return new AwsError("InvalidRequestException", message);
}
const MARKED_FOR_DELETION = "You can't perform this operation on the secret because it was marked for deletion.";

function required(input: Input, name: string): string {
  const value = input[name];
  if (typeof value !== "string" || value === "") {
    throw new AwsError(
      "ValidationException",
      `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function optional(input: Input, name: string): string | undefined {
  const value = input[name];
  return typeof value === "string" ? value : undefined;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** The 6 random characters AWS appends to a secret's name in its ARN, drawn deterministically. */
function arnSuffix(hex: (length: number) => string): string {
  const bytes = Buffer.from(hex(12), "hex");
  return [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join("");
}

function tagsOf(input: Input): Tag[] {
  const tags = input.Tags;
  if (!Array.isArray(tags)) return [];
  return tags.map((tag: Tag) => ({ Key: tag.Key, Value: tag.Value ?? "" }));
}

function mergeTags(target: Tag[], tags: readonly Tag[]): void {
  for (const tag of tags) {
    const existing = target.find((t) => t.Key === tag.Key);
    if (existing) existing.Value = tag.Value;
    else target.push({ ...tag });
  }
  if (target.length > 50) throw invalidParameter("Number of tags exceeds the limit of 50.");
}

/** Secrets past their recovery window are gone, as if AWS had purged them. */
function purge(state: SandboxState, now: Date): boolean {
  const secrets = state.secretsManager.secrets;
  const kept = secrets.filter((s) => s.deletionDate === undefined || s.deletionDate.getTime() > now.getTime());
  if (kept.length === secrets.length) return false;
  state.secretsManager.secrets = kept;
  return true;
}

/** By name, full ARN, or ARN without the random suffix, as AWS accepts. */
function findSecret(state: SandboxState, now: Date, id: string): StoredSecret {
  purge(state, now);
  const secret = state.secretsManager.secrets.find((s) =>
    id.startsWith("arn:")
      ? s.ARN === id || (s.ARN.length === id.length + 7 && s.ARN.startsWith(`${id}-`))
      : s.Name === id,
  );
  if (!secret) throw notFound();
  return secret;
}

function current(secret: StoredSecret): StoredVersion | undefined {
  return secret.versions.find((v) => v.VersionStages.includes("AWSCURRENT"));
}

function stagesMap(secret: StoredSecret): Record<string, string[]> | undefined {
  if (secret.versions.length === 0) return undefined;
  return Object.fromEntries(secret.versions.map((v) => [v.VersionId, [...v.VersionStages]]));
}

function describe(secret: StoredSecret) {
  const stages = stagesMap(secret);
  return {
    ARN: secret.ARN,
    Name: secret.Name,
    ...(secret.Description === undefined ? {} : { Description: secret.Description }),
    ...(secret.KmsKeyId === undefined ? {} : { KmsKeyId: secret.KmsKeyId }),
    LastChangedDate: secret.LastChangedDate,
    ...(secret.LastAccessedDate === undefined ? {} : { LastAccessedDate: secret.LastAccessedDate }),
    ...(secret.DeletedDate === undefined ? {} : { DeletedDate: secret.DeletedDate }),
    ...(secret.Tags.length > 0 ? { Tags: secret.Tags.map((t) => ({ ...t })) } : {}),
    CreatedDate: secret.CreatedDate,
    stages,
  };
}

function listEntry(secret: StoredSecret): SecretListEntry {
  const { stages, ...rest } = describe(secret);
  return stages === undefined ? rest : { ...rest, SecretVersionsToStages: stages };
}

const NAME = /^[\w/+=.@!-]{1,512}$/;

/** Adds a secret as CreateSecret would; scenarios and the handler share it. */
export function addSecret(
  state: SandboxState,
  ids: { hex(length: number): string; readonly now: Date },
  spec: {
    name: string;
    value?: string;
    binary?: Uint8Array;
    description?: string;
    kmsKeyId?: string;
    tags?: Readonly<Record<string, string>> | readonly Tag[];
    versionId?: string;
    resourcePolicy?: string;
  },
): StoredSecret {
  if (!NAME.test(spec.name)) {
    throw invalidParameter(
      "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!",
    );
  }
  if (spec.value !== undefined && spec.binary !== undefined) {
    throw invalidParameter(
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  }
  const existing = state.secretsManager.secrets.find((s) => s.Name === spec.name);
  if (existing?.DeletedDate) {
    throw invalidRequest(
      "You can't create this secret because a secret with this name is already scheduled for deletion.",
    );
  }
  if (existing)
    throw new AwsError(
      "ResourceExistsException",
      `The operation failed because the secret ${spec.name} already exists.`,
    );
  const h = ids.hex(32);
  const versionId =
    spec.versionId ?? `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  const tags = Array.isArray(spec.tags)
    ? (spec.tags as readonly Tag[]).map((t) => ({ ...t }))
    : Object.entries(spec.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  const hasValue = spec.value !== undefined || spec.binary !== undefined;
  const secret: StoredSecret = {
    ARN: `arn:aws:secretsmanager:${state.region}:${state.account}:secret:${spec.name}-${arnSuffix((n) => ids.hex(n))}`,
    Name: spec.name,
    ...(spec.description === undefined ? {} : { Description: spec.description }),
    ...(spec.kmsKeyId === undefined ? {} : { KmsKeyId: spec.kmsKeyId }),
    CreatedDate: ids.now,
    LastChangedDate: ids.now,
    Tags: [],
    ...(spec.resourcePolicy === undefined ? {} : { ResourcePolicy: spec.resourcePolicy }),
    versions: hasValue
      ? [
          {
            VersionId: versionId,
            ...(spec.value === undefined ? {} : { SecretString: spec.value }),
            ...(spec.binary === undefined ? {} : { SecretBinary: Buffer.from(spec.binary).toString("base64") }),
            VersionStages: ["AWSCURRENT"],
            CreatedDate: ids.now,
          },
        ]
      : [],
  };
  mergeTags(secret.Tags, tags);
  state.secretsManager.secrets.push(secret);
  return secret;
}

function sameValue(version: StoredVersion, input: Input): boolean {
  const binary =
    input.SecretBinary instanceof Uint8Array ? Buffer.from(input.SecretBinary).toString("base64") : undefined;
  return version.SecretString === optional(input, "SecretString") && version.SecretBinary === binary;
}

function matches(secret: StoredSecret, key: string, value: string): boolean {
  const tags = secret.Tags;
  switch (key) {
    case "name":
      return secret.Name.startsWith(value);
    case "description":
      return (secret.Description ?? "").toLowerCase().startsWith(value.toLowerCase());
    case "tag-key":
      return tags.some((t) => (t.Key ?? "").startsWith(value));
    case "tag-value":
      return tags.some((t) => (t.Value ?? "").startsWith(value));
    case "primary-region":
    case "owning-service":
      return false;
    case "all": {
      const haystack = [secret.Name, secret.Description ?? "", ...tags.flatMap((t) => [t.Key ?? "", t.Value ?? ""])]
        .join(" ")
        .toLowerCase();
      return value
        .toLowerCase()
        .split(/\s+/)
        .filter((w) => w !== "")
        .every((w) => haystack.includes(w));
    }
    default:
      throw invalidParameter(`Invalid filter key: ${key}`);
  }
}

/** Values of one filter are ORed; a value starting with `!` excludes instead. Filters are ANDed. */
function passes(secret: StoredSecret, filters: readonly { Key?: string; Values?: string[] }[]): boolean {
  return filters.every((filter) => {
    const key = filter.Key ?? "";
    const values = filter.Values ?? [];
    const positive = values.filter((v) => !v.startsWith("!"));
    const negative = values.filter((v) => v.startsWith("!")).map((v) => v.slice(1));
    return (
      (positive.length === 0 || positive.some((v) => matches(secret, key, v))) &&
      !negative.some((v) => matches(secret, key, v))
    );
  });
}

function sortKey(secret: StoredSecret, by: string): string | number {
  switch (by) {
    case "name":
      return secret.Name;
    case "last-changed-date":
      return secret.LastChangedDate.getTime();
    case "last-accessed-date":
      return secret.LastAccessedDate?.getTime() ?? 0;
    default:
      return secret.CreatedDate.getTime();
  }
}

function pageOf<T>(items: readonly T[], input: Input): { items: T[]; NextToken?: string } {
  const max = input.MaxResults === undefined ? 100 : Number(input.MaxResults);
  if (!Number.isInteger(max) || max < 1 || max > 100) {
    throw new AwsError(
      "ValidationException",
      `1 validation error detected: Value '${String(input.MaxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100`,
    );
  }
  let start = 0;
  const token = optional(input, "NextToken");
  if (token !== undefined) {
    const decoded = /^n(\d+)$/.exec(Buffer.from(token, "base64").toString("utf8"));
    if (!decoded) throw new AwsError("InvalidNextTokenException", "The NextToken value is invalid.");
    start = Number(decoded[1]);
  }
  const end = start + max;
  return end < items.length
    ? { items: items.slice(start, end), NextToken: Buffer.from(`n${end}`).toString("base64") }
    : { items: items.slice(start, end) };
}

const DAY = 86_400_000;

const handlers: Record<string, (input: Input, context: RequestContext) => unknown> = {
  CreateSecret: (input, context) => {
    const name = required(input, "Name");
    const token = optional(input, "ClientRequestToken");
    if (token !== undefined && (token.length < 32 || token.length > 64)) {
      throw invalidParameter("ClientRequestToken must be between 32 and 64 characters long.");
    }
    purge(context.state, context.now);
    const existing = context.state.secretsManager.secrets.find((s) => s.Name === name);
    const sameToken = existing?.versions.find((v) => v.VersionId === token);
    if (existing && !existing.DeletedDate && sameToken) {
      // A retried request: the same token with the same value changes nothing.
      if (!sameValue(sameToken, input)) {
        throw new AwsError(
          "ResourceExistsException",
          "You can't modify an existing version, you can only create a new version.",
        );
      }
      return { ARN: existing.ARN, Name: existing.Name, VersionId: sameToken.VersionId };
    }
    const secret = addSecret(context.state, context, {
      name,
      value: optional(input, "SecretString"),
      binary: input.SecretBinary instanceof Uint8Array ? input.SecretBinary : undefined,
      description: optional(input, "Description"),
      kmsKeyId: optional(input, "KmsKeyId"),
      tags: tagsOf(input),
      versionId: token,
    });
    context.changed();
    const version = current(secret);
    return { ARN: secret.ARN, Name: secret.Name, ...(version ? { VersionId: version.VersionId } : {}) };
  },

  DescribeSecret: (input, { state, now }) => {
    const { stages, ...rest } = describe(findSecret(state, now, required(input, "SecretId")));
    return stages === undefined ? rest : { ...rest, VersionIdsToStages: stages };
  },

  ListSecrets: (input, { state, now }) => {
    purge(state, now);
    const filters = Array.isArray(input.Filters) ? (input.Filters as { Key?: string; Values?: string[] }[]) : [];
    const by = optional(input, "SortBy") ?? "created-date";
    const direction = optional(input, "SortOrder") === "asc" ? 1 : -1;
    const secrets = state.secretsManager.secrets
      .filter((s) => (input.IncludePlannedDeletion === true || !s.DeletedDate) && passes(s, filters))
      .map((s, index) => ({ s, index, key: sortKey(s, by) }))
      .sort((a, b) => (a.key < b.key ? -direction : a.key > b.key ? direction : a.index - b.index))
      .map(({ s }) => s);
    const page = pageOf(secrets, input);
    return { SecretList: page.items.map(listEntry), ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
  },

  GetSecretValue: (input, context) => {
    const secret = findSecret(context.state, context.now, required(input, "SecretId"));
    if (secret.DeletedDate) throw invalidRequest(MARKED_FOR_DELETION);
    const versionId = optional(input, "VersionId");
    const stage = optional(input, "VersionStage") ?? (versionId === undefined ? "AWSCURRENT" : undefined);
    const version = secret.versions.find(
      (v) =>
        (versionId === undefined || v.VersionId === versionId) &&
        (stage === undefined || v.VersionStages.includes(stage)),
    );
    if (!version) {
      throw notFound(
        versionId === undefined
          ? `Secrets Manager can't find the specified secret value for staging label: ${stage}`
          : `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`,
      );
    }
    // AWS records access to the day, not the second.
    secret.LastAccessedDate = new Date(Math.floor(context.now.getTime() / DAY) * DAY);
    context.changed();
    return {
      ARN: secret.ARN,
      Name: secret.Name,
      VersionId: version.VersionId,
      ...(version.SecretString === undefined ? {} : { SecretString: version.SecretString }),
      ...(version.SecretBinary === undefined
        ? {}
        : { SecretBinary: new Uint8Array(Buffer.from(version.SecretBinary, "base64")) }),
      VersionStages: [...version.VersionStages],
      CreatedDate: version.CreatedDate,
    };
  },

  GetResourcePolicy: (input, { state, now }) => {
    const secret = findSecret(state, now, required(input, "SecretId"));
    return {
      ARN: secret.ARN,
      Name: secret.Name,
      ...(secret.ResourcePolicy === undefined ? {} : { ResourcePolicy: secret.ResourcePolicy }),
    };
  },

  PutResourcePolicy: (input, context) => {
    const secret = findSecret(context.state, context.now, required(input, "SecretId"));
    const policy = required(input, "ResourcePolicy");
    try {
      JSON.parse(policy);
    } catch {
      throw new AwsError("MalformedPolicyDocumentException", "This resource policy contains a syntax error.");
    }
    secret.ResourcePolicy = policy;
    context.changed();
    return { ARN: secret.ARN, Name: secret.Name };
  },

  DeleteResourcePolicy: (input, context) => {
    const secret = findSecret(context.state, context.now, required(input, "SecretId"));
    delete secret.ResourcePolicy;
    context.changed();
    return { ARN: secret.ARN, Name: secret.Name };
  },

  DeleteSecret: (input, context) => {
    const secret = findSecret(context.state, context.now, required(input, "SecretId"));
    const force = input.ForceDeleteWithoutRecovery === true;
    const window = input.RecoveryWindowInDays;
    if (force && window !== undefined) {
      throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
    }
    const days = window === undefined ? 30 : Number(window);
    if (!force && (!Number.isInteger(days) || days < 7 || days > 30)) {
      throw invalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
    }
    if (secret.DeletedDate && !force) throw invalidRequest(MARKED_FOR_DELETION);
    const deletionDate = force ? context.now : new Date(context.now.getTime() + days * DAY);
    if (force) {
      context.state.secretsManager.secrets = context.state.secretsManager.secrets.filter((s) => s !== secret);
    } else {
      secret.DeletedDate = context.now;
      secret.deletionDate = deletionDate;
      secret.LastChangedDate = context.now;
    }
    context.changed();
    return { ARN: secret.ARN, Name: secret.Name, DeletionDate: deletionDate };
  },

  RestoreSecret: (input, context) => {
    const secret = findSecret(context.state, context.now, required(input, "SecretId"));
    delete secret.DeletedDate;
    delete secret.deletionDate;
    secret.LastChangedDate = context.now;
    context.changed();
    return { ARN: secret.ARN, Name: secret.Name };
  },

  TagResource: (input, context) => {
    const secret = findSecret(context.state, context.now, required(input, "SecretId"));
    if (secret.DeletedDate) throw invalidRequest(MARKED_FOR_DELETION);
    mergeTags(secret.Tags, tagsOf(input));
    secret.LastChangedDate = context.now;
    context.changed();
    return {};
  },

  UntagResource: (input, context) => {
    const secret = findSecret(context.state, context.now, required(input, "SecretId"));
    if (secret.DeletedDate) throw invalidRequest(MARKED_FOR_DELETION);
    const keys = Array.isArray(input.TagKeys) ? (input.TagKeys as string[]) : [];
    secret.Tags = secret.Tags.filter((t) => !keys.includes(t.Key ?? ""));
    secret.LastChangedDate = context.now;
    context.changed();
    return {};
  },
};

export const secretsManagerService: ServiceDefinition = {
  signingName: "secretsmanager",
  protocol: "awsJson1_1",
  handlers,
  tick: (context) => {
    if (purge(context.state, context.now)) context.changed();
  },
};
