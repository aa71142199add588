// task-role-admin: the task role gets an inferred least-privilege policy (last-accessed services × the resources the
// task's configuration names), shown for review, and AdministratorAccess — any managed policy allowing every action
// on every resource — is detached. The role stays; rollback re-attaches what was detached.
import { administratorPolicy } from "../../checks/iam/policy";
import type { Snapshot } from "../../inventory/snapshot";
import type { FailVerdict, Fix } from "../fix";
import type { Change } from "../plan";
import { LEAST_PRIVILEGE_POLICY, leastPrivilegeChange, TASK_ROLE_WRITES } from "./task-role";

const ID = "task-role-admin";

export function plan(snapshot: Snapshot, verdict: FailVerdict): Change {
  return leastPrivilegeChange(
    ID,
    snapshot,
    verdict,
    (policies) => policies.filter((p) => p.name !== LEAST_PRIVILEGE_POLICY && administratorPolicy([p]) !== undefined),
    "administrator access",
  );
}

export const fix: Fix = { id: ID, plan, writes: TASK_ROLE_WRITES };
