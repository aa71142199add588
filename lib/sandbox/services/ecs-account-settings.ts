// ECS account settings: explicit ones per principal (type "user") over AWS's defaults (type "aws_managed").
// The sandbox has one caller, the account root, so a setting without principalArn is the account default.
import type {
  DeleteAccountSettingRequest,
  DeleteAccountSettingResponse,
  ListAccountSettingsRequest,
  ListAccountSettingsResponse,
  PutAccountSettingDefaultRequest,
  PutAccountSettingDefaultResponse,
  PutAccountSettingRequest,
  PutAccountSettingResponse,
  Setting,
  SettingName,
} from "@aws-sdk/client-ecs";
import { AwsError, type RequestContext } from "../service";
import type { SandboxState } from "../state";
import { rootArn } from "./ecs-arns";
import { page } from "./ecs-paging";

/** Each setting's default for an account today, and the values ECS accepts for it. */
const SETTINGS: Record<SettingName, { default: string; values: readonly string[] }> = {
  awsvpcTrunking: { default: "disabled", values: ["enabled", "disabled"] },
  containerInsights: { default: "disabled", values: ["enabled", "enhanced", "disabled"] },
  containerInstanceLongArnFormat: { default: "enabled", values: ["enabled", "disabled"] },
  defaultLogDriverMode: { default: "non-blocking", values: ["blocking", "non-blocking"] },
  fargateEventWindows: { default: "disabled", values: ["enabled", "disabled"] },
  fargateFIPSMode: { default: "disabled", values: ["enabled", "disabled"] },
  fargateTaskRetirementWaitPeriod: { default: "7", values: ["0", "7", "14"] },
  guardDutyActivate: { default: "off", values: ["on", "off"] },
  serviceLongArnFormat: { default: "enabled", values: ["enabled", "disabled"] },
  tagResourceAuthorization: { default: "on", values: ["on", "off"] },
  taskLongArnFormat: { default: "enabled", values: ["enabled", "disabled"] },
};

const isSettingName = (name: string | undefined): name is SettingName => name !== undefined && name in SETTINGS;

/** Sets a setting for a principal (the account root by default), as PutAccountSetting does. */
export function putAccountSetting(
  state: SandboxState,
  name: string | undefined,
  value: string | undefined,
  principalArn?: string,
): Setting {
  if (!isSettingName(name)) throw new AwsError("InvalidParameterException", `Invalid setting name: ${name}.`);
  if (!SETTINGS[name].values.includes(value ?? "")) {
    throw new AwsError(
      "InvalidParameterException",
      `Invalid value for ${name}: ${value}. Valid values are ${SETTINGS[name].values.join(", ")}.`,
    );
  }
  const principal = principalArn ?? rootArn(state);
  const setting: Setting = { name, value, principalArn: principal, type: "user" };
  state.ecs.accountSettings = [
    ...state.ecs.accountSettings.filter((s) => !(s.name === name && s.principalArn === principal)),
    setting,
  ];
  return setting;
}

export function putAccountSettingOperation(
  request: PutAccountSettingRequest,
  context: RequestContext,
): PutAccountSettingResponse {
  const setting = putAccountSetting(context.state, request.name, request.value, request.principalArn);
  context.changed();
  return { setting };
}

export function putAccountSettingDefault(
  request: PutAccountSettingDefaultRequest,
  context: RequestContext,
): PutAccountSettingDefaultResponse {
  const setting = putAccountSetting(context.state, request.name, request.value);
  context.changed();
  return { setting };
}

/** DeleteAccountSetting: the principal falls back to the account's (or AWS's) setting. */
export function deleteAccountSetting(
  request: DeleteAccountSettingRequest,
  context: RequestContext,
): DeleteAccountSettingResponse {
  if (!isSettingName(request.name))
    throw new AwsError("InvalidParameterException", `Invalid setting name: ${request.name}.`);
  const principal = request.principalArn ?? rootArn(context.state);
  const existing = context.state.ecs.accountSettings.find(
    (s) => s.name === request.name && s.principalArn === principal,
  );
  context.state.ecs.accountSettings = context.state.ecs.accountSettings.filter((s) => s !== existing);
  context.changed();
  return { setting: existing ?? { name: request.name, principalArn: principal } };
}

/** ListAccountSettings: a principal's explicit settings, or (effectiveSettings) what applies to it. */
export function listAccountSettings(
  request: ListAccountSettingsRequest,
  context: RequestContext,
): ListAccountSettingsResponse {
  if (request.value !== undefined && request.name === undefined) {
    throw new AwsError("InvalidParameterException", "A setting name must be specified when a value is specified.");
  }
  if (request.name !== undefined && !isSettingName(request.name)) {
    throw new AwsError("InvalidParameterException", `Invalid setting name: ${request.name}.`);
  }
  const state = context.state;
  const root = rootArn(state);
  const principal = request.principalArn ?? root;
  const explicit = (name: SettingName, who: string) =>
    state.ecs.accountSettings.find((s) => s.name === name && s.principalArn === who);
  const settings = request.effectiveSettings
    ? (Object.keys(SETTINGS) as SettingName[]).map(
        (name): Setting =>
          explicit(name, principal) ??
          explicit(name, root) ?? { name, value: SETTINGS[name].default, principalArn: principal, type: "aws_managed" },
      )
    : state.ecs.accountSettings.filter((s) => s.principalArn === principal);
  const matching = settings.filter(
    (s) =>
      (request.name === undefined || s.name === request.name) &&
      (request.value === undefined || s.value === request.value),
  );
  const { items, ...more } = page("ListAccountSettings", matching, request);
  return { settings: items, ...more };
}
