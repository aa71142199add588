// Small shared steps of judging: failing closed on unknown reads, and finding what a check should look at.
import type { Known, Snapshot, SnapshotService, SnapshotTaskDefinition } from "../inventory/snapshot";
import type { Verdict } from "./check";

type Unknown = Extract<Known<unknown>, { status: "unknown" }>;

/** The unknown verdict for a resource whose data could not be read: fail closed, name the missing action. */
export function unknownVerdict(resource: string, unknown: Unknown): Verdict {
  return {
    status: "unknown",
    resource,
    reason: `${unknown.error}: ${unknown.message}`,
    ...(unknown.missing ? { missing: unknown.missing } : {}),
  };
}

/** The first of several reads that failed, if any. */
export function firstUnknown(...reads: readonly Known<unknown>[]): Unknown | undefined {
  return reads.find((read): read is Unknown => read.status === "unknown");
}

/** A task definition a service runs (or the latest ACTIVE revision of its family), with who runs it. */
export interface JudgedTaskDefinition {
  readonly arn: string;
  /** `family:revision`, as people name it. */
  readonly name: string;
  readonly services: readonly string[];
  readonly definition: Known<SnapshotTaskDefinition>;
}

/**
 * The revisions checks judge (DESIGN §2, "latest revision that runs"): those the services' deployments run and the
 * latest ACTIVE revision of each family — never the whole history.
 */
export function judgedTaskDefinitions(snapshot: Snapshot): JudgedTaskDefinition[] {
  if (snapshot.services.status !== "known") return [];
  const byArn = new Map<string, Set<string>>();
  const add = (arn: string | undefined, service: SnapshotService) => {
    if (!arn) return;
    const services = byArn.get(arn) ?? new Set<string>();
    services.add(service.service.serviceName ?? "");
    byArn.set(arn, services);
  };
  for (const service of snapshot.services.value) {
    for (const arn of service.runningRevisions) add(arn, service);
    add(service.latestRevision, service);
  }
  return [...byArn.entries()].map(([arn, services]) => ({
    arn,
    name: arn.split("/").pop() ?? arn,
    services: [...services],
    definition: snapshot.taskDefinitions[arn] ?? {
      status: "unknown",
      error: "NotRead",
      message: `task definition ${arn} was not read`,
    },
  }));
}
