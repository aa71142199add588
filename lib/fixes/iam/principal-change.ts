// The change that scopes a principal's policies (cluster-access-unscoped, passrole-escalation): puts of its rewritten
// inline policies, and notes for what only a person can change — managed policies, statements no rewrite can cut,
// documents that would outgrow IAM's size limit.
import { statementsOf } from "../../checks/iam/policy";
import { principalLabel } from "../../checks/iam/principals";
import { roleLabel } from "../../checks/iam/scope";
import type { Snapshot, SnapshotPrincipal } from "../../inventory/snapshot";
import { manualChange } from "../fix";
import type { Change, ResourceRef } from "../plan";
import { type Document, showDocument } from "./documents";
import {
  administratorRolesPassed,
  isBroad,
  type PolicyRewrite,
  putRewrite,
  rewritePolicies,
  SCOPING_WORDS,
  type Scoping,
  sizeProblem,
} from "./principal-policies";

export interface PrincipalChangeSpec {
  readonly check: string;
  /** The rewrite this check asks for; the other one rides along where the same policy needs both. */
  readonly scoping: Scoping;
  readonly title: string;
  /** The principal judged first; for PassRole, the groups whose policies it gets the permission from after it. */
  readonly principals: readonly SnapshotPrincipal[];
  readonly outcome: string;
  readonly risk: string;
}

const OTHER_CHECK: Readonly<Record<Scoping, string>> = {
  ecs: "cluster-access-unscoped",
  passrole: "passrole-escalation",
};

export function principalChange(snapshot: Snapshot, spec: PrincipalChangeSpec): Change {
  const label = principalLabel(spec.principals[0] as SnapshotPrincipal);
  const rewrites = spec.principals.flatMap((principal) => rewritePolicies(snapshot, principal));
  const puts = rewrites.filter(
    (r): r is PolicyRewrite & { document: Document } =>
      !r.policy.managed && r.document !== undefined && r.scoped.includes(spec.scoping),
  );
  const manual = [
    // A managed policy gets one note below, whatever its statements.
    ...rewrites
      .filter((r) => !r.policy.managed)
      .flatMap((r) => r.manual.filter((m) => m.scoping === spec.scoping).map((m) => m.note)),
    ...rewrites
      .filter((r) => r.policy.managed && statementsOf([r.policy]).some((s) => isBroad(snapshot, spec.scoping, s)))
      .map((r) => managedNote(snapshot, r)),
  ].map((note) => `for a person: ${note}`);
  const tooBig = spec.principals.flatMap((principal) => {
    const problem = sizeProblem(
      principal,
      puts.filter((r) => r.principal === principal),
    );
    return problem === undefined ? [] : [`for a person: ${problem}`];
  });
  const documents = puts.map(
    (r) =>
      `the new document of ${r.policy.name} (inline) of ${principalLabel(r.principal)}: ${showDocument(r.document)}`,
  );
  const alongside = puts
    .filter((r) => r.scoped.length > 1)
    .map(
      (r) =>
        `the rewrite of ${r.policy.name} (inline) also carries ${r.scoped
          .filter((s) => s !== spec.scoping)
          .map((s) => SCOPING_WORDS[s])
          .join(", ")}, which ${OTHER_CHECK[r.scoped.find((s) => s !== spec.scoping) as Scoping]} fails: both fixes ` +
        "rewrite the same policy, so one put carries both (applying either applies both)",
    );
  const admins =
    spec.scoping === "passrole"
      ? administratorRolesPassed(snapshot).map(
          (arn) =>
            `${roleLabel(arn)}, which ${label} may still pass, is an administrator: passing it stays an escalation ` +
            "until the task-role-admin fix takes AdministratorAccess away from it (that fix runs before this one in a plan for both)",
        )
      : [];
  const passesRoles = puts.some((r) => r.scoped.includes("passrole"));
  const reads: ResourceRef[] = [...new Set(puts.map((r) => r.principal.arn)).values()].map(
    (arn): ResourceRef => ({ kind: "principal", arn }),
  );
  if (passesRoles) reads.push(...servicesRead(snapshot));
  if (puts.length === 0 || tooBig.length > 0) {
    return manualChange(spec.check, label, spec.title, [...tooBig, ...manual, ...documents, ...admins], reads);
  }
  return {
    check: spec.check,
    resource: label,
    title: spec.title,
    manual: false,
    steps: puts.map(putRewrite),
    outcome:
      manual.length > 0
        ? `${spec.outcome} — as far as its inline policies go: the check fails until a person acts on the notes`
        : spec.outcome,
    risk: spec.risk,
    rollback: puts.map((r) => `${r.policy.name} (inline) of ${principalLabel(r.principal)} is put back as it was`),
    notes: [...documents, ...alongside, ...admins, ...manual],
    reads,
  };
}

/** The principal a verdict names (`user/deploy-bot`). */
export function findPrincipal(snapshot: Snapshot, label: string): SnapshotPrincipal | undefined {
  return snapshot.principals.status === "known"
    ? snapshot.principals.value.find((principal) => principalLabel(principal) === label)
    : undefined;
}

/** What a person must do about a managed policy that is too broad. */
function managedNote(snapshot: Snapshot, rewrite: PolicyRewrite): string {
  const { policy, principal } = rewrite;
  const label = principalLabel(principal);
  if (policy.awsManaged) {
    const taskRole =
      principal.kind === "role" && snapshot.roles[principal.arn] !== undefined
        ? ` (${label} is a task role: the task-role-admin or task-role-broad fix replaces it with a least-privilege policy)`
        : "";
    return (
      `${policy.name} is AWS managed: it cannot be edited. Detach it from ${label} and grant what ${label} needs in ` +
      `a policy of its own${taskRole}`
    );
  }
  const proposal = rewrite.document ? ` (a scoped version: ${showDocument(rewrite.document)})` : "";
  return (
    `${policy.name} is a customer managed policy: it may be attached to other principals, and a new version of it ` +
    `changes them all — decide whether to add a scoped version${proposal} or to detach it and give ${label} an inline copy`
  );
}

/** The services and revisions whose roles a PassRole rewrite names (a deployment changing them makes the plan stale). */
function servicesRead(snapshot: Snapshot): ResourceRef[] {
  if (snapshot.services.status !== "known") return [];
  return snapshot.services.value.flatMap((service): ResourceRef[] => {
    const name = service.service.serviceName;
    const arn = service.service.taskDefinition;
    return name && arn
      ? [
          { kind: "service", name },
          { kind: "task-definition", arn },
        ]
      : [];
  });
}
