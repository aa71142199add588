// The IAM checks: the task's own roles, and who may change the cluster or escalate through it.
import type { Check } from "../check";
import { check as clusterAccessUnscoped } from "./cluster-access-unscoped";
import { check as executionRoleMissing } from "./execution-role-missing";
import { check as passroleEscalation } from "./passrole-escalation";
import { check as taskRoleAdmin } from "./task-role-admin";
import { check as taskRoleBroad } from "./task-role-broad";

export const iamChecks: readonly Check[] = [
  taskRoleAdmin,
  taskRoleBroad,
  executionRoleMissing,
  clusterAccessUnscoped,
  passroleEscalation,
];
