import { describe, expect, test } from "vitest";
import { fix } from "../../../lib/fixes/observability/log-retention-unset";
import type { Snapshot } from "../../../lib/inventory/snapshot";
import { actions, altered, failing, fixture, PLANTED_SECRET } from "../image/fixture-verdicts";
import { onlyChange } from "./plans";

const GROUP = "/ecs/my-web-app";

function cleanGroup(change: (group: Record<string, unknown> | null) => Record<string, unknown> | null): Snapshot {
  return altered(fixture("clean"), (copy) => {
    const read = copy.logGroups[GROUP];
    if (read?.status !== "known") throw new Error("fixture");
    copy.logGroups[GROUP] = { status: "known", value: change(read.value as Record<string, unknown>) as never };
  });
}

describe("log-retention-unset fix", () => {
  test("a group without retention gets 90 days, and the risk says older events go", () => {
    const change = onlyChange(
      fix,
      cleanGroup((group) => {
        const { retentionInDays: _dropped, ...rest } = group ?? {};
        return rest;
      }),
    );
    expect(change).toMatchObject({ check: "log-retention-unset", resource: `log group ${GROUP}`, manual: false });
    expect(change.steps).toEqual([
      {
        id: `logs:PutRetentionPolicy:${GROUP}`,
        title: `log group ${GROUP}: keep events 90 days`,
        call: { service: "logs", action: "PutRetentionPolicy", input: { logGroupName: GROUP, retentionInDays: 90 } },
        changes: { kind: "log-group", name: GROUP },
      },
    ]);
    expect(change.reads).toEqual([{ kind: "log-group", name: GROUP }]);
    expect(change.risk).toMatch(/older than 90 days are deleted/);
    expect(JSON.stringify(change)).not.toContain(PLANTED_SECRET);
  });

  test("a group that does not exist yet is created first, with the same step ids logging-missing uses", () => {
    const change = onlyChange(
      fix,
      cleanGroup(() => null),
    );
    expect(actions(change)).toEqual(["logs:CreateLogGroup", "logs:PutRetentionPolicy"]);
    expect(change.steps.map((s) => s.id)).toEqual([`logs:CreateLogGroup:${GROUP}`, `logs:PutRetentionPolicy:${GROUP}`]);
  });

  test("a group the containers name in another region is left to a person", () => {
    const snapshot = altered(
      cleanGroup(() => null),
      (copy) => {
        for (const read of Object.values(copy.taskDefinitions)) {
          if (read.status !== "known") continue;
          for (const container of read.value.containerDefinitions) {
            const options = container.logConfiguration?.options;
            if (options) options["awslogs-region"] = "us-east-1";
          }
        }
      },
    );
    const change = onlyChange(fix, snapshot);
    expect(change).toMatchObject({ manual: true, steps: [] });
    expect(change.notes.join(" ")).toMatch(/in us-east-1, not in ap-northeast-1/);
  });

  test("nothing to plan on inherited (no log group named) and clean (30 days)", () => {
    expect(failing(fixture("inherited"), "log-retention-unset")).toEqual([]);
    expect(failing(fixture("clean"), "log-retention-unset")).toEqual([]);
  });
});
