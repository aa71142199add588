// platform-outdated: a Fargate service pinned to a platform version older than the latest (1.4.0 on Linux, 1.0.0 on
// Windows, the values Security Hub ECS.10 uses). LATEST, or no version (which means LATEST), passes.
import type { Snapshot, SnapshotService } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { ecsGuide, securityHub } from "../references";
import { eachService, type Judgement } from "./scope";

export const LATEST_LINUX_PLATFORM = "1.4.0";
export const LATEST_WINDOWS_PLATFORM = "1.0.0";

export const meta: CheckMeta = {
  id: "platform-outdated",
  title: "A Fargate service runs an old platform version",
  pillar: "runtime",
  severity: "medium",
  why:
    "The Fargate platform version is the kernel and container runtime under the tasks. A service pinned to an old " +
    "one stays behind: runtime changes and features (EFS volumes, more ephemeral storage, network metrics came with " +
    `${LATEST_LINUX_PLATFORM}) arrive only in newer versions, and AWS retires old ones. LATEST takes the current one.`,
  references: [securityHub("ECS", 10), ecsGuide("Fargate platform versions", "platform-fargate.html")],
  fix: { id: "platform-outdated", manual: false },
  reads: ["ecs:ListServices", "ecs:DescribeServices"],
};

export function isFargate(service: SnapshotService): boolean {
  const { launchType, capacityProviderStrategy } = service.service;
  if (launchType === "FARGATE") return true;
  return (capacityProviderStrategy ?? []).some(
    (s) => s.capacityProvider === "FARGATE" || s.capacityProvider === "FARGATE_SPOT",
  );
}

/** Negative when version a is older than b; versions are dotted numbers (1.3.0). */
function compareVersions(a: string, b: string): number {
  const left = a.split(".").map(Number);
  const right = b.split(".").map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

export function judgePlatform(service: SnapshotService): Judgement | undefined {
  if (!isFargate(service)) return undefined;
  const windows = (service.service.platformFamily ?? "").startsWith("WINDOWS");
  const latest = windows ? LATEST_WINDOWS_PLATFORM : LATEST_LINUX_PLATFORM;
  const version = service.service.platformVersion;
  if (version === undefined || version === "LATEST") {
    return { status: "pass", detail: `platform version LATEST (${latest})` };
  }
  if (!/^\d+(\.\d+)*$/.test(version)) {
    return { status: "unknown", reason: `platform version "${version}" is not one this check can compare` };
  }
  return compareVersions(version, latest) < 0
    ? { status: "fail", detail: `pinned to platform version ${version}; the latest is ${latest} (use LATEST)` }
    : { status: "pass", detail: `platform version ${version}` };
}

export function run(snapshot: Snapshot): Verdict[] {
  return eachService(snapshot, judgePlatform);
}

export const check: Check = { meta, run };
