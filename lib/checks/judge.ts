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

/**
 * The unknowns that leave the judged task definitions incomplete: the services unread (one verdict for the cluster),
 * or a definition unread. Checks that judge what the definitions name (images, repositories) start with these.
 */
export function unreadDefinitions(snapshot: Snapshot): Verdict[] {
  if (snapshot.services.status === "unknown") return [unknownVerdict(clusterLabel(snapshot), snapshot.services)];
  return judgedTaskDefinitions(snapshot).flatMap((judged) =>
    judged.definition.status === "unknown" ? [unknownVerdict(judged.name, judged.definition)] : [],
  );
}

/** A verdict before it is given its resource name. */
export type Judgement =
  | { readonly status: "pass"; readonly detail?: string }
  | { readonly status: "fail"; readonly detail: string }
  | { readonly status: "unknown"; readonly reason: string; readonly missing?: string };

/** Task-definition checks read the services (which revisions run) and the definitions themselves. */
export const TASK_DEFINITION_READS = ["ecs:ListServices", "ecs:DescribeServices", "ecs:DescribeTaskDefinition"];

/** `cluster my-cluster`: what a check names when it cannot even list the services. */
export function clusterLabel(snapshot: Snapshot): string {
  return `cluster ${snapshot.scope.cluster}`;
}

/**
 * Judges each judged task definition, named `family:revision`. Unread services or definitions are unknown (never
 * nothing, never pass); `judge` returns undefined for a definition it has nothing to say about.
 */
export function eachTaskDefinition(
  snapshot: Snapshot,
  judge: (definition: SnapshotTaskDefinition, judged: JudgedTaskDefinition) => Judgement | undefined,
): Verdict[] {
  // judgedTaskDefinitions gives [] when the services are unknown: that must not read as "nothing to judge".
  if (snapshot.services.status === "unknown") return [unknownVerdict(clusterLabel(snapshot), snapshot.services)];
  const verdicts: Verdict[] = [];
  for (const judged of judgedTaskDefinitions(snapshot)) {
    if (judged.definition.status === "unknown") {
      verdicts.push(unknownVerdict(judged.name, judged.definition));
      continue;
    }
    const judgement = judge(judged.definition.value, judged);
    if (judgement) verdicts.push({ ...judgement, resource: judged.name });
  }
  return verdicts;
}

/** The judgement for data that could not be read: fail closed, name the missing action. */
export function unknownJudgement(read: Extract<Snapshot["cluster"], { status: "unknown" }>): Judgement {
  return {
    status: "unknown",
    reason: `${read.error}: ${read.message}`,
    ...(read.missing ? { missing: read.missing } : {}),
  };
}
