// The README's audit policy must allow everything an audit does: discovery on every scenario uses only listed actions.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { createAws } from "../../lib/aws";
import { auditPolicy } from "../../lib/checks/docs";
import { CHECKS } from "../../lib/checks/registry";
import { discover } from "../../lib/inventory";
import { startSandbox } from "../../lib/sandbox/server";

const keyPath = join(mkdtempSync(join(tmpdir(), "reads-")), "key");
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops) await stop();
});

describe("the audit policy", () => {
  test.each(["inherited", "incident", "clean"] as const)(
    "covers every action discovery makes on %s",
    async (scenario) => {
      const sandbox = await startSandbox({ scenario, clock: "2026-11-28T00:00:00Z" });
      stops.push(() => sandbox.stop());
      const aws = createAws({
        endpoint: sandbox.endpoint,
        region: "ap-northeast-1",
        credentials: { accessKeyId: "AKIASANDBOX", secretAccessKey: "x" },
      });
      await discover(aws, { cluster: "my-cluster", keyPath });
      aws.destroy();
      const allowed = (auditPolicy(CHECKS).Statement[0] as { Action: string[] }).Action;
      const used = Object.keys(aws.counters.byAction);
      expect(used.length).toBeGreaterThan(30);
      expect(used.filter((action) => !allowed.includes(action))).toEqual([]);
      expect(allowed.every((action) => /:(Get|List|Describe|Lookup|Generate|BatchGet)/.test(action))).toBe(true);
    },
  );
});
