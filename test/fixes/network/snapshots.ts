// The scenarios' snapshot fixtures for the network fix tests, and ways to vary them: the failing verdict a fix is
// given, a security group's inbound permissions replaced, a plan that must hold no secret.
import { join } from "node:path";
import type { SecurityGroup } from "@aws-sdk/client-ec2";
import { expect } from "vitest";
import type { Check } from "../../../lib/checks/check";
import type { FailVerdict } from "../../../lib/fixes/fix";
import type { Plain, Snapshot } from "../../../lib/inventory/snapshot";
import { loadSnapshot } from "../../../lib/inventory/store";
import { projectRoot } from "../../../lib/project";

export const PLANTED_SECRET = "mysupersecretpasswd";

export function fixture(scenario: "inherited" | "clean"): Snapshot {
  return loadSnapshot(join(projectRoot, "test", "fixtures", "snapshots", `${scenario}.json`));
}

/** The inherited groups, by their Name tag. */
export function groupId(snapshot: Snapshot, name: string): string {
  const groups = snapshot.securityGroups.status === "known" ? snapshot.securityGroups.value : [];
  const found = groups.find((g) => g.Tags?.some((t) => t.Key === "Name" && t.Value === name));
  if (!found?.GroupId) throw new Error(`no group named ${name}`);
  return found.GroupId;
}

/** The check's failing verdicts on the snapshot. */
export function failures(check: Check, snapshot: Snapshot): FailVerdict[] {
  return check.run(snapshot).filter((v): v is FailVerdict => v.status === "fail");
}

/** The one failing verdict, asserted to be there. */
export function failure(check: Check, snapshot: Snapshot): FailVerdict {
  const found = failures(check, snapshot);
  expect(found).toHaveLength(1);
  return found[0] as FailVerdict;
}

type Permission = NonNullable<Plain<SecurityGroup>["IpPermissions"]>[number];

/** The snapshot with one group's inbound permissions replaced (and its rule list left as it was). */
export function withIngress(snapshot: Snapshot, id: string, permissions: readonly Permission[]): Snapshot {
  if (snapshot.securityGroups.status === "unknown") return snapshot;
  return {
    ...snapshot,
    securityGroups: {
      status: "known",
      value: snapshot.securityGroups.value.map((g) =>
        g.GroupId === id ? { ...g, IpPermissions: [...permissions] } : g,
      ),
    },
  };
}

export function expectNoSecret(value: unknown): void {
  expect(JSON.stringify(value)).not.toContain(PLANTED_SECRET);
}
