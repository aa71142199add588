// The audit pillar: whether the account keeps a trustworthy record of who called which AWS API.
import type { Check } from "../check";
import { check as cloudtrailNoValidation } from "./cloudtrail-no-validation";
import { check as cloudtrailOff } from "./cloudtrail-off";

export const auditChecks: readonly Check[] = [cloudtrailOff, cloudtrailNoValidation];
