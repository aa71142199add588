// The README's apply policy covers every call a plan makes: planned on the inherited fixture, every step's action
// (and the reads apply makes) is in the generated policy.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { CHECKS } from "../../lib/checks/registry";
import { audit } from "../../lib/checks/report";
import { IAM_PREFIX } from "../../lib/fixes/action";
import { applyActions, fixesTable } from "../../lib/fixes/docs";
import { plan } from "../../lib/fixes/planner";
import { FIXES } from "../../lib/fixes/registry";
import type { Snapshot } from "../../lib/inventory/snapshot";
import { projectRoot } from "../../lib/project";

const inherited = JSON.parse(
  readFileSync(join(projectRoot, "test", "fixtures", "snapshots", "inherited.json"), "utf8"),
) as Snapshot;

/** Where an API's IAM action has another name than the operation. */
const IAM_NAMES: Record<string, string> = { "s3:PutPublicAccessBlock": "s3:PutBucketPublicAccessBlock" };

describe("the apply policy", () => {
  test("holds every action the plan for the inherited service calls", () => {
    const made = plan(inherited, audit(inherited, CHECKS).findings);
    const calls = made.changes
      .flatMap((c) => c.steps)
      .map((s) => `${IAM_PREFIX[s.call.service]}:${s.call.action}`)
      .map((name) => IAM_NAMES[name] ?? name);
    expect(calls.length).toBeGreaterThan(15);
    const policy = new Set(applyActions(FIXES));
    expect(calls.filter((call) => !policy.has(call))).toEqual([]);
    expect(policy.has("iam:PassRole")).toBe(true);
  });

  test("the fixes table lists every fix once, manual ones as plan only", () => {
    const table = fixesTable(FIXES, CHECKS);
    for (const fix of FIXES) expect(table.split(`| \`${fix.id}\` |`)).toHaveLength(2);
    expect(table).toMatch(/\| `root-user` \| [^|]+\| plan only \|/);
    expect(table).toMatch(/\| `env-secrets` \| [^|]+\| yes \|/);
  });
});
