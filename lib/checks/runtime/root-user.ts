// root-user: a Linux container runs as root — `user` unset (the image's USER, root unless the image says
// otherwise), or `root`/`0` with or without a group. Every container is judged, as Security Hub ECS.20 does.
import type { Snapshot, SnapshotContainer } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { ecsGuide, securityHub } from "../references";
import { eachTaskDefinition, isWindows, judgeContainers, TASK_DEFINITION_READS } from "./scope";

export const meta: CheckMeta = {
  id: "root-user",
  title: "A container runs as root",
  pillar: "runtime",
  severity: "medium",
  why:
    "A process running as root inside the container can do far more damage if the app is compromised, and is one " +
    "kernel bug away from root on the host; run it as an unprivileged user (e.g. `user: 1000`).",
  references: [
    securityHub("ECS", 20),
    ecsGuide("Task definition parameters: user", "task_definition_parameters.html#container_definition_security"),
  ],
  // The image must work as another user (file ownership, ports below 1024): a person checks before changing it.
  fix: { id: "root-user", manual: true },
  reads: TASK_DEFINITION_READS,
};

/** Why the container runs as root, or undefined when it names another user. */
export function rootUser(container: SnapshotContainer): string | undefined {
  const user = container.user?.trim();
  if (!user) return "runs as root (no user set: the image's default, root unless the image sets USER)";
  const name = user.split(":")[0];
  return name === "root" || name === "0" ? `runs as root (user ${user})` : undefined;
}

export function run(snapshot: Snapshot): Verdict[] {
  return eachTaskDefinition(snapshot, (definition) =>
    isWindows(definition)
      ? undefined
      : judgeContainers(definition, rootUser, "every container runs as a non-root user"),
  );
}

export const check: Check = { meta, run };
