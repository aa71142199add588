// plan(snapshot, findings) → Plan: every failing verdict that has a fix becomes a change; the task-definition edits
// and service settings of all of them merge into one new revision and one deployment (not one per fix); steps two
// fixes share are kept once; and what the plan relies on is fingerprinted so that apply can refuse a stale plan.
import { createHash } from "node:crypto";
import type { Finding } from "../checks/check";
import type { Snapshot } from "../inventory/snapshot";
import { canonical } from "./action";
import type { FailVerdict } from "./fix";
import type { Change, DeployRequest, Json, Plan, Precondition, ResourceRef, Step, StepOutput } from "./plan";
import { precondition } from "./preconditions";
import { FIXES, findFix } from "./registry";
import { changeId, describeEdit, editedTaskDefinition, familyOf, mergeEdits } from "./task-definition";

export interface PlanOptions {
  /** Only these checks' failures (default: every failure with a fix). */
  readonly checks?: readonly string[];
}

/** Pure: the plan for the failures among `findings` (an audit of `snapshot`). */
export function plan(snapshot: Snapshot, findings: readonly Finding[], options: PlanOptions = {}): Plan {
  const wanted = options.checks === undefined ? undefined : new Set(options.checks);
  const order = new Map(FIXES.map((fix, index) => [fix.id, index]));
  const failures = findings
    .filter((f): f is Finding & FailVerdict => f.status === "fail")
    .filter((f) => wanted === undefined || wanted.has(f.check.id))
    .filter((f) => findFix(f.check.id) !== undefined)
    .sort((a, b) => (order.get(a.check.id) ?? 0) - (order.get(b.check.id) ?? 0));
  const fixed = failures.map((finding) =>
    (findFix(finding.check.id) as NonNullable<ReturnType<typeof findFix>>).plan(snapshot, finding),
  );
  return assemble(snapshot, fixed);
}

/** A plan from changes: their deployments merged, shared steps kept once, preconditions fingerprinted. */
export function assemble(snapshot: Snapshot, fixed: readonly Change[]): Plan {
  const changes = keepStepsOnce([...fixed, ...deployments(snapshot, fixed)]);
  const preconditions = preconditionsOf(snapshot, changes);
  const body = {
    version: 1 as const,
    account: snapshot.account,
    region: snapshot.region,
    scope: snapshot.scope,
    basedOn: snapshot.takenAt,
    changes,
    preconditions,
  };
  return { ...body, id: createHash("sha256").update(canonical(body)).digest("hex").slice(0, 20) };
}

/** One "deploy" change per service whose fixes asked for a new revision or service settings. */
function deployments(snapshot: Snapshot, changes: readonly Change[]): Change[] {
  const byService = new Map<string, { request: DeployRequest; checks: string[] }[]>();
  for (const change of changes) {
    if (!change.deploy || change.manual) continue;
    const key = `${change.deploy.cluster}/${change.deploy.service}`;
    byService.set(key, [...(byService.get(key) ?? []), { request: change.deploy, checks: [change.check] }]);
  }
  return [...byService.values()].map((requests) => deployment(snapshot, requests));
}

function deployment(snapshot: Snapshot, requests: { request: DeployRequest; checks: string[] }[]): Change {
  const first = (requests[0] as { request: DeployRequest }).request;
  const checks = [...new Set(requests.flatMap((r) => r.checks))];
  const edits = mergeEdits(requests.map((r) => r.request.edits));
  const serviceUpdate: Record<string, Json> = {};
  for (const { request } of requests) Object.assign(serviceUpdate, request.serviceUpdate ?? {});
  const family = familyOf(first.base);
  const steps: Step[] = [];
  let taskDefinition: string | StepOutput = first.base;
  if (edits.length > 0) {
    const change = changeId(first.base, edits);
    const register = `ecs:RegisterTaskDefinition:${family}`;
    steps.push({
      id: register,
      title: `register a new revision of ${family}: ${edits.map(describeEdit).join("; ")}`,
      call: {
        service: "ecs",
        action: "RegisterTaskDefinition",
        input: { $taskDefinition: { base: first.base, edits, change } },
      },
    });
    taskDefinition = { $output: register, path: "taskDefinitionArn" };
  }
  steps.push({
    id: `ecs:UpdateService:${first.cluster}/${first.service}`,
    title:
      edits.length > 0
        ? `deploy the new revision to ${first.service} and wait until the deployment completes`
        : `update ${first.service} (${Object.keys(serviceUpdate).join(", ")}) and wait until the deployment completes`,
    call: {
      service: "ecs",
      action: "UpdateService",
      input: { cluster: first.cluster, service: first.service, taskDefinition, ...serviceUpdate },
    },
    changes: { kind: "service", name: first.service },
    waitForService: { cluster: first.cluster, service: first.service },
  });
  return {
    check: "deploy",
    checks,
    resource: first.service,
    title: `one new revision and one deployment of ${first.service} for ${checks.join(", ")}`,
    manual: false,
    steps,
    outcome:
      `${first.service} runs ${edits.length > 0 ? `a new revision of ${family}` : family} with ` +
      `${[...edits.map(describeEdit), ...Object.keys(serviceUpdate).map((k) => `${k} updated`)].join("; ")}`,
    risk:
      "the service rolls its tasks: new tasks start and pass health checks before the old ones stop (a rolling " +
      "deployment); if the new revision cannot start, the deployment does not complete and apply stops there",
    rollback: [
      `update ${first.service} back to ${first.base.split("/").pop()}${Object.keys(serviceUpdate).length > 0 ? " and its previous settings" : ""}`,
      "the new revision stays registered (revisions are never deleted by this tool)",
    ],
    notes: previewNotes(snapshot, first.base, edits),
    reads: [
      { kind: "service", name: first.service },
      { kind: "task-definition", arn: first.base },
    ],
  };
}

/** The new revision's containers as the plan shows them: names and sources, never values. */
function previewNotes(snapshot: Snapshot, base: string, edits: DeployRequest["edits"]): string[] {
  const known = snapshot.taskDefinitions[base];
  if (edits.length === 0 || known === undefined || known.status !== "known") return [];
  const shown = editedTaskDefinition(known.value as unknown as Record<string, unknown>, [], edits, "", (value) =>
    typeof value === "string" ? value : `the ${value.path} returned by step "${value.$output.replace(/:/g, " ")}"`,
  );
  const containers = (shown.containerDefinitions as Record<string, unknown>[] | undefined) ?? [];
  return containers.map((container) => `the new revision's container ${containerSummary(container)}`);
}

function containerSummary(container: Record<string, unknown>): string {
  const names = (list: unknown) => ((list as { name?: string }[] | undefined) ?? []).map((item) => String(item.name));
  const parts = [`${String(container.name)} (${String(container.image)})`];
  const environment = names(container.environment);
  if (environment.length > 0) parts.push(`environment ${environment.join(", ")}`);
  const secrets = (container.secrets as { name?: string; valueFrom?: string }[] | undefined) ?? [];
  if (secrets.length > 0) parts.push(`secrets ${secrets.map((s) => `${s.name} from ${s.valueFrom}`).join(", ")}`);
  const logging = container.logConfiguration as { logDriver?: string; options?: Record<string, string> } | undefined;
  if (logging)
    parts.push(
      `logs ${logging.logDriver}${logging.options?.["awslogs-group"] ? ` to ${logging.options["awslogs-group"]}` : ""}`,
    );
  const dependsOn = (container.dependsOn as { containerName?: string; condition?: string }[] | undefined) ?? [];
  if (dependsOn.length > 0)
    parts.push(`starts after ${dependsOn.map((d) => `${d.containerName} (${d.condition})`).join(", ")}`);
  return parts.join("; ");
}

/** A step two fixes both plan (the same execution-role policy, say) runs once, in the first change that has it. */
function keepStepsOnce(changes: readonly Change[]): Change[] {
  const seen = new Map<string, string>();
  return changes.map((change) => {
    const steps = change.steps.filter((s) => {
      const call = canonical(s.call);
      const earlier = seen.get(s.id);
      if (earlier === undefined) {
        seen.set(s.id, call);
        return true;
      }
      if (earlier !== call) throw new Error(`two fixes plan step ${s.id} differently: a bug in one of them`);
      return false;
    });
    return { ...change, steps };
  });
}

function preconditionsOf(snapshot: Snapshot, changes: readonly Change[]): Precondition[] {
  const refs = new Map<string, ResourceRef>();
  for (const change of changes) {
    if (change.manual) continue;
    // A revision never changes once registered: which one the service runs is the service's precondition.
    for (const ref of change.reads) if (ref.kind !== "task-definition") refs.set(canonical(ref), ref);
  }
  return [...refs.values()].map((ref) => precondition(snapshot, ref));
}
