// alarms-missing: no CloudWatch alarm watches the service — neither its own metrics (AWS/ECS or
// ECS/ContainerInsights with its ClusterName and ServiceName) nor its load balancer or target group
// (AWS/ApplicationELB with the LoadBalancer or TargetGroup dimension). A service behind a load balancer needs the
// two signals its users feel: an alarm on 5xx answers and one on latency (TargetResponseTime). Metric-math alarms
// count by the metrics they read.
import type { MetricAlarm } from "@aws-sdk/client-cloudwatch";
import type { Plain, Snapshot, SnapshotService } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { eachService, type Judgement, unknownJudgement } from "../runtime/scope";

export const meta: CheckMeta = {
  id: "alarms-missing",
  title: "No alarm watches a service",
  pillar: "observability",
  severity: "medium",
  why:
    "Without an alarm nobody is told when the service's CPU is pinned or its load balancer answers errors or slowly: " +
    "users notice first. Alarms on CPU, 5xx and latency wake someone before that.",
  references: [
    { label: "Seed talk, observability: metrics" },
    {
      label: "Using Amazon CloudWatch alarms",
      url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html",
    },
    {
      label: "CloudWatch recommended alarms (ECS, Application Load Balancer)",
      url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html",
    },
  ],
  fix: { id: "alarms-missing", manual: false },
  reads: [
    "ecs:ListServices",
    "ecs:DescribeServices",
    "elasticloadbalancing:DescribeTargetGroups",
    "cloudwatch:DescribeAlarms",
  ],
};

type Dimensions = readonly { Name?: string; Value?: string }[];

/** Every metric an alarm reads: its own, or each of a metric-math alarm's. */
function alarmMetrics(alarm: Plain<MetricAlarm>): { namespace: string; name: string; dimensions: Dimensions }[] {
  if (alarm.Namespace) {
    return [{ namespace: alarm.Namespace, name: alarm.MetricName ?? "", dimensions: alarm.Dimensions ?? [] }];
  }
  return (alarm.Metrics ?? []).flatMap((query) => {
    const metric = query.MetricStat?.Metric;
    return metric?.Namespace
      ? [{ namespace: metric.Namespace, name: metric.MetricName ?? "", dimensions: metric.Dimensions ?? [] }]
      : [];
  });
}

/** The user-facing signals of a load-balanced service, by the ALB metrics that carry them. */
const FRONT_SIGNALS: readonly { readonly label: string; readonly metrics: readonly string[] }[] = [
  { label: "5xx answers", metrics: ["HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count"] },
  { label: "latency", metrics: ["TargetResponseTime"] },
];

const dimension = (dimensions: Dimensions, name: string) => dimensions.find((d) => d.Name === name)?.Value;

/** The ARN's resource part as CloudWatch names it: `app/my-web-alb/50dc…`, `targetgroup/my-web-tg/73e2…`. */
function arnSuffix(arn: string, marker: string): string | undefined {
  const at = arn.indexOf(marker);
  return at < 0 ? undefined : arn.slice(at + marker.length);
}

/** What an alarm must name to watch a service: the service itself, its target groups, or their load balancers. */
interface Watched {
  readonly cluster: string;
  readonly service: string | undefined;
  readonly targetGroupArns: readonly string[];
  /** `targetgroup/my-web-tg/73e2…`, as the TargetGroup dimension says it. */
  readonly targetGroups: readonly string[];
  /** `app/my-web-alb/50dc…`, as the LoadBalancer dimension says it (known only with the target groups read). */
  readonly balancers: ReadonlySet<string>;
}

function watchedBy(snapshot: Snapshot, service: SnapshotService): Watched {
  const targetGroupArns = (service.service.loadBalancers ?? []).flatMap((lb) =>
    lb.targetGroupArn ? [lb.targetGroupArn] : [],
  );
  const targetGroups = targetGroupArns.flatMap((arn) => {
    const suffix = arnSuffix(arn, ":targetgroup/");
    return suffix ? [`targetgroup/${suffix}`] : [];
  });
  const balancers = new Set<string>();
  if (snapshot.targetGroups.status === "known") {
    for (const group of snapshot.targetGroups.value) {
      if (!group.TargetGroupArn || !targetGroupArns.includes(group.TargetGroupArn)) continue;
      for (const arn of group.LoadBalancerArns ?? []) {
        const suffix = arnSuffix(arn, ":loadbalancer/");
        if (suffix) balancers.add(suffix);
      }
    }
  }
  const cluster = snapshot.cluster.status === "known" ? snapshot.cluster.value.clusterName : undefined;
  return {
    cluster: cluster ?? snapshot.scope.cluster,
    service: service.service.serviceName,
    targetGroupArns,
    targetGroups,
    balancers,
  };
}

function watches(alarm: Plain<MetricAlarm>, watched: Watched, metricNames?: readonly string[]): boolean {
  return alarmMetrics(alarm).some(({ namespace, name, dimensions }) => {
    if (metricNames !== undefined && !metricNames.includes(name)) return false;
    if (namespace === "AWS/ECS" || namespace === "ECS/ContainerInsights") {
      return (
        dimension(dimensions, "ClusterName") === watched.cluster &&
        dimension(dimensions, "ServiceName") === watched.service
      );
    }
    if (namespace !== "AWS/ApplicationELB") return false;
    const group = dimension(dimensions, "TargetGroup");
    if (group !== undefined) return watched.targetGroups.includes(group);
    const balancer = dimension(dimensions, "LoadBalancer");
    return balancer !== undefined && watched.balancers.has(balancer);
  });
}

export function run(snapshot: Snapshot): Verdict[] {
  const alarms = snapshot.alarms;
  return eachService(snapshot, (service): Judgement => {
    if (alarms.status === "unknown") return unknownJudgement(alarms);
    const watched = watchedBy(snapshot, service);
    const watching = alarms.value.filter((alarm) => watches(alarm, watched));
    const unwatched =
      watched.targetGroupArns.length === 0
        ? []
        : FRONT_SIGNALS.filter((signal) => !alarms.value.some((alarm) => watches(alarm, watched, signal.metrics)));
    if (watching.length > 0 && unwatched.length === 0) {
      return { status: "pass", detail: `watched by ${watching.map((alarm) => alarm.AlarmName).join(", ")}` };
    }
    // An alarm on the load balancer may exist, but without the target groups we cannot tell which balancer is ours.
    if (watched.targetGroupArns.length > 0 && snapshot.targetGroups.status === "unknown") {
      return unknownJudgement(snapshot.targetGroups);
    }
    if (watching.length > 0) {
      return {
        status: "fail",
        detail:
          `watched by ${watching.map((alarm) => alarm.AlarmName).join(", ")}, but no alarm on its ` +
          `${unwatched.map((signal) => signal.label).join(" or ")} behind the load balancer`,
      };
    }
    return { status: "fail", detail: "no CloudWatch alarm on the service's metrics or its load balancer" };
  });
}

export const check: Check = { meta, run };
