// task-role-admin: the task role — the permissions of the app inside the container — is an administrator:
// AWS's AdministratorAccess, or any policy allowing every action on every resource. Roles trusted by a service are
// judged like any other (a popular scanner skips them, and so misses exactly this).
import type { Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { TASK_DEFINITION_READS } from "../judge";
import { ecsGuide, securityHub, seedTalk } from "../references";
import { administratorPolicy, policyLabel } from "./policy";
import { eachRole, listed, ROLE_READS } from "./scope";

export const meta: CheckMeta = {
  id: "task-role-admin",
  title: "The task role is an administrator",
  pillar: "iam",
  severity: "critical",
  why:
    "The task role is what the app's code may do in AWS; as an administrator, a bug or a break-in in the container " +
    "can read every secret, delete every resource and create new users — give it only what the app uses.",
  references: [
    seedTalk(3, "task role (least privilege)"),
    securityHub("IAM", 1),
    ecsGuide("Amazon ECS task IAM role", "task-iam-roles.html"),
  ],
  fix: { id: "task-role-admin", manual: false },
  reads: [...TASK_DEFINITION_READS, ...ROLE_READS],
};

export function run(snapshot: Snapshot): Verdict[] {
  return eachRole(snapshot, "taskRoleArn", (_role, policies, use) => {
    const admin = administratorPolicy(policies);
    const users = `${listed(use.definitions)} run${use.definitions.length === 1 ? "s" : ""} with it`;
    if (!admin) return { status: "pass", detail: `${users}; no policy allows every action on every resource` };
    return {
      status: "fail",
      detail:
        `${policyLabel(admin)}${admin.awsManaged ? " (AWS managed)" : ""} allows every action on every resource, and ` +
        `${users} as task role: code in the container — or anyone who breaks into it — can do anything in the account`,
    };
  });
}

export const check: Check = { meta, run };
