// How the observability checks recognise what a task definition sends where: tracing sidecars by their image, and
// the CloudWatch log groups its containers write to.
import type { SnapshotContainer, SnapshotTaskDefinition } from "../../inventory/snapshot";
import { parseImage } from "../image/repositories";

export type TracingSidecar = "adot" | "xray-daemon";

/**
 * The tracing collector a container is, from its image name: the ADOT collector (aws-otel-collector), an
 * OpenTelemetry collector, or the X-Ray daemon (amazon/aws-xray-daemon, public.ecr.aws/xray/aws-xray-daemon).
 */
export function tracingSidecar(container: SnapshotContainer): TracingSidecar | undefined {
  if (!container.image) return undefined;
  const name = parseImage(container.image).name;
  if (name === "aws-otel-collector" || name.startsWith("opentelemetry-collector")) return "adot";
  if (name === "aws-xray-daemon" || name === "xray-daemon") return "xray-daemon";
  return undefined;
}

/** Environment variables by which an app sends traces to a collector outside its task. */
const TRACE_EXPORT_VARIABLES = [
  "OTEL_EXPORTER_OTLP_ENDPOINT",
  "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
  "AWS_XRAY_DAEMON_ADDRESS",
];

/** The container that sends traces to a collector elsewhere (named by an environment variable), if any. */
export function exportsTracesElsewhere(definition: SnapshotTaskDefinition): SnapshotContainer | undefined {
  return definition.containerDefinitions.find((container) =>
    (container.environment ?? []).some((variable) => TRACE_EXPORT_VARIABLES.includes(variable.name)),
  );
}

/** A CloudWatch log group a container writes to, and whether the log driver creates it when missing. */
export interface LogDestination {
  readonly logGroup: string;
  readonly container: string;
  readonly createsGroup: boolean;
}

/** The log groups of awslogs containers and of FireLens routes to CloudWatch Logs. */
export function logDestinations(definition: SnapshotTaskDefinition): LogDestination[] {
  return definition.containerDefinitions.flatMap((container): LogDestination[] => {
    const configuration = container.logConfiguration;
    const options = configuration?.options ?? {};
    const name = container.name ?? "(unnamed)";
    if (configuration?.logDriver === "awslogs" && options["awslogs-group"]) {
      return [
        {
          logGroup: options["awslogs-group"],
          container: name,
          createsGroup: options["awslogs-create-group"] === "true",
        },
      ];
    }
    const firelensToCloudWatch = options.Name === "cloudwatch_logs" || options.Name === "cloudwatch";
    if (configuration?.logDriver === "awsfirelens" && firelensToCloudWatch && options.log_group_name) {
      return [
        { logGroup: options.log_group_name, container: name, createsGroup: options.auto_create_group === "true" },
      ];
    }
    return [];
  });
}
