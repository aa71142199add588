// The audit fixes: a trail that records the account's API calls, with log files that can be proven unaltered.
import type { Fix } from "../fix";
import { fix as cloudtrailNoValidation } from "./cloudtrail-no-validation";
import { fix as cloudtrailOff } from "./cloudtrail-off";

export const AUDIT_FIXES: readonly Fix[] = [cloudtrailOff, cloudtrailNoValidation];
