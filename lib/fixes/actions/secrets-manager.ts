// What apply knows of each secrets-manager write action (see ../action.ts). A secret is observed with DescribeSecret
// only — never GetSecretValue — so no value is ever journaled. Secrets are created, never overwritten: a secret of
// the same name that ecs-takeover did not create makes apply refuse. Rollback schedules deletion with a recovery
// window, so an undone secret can still be restored for a week.
import { DescribeSecretCommand } from "@aws-sdk/client-secrets-manager";
import type { Aws } from "../../aws/client";
import { type ActionTable, field, orAbsent, type ResolvedInput, toJson } from "../action";
import type { Call, Json } from "../plan";

/** The tag that marks a secret as created by a plan: its value names where the secret came from. */
export const SOURCE_TAG = "ecs-takeover:source";

/** Days a rolled-back secret stays recoverable (the least Secrets Manager allows). */
export const RECOVERY_WINDOW_DAYS = 7;

/** What apply may know of a secret: its identity, tags and whether it is scheduled for deletion. */
async function describeSecret(aws: Aws, secretId: unknown): Promise<Json> {
  const described = await orAbsent(
    () => aws.secretsManager.send(new DescribeSecretCommand({ SecretId: String(secretId) })),
    "ResourceNotFoundException",
  );
  if (described === null) return null;
  return toJson({
    ARN: described.ARN,
    Name: described.Name,
    Tags: described.Tags ?? [],
    DeletedDate: described.DeletedDate,
  });
}

/** The value of the source tag a CreateSecret input carries. */
function sourceOf(input: ResolvedInput): string | undefined {
  const tags = Array.isArray(input.Tags) ? (input.Tags as { Key?: unknown; Value?: unknown }[]) : [];
  const tag = tags.find((t) => t.Key === SOURCE_TAG);
  return typeof tag?.Value === "string" ? tag.Value : undefined;
}

function tagValue(observed: Json, key: string): string | undefined {
  const tags = field(observed, "Tags");
  if (!Array.isArray(tags)) return undefined;
  const tag = tags.find((t) => field(t, "Key") === key);
  const value = field(tag, "Value");
  return typeof value === "string" ? value : undefined;
}

function deleteSecret(secretId: Json): Call {
  return {
    service: "secretsManager",
    action: "DeleteSecret",
    input: { SecretId: secretId, RecoveryWindowInDays: RECOVERY_WINDOW_DAYS },
  };
}

export const SECRETS_MANAGER_ACTIONS: ActionTable = {
  CreateSecret: {
    observe: (aws, input) => describeSecret(aws, input.Name),
    satisfied: (observed, input) => {
      if (observed === null) return undefined;
      const name = String(input.Name);
      const source = tagValue(observed, SOURCE_TAG);
      if (source === undefined || source !== sourceOf(input)) {
        // Never overwrite a secret somebody else owns: a person must pick another name or adopt it.
        throw new Error(
          `a secret named ${name} already exists and was not created by ecs-takeover for this variable ` +
            `(its ${SOURCE_TAG} tag is ${source === undefined ? "missing" : `"${source}"`}): refusing to overwrite it; ` +
            "rename or delete that secret, or move the variable by hand",
        );
      }
      if (field(observed, "DeletedDate") !== undefined) {
        throw new Error(
          `secret ${name} was created by ecs-takeover and is scheduled for deletion (a rollback): restore it with ` +
            `\`aws secretsmanager restore-secret --secret-id ${name}\`, or wait until it is deleted, then apply again`,
        );
      }
      return { ARN: field(observed, "ARN") ?? null, Name: name };
    },
    output: (response) => toJson({ ARN: response.ARN, Name: response.Name }),
    // Whether created now or by an earlier run that crashed, a secret carrying our tag is ours to remove.
    undo: (_input, _before, output) => [deleteSecret(field(output, "ARN") ?? null)],
    iam: ["secretsmanager:CreateSecret", "secretsmanager:TagResource", "secretsmanager:DescribeSecret"],
  },

  DeleteSecret: {
    observe: (aws, input) => describeSecret(aws, input.SecretId),
    satisfied: (observed) =>
      observed === null || field(observed, "DeletedDate") !== undefined
        ? { ARN: field(observed, "ARN") ?? null }
        : undefined,
    output: (response) => toJson({ ARN: response.ARN }),
    undo: (input, before) =>
      before === null
        ? []
        : [{ service: "secretsManager", action: "RestoreSecret", input: { SecretId: String(input.SecretId) } }],
    iam: ["secretsmanager:DeleteSecret", "secretsmanager:DescribeSecret"],
  },

  RestoreSecret: {
    observe: (aws, input) => describeSecret(aws, input.SecretId),
    satisfied: (observed) =>
      observed !== null && field(observed, "DeletedDate") === undefined
        ? { ARN: field(observed, "ARN") ?? null }
        : undefined,
    output: (response) => toJson({ ARN: response.ARN }),
    undo: (input) => [deleteSecret(String(input.SecretId))],
    iam: ["secretsmanager:RestoreSecret", "secretsmanager:DescribeSecret"],
  },
};
