// DESIGN §3's table for the network, secrets and iam checks: what the inherited web service fails, and that the
// clean one passes everything — the false-positive guard.
import { describe, expect, test } from "vitest";
import type { Check, Verdict } from "../../../lib/checks/check";
import { iamChecks } from "../../../lib/checks/iam";
import { networkChecks } from "../../../lib/checks/network";
import { secretsChecks } from "../../../lib/checks/secrets";
import { DB_PASSWD_REDACTED, webService } from "./web-service";

const CHECKS: readonly Check[] = [...networkChecks, ...secretsChecks, ...iamChecks];

function statuses(verdicts: readonly Verdict[]): string[] {
  return [...new Set(verdicts.map((v) => v.status))].sort();
}

function byCheck(posture: "inherited" | "clean"): Record<string, Verdict[]> {
  const snapshot = webService(posture);
  return Object.fromEntries(CHECKS.map((check) => [check.meta.id, check.run(snapshot)]));
}

describe("the network, secrets and iam checks on the web service", () => {
  test("the lists hold the ids the issue names, each once", () => {
    expect(networkChecks.map((c) => c.meta.id)).toEqual([
      "task-sg-open",
      "datastore-sg-open",
      "sg-world-open",
      "service-public-ip",
      "alb-http-no-redirect",
    ]);
    expect(secretsChecks.map((c) => c.meta.id)).toEqual(["env-secrets", "secrets-unreadable"]);
    expect(iamChecks.map((c) => c.meta.id)).toEqual([
      "task-role-admin",
      "task-role-broad",
      "execution-role-missing",
      "cluster-access-unscoped",
      "passrole-escalation",
    ]);
  });

  test("inherited: the fail row of DESIGN §3, and the rest pass or have nothing to judge", () => {
    const verdicts = byCheck("inherited");
    for (const id of [
      "task-sg-open",
      "datastore-sg-open",
      "service-public-ip",
      "alb-http-no-redirect",
      "env-secrets",
      "task-role-admin",
      "cluster-access-unscoped",
      "passrole-escalation",
    ]) {
      expect(statuses(verdicts[id] ?? []), id).toContain("fail");
      expect(statuses(verdicts[id] ?? []), id).not.toContain("unknown");
    }
    for (const id of ["task-role-broad", "secrets-unreadable", "execution-role-missing", "sg-world-open"]) {
      expect(
        statuses(verdicts[id] ?? []).filter((s) => s !== "pass"),
        id,
      ).toEqual([]);
    }
    expect(verdicts["execution-role-missing"]).toEqual([
      { status: "pass", resource: "my-web-app:1", detail: "runs with execution role role/ecsTaskExecutionRole" },
    ]);
    expect(verdicts["secrets-unreadable"]).toEqual([]);
  });

  test("inherited: task-role-broad says nothing of the role task-role-admin reports", () => {
    const verdicts = byCheck("inherited");
    expect(verdicts["task-role-admin"]?.map((v) => [v.status, v.resource])).toEqual([
      ["fail", "role/AdministratorAccessRole"],
    ]);
    expect(verdicts["task-role-broad"]).toEqual([]);
  });

  test("inherited: sg-world-open does not report the ALB's own listener ports 443 and 80", () => {
    const verdicts = byCheck("inherited")["sg-world-open"] ?? [];
    expect(verdicts.filter((v) => v.status !== "pass")).toEqual([]);
    const alb = verdicts.find((v) => v.resource === "sg-ALB (sg-0a11b22c33d44e55f)");
    expect(alb).toMatchObject({ status: "pass" });
    expect(alb?.status === "pass" && alb.detail).toContain("443, 80");
  });

  test("clean: every check passes, none fails or is unknown", () => {
    for (const [id, verdicts] of Object.entries(byCheck("clean"))) {
      expect(
        statuses(verdicts).filter((s) => s !== "pass"),
        `${id}: ${JSON.stringify(verdicts)}`,
      ).toEqual([]);
    }
  });

  test("no verdict of either posture holds the redacted value's hash", () => {
    for (const posture of ["inherited", "clean"] as const) {
      const text = JSON.stringify(byCheck(posture));
      expect(text).not.toContain(DB_PASSWD_REDACTED.hmac);
      expect(text).not.toContain(DB_PASSWD_REDACTED.hmac.slice(0, 12));
    }
  });
});
