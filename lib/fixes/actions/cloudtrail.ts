// What apply knows of each cloudtrail write action (see ../action.ts): a trail, its settings and its logging.
import { GetTrailCommand, GetTrailStatusCommand } from "@aws-sdk/client-cloudtrail";
import type { Aws } from "../../aws/client";
import { type ActionTable, field, orAbsent, type ResolvedInput, toJson } from "../action";
import type { Call, Json } from "../plan";

/**
 * The inputs of CreateTrail/UpdateTrail and the members of the trail they set. An input member left out means the
 * trail keeps what it has (UpdateTrail) or takes CloudTrail's default (CreateTrail: the value after `?? `).
 */
const SETTINGS: readonly { input: string; trail: string; absent: Json }[] = [
  { input: "S3BucketName", trail: "S3BucketName", absent: null },
  { input: "S3KeyPrefix", trail: "S3KeyPrefix", absent: null },
  { input: "IsMultiRegionTrail", trail: "IsMultiRegionTrail", absent: false },
  { input: "IncludeGlobalServiceEvents", trail: "IncludeGlobalServiceEvents", absent: true },
  { input: "EnableLogFileValidation", trail: "LogFileValidationEnabled", absent: false },
  { input: "KmsKeyId", trail: "KmsKeyId", absent: null },
  { input: "SnsTopicName", trail: "SnsTopicName", absent: null },
  { input: "CloudWatchLogsLogGroupArn", trail: "CloudWatchLogsLogGroupArn", absent: null },
  { input: "CloudWatchLogsRoleArn", trail: "CloudWatchLogsRoleArn", absent: null },
];

function nameOf(input: ResolvedInput): string {
  return String(input.Name);
}

function trailCall(action: string, input: Record<string, Json>): Call {
  return { service: "cloudTrail", action, input };
}

/** The trail's settings as GetTrail reads them, or null when there is no such trail. */
async function trailSettings(aws: Aws, input: ResolvedInput): Promise<Json> {
  const found = await orAbsent(
    () => aws.cloudTrail.send(new GetTrailCommand({ Name: nameOf(input) })),
    "TrailNotFoundException",
  );
  const trail = found?.Trail as Record<string, unknown> | undefined;
  if (trail === undefined) return null;
  const settings: Record<string, unknown> = {
    Name: trail.Name,
    TrailARN: trail.TrailARN,
    HomeRegion: trail.HomeRegion,
  };
  for (const { trail: member } of SETTINGS) settings[member] = trail[member] ?? null;
  return toJson(settings);
}

/** Whether the trail is logging, or null when there is no such trail. */
async function loggingOf(aws: Aws, input: ResolvedInput): Promise<Json> {
  const status = await orAbsent(
    () => aws.cloudTrail.send(new GetTrailStatusCommand({ Name: nameOf(input) })),
    "TrailNotFoundException",
  );
  return status === null ? null : { IsLogging: status.IsLogging === true };
}

/** Whether the observed trail has every setting the input names (with CreateTrail's defaults for the rest). */
function hasSettings(observed: Json, input: ResolvedInput, defaults: boolean): boolean {
  if (observed === null) return false;
  return SETTINGS.every(({ input: member, trail, absent }) => {
    const wanted = input[member];
    if (wanted === undefined && !defaults) return true;
    return (field(observed, trail) ?? null) === ((wanted as Json | undefined) ?? absent);
  });
}

/** CreateTrail's input for a trail as `trailSettings` read it. */
function recreate(before: Json): Record<string, Json> {
  const input: Record<string, Json> = { Name: field(before, "Name") ?? null };
  for (const { input: member, trail } of SETTINGS) {
    const value = field(before, trail);
    if (value !== null && value !== undefined) input[member] = value;
  }
  return input;
}

export const CLOUDTRAIL_ACTIONS: ActionTable = {
  CreateTrail: {
    observe: trailSettings,
    // A trail of that name with other settings is not ours to change: CreateTrail then fails (TrailAlreadyExists).
    satisfied: (observed, input) =>
      hasSettings(observed, input, true) ? { TrailARN: field(observed, "TrailARN") ?? null } : undefined,
    output: (response) => ({ TrailARN: typeof response.TrailARN === "string" ? response.TrailARN : null }),
    undo: (input) => [trailCall("DeleteTrail", { Name: nameOf(input) })],
    iam: ["cloudtrail:CreateTrail", "cloudtrail:GetTrail"],
  },

  UpdateTrail: {
    observe: trailSettings,
    satisfied: (observed, input) => (hasSettings(observed, input, false) ? {} : undefined),
    output: () => ({}),
    // The members the update named go back to what they were ("" clears a text member, as UpdateTrail documents).
    undo: (input, before) => {
      const previous: Record<string, Json> = { Name: nameOf(input) };
      for (const { input: member, trail, absent } of SETTINGS) {
        if (input[member] === undefined) continue;
        const value = field(before, trail) ?? absent;
        previous[member] = value === null ? "" : value;
      }
      return [trailCall("UpdateTrail", previous)];
    },
    iam: ["cloudtrail:UpdateTrail", "cloudtrail:GetTrail"],
  },

  StartLogging: {
    observe: loggingOf,
    satisfied: (observed) => (field(observed, "IsLogging") === true ? {} : undefined),
    output: () => ({}),
    undo: (input, before) =>
      field(before, "IsLogging") === true ? [] : [trailCall("StopLogging", { Name: nameOf(input) })],
    iam: ["cloudtrail:StartLogging", "cloudtrail:GetTrailStatus"],
  },

  StopLogging: {
    observe: loggingOf,
    // A trail that no longer exists logs nothing either.
    satisfied: (observed) => (field(observed, "IsLogging") === true ? undefined : {}),
    output: () => ({}),
    undo: (input, before) =>
      field(before, "IsLogging") === true ? [trailCall("StartLogging", { Name: nameOf(input) })] : [],
    iam: ["cloudtrail:StopLogging", "cloudtrail:GetTrailStatus"],
  },

  DeleteTrail: {
    observe: async (aws, input) => {
      const settings = await trailSettings(aws, input);
      return settings === null ? null : { settings, logging: await loggingOf(aws, input) };
    },
    satisfied: (observed) => (observed === null ? {} : undefined),
    output: () => ({}),
    undo: (input, before) => {
      if (before === null) return [];
      const settings = field(before, "settings") ?? null;
      const logging = field(field(before, "logging"), "IsLogging") === true;
      return [
        trailCall("CreateTrail", recreate(settings)),
        ...(logging ? [trailCall("StartLogging", { Name: nameOf(input) })] : []),
      ];
    },
    iam: ["cloudtrail:DeleteTrail", "cloudtrail:GetTrail", "cloudtrail:GetTrailStatus"],
  },
};
