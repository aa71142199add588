// xray-daemon-eos: a task definition runs the X-Ray daemon as its tracing sidecar. AWS put the X-Ray daemon and
// SDKs in maintenance on 2026-02-25 and ends their support on 2027-02-25, recommending OpenTelemetry (an ADOT
// collector). The detail says where the snapshot's date stands against those two dates.
import type { Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { eachTaskDefinition, TASK_DEFINITION_READS } from "../runtime/scope";
import { tracingSidecar } from "./telemetry-containers";

export const XRAY_MAINTENANCE = "2026-02-25";
export const XRAY_END_OF_SUPPORT = "2027-02-25";

export const meta: CheckMeta = {
  id: "xray-daemon-eos",
  title: "A task runs the X-Ray daemon, which reaches end of support",
  pillar: "observability",
  severity: "low",
  why:
    `The X-Ray daemon and SDKs have been in maintenance since ${XRAY_MAINTENANCE} (security fixes only) and lose ` +
    `support on ${XRAY_END_OF_SUPPORT}. AWS recommends OpenTelemetry: an ADOT collector sidecar sends the same ` +
    "traces to X-Ray and keeps receiving fixes.",
  references: [
    {
      label: "X-Ray SDK and daemon support timeline",
      url: "https://docs.aws.amazon.com/xray/latest/devguide/xray-sdk-daemon-timeline.html",
    },
    {
      label: "X-Ray: migrate to OpenTelemetry",
      url: "https://docs.aws.amazon.com/xray/latest/devguide/xray-sdk-migration.html",
    },
    { label: "AWS Distro for OpenTelemetry on Amazon ECS", url: "https://aws-otel.github.io/docs/setup/ecs" },
  ],
  fix: { id: "xray-daemon-eos", manual: false },
  reads: TASK_DEFINITION_READS,
};

/** Where a date (the snapshot's) stands in the X-Ray daemon's support timeline. */
export function supportStatus(takenAt: string): string {
  const day = takenAt.slice(0, 10);
  if (day >= XRAY_END_OF_SUPPORT) return `past its end of support (${XRAY_END_OF_SUPPORT})`;
  if (day >= XRAY_MAINTENANCE) return `in maintenance since ${XRAY_MAINTENANCE}, end of support ${XRAY_END_OF_SUPPORT}`;
  return `in maintenance from ${XRAY_MAINTENANCE}, end of support ${XRAY_END_OF_SUPPORT}`;
}

export function run(snapshot: Snapshot): Verdict[] {
  return eachTaskDefinition(snapshot, (definition) => {
    const daemons = definition.containerDefinitions.filter((container) => tracingSidecar(container) === "xray-daemon");
    if (daemons.length === 0) return { status: "pass", detail: "no X-Ray daemon" };
    const names = daemons.map((daemon) => daemon.name ?? "(unnamed)").join(", ");
    return {
      status: "fail",
      detail: `${names} is the X-Ray daemon, ${supportStatus(snapshot.takenAt)}: replace it with an ADOT collector`,
    };
  });
}

export const check: Check = { meta, run };
