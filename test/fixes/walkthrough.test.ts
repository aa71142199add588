// A runbook step on the sandbox: review reads and plans without changing anything; complete applies only when asked,
// reads again and says what passes now; a plan made before something changed is refused, not applied.
import { UpdateClusterSettingsCommand } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { accountOf, completeStep, fixCommand, reviewStep } from "../../lib/fixes/walkthrough";
import { type FixSandbox, fixSandbox, SCOPE } from "./harness";

const NETWORK = ["task-sg-open", "datastore-sg-open", "alb-http-no-redirect"];

describe("a runbook step on the inherited sandbox", () => {
  let box: FixSandbox;
  beforeAll(async () => {
    box = await fixSandbox("inherited");
  });
  afterAll(() => box.close());

  test("an unknown check id is an error that names it", async () => {
    await expect(reviewStep(box.aws, SCOPE, ["task-sg-open", "no-such-check"])).rejects.toThrow(
      "no check has the id no-such-check",
    );
  });

  test("apply = false changes nothing and says so; apply = true applies, reads again and verifies", async () => {
    const review = await reviewStep(box.aws, SCOPE, NETWORK);
    expect(review.findings.filter((f) => f.status === "fail").map((f) => f.check.id)).toEqual(NETWORK);
    expect(fixCommand(review.plan)).toBe(
      "npx ecs-takeover fix --cluster my-cluster --service my-web-service --check task-sg-open --check datastore-sg-open --check alb-http-no-redirect --apply",
    );

    const skipped = await completeStep(box.aws, review, { apply: false, journal: box.journal });
    expect(skipped.outcome).toEqual({ status: "not-asked" });
    expect(skipped.after).toBe(review.findings);
    expect(box.journalEntries()).toEqual([]);

    const events: string[] = [];
    const done = await completeStep(box.aws, review, {
      apply: true,
      journal: box.journal,
      onStep: (event) => events.push(event.status),
      onDone: (outcome) => events.push(`done:${outcome.status}`),
    });
    expect(done.outcome.status).toBe("applied");
    expect(done.outcome.status === "applied" && done.outcome.steps.map((s) => [s.check, s.status])).toEqual([
      ["task-sg-open", "applied"],
      ["task-sg-open", "applied"],
      ["datastore-sg-open", "applied"],
      ["datastore-sg-open", "applied"],
      ["alb-http-no-redirect", "applied"],
    ]);
    expect(events.at(-1)).toBe("done:applied");
    expect(done.after.map((f) => [f.check.id, f.status])).toEqual(NETWORK.map((id) => [id, "pass"]));
    expect(done.left.changes).toEqual([]);
    expect(accountOf(box.journalEntries()[0]?.identity ?? "")).toBe("123456789012");

    const again = await completeStep(box.aws, await reviewStep(box.aws, SCOPE, NETWORK), {
      apply: true,
      journal: box.journal,
    });
    expect(again.outcome).toEqual({ status: "nothing-to-apply" });
  });

  test("a plan reviewed before somebody changed its resource is refused, and nothing is applied", async () => {
    const review = await reviewStep(box.aws, SCOPE, ["container-insights-off"]);
    await box.aws.ecs.send(
      new UpdateClusterSettingsCommand({
        cluster: SCOPE.cluster,
        settings: [{ name: "containerInsights", value: "enabled" }],
      }),
    );
    const before = box.journalEntries().length;
    const result = await completeStep(box.aws, review, { apply: true, journal: box.journal });
    expect(result.outcome.status).toBe("refused");
    expect(result.outcome.status === "refused" && result.outcome.reasons[0]).toMatch(/changed since the plan was made/);
    expect(result.after).toBe(review.findings);
    expect(box.journalEntries()).toHaveLength(before);
  });
});
