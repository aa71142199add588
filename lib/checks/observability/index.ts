// The observability pillar: metrics, logs, traces and alarms — what an operator needs to see a problem coming.
import type { Check } from "../check";
import { check as alarmsMissing } from "./alarms-missing";
import { check as containerInsightsOff } from "./container-insights-off";
import { check as logRetentionUnset } from "./log-retention-unset";
import { check as loggingBlocking } from "./logging-blocking";
import { check as loggingMissing } from "./logging-missing";
import { check as tracingMissing } from "./tracing-missing";
import { check as xrayDaemonEos } from "./xray-daemon-eos";

export const observabilityChecks: readonly Check[] = [
  containerInsightsOff,
  loggingMissing,
  loggingBlocking,
  logRetentionUnset,
  tracingMissing,
  xrayDaemonEos,
  alarmsMissing,
];
