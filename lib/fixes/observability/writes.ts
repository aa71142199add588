// The write actions the observability fixes call, in the groups their steps come in, for each fix's `writes` (the
// README's apply policy): what their steps call and what rolling them back calls.

/** The shared deployment a task-definition edit rides on: a tagged new revision, the service updated to it. */
export const DEPLOY_WRITES: readonly string[] = [
  "ecs:RegisterTaskDefinition",
  "ecs:TagResource",
  "ecs:UpdateService",
  "iam:PassRole",
];

/** A log group created (tagged) with a retention, the retention restored on rollback. */
export const LOG_GROUP_WRITES: readonly string[] = [
  "logs:CreateLogGroup",
  "logs:TagResource",
  "logs:PutRetentionPolicy",
  "logs:DeleteRetentionPolicy",
];

/** An inline policy put on a role, deleted (or put back as it was) on rollback. */
export const ROLE_POLICY_WRITES: readonly string[] = ["iam:PutRolePolicy", "iam:DeleteRolePolicy"];
