// `npm run fixtures`: the Snapshots of the sandbox's scenarios, as discover() reads them, for pure tests of checks
// and plans (test/fixtures/snapshots/<scenario>.json). Deterministic: fixed clock, fixed redaction key, one request
// at a time.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAws } from "../lib/aws/client";
import { discover } from "../lib/inventory/discover";
import type { Snapshot } from "../lib/inventory/snapshot";
import { saveSnapshot } from "../lib/inventory/store";
import { projectRoot } from "../lib/project";
import { startSandbox } from "../lib/sandbox/server";

export const FIXTURE_SCENARIOS = ["inherited", "incident", "clean"] as const;
export const FIXTURE_CLOCK = "2026-11-28T00:00:00Z";

export async function scenarioSnapshot(scenario: (typeof FIXTURE_SCENARIOS)[number]): Promise<Snapshot> {
  const keyPath = join(mkdtempSync(join(tmpdir(), "fixture-key-")), "key");
  writeFileSync(keyPath, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", { mode: 0o600 }); // hex, fixtures only
  const sandbox = await startSandbox({ scenario, clock: FIXTURE_CLOCK });
  const aws = createAws({
    endpoint: sandbox.endpoint,
    region: "ap-northeast-1",
    credentials: { accessKeyId: "AKIAFIXTURE", secretAccessKey: "x" },
    concurrency: 1,
  });
  try {
    return await discover(aws, { cluster: "my-cluster", keyPath });
  } finally {
    aws.destroy();
    await sandbox.stop();
  }
}

if (require.main === module) {
  (async () => {
    for (const scenario of FIXTURE_SCENARIOS) {
      saveSnapshot(
        join(projectRoot, "test", "fixtures", "snapshots", `${scenario}.json`),
        await scenarioSnapshot(scenario),
      );
    }
  })();
}
