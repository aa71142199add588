// task-role-broad: the task role allows a whole service (`s3:*`), every action but some (NotAction), or an action
// that takes a resource on every resource (`"Resource": "*"`). Actions that AWS only grants on "*" — X-Ray trace
// writes and sampling, CloudWatch PutMetricData, ECR GetAuthorizationToken, the ssmmessages channels of ECS Exec,
// sts:GetCallerIdentity — are fine on "*". An administrator role is task-role-admin's: it gets no verdict here.
import type { Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { TASK_DEFINITION_READS } from "../judge";
import { ecsGuide, securityHub, seedTalk } from "../references";
import { administratorPolicy, coversEveryResource, type Statement, statementsOf } from "./policy";
import { eachRole, listed, ROLE_READS } from "./scope";

/** Actions that take no resource-level scope: "*" is the only resource a policy can give them. */
export const RESOURCELESS_ACTIONS: ReadonlySet<string> = new Set(
  [
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:GetSamplingStatisticSummaries",
    "cloudwatch:PutMetricData",
    "ecr:GetAuthorizationToken",
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
    "sts:GetCallerIdentity",
  ].map((action) => action.toLowerCase()),
);

export const meta: CheckMeta = {
  id: "task-role-broad",
  title: "The task role allows whole services or every resource",
  pillar: "iam",
  severity: "medium",
  why:
    'A task role with `s3:*` or `"Resource": "*"` lets the app — and anyone who takes it over — touch every ' +
    "bucket, queue or table of the account, not only its own; name the actions and resources it uses.",
  references: [
    seedTalk(3, "task role (services, actions and resources it uses)"),
    securityHub("IAM", 21),
    ecsGuide("Amazon ECS task IAM role", "task-iam-roles.html"),
  ],
  fix: { id: "task-role-broad", manual: false },
  reads: [...TASK_DEFINITION_READS, ...ROLE_READS],
};

/** Why a statement is broad, in words; empty when it is not. */
export function broadness(statement: Statement): string[] {
  if (statement.effect !== "Allow") return [];
  if (statement.notActions)
    return [`every action except ${statement.notActions.join(", ")} (NotAction) in ${statement.policy}`];
  const everywhere = coversEveryResource(statement);
  return (statement.actions ?? []).flatMap((action) => {
    if (action === "*" || /^[a-z0-9-]+:\*$/i.test(action)) {
      return [`"${action}" (every ${action === "*" ? "" : `${action.split(":")[0]} `}action) in ${statement.policy}`];
    }
    if (everywhere && !RESOURCELESS_ACTIONS.has(action.toLowerCase())) {
      return [`"${action}" on every resource in ${statement.policy}`];
    }
    return [];
  });
}

export function run(snapshot: Snapshot): Verdict[] {
  return eachRole(snapshot, "taskRoleArn", (_role, policies, use) => {
    if (administratorPolicy(policies)) return undefined;
    const reasons = [...new Set(statementsOf(policies).flatMap(broadness))];
    const users = `${listed(use.definitions)} run${use.definitions.length === 1 ? "s" : ""} with it`;
    if (reasons.length === 0) return { status: "pass", detail: `${users}; every action is scoped to named resources` };
    return {
      status: "fail",
      detail: `allows ${reasons.join("; ")} — ${users}; scope each to the actions and resources the app uses`,
    };
  });
}

export const check: Check = { meta, run };
