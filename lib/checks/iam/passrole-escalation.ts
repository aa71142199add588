// passrole-escalation: a principal may pass any role (iam:PassRole on "*", on every role, or on an administrator
// role) and may start tasks (ecs:RunTask or StartTask, or RegisterTaskDefinition with CreateService/UpdateService):
// it can run a task whose task role is more powerful than itself, and act as that role. A PassRole scoped to named,
// non-administrator roles — ideally with iam:PassedToService = ecs-tasks.amazonaws.com — is fine, and a PassedToService
// condition that excludes ECS closes the path. Administrators have nothing to escalate to and are not judged; a user
// is judged with its groups' policies, unless one group alone opens the path (the group is reported).
import type { Snapshot, SnapshotPrincipal } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { unknownVerdict } from "../judge";
import { awsDoc, seedTalk } from "../references";
import {
  administratorPolicy,
  allowingStatements,
  conditionValues,
  coversResource,
  describeStatement,
  type Statement,
  statementsOf,
  wildcardMatch,
} from "./policy";
import {
  effectiveStatements,
  groupsOf,
  isServiceLinked,
  PRINCIPAL_READS,
  principalLabel,
  principalsLabel,
} from "./principals";
import { ROLE_READS, roleLabel } from "./scope";

export const meta: CheckMeta = {
  id: "passrole-escalation",
  title: "Someone may pass any role to a task they start: a path to administrator",
  pillar: "iam",
  severity: "critical",
  why:
    "With iam:PassRole on any role and permission to run tasks, a user or CI job can start a task with a more " +
    "powerful role (an administrator's) and do whatever that role may — limit PassRole to the roles it deploys.",
  references: [
    seedTalk(4, "access to the cluster"),
    awsDoc(
      "Granting a user permissions to pass a role to an AWS service",
      "IAM/latest/UserGuide/id_roles_use_passrole.html",
    ),
    {
      label: "Amazon ECS task IAM role: iam:PassRole",
      url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html",
    },
  ],
  fix: { id: "passrole-escalation", manual: false },
  reads: [...PRINCIPAL_READS, ...ROLE_READS],
};

const ECS_TASKS = "ecs-tasks.amazonaws.com";

/** What the principal's statements make possible. */
interface Paths {
  /** PassRole statements that reach any role or an administrator role, with what they reach. */
  readonly pass: readonly string[];
  /** Roles the principal may pass whose policies could not be read, with why. */
  readonly unread: readonly { readonly label: string; readonly read: Unknown }[];
  /** How it may start a task, in words; empty when it may not. */
  readonly launch: readonly string[];
  /** Whether it may pass any role to ECS at all. */
  readonly passesAny: boolean;
  /** Whether it has anything to judge: PassRole or a way to start tasks. */
  readonly relevant: boolean;
}

export function run(snapshot: Snapshot): Verdict[] {
  const principals = snapshot.principals;
  if (principals.status === "unknown") return [unknownVerdict(principalsLabel(snapshot), principals)];
  const roles = roleKnowledge(snapshot, principals.value);
  const pathsFor = (statements: readonly Statement[]) => pathsOf(snapshot, statements, roles);
  return principals.value.flatMap((principal): Verdict[] => {
    if (isServiceLinked(principal) || administratorPolicy(principal.policies)) return [];
    const paths = pathsFor(effectiveStatements(principal, principals.value));
    if (!paths.relevant) return [];
    const groups = groupsOf(principal, principals.value);
    if (groups.length > 0) {
      // The groups get their own verdicts: a member is judged only for what its own policies add to theirs.
      if (groups.some((group) => opens(pathsFor(statementsOf(group.policies))))) return [];
      const own = pathsFor(statementsOf(principal.policies));
      if (!own.relevant && !opens(paths) && !undecided(paths)) return [];
    }
    const resource = principalLabel(principal);
    if (opens(paths)) {
      return [
        {
          status: "fail",
          resource,
          detail:
            `may pass ${paths.pass.join("; ")} and start tasks (${paths.launch.join("; ")}): it can run a task with ` +
            `a more powerful role and act as it; allow PassRole only on the roles it deploys, with iam:PassedToService = ${ECS_TASKS}`,
        },
      ];
    }
    const unread = paths.unread[0];
    if (undecided(paths) && unread) {
      const names = paths.unread.map((u) => u.label).join(", ");
      return [
        unknownVerdict(resource, {
          ...unread.read,
          message: `may start tasks and pass ${names}, whose policies could not be read (${unread.read.message})`,
        }),
      ];
    }
    return [{ status: "pass", resource, detail: passDetail(paths) }];
  });
}

/** Whether the principal may both pass a powerful role and start a task with it. */
function opens(paths: Paths): boolean {
  return paths.launch.length > 0 && paths.pass.length > 0;
}

/** Whether it may start tasks and pass roles whose power could not be read. */
function undecided(paths: Paths): boolean {
  return paths.launch.length > 0 && paths.unread.length > 0;
}

function passDetail(paths: Paths): string {
  if (paths.launch.length === 0) return "may not start ECS tasks";
  if (!paths.passesAny) return "may start tasks, but may not pass a role to them";
  return "may start tasks, but may pass only named roles that are not administrators";
}

/** Which roles of the snapshot are administrators, and which could not be read. */
interface RoleKnowledge {
  readonly admins: readonly string[];
  readonly unread: ReadonlyMap<string, Unknown>;
}

type Unknown = Extract<Snapshot["principals"], { status: "unknown" }>;

function roleKnowledge(snapshot: Snapshot, principals: readonly SnapshotPrincipal[]): RoleKnowledge {
  const admins = new Set<string>();
  const unread = new Map<string, Unknown>();
  for (const [arn, role] of Object.entries(snapshot.roles)) {
    if (role.status === "unknown") unread.set(arn, role);
    else if (role.value.policies.status === "unknown") unread.set(arn, role.value.policies);
    else if (administratorPolicy(role.value.policies.value)) admins.add(role.value.arn);
  }
  for (const principal of principals) {
    if (principal.kind === "role" && administratorPolicy(principal.policies)) admins.add(principal.arn);
  }
  for (const arn of admins) unread.delete(arn);
  return { admins: [...admins], unread };
}

function pathsOf(snapshot: Snapshot, statements: readonly Statement[], roles: RoleKnowledge): Paths {
  const anyRole = `arn:aws:iam::${snapshot.account}:role/ecs-takeover-any-role`;
  const passing = allowingStatements(statements, "iam:PassRole").filter(reachesEcs);
  const pass: string[] = [];
  const unread = new Map<string, { label: string; read: Unknown }>();
  for (const statement of passing) {
    if (coversResource(statement, anyRole)) {
      pass.push(`any role (${describeStatement(statement)})`);
      continue;
    }
    const admins = roles.admins.filter((arn) => coversResource(statement, arn));
    if (admins.length > 0)
      pass.push(`${admins.map(roleLabel).join(", ")}, an administrator (${describeStatement(statement)})`);
    for (const [arn, read] of roles.unread) {
      if (coversResource(statement, arn)) unread.set(arn, { label: roleLabel(arn), read });
    }
  }
  const may = (action: string) => allowingStatements(statements, action).length > 0;
  const launch = [
    ...(may("ecs:RunTask") ? ["ecs:RunTask"] : []),
    ...(may("ecs:StartTask") ? ["ecs:StartTask"] : []),
    ...(may("ecs:RegisterTaskDefinition") && (may("ecs:UpdateService") || may("ecs:CreateService"))
      ? ["ecs:RegisterTaskDefinition with ecs:UpdateService or ecs:CreateService"]
      : []),
  ];
  const relevant = passing.length > 0 || ["ecs:RunTask", "ecs:StartTask", "ecs:RegisterTaskDefinition"].some(may);
  return { pass, unread: [...unread.values()], launch, passesAny: passing.length > 0, relevant };
}

/** A PassRole statement whose iam:PassedToService condition, if any, lets the role go to ECS tasks. */
function reachesEcs(statement: Statement): boolean {
  const services = conditionValues(statement, "iam:PassedToService");
  return services === undefined || services.some((service) => wildcardMatch(service, ECS_TASKS, true));
}

export const check: Check = { meta, run };
