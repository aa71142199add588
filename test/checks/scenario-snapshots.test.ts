import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { CHECKS } from "../../lib/checks/registry";
import { audit } from "../../lib/checks/report";
import type { Snapshot } from "../../lib/inventory/snapshot";
import { loadSnapshot } from "../../lib/inventory/store";
import { projectRoot } from "../../lib/project";
import { FIXTURE_SCENARIOS, scenarioSnapshot } from "../../scripts/snapshot-fixtures";
import { INHERITED_FAILS, INHERITED_UNKNOWN } from "./expected";

const fixture = (scenario: string): Snapshot =>
  loadSnapshot(join(projectRoot, "test", "fixtures", "snapshots", `${scenario}.json`));

const checksWith = (snapshot: Snapshot, status: "fail" | "unknown") =>
  [
    ...new Set(
      audit(snapshot, CHECKS)
        .findings.filter((f) => f.status === status)
        .map((f) => f.check.id),
    ),
  ].sort();

describe("checks on the scenarios' snapshots", () => {
  test("inherited: the 20 checks of DESIGN §3 fail, image-vulnerable is unknown", () => {
    expect(checksWith(fixture("inherited"), "fail")).toEqual([...INHERITED_FAILS].sort());
    expect(checksWith(fixture("inherited"), "unknown")).toEqual(INHERITED_UNKNOWN);
  });

  test("incident: the observability steps are done, only the alarms are still missing among them", () => {
    const fails = checksWith(fixture("incident"), "fail");
    for (const id of ["container-insights-off", "logging-missing", "tracing-missing"]) expect(fails).not.toContain(id);
    expect(fails).toContain("alarms-missing");
    expect(fails).toContain("task-role-admin");
  });

  test("clean: nothing fails and nothing is unknown", () => {
    expect(checksWith(fixture("clean"), "fail")).toEqual([]);
    expect(checksWith(fixture("clean"), "unknown")).toEqual([]);
  });

  test("no fixture holds the planted password", () => {
    for (const scenario of FIXTURE_SCENARIOS)
      expect(JSON.stringify(fixture(scenario))).not.toContain("mysupersecretpasswd");
  });

  test.each(FIXTURE_SCENARIOS)(
    "the %s fixture is what discover() reads from the sandbox today (npm run fixtures)",
    async (scenario) => {
      expect(JSON.parse(JSON.stringify(await scenarioSnapshot(scenario)))).toEqual(fixture(scenario));
    },
  );
});
