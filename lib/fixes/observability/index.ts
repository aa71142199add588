// The observability fixes: metrics (Container Insights), logs, traces and alarms, in the order the checks run.
import type { Fix } from "../fix";
import { fix as alarmsMissing } from "./alarms-missing";
import { fix as containerInsightsOff } from "./container-insights-off";
import { fix as logRetentionUnset } from "./log-retention-unset";
import { fix as loggingBlocking } from "./logging-blocking";
import { fix as loggingMissing } from "./logging-missing";
import { fix as tracingMissing } from "./tracing-missing";
import { fix as xrayDaemonEos } from "./xray-daemon-eos";

export const OBSERVABILITY_FIXES: readonly Fix[] = [
  containerInsightsOff,
  loggingMissing,
  loggingBlocking,
  logRetentionUnset,
  tracingMissing,
  xrayDaemonEos,
  alarmsMissing,
];
