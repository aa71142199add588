// What apply knows of each IAM write action (see ../action.ts). Inline policies are compared as parsed documents;
// putting one records the document it replaced (or that there was none), so undo restores exactly that.
import {
  GetGroupPolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  paginateListAttachedRolePolicies,
} from "@aws-sdk/client-iam";
import type { Aws } from "../../aws/client";
import { type ActionSpec, type ActionTable, canonical, field, orAbsent, toJson } from "../action";
import type { Call, Json } from "../plan";

type Principal = "Role" | "Group" | "User";

export const IAM_ACTIONS: ActionTable = {
  CreateRole: {
    observe: async (aws, input) => {
      const found = await orAbsent(
        () => aws.iam.send(new GetRoleCommand({ RoleName: String(input.RoleName) })),
        "NoSuchEntity",
        "NoSuchEntityException",
      );
      if (!found?.Role) return null;
      return toJson({ Arn: found.Role.Arn, trust: parseDocument(found.Role.AssumeRolePolicyDocument) });
    },
    satisfied: (observed, input) => {
      if (observed === null) return undefined;
      const trust = parseDocument(String(input.AssumeRolePolicyDocument ?? ""));
      if (canonical(field(observed, "trust")) !== canonical(trust)) {
        throw new Error(
          `role ${String(input.RoleName)} already exists with a different trust policy: refusing to reuse a role ` +
            "this tool did not create (rename or remove it, then plan again)",
        );
      }
      return { Arn: field(observed, "Arn") ?? null };
    },
    output: (response) => ({ Arn: String((response.Role as { Arn?: string } | undefined)?.Arn ?? "") }),
    undo: (input) => [{ service: "iam", action: "DeleteRole", input: { RoleName: String(input.RoleName) } }],
    iam: ["iam:CreateRole", "iam:GetRole", "iam:TagRole"],
  },
  DeleteRole: {
    observe: async (aws, input) => {
      const found = await orAbsent(
        () => aws.iam.send(new GetRoleCommand({ RoleName: String(input.RoleName) })),
        "NoSuchEntity",
        "NoSuchEntityException",
      );
      return toJson(found?.Role ? { Arn: found.Role.Arn } : null);
    },
    satisfied: (observed) => (observed === null ? {} : undefined),
    output: () => ({}),
    undo: () => [],
    iam: ["iam:DeleteRole", "iam:GetRole"],
  },
  AttachRolePolicy: attachment("attach"),
  DetachRolePolicy: attachment("detach"),
  PutRolePolicy: putPolicy("Role"),
  PutGroupPolicy: putPolicy("Group"),
  PutUserPolicy: putPolicy("User"),
  DeleteRolePolicy: deletePolicy("Role"),
  DeleteGroupPolicy: deletePolicy("Group"),
  DeleteUserPolicy: deletePolicy("User"),
};

function attachment(kind: "attach" | "detach"): ActionSpec {
  return {
    observe: async (aws, input) => toJson({ attached: await attachedPolicies(aws, String(input.RoleName)) }),
    satisfied: (observed, input) => {
      const attached = (field(observed, "attached") as string[] | undefined) ?? [];
      const present = attached.includes(String(input.PolicyArn));
      return present === (kind === "attach") ? {} : undefined;
    },
    output: () => ({}),
    undo: (input) => [
      {
        service: "iam",
        action: kind === "attach" ? "DetachRolePolicy" : "AttachRolePolicy",
        input: { RoleName: String(input.RoleName), PolicyArn: String(input.PolicyArn) },
      },
    ],
    iam: [kind === "attach" ? "iam:AttachRolePolicy" : "iam:DetachRolePolicy", "iam:ListAttachedRolePolicies"],
  };
}

function putPolicy(principal: Principal): ActionSpec {
  return {
    iam: [`iam:Put${principal}Policy`, `iam:Get${principal}Policy`],
    observe: async (aws, input) => toJson({ document: await inlinePolicy(aws, principal, input) }),
    satisfied: (observed, input) =>
      canonical(field(observed, "document")) === canonical(parseDocument(String(input.PolicyDocument ?? "")))
        ? {}
        : undefined,
    output: () => ({}),
    undo: (input, before): Call[] => {
      const previous = field(before, "document");
      const names = principalInput(principal, input);
      if (previous === null || previous === undefined) {
        return [{ service: "iam", action: `Delete${principal}Policy`, input: names }];
      }
      return [
        {
          service: "iam",
          action: `Put${principal}Policy`,
          input: { ...names, PolicyDocument: JSON.stringify(previous) },
        },
      ];
    },
  };
}

function deletePolicy(principal: Principal): ActionSpec {
  return {
    iam: [`iam:Delete${principal}Policy`, `iam:Get${principal}Policy`],
    observe: async (aws, input) => toJson({ document: await inlinePolicy(aws, principal, input) }),
    satisfied: (observed) => (field(observed, "document") === null ? {} : undefined),
    output: () => ({}),
    undo: (input, before): Call[] => {
      const previous = field(before, "document");
      if (previous === null || previous === undefined) return [];
      const names = principalInput(principal, input);
      return [
        {
          service: "iam",
          action: `Put${principal}Policy`,
          input: { ...names, PolicyDocument: JSON.stringify(previous) },
        },
      ];
    },
  };
}

function principalInput(principal: Principal, input: Record<string, unknown>): Record<string, string> {
  return { [`${principal}Name`]: String(input[`${principal}Name`]), PolicyName: String(input.PolicyName) };
}

/** The inline policy's document, parsed; null when the principal has no policy of that name. */
async function inlinePolicy(aws: Aws, principal: Principal, input: Record<string, unknown>): Promise<Json> {
  const PolicyName = String(input.PolicyName);
  const notFound = ["NoSuchEntity", "NoSuchEntityException"];
  const read = async (): Promise<string | undefined> => {
    if (principal === "Role") {
      const RoleName = String(input.RoleName);
      return (await aws.iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }))).PolicyDocument;
    }
    if (principal === "Group") {
      const GroupName = String(input.GroupName);
      return (await aws.iam.send(new GetGroupPolicyCommand({ GroupName, PolicyName }))).PolicyDocument;
    }
    const UserName = String(input.UserName);
    return (await aws.iam.send(new GetUserPolicyCommand({ UserName, PolicyName }))).PolicyDocument;
  };
  const document = await orAbsent(read, ...notFound);
  return document === null || document === undefined ? null : parseDocument(document);
}

async function attachedPolicies(aws: Aws, RoleName: string): Promise<string[]> {
  const arns: string[] = [];
  for await (const page of paginateListAttachedRolePolicies({ client: aws.iam }, { RoleName })) {
    for (const policy of page.AttachedPolicies ?? []) if (policy.PolicyArn) arns.push(policy.PolicyArn);
  }
  return arns.sort();
}

/** IAM returns documents URL-encoded; inputs give them as JSON text. */
export function parseDocument(text: string | undefined): Json {
  if (!text) return null;
  const decoded = text.trimStart().startsWith("%7B") || text.includes("%22") ? decodeURIComponent(text) : text;
  return JSON.parse(decoded) as Json;
}
