// tracing-missing: a task definition the services run has no tracing sidecar — an ADOT (OpenTelemetry) collector or
// an X-Ray daemon — and its containers name no collector elsewhere (OTEL_EXPORTER_OTLP_ENDPOINT,
// AWS_XRAY_DAEMON_ADDRESS). An X-Ray daemon passes here; xray-daemon-eos asks for its migration to ADOT.
import type { Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { eachTaskDefinition, TASK_DEFINITION_READS } from "../runtime/scope";
import { exportsTracesElsewhere, tracingSidecar } from "./telemetry-containers";

export const meta: CheckMeta = {
  id: "tracing-missing",
  title: "A service sends no traces",
  pillar: "observability",
  severity: "medium",
  why:
    "Metrics say a request is slow and logs say which one; only a trace says where the time went — in the app, " +
    "in the database, in a call to another service. An ADOT collector sidecar sends the app's OpenTelemetry " +
    "traces to X-Ray.",
  references: [
    { label: "Seed talk, observability: traces" },
    {
      label: "AWS Distro for OpenTelemetry on Amazon ECS",
      url: "https://aws-otel.github.io/docs/setup/ecs",
    },
    {
      label: "X-Ray: migrate to OpenTelemetry",
      url: "https://docs.aws.amazon.com/xray/latest/devguide/xray-sdk-migration.html",
    },
  ],
  fix: { id: "tracing-missing", manual: false },
  reads: TASK_DEFINITION_READS,
};

export function run(snapshot: Snapshot): Verdict[] {
  return eachTaskDefinition(snapshot, (definition) => {
    const sidecar = definition.containerDefinitions.find((container) => tracingSidecar(container) !== undefined);
    if (sidecar) {
      const kind = tracingSidecar(sidecar) === "adot" ? "an OpenTelemetry collector" : "an X-Ray daemon";
      return { status: "pass", detail: `${sidecar.name} is ${kind}` };
    }
    const elsewhere = exportsTracesElsewhere(definition);
    if (elsewhere) return { status: "pass", detail: `${elsewhere.name} sends traces to a collector outside the task` };
    return { status: "fail", detail: "no tracing sidecar (ADOT collector or X-Ray daemon)" };
  });
}

export const check: Check = { meta, run };
