// Rewriting a person's (or CI's) inline policies so that they reach only this cluster: ECS writes scoped to the
// cluster's ARNs (RunTask and StartTask, which name a task definition, by an `ecs:cluster` condition), and
// `iam:PassRole` scoped to the roles the cluster's services run with, passed to ECS tasks only. Both rewrites apply to
// the same documents: cluster-access-unscoped and passrole-escalation often judge one policy (deploy-bot's), and two
// puts of one policy would each undo the other — so whichever fix plans it, the put carries both rewrites (each only
// where its check fails), and the planner keeps it once. Managed policies are never edited: they may be attached to
// others, and their versions are shared; the plan says what a person must do instead.
import { run as clusterAccessRun } from "../../checks/iam/cluster-access-unscoped";
import { run as passroleRun } from "../../checks/iam/passrole-escalation";
import {
  administratorPolicy,
  conditionValues,
  coversAction,
  coversResource,
  policyLabel,
  type Statement,
  statementsOf,
  wildcardMatch,
} from "../../checks/iam/policy";
import { groupsOf, principalLabel } from "../../checks/iam/principals";
import type { PolicyDocument, Snapshot, SnapshotPrincipal } from "../../inventory/snapshot";
import type { Input, ResourceRef, Step } from "../plan";
import { familyOf } from "../task-definition";
import {
  type Document,
  documentOf,
  isObject,
  putInlinePolicy,
  type RawStatement,
  rawStatements,
  single,
  unique,
} from "./documents";
import { executionRoleName, roleArn } from "./execution-role";

export const ECS_TASKS = "ecs-tasks.amazonaws.com";

type ClusterResource = "cluster" | "service" | "task" | "task-set" | "container-instance";

/** The ECS actions that act inside a cluster (those cluster-access-unscoped judges), by the resource they take. */
const CLUSTER_WRITES: Readonly<Record<string, ClusterResource>> = {
  "ecs:CreateService": "service",
  "ecs:UpdateService": "service",
  "ecs:DeleteService": "service",
  "ecs:StopTask": "task",
  "ecs:ExecuteCommand": "task",
  "ecs:UpdateTaskProtection": "task",
  "ecs:UpdateCluster": "cluster",
  "ecs:UpdateClusterSettings": "cluster",
  "ecs:DeleteCluster": "cluster",
  "ecs:PutClusterCapacityProviders": "cluster",
  "ecs:CreateTaskSet": "task-set",
  "ecs:UpdateTaskSet": "task-set",
  "ecs:DeleteTaskSet": "task-set",
  "ecs:UpdateServicePrimaryTaskSet": "task-set",
  "ecs:UpdateContainerInstancesState": "container-instance",
  "ecs:DeregisterContainerInstance": "container-instance",
};

/** Actions that start tasks: their resource is a task definition, so only the `ecs:cluster` condition scopes them. */
const RUN_ACTIONS = ["ecs:RunTask", "ecs:StartTask"];

/** What an ECS wildcard keeps on its resources besides the cluster: reads and account-level actions no cluster scopes. */
const ACCOUNT_WIDE = [
  "ecs:Describe*",
  "ecs:List*",
  "ecs:RegisterTaskDefinition",
  "ecs:DeregisterTaskDefinition",
  "ecs:DeleteTaskDefinitions",
  "ecs:CreateCluster",
  "ecs:CreateCapacityProvider",
  "ecs:UpdateCapacityProvider",
  "ecs:DeleteCapacityProvider",
  "ecs:PutAccountSetting",
  "ecs:PutAccountSettingDefault",
  "ecs:DeleteAccountSetting",
];

/** IAM's limits on the inline policies of one principal, in characters other than whitespace. */
const INLINE_LIMIT: Readonly<Record<SnapshotPrincipal["kind"], number>> = { user: 2048, group: 5120, role: 10240 };

/** What the rewrites scope to, and which principals each rewrite applies to. */
interface Scope {
  readonly clusterArn: string;
  readonly clusterResources: Readonly<Record<ClusterResource, string>>;
  /** The roles the cluster's services run with (task and execution roles), or why they are not known. */
  readonly roles: readonly string[] | { readonly missing: string };
  /** Labels of principals cluster-access-unscoped fails. */
  readonly scopeEcs: ReadonlySet<string>;
  /** Labels of principals passrole-escalation fails, and of the groups of each failing user. */
  readonly scopePassRole: ReadonlySet<string>;
  readonly anyRole: string;
}

function scopeOf(snapshot: Snapshot): Scope {
  const principals = snapshot.principals.status === "known" ? snapshot.principals.value : [];
  const failing = (verdicts: ReturnType<typeof clusterAccessRun>) =>
    new Set(verdicts.filter((v) => v.status === "fail").map((v) => v.resource));
  const passRoleFailing = failing(passroleRun(snapshot));
  for (const principal of principals) {
    if (!passRoleFailing.has(principalLabel(principal))) continue;
    for (const group of groupsOf(principal, principals)) passRoleFailing.add(principalLabel(group));
  }
  const ecs = (resource: string) => `arn:aws:ecs:${snapshot.region}:${snapshot.account}:${resource}`;
  const cluster = snapshot.scope.cluster;
  const clusterArn =
    snapshot.cluster.status === "known" && snapshot.cluster.value.clusterArn
      ? snapshot.cluster.value.clusterArn
      : ecs(`cluster/${cluster}`);
  return {
    clusterArn,
    clusterResources: {
      cluster: clusterArn,
      service: ecs(`service/${cluster}/*`),
      task: ecs(`task/${cluster}/*`),
      "task-set": ecs(`task-set/${cluster}/*`),
      "container-instance": ecs(`container-instance/${cluster}/*`),
    },
    roles: deployedRoles(snapshot),
    scopeEcs: failing(clusterAccessRun(snapshot)),
    scopePassRole: passRoleFailing,
    anyRole: `arn:aws:iam::${snapshot.account}:role/ecs-takeover-any-role`,
  };
}

/**
 * The task and execution roles of the revisions the cluster's services run — and, for a revision without an
 * execution role, the one the execution-role fixes create — which deployments must be allowed to pass.
 */
function deployedRoles(snapshot: Snapshot): string[] | { missing: string } {
  if (snapshot.services.status === "unknown") return { missing: "the cluster's services could not be read" };
  const roles: string[] = [];
  for (const service of snapshot.services.value) {
    const arn = service.service.taskDefinition;
    if (!arn) continue;
    const definition = snapshot.taskDefinitions[arn];
    if (!definition || definition.status === "unknown") {
      return { missing: `task definition ${arn.split("/").pop()} could not be read` };
    }
    const { taskRoleArn, executionRoleArn, family } = definition.value;
    if (taskRoleArn) roles.push(roleArn(snapshot, taskRoleArn));
    roles.push(roleArn(snapshot, executionRoleArn ?? executionRoleName(family ?? familyOf(arn))));
  }
  return [...new Set(roles)];
}

/** A raw statement as the checks read it. */
function parsed(raw: RawStatement): Statement | undefined {
  const policy: PolicyDocument = {
    source: "",
    name: "",
    managed: false,
    awsManaged: false,
    document: { Statement: [raw] },
  };
  return statementsOf([policy])[0];
}

/** Condition blocks merged: `extra`'s keys added under their operators. */
function withCondition(
  raw: RawStatement,
  extra: { readonly [operator: string]: { readonly [key: string]: string } },
): Input {
  const condition: Record<string, Record<string, Input>> = {};
  const existing = isObject(raw.Condition) ? raw.Condition : {};
  for (const [operator, block] of Object.entries(existing)) condition[operator] = { ...(isObject(block) ? block : {}) };
  for (const [operator, block] of Object.entries(extra))
    condition[operator] = { ...(condition[operator] ?? {}), ...block };
  return condition;
}

/** A statement with its members in the order people write them. */
function statement(
  sid: Input | undefined,
  suffix: string,
  members: { readonly [key: string]: Input | undefined },
): RawStatement {
  const out: Record<string, Input> = {};
  if (typeof sid === "string" && sid !== "") out.Sid = `${sid}${suffix}`;
  for (const [key, value] of Object.entries(members)) if (value !== undefined) out[key] = value;
  return out;
}

/** The outcome of rewriting one statement: what replaces it, or why a person must. */
type Rewritten = { readonly statements: RawStatement[]; readonly manual?: string };

/** Whether a statement allows an ECS write in another cluster (as cluster-access-unscoped judges it). */
function reachesOtherClusters(s: Statement, scope: Scope): boolean {
  return (
    s.effect === "Allow" &&
    conditionValues(s, "ecs:cluster") === undefined &&
    [...Object.keys(CLUSTER_WRITES), ...RUN_ACTIONS].some(
      (action) => coversAction(s, action) && coversResource(s, otherCluster(action, scope)),
    )
  );
}

/** Whether a statement allows passing any role to ECS tasks (as passrole-escalation judges a wildcard). */
function passesAnyRole(s: Statement, scope: Scope): boolean {
  const passedTo = conditionValues(s, "iam:PassedToService");
  return (
    s.effect === "Allow" &&
    coversAction(s, "iam:PassRole") &&
    coversResource(s, scope.anyRole) &&
    (passedTo === undefined || passedTo.some((service) => wildcardMatch(service, ECS_TASKS, true)))
  );
}

/** ECS writes on every cluster → the same writes on this cluster's resources; RunTask/StartTask by condition. */
function scopeEcs(raw: RawStatement, scope: Scope): Rewritten {
  const s = parsed(raw);
  if (!s || !reachesOtherClusters(s, scope)) return { statements: [raw] };
  if (!s.actions || !s.resources) {
    return { statements: [raw], manual: "it uses NotAction or NotResource: the ECS part cannot be cut out of it" };
  }
  const kept: string[] = [];
  const inCluster: string[] = [];
  const kinds = new Set<ClusterResource>();
  const starting: string[] = [];
  for (const action of s.actions) {
    const writes = Object.keys(CLUSTER_WRITES).filter((w) => wildcardMatch(action, w, true));
    const runs = RUN_ACTIONS.filter((r) => wildcardMatch(action, r, true));
    if (writes.length === 0 && runs.length === 0) {
      kept.push(action);
      continue;
    }
    if (!action.toLowerCase().startsWith("ecs:")) {
      return { statements: [raw], manual: `its action "${action}" covers every service: ECS cannot be cut out of it` };
    }
    if (writes.length > 0) inCluster.push(action);
    for (const write of writes) kinds.add(CLUSTER_WRITES[write] as ClusterResource);
    starting.push(...runs);
    if (/[*?]/.test(action)) kept.push(...ACCOUNT_WIDE.filter((a) => wildcardMatch(action, a, true)));
  }
  const resources = (Object.keys(scope.clusterResources) as ClusterResource[])
    .filter((kind) => kinds.has(kind))
    .map((kind) => scope.clusterResources[kind])
    .filter((resource) => coversResource(s, resource));
  const out: RawStatement[] = [];
  if (kept.length > 0) out.push({ ...raw, Action: single(unique(kept)) });
  if (inCluster.length > 0 && resources.length > 0) {
    out.push(
      statement(raw.Sid, "InCluster", {
        Effect: "Allow",
        Action: single(unique(inCluster)),
        Resource: single(resources),
        Condition: raw.Condition,
      }),
    );
  }
  if (starting.length > 0) {
    out.push(
      statement(raw.Sid, "StartInCluster", {
        Effect: "Allow",
        Action: single(unique(starting)),
        Resource: raw.Resource,
        Condition: withCondition(raw, { ArnEquals: { "ecs:cluster": scope.clusterArn } }),
      }),
    );
  }
  return { statements: out };
}

/** A resource of another cluster an action would act on (as the check probes it). */
function otherCluster(action: string, scope: Scope): string {
  const other = "ecs-takeover-any-other-cluster";
  // RunTask and StartTask act on a task definition: any of them may be started in another cluster.
  if (RUN_ACTIONS.includes(action)) return scope.clusterArn.replace(/cluster\/[^/]+$/, `task-definition/${other}:1`);
  const kind = CLUSTER_WRITES[action] as ClusterResource;
  const own = scope.clusterResources[kind];
  return kind === "cluster"
    ? own.replace(/cluster\/[^/]+$/, `cluster/${other}`)
    : own.replace(/\/[^/]+\/\*$/, `/${other}/x`);
}

/** PassRole on any role → PassRole on the cluster's roles, to ECS tasks only. */
function scopePassRole(raw: RawStatement, scope: Scope): Rewritten {
  const s = parsed(raw);
  if (!s || !passesAnyRole(s, scope)) return { statements: [raw] };
  const passedTo = conditionValues(s, "iam:PassedToService");
  if (!s.actions || !s.resources) {
    return { statements: [raw], manual: "it uses NotAction or NotResource: iam:PassRole cannot be cut out of it" };
  }
  const wide = s.actions.find((a) => a.toLowerCase() !== "iam:passrole" && wildcardMatch(a, "iam:PassRole", true));
  if (wide) return { statements: [raw], manual: `its action "${wide}" covers iam:PassRole among others` };
  if (passedTo !== undefined) {
    return {
      statements: [raw],
      manual: "it already names services in iam:PassedToService: narrowing it is a person's call",
    };
  }
  if ("missing" in scope.roles) {
    return { statements: [raw], manual: `${scope.roles.missing}, so the roles to allow are unknown` };
  }
  const roles = scope.roles.filter((role) => coversResource(s, role));
  const rest = s.actions.filter((a) => a.toLowerCase() !== "iam:passrole");
  return {
    statements: [
      ...(rest.length > 0 ? [{ ...raw, Action: single(rest) }] : []),
      statement(raw.Sid, rest.length > 0 ? "PassRole" : "", {
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: single(roles),
        Condition: withCondition(raw, { StringEquals: { "iam:PassedToService": ECS_TASKS } }),
      }),
    ],
  };
}

/** One policy of a principal rewritten, with what a person must still do about it. */
export interface PolicyRewrite {
  readonly principal: SnapshotPrincipal;
  readonly policy: PolicyDocument;
  /** The rewritten document (a proposal only, for a managed policy); undefined: the policy needs no rewrite. */
  readonly document: Document | undefined;
  /** Which rewrites the document carries, in words. */
  readonly scoped: readonly Scoping[];
  /** What no rewrite can do, in words, by the rewrite that could not. */
  readonly manual: readonly { readonly scoping: Scoping; readonly note: string }[];
}

export type Scoping = "ecs" | "passrole";

export const SCOPING_WORDS: Readonly<Record<Scoping, string>> = {
  ecs: "ECS writes to this cluster",
  passrole: `iam:PassRole of the cluster's roles to ${ECS_TASKS}`,
};

/** The principal's policies rewritten where its checks fail (cluster access, PassRole or both). */
export function rewritePolicies(snapshot: Snapshot, principal: SnapshotPrincipal): PolicyRewrite[] {
  const scope = scopeOf(snapshot);
  const label = principalLabel(principal);
  const wanted: Scoping[] = [
    ...(scope.scopeEcs.has(label) ? ["ecs" as const] : []),
    ...(scope.scopePassRole.has(label) ? ["passrole" as const] : []),
  ];
  const rewriters: Readonly<Record<Scoping, (raw: RawStatement) => Rewritten>> = {
    ecs: (raw) => scopeEcs(raw, scope),
    passrole: (raw) => scopePassRole(raw, scope),
  };
  return principal.policies.map((policy): PolicyRewrite => {
    const raws = rawStatements(policy);
    const name = policyLabel(policy);
    if (raws === undefined) {
      const note = `${name} could not be parsed`;
      return {
        principal,
        policy,
        document: undefined,
        scoped: [],
        manual: wanted.map((scoping) => ({ scoping, note })),
      };
    }
    const manual: { scoping: Scoping; note: string }[] = [];
    const scoped: Scoping[] = [];
    let statements = raws;
    for (const scoping of wanted) {
      statements = statements.flatMap((raw) => {
        const result = rewriters[scoping](raw);
        if (result.manual) manual.push({ scoping, note: `${name}: ${result.manual}` });
        else if (result.statements.length !== 1 || result.statements[0] !== raw) scoped.push(scoping);
        return result.statements;
      });
    }
    const done = [...new Set(scoped)];
    return { principal, policy, document: done.length > 0 ? documentOf(statements) : undefined, scoped: done, manual };
  });
}

/** The roles of the scope that are administrators: passing one stays an escalation until task-role-admin's fix. */
export function administratorRolesPassed(snapshot: Snapshot): string[] {
  const roles = scopeOf(snapshot).roles;
  if ("missing" in roles) return [];
  return roles.filter((arn) => {
    const role = snapshot.roles[arn];
    return (
      role?.status === "known" &&
      role.value.policies.status === "known" &&
      administratorPolicy(role.value.policies.value)
    );
  });
}

/** Whether the statement is one a scoping rewrites. */
export function isBroad(snapshot: Snapshot, scoping: Scoping, statement: Statement): boolean {
  const scope = scopeOf(snapshot);
  return scoping === "ecs" ? reachesOtherClusters(statement, scope) : passesAnyRole(statement, scope);
}

/** The roles deployments in the scope run with (task and execution roles), or why they are not known. */
export function rolesToPass(snapshot: Snapshot): readonly string[] | { readonly missing: string } {
  return scopeOf(snapshot).roles;
}

/** Whether the principal's inline policies, rewritten, stay within IAM's size limit; or the note saying they do not. */
export function sizeProblem(principal: SnapshotPrincipal, rewrites: readonly PolicyRewrite[]): string | undefined {
  const size = principal.policies
    .filter((p) => !p.managed)
    .map((p) => rewrites.find((r) => r.policy === p)?.document ?? p.document)

    // reduce<number>: without strictNullChecks (tslab's type-check of lib) `sum: number` alone picks the unknown overload.
    .reduce<number>((sum, document) => sum + JSON.stringify(document).replace(/\s/g, "").length, 0);
  const limit = INLINE_LIMIT[principal.kind];
  return size > limit
    ? `rewritten, the inline policies of ${principalLabel(principal)} take ${size} characters, over IAM's ${limit}: ` +
        "move them into a customer managed policy by hand"
    : undefined;
}

/** The put of one rewritten policy (same id and document whichever fix plans it). */
export function putRewrite(rewrite: PolicyRewrite & { readonly document: Document }): Step {
  const { principal, policy } = rewrite;
  const ref: ResourceRef = { kind: "principal", arn: principal.arn };
  return putInlinePolicy(
    principal.kind,
    principal.name,
    policy.name,
    rewrite.document,
    `rewrite ${policyLabel(policy)} of ${principalLabel(principal)}: ${rewrite.scoped.map((s) => SCOPING_WORDS[s]).join(" and ")} only`,
    ref,
  );
}
