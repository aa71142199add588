// The resource a runtime verdict names (`my-web-app:1`, `service my-web-service`, `cluster my-cluster`), found in
// the snapshot: the ResourceRef its change reads, and the containers the verdict judged.
import { clusterLabel, type JudgedTaskDefinition, judgedTaskDefinitions } from "../../checks/judge";
import { serviceName } from "../../checks/runtime/scope";
import type { Snapshot, SnapshotContainer, SnapshotService } from "../../inventory/snapshot";
import type { ResourceRef } from "../plan";

/** The judged revision a verdict names (`my-web-app:1`). */
export function judgedRevision(snapshot: Snapshot, resource: string): JudgedTaskDefinition | undefined {
  return judgedTaskDefinitions(snapshot).find((judged) => judged.name === resource);
}

/** The containers of the revision a verdict names (none when it was not read). */
export function containersOf(snapshot: Snapshot, resource: string): readonly SnapshotContainer[] {
  const judged = judgedRevision(snapshot, resource);
  return judged?.definition.status === "known" ? judged.definition.value.containerDefinitions : [];
}

/** The service a verdict names (`service my-web-service`). */
export function serviceOf(snapshot: Snapshot, resource: string): SnapshotService | undefined {
  if (snapshot.services.status !== "known") return undefined;
  return snapshot.services.value.find((service) => serviceName(service) === resource);
}

/** What a verdict on a cluster, a service or a task definition read, as a precondition can fingerprint it. */
export function referenceOf(snapshot: Snapshot, resource: string): ResourceRef[] {
  if (resource === clusterLabel(snapshot)) return [{ kind: "cluster" }];
  const service = serviceOf(snapshot, resource);
  if (service?.service.serviceName) return [{ kind: "service", name: service.service.serviceName }];
  const judged = judgedRevision(snapshot, resource);
  return judged ? [{ kind: "task-definition", arn: judged.arn }] : [];
}
