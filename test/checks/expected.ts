// DESIGN §3's table: what an audit of the inherited service must find before any fix.
export const INHERITED_FAILS: readonly string[] = [
  "alarms-missing",
  "alb-http-no-redirect",
  "cloudtrail-off",
  "cluster-access-unscoped",
  "container-insights-off",
  "datastore-sg-open",
  "ecr-lifecycle-missing",
  "ecr-scan-off",
  "ecr-tag-mutable",
  "env-secrets",
  "logging-missing",
  "passrole-escalation",
  "platform-outdated",
  "root-user",
  "rootfs-writable",
  "service-public-ip",
  "task-role-admin",
  "task-sg-open",
  "tracing-missing",
  "untagged",
];
export const INHERITED_UNKNOWN: readonly string[] = ["image-vulnerable"];
/** DESIGN §3: still failing after `fix --all --apply` — plans only, a person must act. */
export const MANUAL_AFTER_FIX: readonly string[] = ["image-vulnerable", "root-user", "rootfs-writable", "untagged"];
