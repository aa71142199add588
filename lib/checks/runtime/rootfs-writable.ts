// rootfs-writable: a container can write to its root filesystem. Every container is judged, sidecars included,
// as Security Hub ECS.5 does: a compromised sidecar is as good a foothold as the app. Windows definitions are
// skipped (the parameter does not exist there).
import type { Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { ecsGuide, securityHub } from "../references";
import { eachTaskDefinition, isWindows, judgeContainers, TASK_DEFINITION_READS } from "./scope";

export const meta: CheckMeta = {
  id: "rootfs-writable",
  title: "A container's root filesystem is writable",
  pillar: "runtime",
  severity: "high",
  why:
    "With a writable root filesystem, an attacker who gets into a container can change its programs and drop " +
    "tools that stay until the task stops; read-only (with a volume for the paths the app must write) stops that.",
  references: [
    securityHub("ECS", 5),
    ecsGuide(
      "Task definition parameters: readonlyRootFilesystem",
      "task_definition_parameters.html#container_definition_storage",
    ),
  ],
  // The app may write to its filesystem (temp files, caches): it needs volumes for those first, a person's call.
  fix: { id: "rootfs-writable", manual: true },
  reads: TASK_DEFINITION_READS,
};

export function run(snapshot: Snapshot): Verdict[] {
  return eachTaskDefinition(snapshot, (definition) => {
    if (isWindows(definition)) return undefined;
    return judgeContainers(
      definition,
      (container) =>
        container.readonlyRootFilesystem === true
          ? undefined
          : container.readonlyRootFilesystem === false
            ? "has a writable root filesystem (readonlyRootFilesystem false)"
            : "has a writable root filesystem (readonlyRootFilesystem not set)",
      "every container has a read-only root filesystem",
    );
  });
}

export const check: Check = { meta, run };
