import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../lib/errors";
import { diffSnapshots } from "../../lib/inventory/diff";
import type { Snapshot, SnapshotTaskDefinition } from "../../lib/inventory/snapshot";
import { loadSnapshot, saveSnapshot } from "../../lib/inventory/store";
import { snapshotOf } from "../checks/fixtures";

const ARN = "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/my-web-app:1";

function withPassword(hmac: string): Snapshot {
  const definition: SnapshotTaskDefinition = {
    taskDefinitionArn: ARN,
    family: "my-web-app",
    containerDefinitions: [
      {
        name: "my-web-app",
        environment: [
          { name: "DB_HOST", value: "db.internal" },
          { name: "DB_PASSWD", value: { redacted: true, length: 19, hmac, reason: "name" } },
        ],
      },
    ],
  };
  return snapshotOf({ taskDefinitions: { [ARN]: { status: "known", value: definition } } });
}

describe("snapshots on disk", () => {
  it("round-trips through save and load", () => {
    const path = join(mkdtempSync(join(tmpdir(), "snap-")), "snapshot.json");
    const snapshot = withPassword("a".repeat(64));
    saveSnapshot(path, snapshot);
    expect(loadSnapshot(path)).toEqual(snapshot);
  });

  it("refuses a file that is not a version 1 snapshot", () => {
    const path = join(mkdtempSync(join(tmpdir(), "snap-")), "other.json");
    writeFileSync(path, JSON.stringify({ version: 2 }));
    expect(() => loadSnapshot(path)).toThrow(UsageError);
    expect(() => loadSnapshot(join(path, "missing"))).toThrow(UsageError);
  });
});

describe("diffSnapshots", () => {
  it("says only that a secret value changed", () => {
    const changes = diffSnapshots(withPassword("a".repeat(64)), withPassword("b".repeat(64)));
    expect(changes).toEqual([
      {
        resource: `taskDefinitions/${ARN}`,
        field: "containerDefinitions.my-web-app.environment.DB_PASSWD.value",
        before: "«redacted»",
        after: "«redacted» (changed)",
      },
    ]);
    expect(JSON.stringify(changes)).not.toContain("aaaa");
  });

  it("finds nothing between equal snapshots", () => {
    expect(diffSnapshots(withPassword("a".repeat(64)), withPassword("a".repeat(64)))).toEqual([]);
  });
});
