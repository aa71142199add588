// What the runtime, observability and image checks look at, and how they fail closed on it: each task definition
// the services run (DESIGN §2, "latest revision that runs"), each service, each container. The task-definition walk
// is the shared one in ../judge.ts, re-exported here for the pillars that import it from this file.
import type { Snapshot, SnapshotContainer, SnapshotService, SnapshotTaskDefinition } from "../../inventory/snapshot";
import type { Verdict } from "../check";
import { clusterLabel, type Judgement, unknownVerdict } from "../judge";

export {
  clusterLabel,
  eachTaskDefinition,
  type Judgement,
  TASK_DEFINITION_READS,
  unknownJudgement,
} from "../judge";

/** Judges each service of the snapshot, named `service my-web-service`; unknown services are one unknown verdict. */
export function eachService(snapshot: Snapshot, judge: (service: SnapshotService) => Judgement | undefined): Verdict[] {
  if (snapshot.services.status === "unknown") return [unknownVerdict(clusterLabel(snapshot), snapshot.services)];
  const verdicts: Verdict[] = [];
  for (const service of snapshot.services.value) {
    const judgement = judge(service);
    if (judgement) verdicts.push({ ...judgement, resource: serviceName(service) });
  }
  return verdicts;
}

export function serviceName(service: SnapshotService): string {
  return `service ${service.service.serviceName ?? service.service.serviceArn ?? "(unnamed)"}`;
}

/** ECS makes a container essential unless its definition says `essential: false`. */
export function isEssential(container: SnapshotContainer): boolean {
  return container.essential !== false;
}

/** Windows task definitions: readonlyRootFilesystem and Linux users do not apply (Security Hub marks them N/A). */
export function isWindows(definition: SnapshotTaskDefinition): boolean {
  return (definition.runtimePlatform?.operatingSystemFamily ?? "").startsWith("WINDOWS");
}

/** `container my-web-app` or `sidecar aws-otel-collector` (a non-essential container), as a finding names it. */
export function containerLabel(container: SnapshotContainer): string {
  return `${isEssential(container) ? "container" : "sidecar"} ${container.name ?? "(unnamed)"}`;
}

/**
 * Judges every container of a definition by one rule: fail naming each offender and why, else pass. `offence`
 * returns why a container breaks the rule, or undefined when it does not.
 */
export function judgeContainers(
  definition: SnapshotTaskDefinition,
  offence: (container: SnapshotContainer) => string | undefined,
  passDetail: string,
): Judgement {
  const offences = definition.containerDefinitions.flatMap((container) => {
    const why = offence(container);
    return why === undefined ? [] : [`${containerLabel(container)} ${why}`];
  });
  return offences.length > 0 ? { status: "fail", detail: offences.join("; ") } : { status: "pass", detail: passDetail };
}
