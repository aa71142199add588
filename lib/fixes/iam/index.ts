// The IAM fixes: the task's own roles first (the execution role, then least privilege for the task role), then who
// may change the cluster or pass roles to it. task-role-admin comes before passrole-escalation: passing the task
// role stops being an escalation once the role is no longer an administrator.
import type { Fix } from "../fix";
import { fix as clusterAccessUnscoped } from "./cluster-access-unscoped";
import { fix as executionRoleMissing } from "./execution-role-missing";
import { fix as passroleEscalation } from "./passrole-escalation";
import { fix as taskRoleAdmin } from "./task-role-admin";
import { fix as taskRoleBroad } from "./task-role-broad";

export const IAM_FIXES: readonly Fix[] = [
  executionRoleMissing,
  taskRoleAdmin,
  taskRoleBroad,
  clusterAccessUnscoped,
  passroleEscalation,
];
