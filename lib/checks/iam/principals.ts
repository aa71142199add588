// The IAM users, groups and roles whose policies touch ECS or iam:PassRole (GetAccountAuthorizationDetails), as the
// cluster-access checks read them: named as people name them (`user/deploy-bot`), users with their groups' policies.
import type { Snapshot, SnapshotPrincipal } from "../../inventory/snapshot";
import { type Statement, statementsOf } from "./policy";

export const PRINCIPAL_READS = ["iam:GetAccountAuthorizationDetails"];

/** `user/deploy-bot`, `group/ecs-operators`, `role/ci-deploy`. */
export function principalLabel(principal: SnapshotPrincipal): string {
  return `${principal.kind}/${principal.name}`;
}

/** Service-linked roles belong to AWS services and cannot be changed: not judged. */
export function isServiceLinked(principal: SnapshotPrincipal): boolean {
  return principal.kind === "role" && principal.arn.includes(":role/aws-service-role/");
}

/** The groups of the snapshot a user belongs to (those whose policies touch ECS or PassRole). */
export function groupsOf(principal: SnapshotPrincipal, all: readonly SnapshotPrincipal[]): SnapshotPrincipal[] {
  if (principal.kind !== "user") return [];
  const names = principal.groups ?? [];
  return all.filter((other) => other.kind === "group" && names.includes(other.name));
}

/** What the principal may do: its own statements, and for a user those of its groups too. */
export function effectiveStatements(principal: SnapshotPrincipal, all: readonly SnapshotPrincipal[]): Statement[] {
  return [principal, ...groupsOf(principal, all)].flatMap((p) => statementsOf(p.policies));
}

/** `IAM principals`: what a check names when it could not read them. */
export function principalsLabel(snapshot: Snapshot): string {
  return `IAM principals of account ${snapshot.account}`;
}
