// What apply knows of each CloudWatch write action (see ../action.ts). An alarm is observed as its settings (what
// PutMetricAlarm takes; its state changes by the minute and is left out). PutMetricAlarm replaces an alarm of the same
// name wholesale, so apply never lets it overwrite an alarm whose settings differ from the plan's: that alarm is
// someone's, and the operator renames or removes it first.
import { type MetricAlarm, paginateDescribeAlarms } from "@aws-sdk/client-cloudwatch";
import type { Aws } from "../../aws/client";
import { type ActionTable, canonical, field, toJson } from "../action";
import type { Call, Json } from "../plan";

/** The PutMetricAlarm members DescribeAlarms gives back: an alarm's settings. */
const ALARM_SETTINGS = [
  "AlarmName",
  "AlarmDescription",
  "ActionsEnabled",
  "OKActions",
  "AlarmActions",
  "InsufficientDataActions",
  "MetricName",
  "Namespace",
  "Statistic",
  "ExtendedStatistic",
  "Dimensions",
  "Period",
  "Unit",
  "EvaluationPeriods",
  "DatapointsToAlarm",
  "Threshold",
  "ComparisonOperator",
  "TreatMissingData",
  "EvaluateLowSampleCountPercentile",
  "Metrics",
  "ThresholdMetricId",
] as const;

export const CLOUDWATCH_ACTIONS: ActionTable = {
  PutMetricAlarm: {
    observe: async (aws, input) => (await alarmSettings(aws, [String(input.AlarmName)]))[0] ?? null,
    satisfied: (observed, input) => {
      if (observed === null) return undefined;
      // Only what the plan sets is compared: actions an operator added to the alarm since are theirs to keep.
      const differs = ALARM_SETTINGS.filter(
        (key) =>
          input[key] !== undefined &&
          canonical(comparable(key, input[key])) !== canonical(comparable(key, field(observed, key))),
      );
      if (differs.length > 0) {
        throw new Error(
          `alarm ${String(input.AlarmName)} already exists with other settings (${differs.join(", ")}): refusing to ` +
            "overwrite it (rename or delete it, then plan again)",
        );
      }
      return { AlarmName: String(input.AlarmName) };
    },
    output: (_response, input) => ({ AlarmName: String(input.AlarmName) }),
    undo: (input, before): Call[] =>
      before === null
        ? [{ service: "cloudWatch", action: "DeleteAlarms", input: { AlarmNames: [String(input.AlarmName)] } }]
        : [{ service: "cloudWatch", action: "PutMetricAlarm", input: before as { [key: string]: Json } }],
  },
  DeleteAlarms: {
    observe: async (aws, input) => ({ alarms: await alarmSettings(aws, (input.AlarmNames as string[]) ?? []) }),
    satisfied: (observed) => {
      const alarms = field(observed, "alarms");
      return Array.isArray(alarms) && alarms.length === 0 ? {} : undefined;
    },
    output: () => ({}),
    // Deleted alarms come back with the settings they had (their history does not: CloudWatch keeps none for them).
    undo: (_input, before): Call[] => {
      const alarms = field(before, "alarms");
      return (Array.isArray(alarms) ? alarms : []).map((alarm) => ({
        service: "cloudWatch",
        action: "PutMetricAlarm",
        input: alarm as { [key: string]: Json },
      }));
    },
  },
};

/** The settings of the named metric alarms that exist, in name order. */
async function alarmSettings(aws: Aws, names: readonly string[]): Promise<Json[]> {
  if (names.length === 0) return [];
  const found: MetricAlarm[] = [];
  const pages = paginateDescribeAlarms(
    { client: aws.cloudWatch },
    { AlarmNames: [...names], AlarmTypes: ["MetricAlarm"] },
  );
  for await (const page of pages) found.push(...(page.MetricAlarms ?? []));
  return found
    .sort((a, b) => String(a.AlarmName).localeCompare(String(b.AlarmName)))
    .map((alarm) => {
      const settings: Record<string, unknown> = {};
      for (const key of ALARM_SETTINGS) if (alarm[key] !== undefined) settings[key] = alarm[key];
      return toJson(settings);
    });
}

/** Dimensions come back in any order; a missing list is an empty one. */
function comparable(key: string, value: unknown): unknown {
  if (key !== "Dimensions") return value ?? null;
  const list = Array.isArray(value) ? (value as { Name?: string }[]) : [];
  return [...list].sort((a, b) => String(a.Name).localeCompare(String(b.Name)));
}
