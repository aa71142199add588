// The revision a verdict names (`family:revision`) as a service runs it: a fix that changes a task definition
// registers a new revision from the one the service runs and deploys it to that service — never to a revision only
// registered (the latest ACTIVE one a check also judges), which no deployment would pick up.
import type { Snapshot, SnapshotTaskDefinition } from "../../inventory/snapshot";
import { familyOf } from "../task-definition";

export interface RunningRevision {
  readonly cluster: string;
  readonly service: string;
  /** The revision's ARN: the base of the new one. */
  readonly arn: string;
  readonly family: string;
  readonly definition: SnapshotTaskDefinition;
  /** Other services of the scope that run the same revision (one change deploys to one service). */
  readonly alsoRunBy: readonly string[];
}

/** The service running `name` (`my-web-app:1`) as its task definition, or why there is none. */
export function runningRevision(snapshot: Snapshot, name: string): RunningRevision | { readonly missing: string } {
  if (snapshot.services.status === "unknown") {
    return { missing: `the services of ${snapshot.scope.cluster} could not be read (${snapshot.services.error})` };
  }
  const running = snapshot.services.value
    .filter((s) => (s.service.taskDefinition ?? "").split("/").pop() === name && s.service.serviceName)
    .sort((a, b) => String(a.service.serviceName).localeCompare(String(b.service.serviceName)));
  const first = running[0];
  if (!first?.service.taskDefinition) {
    return {
      missing:
        `no service of ${snapshot.scope.cluster} runs ${name} (it is the latest registered revision of its family): ` +
        "fix the revision a service runs, or deploy this one first",
    };
  }
  const arn = first.service.taskDefinition;
  const definition = snapshot.taskDefinitions[arn];
  // Two tests, not one `||`: tslab type-checks lib without strictNullChecks, where `=== undefined` narrows nothing.
  if (definition === undefined) return { missing: `task definition ${name} could not be read` };
  if (definition.status === "unknown") {
    return { missing: `task definition ${name} could not be read (${definition.error})` };
  }
  return {
    cluster: snapshot.scope.cluster,
    service: String(first.service.serviceName),
    arn,
    family: definition.value.family ?? familyOf(arn),
    definition: definition.value,
    alsoRunBy: running.slice(1).map((s) => String(s.service.serviceName)),
  };
}

/** The notes that say a revision's other services need the new revision too. */
export function alsoRunByNotes(revision: RunningRevision): string[] {
  if (revision.alsoRunBy.length === 0) return [];
  return [
    `${revision.alsoRunBy.join(", ")} also run${revision.alsoRunBy.length === 1 ? "s" : ""} ${revision.arn.split("/").pop()}: ` +
      `this plan deploys the new revision to ${revision.service} only; update the others to it once it is verified`,
  ];
}
