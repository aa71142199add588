// IAM reads: the task and execution roles with their policy documents and access-advisor data, and the principals
// whose policies touch ECS or iam:PassRole (GetAccountAuthorizationDetails).
import {
  GenerateServiceLastAccessedDetailsCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetServiceLastAccessedDetailsCommand,
  type GetServiceLastAccessedDetailsCommandOutput,
  type ManagedPolicyDetail,
  type PolicyDetail,
  paginateGetAccountAuthorizationDetails,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
} from "@aws-sdk/client-iam";
import { known } from "../aws/known";
import type { Reader } from "./reader";
import type { Known, PolicyDocument, SnapshotPrincipal, SnapshotRole } from "./snapshot";

/** Policy documents come URL-encoded from IAM. */
export function decodeDocument(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    // Not encoded: keep as is.
  }
  try {
    return JSON.parse(decoded);
  } catch {
    return decoded;
  }
}

export function roleNameOf(arn: string): string {
  return arn.split("/").pop() ?? arn;
}

export function readRole(reader: Reader, arn: string): Promise<Known<SnapshotRole>> {
  return reader.once(`iam:role:${arn}`, () =>
    known("iam:GetRole", async () => {
      const name = roleNameOf(arn);
      const out = await reader.aws.iam.send(new GetRoleCommand({ RoleName: name }));
      const [policies, lastAccessed] = await Promise.all([
        readRolePolicies(reader, name),
        readLastAccessed(reader, out.Role?.Arn ?? arn),
      ]);
      return {
        arn: out.Role?.Arn ?? arn,
        name,
        trust: decodeDocument(out.Role?.AssumeRolePolicyDocument),
        policies,
        lastAccessed,
      };
    }),
  );
}

function readRolePolicies(reader: Reader, roleName: string): Promise<Known<PolicyDocument[]>> {
  const iam = reader.aws.iam;
  return known("iam:ListAttachedRolePolicies", async () => {
    const [attached, inline] = await Promise.all([
      (async () => {
        const arns: string[] = [];
        for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName: roleName })) {
          for (const p of page.AttachedPolicies ?? []) if (p.PolicyArn) arns.push(p.PolicyArn);
        }
        return Promise.all(arns.map((arn) => readManagedPolicy(reader, arn)));
      })(),
      (async () => {
        const names: string[] = [];
        for await (const page of paginateListRolePolicies({ client: iam }, { RoleName: roleName })) {
          names.push(...(page.PolicyNames ?? []));
        }
        return Promise.all(
          names.map(async (PolicyName): Promise<PolicyDocument> => {
            const out = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName }));
            return {
              source: `inline:${PolicyName}`,
              name: PolicyName,
              managed: false,
              awsManaged: false,
              document: decodeDocument(out.PolicyDocument),
            };
          }),
        );
      })(),
    ]);
    return [...attached, ...inline];
  });
}

function readManagedPolicy(reader: Reader, arn: string): Promise<PolicyDocument> {
  return reader.once(`iam:policy:${arn}`, async () => {
    const policy = await reader.aws.iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    const version = await reader.aws.iam.send(
      new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.Policy?.DefaultVersionId }),
    );
    return {
      source: arn,
      name: policy.Policy?.PolicyName ?? arn.split("/").pop() ?? arn,
      managed: true,
      awsManaged: isAwsManaged(arn),
      document: decodeDocument(version.PolicyVersion?.Document),
    };
  });
}

function isAwsManaged(arn: string): boolean {
  return /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn);
}

/** Access advisor: start a report, then read it (polling while IAM builds it). */
function readLastAccessed(
  reader: Reader,
  arn: string,
): Promise<Known<{ service: string; lastAuthenticated?: string }[]>> {
  return known("iam:GenerateServiceLastAccessedDetails", async () => {
    const iam = reader.aws.iam;
    const job = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn }));
    const used: { service: string; lastAuthenticated?: string }[] = [];
    let Marker: string | undefined;
    for (let poll = 0; ; ) {
      const out: GetServiceLastAccessedDetailsCommandOutput = await iam.send(
        new GetServiceLastAccessedDetailsCommand({ JobId: job.JobId, Marker }),
      );
      if (out.JobStatus === "FAILED")
        throw Object.assign(new Error(out.Error?.Message ?? "job failed"), { name: "JobFailed" });
      if (out.JobStatus === "IN_PROGRESS") {
        if (++poll > 30) throw Object.assign(new Error("access advisor report not ready"), { name: "TimeoutError" });
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      for (const s of out.ServicesLastAccessed ?? []) {
        if (!s.ServiceNamespace || !s.LastAuthenticated) continue;
        used.push({ service: s.ServiceNamespace, lastAuthenticated: s.LastAuthenticated.toISOString() });
      }
      Marker = out.IsTruncated ? out.Marker : undefined;
      if (!Marker) return used;
    }
  });
}

/** Users (with their groups), groups and roles whose own policies mention ECS, iam:PassRole or "*". */
export function readPrincipals(reader: Reader): Promise<Known<SnapshotPrincipal[]>> {
  return reader.once("iam:principals", () =>
    known("iam:GetAccountAuthorizationDetails", async () => {
      const principals: SnapshotPrincipal[] = [];
      const managed = new Map<string, PolicyDocument>();
      const pending: {
        kind: SnapshotPrincipal["kind"];
        name: string;
        arn: string;
        groups?: string[];
        inline: PolicyDetail[];
        attached: string[];
      }[] = [];
      for await (const page of paginateGetAccountAuthorizationDetails(
        { client: reader.aws.iam, pageSize: 1000 },
        { Filter: ["User", "Group", "Role", "LocalManagedPolicy", "AWSManagedPolicy"] },
      )) {
        for (const p of page.Policies ?? []) {
          const document = defaultDocument(p);
          if (p.Arn)
            managed.set(p.Arn, {
              source: p.Arn,
              name: p.PolicyName ?? p.Arn,
              managed: true,
              awsManaged: isAwsManaged(p.Arn),
              document,
            });
        }
        for (const u of page.UserDetailList ?? []) {
          pending.push({
            kind: "user",
            name: u.UserName ?? "",
            arn: u.Arn ?? "",
            groups: u.GroupList ?? [],
            inline: u.UserPolicyList ?? [],
            attached: (u.AttachedManagedPolicies ?? []).map((a) => a.PolicyArn ?? ""),
          });
        }
        for (const g of page.GroupDetailList ?? []) {
          pending.push({
            kind: "group",
            name: g.GroupName ?? "",
            arn: g.Arn ?? "",
            inline: g.GroupPolicyList ?? [],
            attached: (g.AttachedManagedPolicies ?? []).map((a) => a.PolicyArn ?? ""),
          });
        }
        for (const r of page.RoleDetailList ?? []) {
          pending.push({
            kind: "role",
            name: r.RoleName ?? "",
            arn: r.Arn ?? "",
            inline: r.RolePolicyList ?? [],
            attached: (r.AttachedManagedPolicies ?? []).map((a) => a.PolicyArn ?? ""),
          });
        }
      }
      for (const entry of pending) {
        const policies: PolicyDocument[] = [
          ...entry.inline.map((p) => ({
            source: `inline:${p.PolicyName ?? ""}`,
            name: p.PolicyName ?? "",
            managed: false,
            awsManaged: false,
            document: decodeDocument(p.PolicyDocument),
          })),
          ...entry.attached.map(
            (arn) =>
              managed.get(arn) ?? {
                source: arn,
                name: arn.split("/").pop() ?? arn,
                managed: true,
                awsManaged: isAwsManaged(arn),
                document: undefined,
              },
          ),
        ];
        if (!policies.some((p) => mentionsEcsOrPassRole(p.document))) continue;
        principals.push({
          kind: entry.kind,
          name: entry.name,
          arn: entry.arn,
          ...(entry.kind === "user" ? { groups: entry.groups ?? [] } : {}),
          policies,
        });
      }
      return principals;
    }),
  );
}

function defaultDocument(policy: ManagedPolicyDetail): unknown {
  const version = (policy.PolicyVersionList ?? []).find((v) => v.IsDefaultVersion) ?? policy.PolicyVersionList?.[0];
  return decodeDocument(version?.Document);
}

const PROBES = ["ecs:RunTask", "ecs:UpdateService", "ecs:CreateService", "iam:PassRole"];

/** Whether an Allow statement's actions reach ECS or iam:PassRole (wildcards included; NotAction reaches all). */
export function mentionsEcsOrPassRole(document: unknown): boolean {
  const statements = (document as { Statement?: unknown } | undefined)?.Statement;
  const list = Array.isArray(statements) ? statements : statements ? [statements] : [];
  return list.some((statement: unknown) => {
    const s = statement as { Effect?: unknown; Action?: unknown; NotAction?: unknown };
    if (s.Effect !== "Allow") return false;
    if (s.NotAction !== undefined) return true;
    const actions = (Array.isArray(s.Action) ? s.Action : [s.Action]).filter((a): a is string => typeof a === "string");
    return actions.some((action) => {
      if (action.toLowerCase().startsWith("ecs:")) return true;
      const pattern = new RegExp(
        `^${action
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")
          .replace(/\?/g, ".")}$`,
        "i",
      );
      return PROBES.some((probe) => pattern.test(probe));
    });
  });
}
