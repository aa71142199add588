// The takeover's displays on the scenarios' snapshots: what was found, the plan, what apply did, the verification,
// and the handover's journal, audit by pillar and what is left. Pure: no sandbox, no kernel.
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { CHECKS } from "../../lib/checks/registry";
import { audit } from "../../lib/checks/report";
import type { JournalEntry } from "../../lib/fixes/journal";
import { plan } from "../../lib/fixes/planner";
import { journalByPlan, type StepOutcome, type StepResult, type StepReview } from "../../lib/fixes/walkthrough";
import type { Snapshot } from "../../lib/inventory/snapshot";
import { loadSnapshot } from "../../lib/inventory/store";
import { projectRoot } from "../../lib/project";
import {
  appliedMarkdown,
  findingRows,
  findingsSummary,
  inferredPolicyMarkdown,
  journalMarkdown,
  leftMarkdown,
  pillarRows,
  planBundle,
  stepsSummaryRows,
  verificationMarkdown,
  verificationRows,
} from "../../lib/render/takeover";

const fixture = (scenario: string): Snapshot =>
  loadSnapshot(join(projectRoot, "test", "fixtures", "snapshots", `${scenario}.json`));
const inherited = fixture("inherited");
const clean = fixture("clean");

const NETWORK = ["task-sg-open", "datastore-sg-open", "sg-world-open", "service-public-ip", "alb-http-no-redirect"];
const RUNTIME = ["root-user", "rootfs-writable", "untagged", "platform-outdated", "privileged"];

/** What reviewStep returns, made from a snapshot instead of a live read. */
function reviewOf(snapshot: Snapshot, checks: readonly string[]): StepReview {
  const findings = audit(
    snapshot,
    CHECKS.filter((check) => checks.includes(check.meta.id)),
  ).findings;
  return { scope: snapshot.scope, checks, findings, plan: plan(snapshot, findings, { checks }) };
}

/** What completeStep returns after applying, with `after` read from another snapshot. */
function resultOf(review: StepReview, after: Snapshot, outcome: StepOutcome): StepResult {
  const next = reviewOf(after, review.checks);
  return { ...review, outcome, after: next.findings, left: next.plan };
}

const text = (bundle: Record<string, unknown>) => String(bundle["text/markdown"]);

describe("what was found", () => {
  test("failures first, then passes, each check named; a check with nothing to judge gets a row of its own", () => {
    const rows = findingRows(reviewOf(inherited, [...NETWORK, "cloudtrail-no-validation"]));
    expect(rows.map((row) => [row[""], row.check])).toEqual([
      ["✖ fail", "datastore-sg-open"],
      ["✖ fail", "service-public-ip"],
      ["✖ fail", "task-sg-open"],
      ["✖ fail", "alb-http-no-redirect"],
      ["✔ pass", "sg-world-open"],
      ["✔ pass", "sg-world-open"],
      ["✔ pass", "sg-world-open"],
      ["—", "cloudtrail-no-validation"],
    ]);
    expect(rows[2]?.["what was found"]).toContain("admits port 80 from 10.0.0.0/16");
  });

  test("an unknown says why it could not be judged; the summary counts checks, not resources", () => {
    const images = reviewOf(inherited, ["ecr-scan-off", "image-vulnerable"]);
    expect(findingRows(images).find((row) => row.check === "image-vulnerable")?.["what was found"]).toMatch(
      /^could not be judged: never scanned/,
    );
    expect(findingsSummary(images)).toBe("1 of 2 checks fail; 1 cannot be judged.");
    expect(findingsSummary(reviewOf(clean, [...NETWORK, "cloudtrail-no-validation"]))).toMatch(
      /^Nothing fails: \d of 6 checks pass/,
    );
  });
});

describe("the plan", () => {
  test("says how many steps, that nothing has changed yet, and shows each change with its risk and rollback", () => {
    const markdown = text(planBundle(reviewOf(inherited, NETWORK).plan));
    expect(markdown).toMatch(/^\*\*Plan `[0-9a-f]{20}`: 6 steps in 5 changes\*\*, from what was read at /);
    expect(markdown).toContain("Nothing has changed yet.");
    expect(markdown).toContain("#### task-sg-open — sg-ECSTask");
    expect(markdown).toContain("- **Risk:** ");
    expect(markdown).toContain("- **Rollback:** ");
  });

  test("a step whose checks all pass has nothing to change", () => {
    expect(text(planBundle(reviewOf(clean, NETWORK).plan))).toBe(
      "**Nothing to change** in this step: its checks pass.",
    );
  });

  test("the inferred least-privilege policy is shown pretty for review, with what it was inferred from", () => {
    const markdown = inferredPolicyMarkdown(reviewOf(inherited, ["task-role-admin", "task-role-broad"]).plan);
    expect(markdown).toContain("**inferred — review it before applying**");
    const json = /```json\n([\s\S]*?)\n```/.exec(markdown)?.[1] ?? "";
    const document = JSON.parse(json) as { Statement: { Resource: string }[] };
    expect(document.Statement.map((s) => s.Resource)).toContain("arn:aws:s3:::my-web-uploads/*");
    expect(markdown).toContain("- inferred from: the services IAM's last-accessed data");
    // The one-line copy in the notes is not repeated under the pretty one.
    expect(markdown).not.toContain("INFERRED — review before applying");
    expect(inferredPolicyMarkdown(reviewOf(clean, ["task-role-admin"]).plan)).toBe("");
  });
});

describe("apply and verify", () => {
  const network = reviewOf(inherited, NETWORK);

  test("apply = false: nothing was changed, and how to apply it — here or from a terminal", () => {
    const markdown = appliedMarkdown({
      ...network,
      outcome: { status: "not-asked" },
      after: network.findings,
      left: network.plan,
    });
    expect(markdown).toContain("**Nothing was changed**: `apply` is `false`");
    expect(markdown).toContain("set `apply = true` in the parameters cell");
    expect(markdown).toContain(
      // The fixture's scope is the whole cluster: no --service.
      "npx ecs-takeover fix --cluster my-cluster --check task-sg-open --check datastore-sg-open --check service-public-ip --check alb-http-no-redirect --apply",
    );
    const verification = verificationMarkdown({
      ...network,
      outcome: { status: "not-asked" },
      after: network.findings,
      left: network.plan,
    });
    expect(verification).toBe(
      "**Nothing was applied, so there is nothing to verify**: the findings above still stand (4 resources not passing).",
    );
  });

  test("a refused plan changed nothing and says what changed meanwhile", () => {
    const markdown = appliedMarkdown({
      ...network,
      outcome: {
        status: "refused",
        reasons: ["security group sg-ECSTask changed since the plan was made (…): plan again"],
      },
      after: network.findings,
      left: network.plan,
    });
    expect(markdown).toContain("**The plan was refused; nothing was changed.**");
    expect(markdown).toContain("- security group sg-ECSTask changed");
  });

  test("applied: the steps it ran, then each check read again — verified when it passes", () => {
    const result = resultOf(network, clean, {
      status: "applied",
      steps: [
        { check: "task-sg-open", title: "sg-ECSTask: allow port 80 from sg-ALB", status: "applied" },
        { check: "task-sg-open", title: "sg-ECSTask: revoke port 80 from 10.0.0.0/16", status: "unchanged" },
      ],
    });
    const applied = appliedMarkdown(result);
    expect(applied).toMatch(/^\*\*Applied 1 step\*\*; 1 was already as planned\./);
    expect(applied).toContain("| task-sg-open | sg-ECSTask: allow port 80 from sg-ALB | ✔ applied |");
    expect(applied).toContain("| already done |");
    const verification = verificationMarkdown(result);
    expect(verification).toMatch(
      /verified: `task-sg-open`, `datastore-sg-open`, `service-public-ip`, `alb-http-no-redirect`/,
    );
    expect(verificationRows(result).every((row) => row.now === "✔ pass")).toBe(true);
    expect(verification).not.toContain("Still to do");
  });

  test("a failed step says where apply stopped and what to do", () => {
    const result = resultOf(network, inherited, {
      status: "failed",
      steps: [{ check: "deploy", title: "deploy", status: "failed", error: "the deployment did not complete" }],
      failed: { step: "ecs:UpdateService:my-cluster/my-web-service", error: "the deployment did not complete" },
    });
    expect(appliedMarkdown(result)).toContain("**Step `ecs:UpdateService:my-cluster/my-web-service` failed**");
  });

  test("what still fails after applying is listed with what a person must decide", () => {
    const runtime = reviewOf(inherited, RUNTIME);
    const result = resultOf(runtime, inherited, { status: "applied", steps: [] });
    const verification = verificationMarkdown(result);
    expect(verification).toContain("| root-user | my-web-app:1 | ✖ fail |");
    expect(verification).toContain("**Still to do**");
    expect(verification).toMatch(/- \*\*root-user\*\* — my-web-app:1: .*\*\(plan only: a person decides\)\*/);
    expect(verification).toContain("  - choose a non-root UID:GID");
    // platform-outdated is fixable: the line that applies it, not a person's notes.
    expect(verification).toMatch(
      /- \*\*platform-outdated\*\* — .*`npx ecs-takeover fix .*--check platform-outdated --apply`/,
    );
  });

  test("the summary of a runbook's steps: what did not pass, what was applied, what does not pass now", () => {
    const rows = stepsSummaryRows({
      "security groups": resultOf(network, clean, { status: "applied", steps: [] }),
      runtime: {
        ...reviewOf(inherited, RUNTIME),
        outcome: { status: "not-asked" },
        after: reviewOf(inherited, RUNTIME).findings,
        left: reviewOf(inherited, RUNTIME).plan,
      },
    });
    expect(rows[0]).toMatchObject({ step: "security groups", "steps applied": "0", "not passing now": "—" });
    expect(rows[0]?.["not passing when read"]).toContain("task-sg-open");
    expect(rows[1]).toMatchObject({ step: "runtime", "steps applied": "not asked (apply = false)" });
    expect(rows[1]?.["changes left to a person"]).toBe(5);
  });
});

describe("the handover", () => {
  const call = { service: "ec2" as const, action: "AuthorizeSecurityGroupIngress", input: { GroupId: "sg-1" } };
  const entry = (fields: Partial<JournalEntry>): JournalEntry => ({
    time: "2026-11-28T00:01:30.005Z",
    identity: "arn:aws:iam::123456789012:user/new-owner",
    plan: "aaaaaaaaaaaaaaaaaaaa",
    kind: "apply",
    check: "task-sg-open",
    resource: "sg-ECSTask (sg-1)",
    step: "ec2:AuthorizeSecurityGroupIngress:sg-1",
    title: "sg-ECSTask: allow port 80 from sg-ALB",
    phase: "applied",
    call,
    undo: [{ service: "ec2", action: "RevokeSecurityGroupIngress", input: { GroupId: "sg-1" } }],
    ...fields,
  });
  const journal: JournalEntry[] = [
    entry({ phase: "started", undo: [] }),
    entry({}),
    entry({
      check: "deploy",
      resource: "my-web-service",
      step: "ecs:RegisterTaskDefinition:my-web-app",
      title: "register a new revision of my-web-app",
      call: { service: "ecs", action: "RegisterTaskDefinition", input: {} },
      undo: [],
    }),
    entry({ plan: "bbbbbbbbbbbbbbbbbbbb", check: "cloudtrail-off", resource: "account", phase: "unchanged" }),
    entry({ plan: "cccccccccccccccccccc", identity: "arn:aws:iam::999999999999:user/someone-else" }),
    entry({ plan: "dddddddddddddddddddd", check: "alarms-missing", time: "2026-11-28T00:20:00.000Z" }),
    entry({
      plan: "dddddddddddddddddddd",
      kind: "rollback",
      check: "alarms-missing",
      step: "undo:ec2:AuthorizeSecurityGroupIngress:sg-1",
      time: "2026-11-28T00:25:00.000Z",
    }),
  ];

  test("only this account's plans that changed something, in the order they began", () => {
    const plans = journalByPlan(journal, "123456789012");
    expect(plans.map((p) => p.plan)).toEqual(["aaaaaaaaaaaaaaaaaaaa", "dddddddddddddddddddd"]);
    expect(plans[0]?.applied).toHaveLength(2);
    expect(plans[0]?.undo.map((e) => e.step)).toEqual(["ec2:AuthorizeSecurityGroupIngress:sg-1"]);
    expect(plans[1]?.undo).toEqual([]);
    expect(plans[1]?.rolledBack).toHaveLength(1);
  });

  test("each plan: what it fixed, when, by whom, each step and how it is undone, and the rollback call", () => {
    const markdown = journalMarkdown(journalByPlan(journal, "123456789012"));
    expect(markdown).toMatch(
      /^\*\*2 plans changed this account: 3 steps applied\*\*, from 2026-11-28 00:01:30 UTC to 2026-11-28 00:20:00 UTC\./,
    );
    expect(markdown).toContain("#### Plan `aaaaaaaaaaaaaaaaaaaa`: `task-sg-open` and a deployment of my-web-service");
    expect(markdown).toContain("Applied from 2026-11-28 00:01:30 UTC by arn:aws:iam::123456789012:user/new-owner.");
    expect(markdown).toContain('`await rollback(aws, { plan: "aaaaaaaaaaaaaaaaaaaa", confirm: true })`');
    expect(markdown).toContain(
      "| 2026-11-28 00:01:30 UTC | task-sg-open | sg-ECSTask: allow port 80 from sg-ALB | applied | ec2.RevokeSecurityGroupIngress |",
    );
    expect(markdown).toContain("| stays registered (the service goes back to the old one) |");
    expect(markdown).toContain("**Rolled back** (1 undo steps, the last at 2026-11-28 00:25:00 UTC).");
    expect(markdown).not.toContain("999999999999");
    expect(journalMarkdown([])).toMatch(/^\*\*The journal holds no change in this account\.\*\*/);
  });

  test("the audit by pillar counts resources and names the failing checks", () => {
    const rows = pillarRows(audit(inherited, CHECKS));
    expect(rows.map((row) => row.pillar)).toEqual([
      "network",
      "secrets",
      "iam",
      "image",
      "audit",
      "runtime",
      "observability",
    ]);
    expect(rows.find((row) => row.pillar === "image")).toMatchObject({ unknown: 1, "not judged": "image-vulnerable" });
    expect(pillarRows(audit(clean, CHECKS)).every((row) => row.fail === 0 && row["failing checks"] === null)).toBe(
      true,
    );
  });

  test("what is left: why each check matters and what to do — a person's notes, a fix to apply, a read to allow", () => {
    const report = audit(inherited, CHECKS);
    const markdown = leftMarkdown(report, plan(inherited, report.findings));
    // Most severe first: the critical checks lead.
    expect(markdown).toMatch(
      /^#### `passrole-escalation` — [\s\S]*\n#### `task-role-admin` — [\s\S]*\n#### `untagged` — /,
    );
    expect(markdown).toContain("  - To do (a person decides): run the containers of my-web-app:1 as a non-root user");
    expect(markdown).toContain(
      "  - To do: apply its fix — `npx ecs-takeover fix --cluster my-cluster --check task-sg-open --apply`",
    );
    expect(markdown).toContain("  - To do: resolve what kept it from being judged, then audit again");
    expect(leftMarkdown(audit(clean, CHECKS), plan(clean, []))).toBe("**Nothing is left**: every check passes.");
  });
});
