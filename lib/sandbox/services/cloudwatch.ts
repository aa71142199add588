// CloudWatch (metrics): generated ECS, Container Insights and ALB series (cloudwatch-metrics.ts) together with
// what PutMetricData stored, read by GetMetricData (cloudwatch-query.ts, with math in cloudwatch-math.ts) and
// ListMetrics; and metric alarms (PutMetricAlarm, DescribeAlarms, DeleteAlarms), which stay INSUFFICIENT_DATA.
import type {
  DescribeAlarmsOutput,
  ListMetricsOutput,
  MetricAlarm,
  MetricDatum,
  PutMetricAlarmInput,
  Tag,
} from "@aws-sdk/client-cloudwatch";
import { AwsError, type RequestContext, type ServiceDefinition } from "../service";
import type { SandboxState } from "../state";
import { type Dimension, metricKey, sortedDimensions } from "./cloudwatch-metrics";
import { type GetMetricDataInput, getMetricData, invalidValue, MetricWorld } from "./cloudwatch-query";

/** One PutMetricData datum at one time: raw values (with counts) or a statistic set. */
export interface StoredPoint {
  /** Epoch ms. */
  t: number;
  values?: number[];
  counts?: number[];
  stats?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
}

export interface StoredMetric {
  Namespace: string;
  MetricName: string;
  Dimensions: Dimension[];
  Unit?: string;
  /** In time order. */
  points: StoredPoint[];
}

export interface CloudWatchState {
  /** By metricKey (namespace, name and sorted dimensions). */
  metrics: Record<string, StoredMetric>;
  /** In creation order; DescribeAlarms sorts by name as AWS does. */
  alarms: MetricAlarm[];
  /** By alarm ARN. */
  tags: Record<string, Tag[]>;
}

export function emptyCloudWatchState(): CloudWatchState {
  return { metrics: {}, alarms: [], tags: {} };
}

type Input = Record<string, unknown>;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

function str(input: Input, name: string): string | undefined {
  const value = input[name];
  return typeof value === "string" ? value : undefined;
}

function missing(name: string): AwsError {
  return new AwsError("MissingRequiredParameterException", `The parameter ${name} is required.`);
}

function tokenFor(offset: number): string {
  return Buffer.from(String(offset)).toString("base64");
}

function offsetOf(token: string | undefined): number {
  if (!token) return 0;
  const offset = Number(Buffer.from(token, "base64").toString("utf8"));
  if (!Number.isInteger(offset) || offset < 0) throw invalidValue("The value of NextToken is invalid.");
  return offset;
}

// ---------------------------------------------------------------------------------------------------------------
// Metrics

function putMetricData(input: Input, context: RequestContext): Record<string, never> {
  const namespace = str(input, "Namespace");
  if (!namespace) throw missing("Namespace");
  if (namespace.startsWith("AWS/")) {
    throw invalidValue(`The value ${namespace} for parameter Namespace is invalid: the AWS/ prefix is reserved.`);
  }
  const data = (input.MetricData ?? []) as MetricDatum[];
  if (data.length === 0) throw missing("MetricData");
  if (data.length > 1000) throw invalidValue("The collection MetricData must not have a size greater than 1000.");
  const now = context.now.getTime();
  const checked = data.map((datum, index) => {
    const where = `MetricData.member.${index + 1}`;
    if (!datum.MetricName) throw missing(`${where}.MetricName`);
    if ((datum.Dimensions?.length ?? 0) > 30) {
      throw invalidValue(`The collection ${where}.Dimensions must not have a size greater than 30.`);
    }
    const t = datum.Timestamp?.getTime() ?? now;
    if (t < now - 14 * DAY_MS || t > now + 2 * HOUR_MS) {
      throw invalidValue(
        `The parameter ${where}.Timestamp must specify a time no more than two weeks in the past and two hours in the future.`,
      );
    }
    const point: StoredPoint = { t };
    const given = [datum.Value !== undefined, datum.Values !== undefined, datum.StatisticValues !== undefined];
    if (given.filter(Boolean).length !== 1) {
      throw new AwsError(
        "InvalidParameterCombinationException",
        `The parameters ${where}.Value, ${where}.Values and ${where}.StatisticValues are mutually exclusive and one is required.`,
      );
    }
    if (datum.Value !== undefined) point.values = [datum.Value];
    if (datum.Values) {
      if (datum.Counts && datum.Counts.length !== datum.Values.length) {
        throw invalidValue(`The parameters ${where}.Values and ${where}.Counts must be of the same size.`);
      }
      point.values = [...datum.Values];
      if (datum.Counts) point.counts = [...datum.Counts];
    }
    if (datum.StatisticValues) {
      const s = datum.StatisticValues;
      point.stats = {
        SampleCount: s.SampleCount ?? 0,
        Sum: s.Sum ?? 0,
        Minimum: s.Minimum ?? 0,
        Maximum: s.Maximum ?? 0,
      };
    }
    if ([...(point.values ?? []), ...(point.counts ?? [])].some((v) => !Number.isFinite(v))) {
      throw invalidValue(`The parameter ${where} has a value that is not a finite number.`);
    }
    return { datum, point };
  });
  for (const { datum, point } of checked) {
    const metric = { Namespace: namespace, MetricName: datum.MetricName ?? "", Dimensions: datum.Dimensions };
    const key = metricKey(metric);
    const stored = context.state.cloudWatch.metrics[key] ?? {
      Namespace: namespace,
      MetricName: metric.MetricName,
      Dimensions: sortedDimensions(datum.Dimensions),
      points: [],
    };
    context.state.cloudWatch.metrics[key] = stored;
    if (datum.Unit) stored.Unit = datum.Unit;
    const points = stored.points;
    let at = points.length;
    while (at > 0 && (points[at - 1]?.t ?? 0) > point.t) at--;
    points.splice(at, 0, point);
  }
  context.changed();
  return {};
}

function listMetrics(input: Input, context: RequestContext): ListMetricsOutput {
  const namespace = str(input, "Namespace");
  const metricName = str(input, "MetricName");
  const filters = (input.Dimensions ?? []) as { Name?: string; Value?: string }[];
  const recent = str(input, "RecentlyActive");
  if (recent !== undefined && recent !== "PT3H")
    throw invalidValue(`The value ${recent} for parameter RecentlyActive is invalid.`);
  const now = context.now.getTime();
  // ListMetrics shows what had data in the last two weeks, or three hours when RecentlyActive says so.
  const from = now - (recent ? 3 * HOUR_MS : 14 * DAY_MS);
  const world = new MetricWorld(context.state, context.now);
  const metrics = world
    .all(from, now + 1)
    .map((s) => s.metric)
    .filter(
      (m) =>
        (namespace === undefined || m.Namespace === namespace) &&
        (metricName === undefined || m.MetricName === metricName) &&
        filters.every((f) =>
          m.Dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)),
        ),
    );
  const offset = offsetOf(str(input, "NextToken"));
  const pageSize = 500;
  const items = metrics.slice(offset, offset + pageSize).map((m) => ({
    Namespace: m.Namespace,
    MetricName: m.MetricName,
    Dimensions: m.Dimensions.map((d) => ({ Name: d.Name, Value: d.Value })),
  }));
  return {
    Metrics: items,
    ...(offset + pageSize < metrics.length ? { NextToken: tokenFor(offset + pageSize) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Alarms

const COMPARISONS = [
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
  "LessThanLowerOrGreaterThanUpperThreshold",
  "LessThanLowerThreshold",
  "GreaterThanUpperThreshold",
];
const STATES = ["OK", "ALARM", "INSUFFICIENT_DATA"];

/** Creates or replaces a metric alarm as PutMetricAlarm does; scenarios use it to seed alarms. */
export function addAlarm(state: SandboxState, input: PutMetricAlarmInput, at: Date = new Date(0)): MetricAlarm {
  const name = input.AlarmName;
  if (!name) throw missing("AlarmName");
  if (name.length > 255) throw invalidValue("The parameter AlarmName must be at most 255 characters long.");
  if (input.EvaluationPeriods === undefined) throw missing("EvaluationPeriods");
  if (input.EvaluationPeriods < 1) throw invalidValue("The parameter EvaluationPeriods must be at least 1.");
  if (!input.ComparisonOperator) throw missing("ComparisonOperator");
  if (!COMPARISONS.includes(input.ComparisonOperator)) {
    throw invalidValue(`The value ${input.ComparisonOperator} for parameter ComparisonOperator is invalid.`);
  }
  const single = input.MetricName !== undefined || input.Namespace !== undefined;
  if (single && input.Metrics?.length) {
    throw new AwsError(
      "InvalidParameterCombinationException",
      "The parameters MetricName and Metrics are mutually exclusive.",
    );
  }
  if (!single && !input.Metrics?.length) throw missing("MetricName");
  if (single) {
    if (!input.MetricName) throw missing("MetricName");
    if (!input.Namespace) throw missing("Namespace");
    if (input.Period === undefined) throw missing("Period");
    if (input.Period < 10 || (input.Period % 60 !== 0 && ![10, 20, 30].includes(input.Period))) {
      throw invalidValue("The parameter Period must be 10, 20, 30 or a multiple of 60.");
    }
    if (!input.Statistic && !input.ExtendedStatistic) throw missing("Statistic");
  }
  if (input.Threshold === undefined && !input.ThresholdMetricId) throw missing("Threshold");
  if (input.DatapointsToAlarm !== undefined && input.DatapointsToAlarm > input.EvaluationPeriods) {
    throw invalidValue("DatapointsToAlarm must be less than or equal to EvaluationPeriods.");
  }

  const alarms = state.cloudWatch.alarms;
  const existing = alarms.find((a) => a.AlarmName === name);
  const arn = `arn:aws:cloudwatch:${state.region}:${state.account}:alarm:${name}`;
  const { Tags, ...config } = input;
  // An update overwrites the configuration and leaves the state as it was.
  const alarm: MetricAlarm = {
    ...config,
    AlarmArn: arn,
    ActionsEnabled: input.ActionsEnabled ?? true,
    OKActions: input.OKActions ?? [],
    AlarmActions: input.AlarmActions ?? [],
    InsufficientDataActions: input.InsufficientDataActions ?? [],
    Dimensions: input.Dimensions ?? [],
    AlarmConfigurationUpdatedTimestamp: at,
    StateValue: existing?.StateValue ?? "INSUFFICIENT_DATA",
    StateReason: existing?.StateReason ?? "Unchecked: Initial alarm creation",
    StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? at,
    StateTransitionedTimestamp: existing?.StateTransitionedTimestamp ?? at,
  };
  if (existing) alarms[alarms.indexOf(existing)] = alarm;
  else {
    alarms.push(alarm);
    if (Tags?.length) state.cloudWatch.tags[arn] = Tags.map((t) => ({ Key: t.Key, Value: t.Value }));
  }
  return alarm;
}

function putMetricAlarm(input: Input, context: RequestContext): Record<string, never> {
  addAlarm(context.state, input as unknown as PutMetricAlarmInput, context.now);
  context.changed();
  return {};
}

function describeAlarms(input: Input, context: RequestContext): DescribeAlarmsOutput {
  const names = (input.AlarmNames ?? []) as string[];
  const prefix = str(input, "AlarmNamePrefix");
  const stateValue = str(input, "StateValue");
  const actionPrefix = str(input, "ActionPrefix");
  const types = (input.AlarmTypes ?? []) as string[];
  if (names.length > 100) throw invalidValue("The collection AlarmNames must not have a size greater than 100.");
  if (names.length > 0 && prefix !== undefined) {
    throw new AwsError(
      "InvalidParameterCombinationException",
      "The parameters AlarmNames and AlarmNamePrefix are mutually exclusive.",
    );
  }
  if (stateValue !== undefined && !STATES.includes(stateValue)) {
    throw invalidValue(`The value ${stateValue} for parameter StateValue is invalid.`);
  }
  const maxRecords = typeof input.MaxRecords === "number" ? input.MaxRecords : 50;
  if (maxRecords < 1 || maxRecords > 100) throw invalidValue("The parameter MaxRecords must be between 1 and 100.");
  // Metric alarms only: no composite alarms are ever created here.
  const wantsMetric = types.length === 0 || types.includes("MetricAlarm");
  const matching = wantsMetric
    ? context.state.cloudWatch.alarms
        .filter(
          (a) =>
            (names.length === 0 || names.includes(a.AlarmName ?? "")) &&
            (prefix === undefined || (a.AlarmName ?? "").startsWith(prefix)) &&
            (stateValue === undefined || a.StateValue === stateValue) &&
            (actionPrefix === undefined ||
              [...(a.AlarmActions ?? []), ...(a.OKActions ?? []), ...(a.InsufficientDataActions ?? [])].some((x) =>
                x.startsWith(actionPrefix),
              )),
        )
        .sort((a, b) => ((a.AlarmName ?? "") < (b.AlarmName ?? "") ? -1 : 1))
    : [];
  const offset = offsetOf(str(input, "NextToken"));
  return {
    MetricAlarms: matching.slice(offset, offset + maxRecords).map((a) => ({ ...a })),
    CompositeAlarms: [],
    ...(offset + maxRecords < matching.length ? { NextToken: tokenFor(offset + maxRecords) } : {}),
  };
}

function describeAlarmsForMetric(input: Input, context: RequestContext): DescribeAlarmsOutput {
  const metricName = str(input, "MetricName");
  const namespace = str(input, "Namespace");
  if (!metricName) throw missing("MetricName");
  if (!namespace) throw missing("Namespace");
  const key = metricKey({
    Namespace: namespace,
    MetricName: metricName,
    Dimensions: (input.Dimensions ?? []) as Dimension[],
  });
  const statistic = str(input, "Statistic");
  const period = input.Period;
  return {
    MetricAlarms: context.state.cloudWatch.alarms.filter(
      (a) =>
        metricKey(a) === key &&
        (statistic === undefined || a.Statistic === statistic) &&
        (period === undefined || a.Period === period),
    ),
  };
}

/** AWS deletes nothing when it fails; an alarm that does not exist is not an error. */
function deleteAlarms(input: Input, context: RequestContext): Record<string, never> {
  const names = (input.AlarmNames ?? []) as string[];
  if (names.length === 0) throw missing("AlarmNames");
  if (names.length > 100) throw invalidValue("The collection AlarmNames must not have a size greater than 100.");
  const cw = context.state.cloudWatch;
  for (const alarm of cw.alarms) if (names.includes(alarm.AlarmName ?? "")) delete cw.tags[alarm.AlarmArn ?? ""];
  cw.alarms = cw.alarms.filter((a) => !names.includes(a.AlarmName ?? ""));
  context.changed();
  return {};
}

function setAlarmState(input: Input, context: RequestContext): Record<string, never> {
  const name = str(input, "AlarmName");
  const value = str(input, "StateValue");
  const reason = str(input, "StateReason");
  if (!name) throw missing("AlarmName");
  if (!value || !STATES.includes(value)) throw invalidValue(`The value ${value} for parameter StateValue is invalid.`);
  if (reason === undefined) throw missing("StateReason");
  const alarm = context.state.cloudWatch.alarms.find((a) => a.AlarmName === name);
  if (!alarm) throw new AwsError("ResourceNotFoundException", `Alarm ${name} not found`);
  if (alarm.StateValue !== value) alarm.StateTransitionedTimestamp = context.now;
  alarm.StateValue = value as MetricAlarm["StateValue"];
  alarm.StateReason = reason;
  alarm.StateUpdatedTimestamp = context.now;
  const data = str(input, "StateReasonData");
  if (data !== undefined) alarm.StateReasonData = data;
  context.changed();
  return {};
}

function listTagsForResource(input: Input, context: RequestContext): { Tags: Tag[] } {
  const arn = str(input, "ResourceARN") ?? "";
  if (!context.state.cloudWatch.alarms.some((a) => a.AlarmArn === arn)) {
    throw new AwsError("ResourceNotFoundException", `Resource ${arn} not found`);
  }
  return { Tags: context.state.cloudWatch.tags[arn] ?? [] };
}

export const cloudWatchService: ServiceDefinition = {
  signingName: "monitoring",
  actionPrefix: "cloudwatch",
  protocol: "awsJson1_0",
  handlers: {
    GetMetricData: (input, context) =>
      getMetricData(new MetricWorld(context.state, context.now), input as GetMetricDataInput),
    ListMetrics: listMetrics,
    PutMetricData: putMetricData,
    PutMetricAlarm: putMetricAlarm,
    DescribeAlarms: describeAlarms,
    DescribeAlarmsForMetric: describeAlarmsForMetric,
    DeleteAlarms: deleteAlarms,
    SetAlarmState: setAlarmState,
    ListTagsForResource: listTagsForResource,
  },
};
