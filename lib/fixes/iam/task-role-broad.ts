// task-role-broad: the same least-privilege replacement as task-role-admin, for the managed policies whose statements
// are broad (`s3:*`, NotAction, an action on `"Resource": "*"`). The evidence is the same — the services the role
// used and the resources its configuration names — and detaching a managed policy is undone by attaching it again.
// A broad statement in an inline policy makes it a plan only: it could only be deleted or rewritten, and a policy
// somebody wrote for the role is not deleted by this tool.
import { statementsOf } from "../../checks/iam/policy";
import { broadness } from "../../checks/iam/task-role-broad";
import type { Snapshot } from "../../inventory/snapshot";
import type { FailVerdict, Fix } from "../fix";
import type { Change } from "../plan";
import { LEAST_PRIVILEGE_POLICY, leastPrivilegeChange, TASK_ROLE_WRITES } from "./task-role";

const ID = "task-role-broad";

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  return leastPrivilegeChange(
    ID,
    snapshot,
    verdict,
    (policies) =>
      policies.filter((p) => p.name !== LEAST_PRIVILEGE_POLICY && statementsOf([p]).flatMap(broadness).length > 0),
    "the broad permissions",
  );
}

export const fix: Fix = { id: ID, plan, writes: TASK_ROLE_WRITES };
