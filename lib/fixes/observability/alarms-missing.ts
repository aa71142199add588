// alarms-missing: alarms on what users feel first — the target group's 5xx answers and its latency (p99) — and on the
// service's CPU. They notify nobody until the operator adds actions: who is paged is the team's decision.
import type { Snapshot, SnapshotService } from "../../inventory/snapshot";
import { type FailVerdict, type Fix, manualChange, step } from "../fix";
import type { Change, Json, Step } from "../plan";

const CHECK = "alarms-missing";
const SERVICE_PREFIX = "service ";

/** More than 10 5xx answers in 5 minutes: a count, so tune it to the traffic (or alarm on a rate with metric math). */
export const TARGET_5XX = { threshold: 10, period: 300 } as const;
/** p99 above 1 s in 3 of 5 minutes: one slow minute is noise, three are a trend. */
export const LATENCY_P99 = { threshold: 1, period: 60, evaluationPeriods: 5, datapoints: 3 } as const;
/** Average CPU above 80 % for 5 minutes: the tasks are about to be saturated (an average: one hot task can hide). */
export const CPU_HIGH = { threshold: 80, period: 60, evaluationPeriods: 5, datapoints: 5 } as const;

/** The ARN's resource part as CloudWatch's dimensions name it: `app/my-web-alb/50dc…`, `targetgroup/my-web-tg/73e2…`. */
function arnResource(arn: string, after: string): string | undefined {
  const at = arn.indexOf(after);
  return at < 0 ? undefined : arn.slice(at + after.length);
}

/** The (load balancer, target group) pairs the service is behind, as dimension values. */
function balancedTargets(snapshot: Snapshot, service: SnapshotService): { balancer: string; targetGroup: string }[] {
  const groups = snapshot.targetGroups.status === "known" ? snapshot.targetGroups.value : [];
  return (service.service.loadBalancers ?? []).flatMap((lb) => {
    const group = groups.find((candidate) => candidate.TargetGroupArn === lb.targetGroupArn);
    const targetGroup = lb.targetGroupArn ? arnResource(lb.targetGroupArn, ":targetgroup/") : undefined;
    if (!group || !targetGroup) return [];
    return (group.LoadBalancerArns ?? []).flatMap((arn) => {
      const balancer = arnResource(arn, ":loadbalancer/");
      return balancer ? [{ balancer, targetGroup: `targetgroup/${targetGroup}` }] : [];
    });
  });
}

function alarmStep(input: { [key: string]: Json }, what: string): Step {
  return step(
    `cloudwatch:PutMetricAlarm:${String(input.AlarmName)}`,
    `alarm ${String(input.AlarmName)}: ${what}`,
    { service: "cloudWatch", action: "PutMetricAlarm", input },
    { kind: "alarms" },
  );
}

/** What every alarm of this fix shares: above the threshold is bad, and no data (no traffic) is not a breach. */
const COMMON_SETTINGS = {
  ActionsEnabled: true,
  TreatMissingData: "notBreaching",
  ComparisonOperator: "GreaterThanThreshold",
};

function alarmSteps(cluster: string, service: string, targets: { balancer: string; targetGroup: string }[]): Step[] {
  const steps: Step[] = [];
  for (const { balancer, targetGroup } of targets) {
    if (!balancer.startsWith("app/")) continue;
    // One pair is the usual case; with several, each pair's alarms carry its target group's name.
    const name = targets.length === 1 ? service : `${service}-${targetGroup.split("/")[1]}`;
    const dimensions = [
      { Name: "LoadBalancer", Value: balancer },
      { Name: "TargetGroup", Value: targetGroup },
    ];
    steps.push(
      alarmStep(
        {
          AlarmName: `${name}-target-5xx`,
          AlarmDescription: `ecs-takeover (${CHECK}): more than ${TARGET_5XX.threshold} 5xx answers from ${service}'s targets in 5 minutes`,
          Namespace: "AWS/ApplicationELB",
          MetricName: "HTTPCode_Target_5XX_Count",
          Dimensions: dimensions,
          Statistic: "Sum",
          Period: TARGET_5XX.period,
          EvaluationPeriods: 1,
          Threshold: TARGET_5XX.threshold,
          ...COMMON_SETTINGS,
        },
        `more than ${TARGET_5XX.threshold} target 5xx in 5 minutes`,
      ),
      alarmStep(
        {
          AlarmName: `${name}-target-latency-p99`,
          AlarmDescription: `ecs-takeover (${CHECK}): ${service}'s p99 response time above ${LATENCY_P99.threshold} s in 3 of 5 minutes`,
          Namespace: "AWS/ApplicationELB",
          MetricName: "TargetResponseTime",
          Dimensions: dimensions,
          ExtendedStatistic: "p99",
          Period: LATENCY_P99.period,
          EvaluationPeriods: LATENCY_P99.evaluationPeriods,
          DatapointsToAlarm: LATENCY_P99.datapoints,
          Threshold: LATENCY_P99.threshold,
          ...COMMON_SETTINGS,
        },
        `target response time p99 above ${LATENCY_P99.threshold} s in 3 of 5 minutes`,
      ),
    );
  }
  // CPU first: the check passes once the 5xx and latency alarms exist, so a run killed between alarms leaves it
  // failing and the rerun completes the same set.
  steps.unshift(
    alarmStep(
      {
        AlarmName: `${service}-cpu-high`,
        AlarmDescription: `ecs-takeover (${CHECK}): ${service}'s average CPU above ${CPU_HIGH.threshold} % for 5 minutes`,
        Namespace: "AWS/ECS",
        MetricName: "CPUUtilization",
        Dimensions: [
          { Name: "ClusterName", Value: cluster },
          { Name: "ServiceName", Value: service },
        ],
        Statistic: "Average",
        Period: CPU_HIGH.period,
        EvaluationPeriods: CPU_HIGH.evaluationPeriods,
        DatapointsToAlarm: CPU_HIGH.datapoints,
        Threshold: CPU_HIGH.threshold,
        ...COMMON_SETTINGS,
      },
      `average CPU above ${CPU_HIGH.threshold} % for 5 minutes`,
    ),
  );
  return steps;
}

/** SNS topics other alarms of the account notify: candidates for these alarms' actions, for a person to choose. */
function topicsInUse(snapshot: Snapshot): string[] {
  if (snapshot.alarms.status !== "known") return [];
  const topics = snapshot.alarms.value.flatMap((alarm) => [...(alarm.AlarmActions ?? []), ...(alarm.OKActions ?? [])]);
  return [...new Set(topics.filter((action) => action.includes(":sns:")))].sort();
}

function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  const serviceName = verdict.resource.startsWith(SERVICE_PREFIX)
    ? verdict.resource.slice(SERVICE_PREFIX.length)
    : verdict.resource;
  const title = `alarms on ${serviceName}'s 5xx answers, latency and CPU`;
  const service =
    snapshot.services.status === "known"
      ? snapshot.services.value.find((candidate) => candidate.service.serviceName === serviceName)
      : undefined;
  if (!service) return manualChange(CHECK, verdict.resource, title, [`service ${serviceName} is not in the snapshot`]);
  const cluster = service.service.clusterArn?.split("/").pop() ?? snapshot.scope.cluster;
  const targets = balancedTargets(snapshot, service);
  const existing = new Set(snapshot.alarms.status === "known" ? snapshot.alarms.value.map((a) => a.AlarmName) : []);
  const planned = alarmSteps(cluster, serviceName, targets);
  // An alarm of the same name watches something else (else the check would pass): it is not ours to replace.
  const taken = planned.filter((s) => existing.has(String(s.call.input.AlarmName)));
  const steps = planned.filter((s) => !taken.includes(s));
  const topics = topicsInUse(snapshot);
  const notes = [
    "the alarms notify nobody yet: decide who is paged (the on-call rotation's SNS topic, say) and add it as their " +
      "AlarmActions (and OKActions)",
    ...(topics.length > 0
      ? [`other alarms in the account notify ${topics.join(", ")}: one of them may be the one`]
      : []),
    `the thresholds are starting points: ${TARGET_5XX.threshold} 5xx in 5 minutes is a count (tune it to the traffic), ` +
      `p99 ${LATENCY_P99.threshold} s and CPU ${CPU_HIGH.threshold} % suit a web app; change them to the service's SLO`,
    ...(targets.some((t) => !t.balancer.startsWith("app/"))
      ? ["the service is also behind a Network Load Balancer: it has no 5xx or response-time metrics; not alarmed"]
      : []),
    ...(targets.length === 0 ? ["the service is behind no Application Load Balancer: only its CPU is alarmed"] : []),
    ...taken.map(
      (s) =>
        `an alarm named ${String(s.call.input.AlarmName)} already exists and watches something else: not replaced ` +
        "(rename it, or create this alarm under another name)",
    ),
  ];
  if (steps.length === 0) return manualChange(CHECK, verdict.resource, title, notes);
  return {
    check: CHECK,
    resource: verdict.resource,
    title,
    manual: false,
    steps,
    outcome: `alarms ${steps.map((s) => String(s.call.input.AlarmName)).join(", ")} watch ${serviceName}`,
    risk: "none for the service: alarms only read its metrics (CloudWatch charges a little per alarm and month)",
    rollback: [`the alarms are deleted (${steps.map((s) => String(s.call.input.AlarmName)).join(", ")})`],
    notes,
    reads: [{ kind: "service", name: serviceName }, { kind: "alarms" }],
  };
}

export const fix: Fix = { id: CHECK, plan, writes: ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms"] };
