// cluster-access-unscoped: a person's (or CI's) IAM policy allows ECS actions that change a cluster — update or
// delete services, run or stop tasks, exec into containers… — on every cluster: no cluster ARN in the resource and
// no `ecs:cluster` condition. Each principal is judged on its own policies (a group once, not again in each member);
// ECS actions that take no cluster scope (RegisterTaskDefinition, the Describe and List calls) are not judged.
import type { Snapshot, SnapshotPrincipal } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { unknownVerdict } from "../judge";
import { ecsGuide, seedTalk } from "../references";
import {
  allowingStatements,
  conditionValues,
  coversAction,
  describeStatement,
  type Statement,
  statementsOf,
} from "./policy";
import { isServiceLinked, PRINCIPAL_READS, principalLabel, principalsLabel } from "./principals";

export const meta: CheckMeta = {
  id: "cluster-access-unscoped",
  title: "Someone may change every ECS cluster of the account",
  pillar: "iam",
  severity: "high",
  why:
    "A policy allowing `ecs:*` (or ECS write actions) on `*` lets its holder stop, replace or exec into the tasks " +
    "of every cluster, production included; scope it to the cluster's ARN or an `ecs:cluster` condition.",
  references: [
    seedTalk(4, "access to the cluster (cluster ARN or ecs:cluster condition)"),
    ecsGuide("Amazon ECS identity-based policy examples", "security_iam_id-based-policy-examples.html"),
  ],
  fix: { id: "cluster-access-unscoped", manual: false },
  reads: PRINCIPAL_READS,
};

/** A cluster no policy of the account names: a resource of it is reachable only through wildcards. */
const OTHER = "ecs-takeover-any-other-cluster";

/** The ECS actions that act inside a cluster, each with a resource of another cluster it would act on. */
function clusterWrites(snapshot: Snapshot): readonly { action: string; probe: string }[] {
  const arn = (resource: string) => `arn:aws:ecs:${snapshot.region}:${snapshot.account}:${resource}`;
  const service = arn(`service/${OTHER}/${OTHER}`);
  const task = arn(`task/${OTHER}/0123456789abcdef0123456789abcdef`);
  const cluster = arn(`cluster/${OTHER}`);
  const taskSet = arn(`task-set/${OTHER}/${OTHER}/ecs-svc/0123456789`);
  const instance = arn(`container-instance/${OTHER}/0123456789abcdef0123456789abcdef`);
  // RunTask and StartTask name a task definition; only an ecs:cluster condition keeps them out of other clusters.
  const definition = arn(`task-definition/${OTHER}:1`);
  return [
    ...["CreateService", "UpdateService", "DeleteService"].map((a) => ({ action: `ecs:${a}`, probe: service })),
    ...["StopTask", "ExecuteCommand", "UpdateTaskProtection"].map((a) => ({ action: `ecs:${a}`, probe: task })),
    ...["RunTask", "StartTask"].map((a) => ({ action: `ecs:${a}`, probe: definition })),
    ...["UpdateCluster", "UpdateClusterSettings", "DeleteCluster", "PutClusterCapacityProviders"].map((a) => ({
      action: `ecs:${a}`,
      probe: cluster,
    })),
    ...["CreateTaskSet", "UpdateTaskSet", "DeleteTaskSet", "UpdateServicePrimaryTaskSet"].map((a) => ({
      action: `ecs:${a}`,
      probe: taskSet,
    })),
    ...["UpdateContainerInstancesState", "DeregisterContainerInstance"].map((a) => ({
      action: `ecs:${a}`,
      probe: instance,
    })),
  ];
}

/** The statements that allow a cluster write on another cluster, with the actions they allow there. */
export function unscopedStatements(
  writes: ReturnType<typeof clusterWrites>,
  statements: readonly Statement[],
): { statement: Statement; actions: string[] }[] {
  const found = new Map<Statement, string[]>();
  for (const { action, probe } of writes) {
    for (const statement of allowingStatements(statements, action, probe)) {
      if (conditionValues(statement, "ecs:cluster") !== undefined) continue;
      found.set(statement, [...(found.get(statement) ?? []), action]);
    }
  }
  return [...found.entries()].map(([statement, actions]) => ({ statement, actions }));
}

export function run(snapshot: Snapshot): Verdict[] {
  const principals = snapshot.principals;
  if (principals.status === "unknown") return [unknownVerdict(principalsLabel(snapshot), principals)];
  const writes = clusterWrites(snapshot);
  return principals.value.flatMap((principal): Verdict[] => {
    if (isServiceLinked(principal)) return [];
    const statements = statementsOf(principal.policies);
    const touchesEcs = statements.some(
      (s) => s.effect === "Allow" && writes.some(({ action }) => coversAction(s, action)),
    );
    if (!touchesEcs) return [];
    const resource = principalLabel(principal);
    const unscoped = unscopedStatements(writes, statements);
    if (unscoped.length === 0) {
      return [{ status: "pass", resource, detail: "its ECS write actions are scoped to a cluster" }];
    }
    const what = unscoped.map(({ statement, actions }) => `${describeStatement(statement)} (${sample(actions)})`);
    return [
      {
        status: "fail",
        resource,
        detail:
          `${members(principal, principals.value)}${what.join("; ")}: in every cluster, with no cluster ARN and no ` +
          "ecs:cluster condition; scope it to the cluster it operates",
      },
    ];
  });
}

/** `ecs:UpdateService, ecs:StopTask, ecs:RunTask and 12 more`. */
function sample(actions: readonly string[]): string {
  const head = actions.slice(0, 3).join(", ");
  return actions.length > 3 ? `${head} and ${actions.length - 3} more` : head;
}

/** `for alice, bob: ` for a group whose members the snapshot lists. */
function members(principal: SnapshotPrincipal, all: readonly SnapshotPrincipal[]): string {
  if (principal.kind !== "group") return "";
  const names = all.filter((p) => p.kind === "user" && (p.groups ?? []).includes(principal.name)).map((p) => p.name);
  return names.length > 0 ? `for ${names.join(", ")}: ` : "";
}

export const check: Check = { meta, run };
