// verify(aws, plan): reads everything again and re-runs the checks the plan fixes, so the operator sees each one
// pass (or still fail, with why) on the resources the plan changed.

import type { Aws } from "../aws/client";
import type { Verdict } from "../checks/check";
import { findCheck } from "../checks/registry";
import { discover } from "../inventory/discover";
import type { Plan } from "./plan";

export interface Verification {
  readonly check: string;
  readonly resource: string;
  readonly manual: boolean;
  /** The check's verdicts now, on the resource the change was for. */
  readonly verdicts: readonly Verdict[];
  /** Every verdict passes (a manual change usually does not until a person acts). */
  readonly passed: boolean;
}

export async function verify(aws: Aws, plan: Plan): Promise<Verification[]> {
  const snapshot = await discover(aws, plan.scope);
  return plan.changes
    .filter((change) => change.check !== "deploy")
    .map((change) => {
      const check = findCheck(change.check);
      const all = check?.run(snapshot) ?? [];
      // A revision a fix replaced is no longer judged (checks judge what services run): then judge its successors.
      const own = all.filter((v) => v.resource === change.resource);
      const verdicts = own.length > 0 ? own : all;
      return {
        check: change.check,
        resource: change.resource,
        manual: change.manual,
        verdicts,
        passed: verdicts.length > 0 && verdicts.every((v) => v.status === "pass"),
      };
    });
}
