// The tracing sidecar the observability fixes add: an AWS Distro for OpenTelemetry (ADOT) collector that receives
// the app's traces on localhost (OTLP on 4317/4318, X-Ray SDK segments on UDP 2000) and sends them to X-Ray, and
// the task-role permission it needs. tracing-missing and xray-daemon-eos plan the same container and edits, so a
// plan that has both carries them once.
import type { SnapshotContainer, SnapshotTaskDefinition } from "../../inventory/snapshot";
import type { Json, TaskDefinitionEdit } from "../plan";
import { NON_BLOCKING } from "./log-group";
import type { Permission } from "./role-permission";

export const COLLECTOR_NAME = "aws-otel-collector";

/** Pinned, so every task runs the same collector; move it on deliberately (the releases are on the ADOT site). */
export const COLLECTOR_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.45.0";

/** The image's own ECS configuration: OTLP and X-Ray receivers, the X-Ray exporter (and EMF for app metrics). */
export const COLLECTOR_CONFIG = "--config=/etc/ecs/ecs-default-config.yaml";

/** What the collector needs to send traces and read sampling rules (AWSXRayDaemonWriteAccess's actions). */
export const XRAY_WRITE_ACTIONS = [
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "xray:GetSamplingStatisticSummaries",
] as const;

/** X-Ray's write actions take no resource-level permissions: `*` is the narrowest Resource there is. */
export const XRAY_PERMISSION: Permission = {
  role: "task role",
  actions: XRAY_WRITE_ACTIONS,
  resource: "*",
  usedOn: "*",
  policyName: "ecs-takeover-xray",
};

/** The app's awslogs container, whose group and region the collector's own logs share. */
export function appAwslogs(definition: SnapshotTaskDefinition): SnapshotContainer | undefined {
  return definition.containerDefinitions.find(
    (container) =>
      container.essential !== false &&
      container.logConfiguration?.logDriver === "awslogs" &&
      container.logConfiguration.options?.["awslogs-group"] !== undefined,
  );
}

/**
 * The collector container: not essential (the app keeps serving if it stops), as its image's unprivileged user
 * (10001) on a read-only root filesystem, logging beside the app when the app uses awslogs.
 */
export function collectorDefinition(definition: SnapshotTaskDefinition): { [key: string]: Json } {
  const options = appAwslogs(definition)?.logConfiguration?.options;
  const group = options?.["awslogs-group"];
  return {
    name: COLLECTOR_NAME,
    image: COLLECTOR_IMAGE,
    essential: false,
    command: [COLLECTOR_CONFIG],
    user: "10001",
    readonlyRootFilesystem: true,
    ...(group !== undefined
      ? {
          logConfiguration: {
            logDriver: "awslogs",
            options: {
              "awslogs-group": group,
              ...(options?.["awslogs-region"] !== undefined ? { "awslogs-region": options["awslogs-region"] } : {}),
              "awslogs-stream-prefix": "otel",
              ...NON_BLOCKING,
            },
          },
        }
      : {}),
  };
}

/** Add the collector, and start each app container once the collector has started (no spans lost at start-up). */
export function collectorEdits(
  definition: SnapshotTaskDefinition,
  removed: readonly string[] = [],
): TaskDefinitionEdit[] {
  const apps = definition.containerDefinitions.filter(
    (container) => container.essential !== false && container.name !== undefined && !removed.includes(container.name),
  );
  return [
    { kind: "add-container", definition: collectorDefinition(definition) },
    ...apps.map(
      (app): TaskDefinitionEdit => ({
        kind: "depends-on",
        container: app.name as string,
        dependsOn: { containerName: COLLECTOR_NAME, condition: "START" },
      }),
    ),
  ];
}

/** What the operator must know about a collector this tool added. */
export function collectorNotes(definition: SnapshotTaskDefinition): string[] {
  return [
    "the app must send traces: instrument it with the OpenTelemetry SDK exporting OTLP to localhost:4317 (gRPC) or " +
      "localhost:4318 (HTTP), or keep an X-Ray SDK sending to localhost:2000 (UDP) — the collector listens on all " +
      "three; an app that sends nothing gives no traces. After the deployment, check that traces of the service " +
      "appear in X-Ray (GetTraceSummaries, or the X-Ray console's trace map)",
    "the collector shares the task's CPU and memory (it uses some tens of MB); raise the task size if the app " +
      "already uses most of it",
    "if the app also sends metrics (OTLP or StatsD), the collector writes them as EMF to the log group " +
      "/aws/ecs/application/metrics: the task role then also needs logs:CreateLogGroup, logs:CreateLogStream, " +
      "logs:PutLogEvents and logs:DescribeLogStreams there — not granted by this fix",
    "the tasks pull the collector from public.ecr.aws: their subnets need a route to it (NAT gateway or public IP)",
    ...(appAwslogs(definition) === undefined
      ? [
          `the app has no awslogs configuration, so ${COLLECTOR_NAME}'s own logs are not collected: once the app ` +
            "logs to CloudWatch, give the collector the same configuration with stream prefix otel",
        ]
      : []),
  ];
}
