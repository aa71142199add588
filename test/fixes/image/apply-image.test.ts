// The image fixes against a fresh inherited sandbox: apply makes the check pass, a second apply changes nothing,
// and rollback makes the check fail again as it did.
import { DescribeRepositoriesCommand, GetLifecyclePolicyCommand } from "@aws-sdk/client-ecr";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Verdict } from "../../../lib/checks/check";
import { type FixSandbox, fixSandbox } from "../harness";
import { PLANTED_SECRET } from "./fixture-verdicts";

let box: FixSandbox;
beforeEach(async () => {
  box = await fixSandbox();
});
afterEach(async () => {
  await box.close();
});

const REPOSITORY = "my-web-app";

async function repository() {
  const { repositories } = await box.aws.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [REPOSITORY] }));
  return repositories?.[0];
}

/** Applies the check's plan, then again, then rolls it back; the verdicts before, after apply and after rollback. */
async function roundTrip(check: string) {
  const before = await box.verdicts(check);
  const plan = await box.plan([check]);
  const steps = plan.changes.flatMap((c) => c.steps.map((s) => s.id));
  const first = await box.apply(plan);
  expect(first).toMatchObject({ applied: steps, unchanged: [], refused: [] });
  expect(first.failed).toBeUndefined();
  const applied = await box.verdicts(check);
  const second = await box.apply(plan);
  expect(second).toMatchObject({ applied: [], unchanged: steps, refused: [] });
  return { before, applied, plan };
}

const statuses = (verdicts: readonly Verdict[]) => verdicts.map((v) => `${v.resource}: ${v.status}`);

describe("image fixes on the inherited sandbox", () => {
  test("ecr-tag-mutable: IMMUTABLE, unchanged on a second apply, MUTABLE again after rollback", async () => {
    const { before, applied, plan } = await roundTrip("ecr-tag-mutable");
    expect(statuses(before)).toEqual(["repository my-web-app: fail"]);
    expect(statuses(applied)).toEqual(["repository my-web-app: pass"]);
    expect((await repository())?.imageTagMutability).toBe("IMMUTABLE");
    const undone = await box.rollback(plan);
    expect(undone).toMatchObject({ undone: ["undo:ecr:PutImageTagMutability:my-web-app"], unchanged: [] });
    expect(await box.verdicts("ecr-tag-mutable")).toEqual(before);
    expect((await repository())?.imageTagMutability).toBe("MUTABLE");
  });

  test("ecr-scan-off: scan on push and a scan of v1, which then shows 2 CRITICAL; rollback turns scan on push off", async () => {
    expect(statuses(await box.verdicts("image-vulnerable"))).toEqual(["image my-web-app:v1: unknown"]);
    const { before, applied, plan } = await roundTrip("ecr-scan-off");
    expect(statuses(before)).toEqual(["repository my-web-app: fail"]);
    expect(statuses(applied)).toEqual(["repository my-web-app: pass"]);
    // The scan completes on the sandbox's clock, which moves with each request: audit until it has.
    let vulnerable = await box.verdicts("image-vulnerable");
    for (let attempt = 0; attempt < 5 && vulnerable[0]?.status === "unknown"; attempt++) {
      vulnerable = await box.verdicts("image-vulnerable");
    }
    expect(vulnerable).toMatchObject([
      { status: "fail", resource: "image my-web-app:v1", detail: expect.stringMatching(/^2 CRITICAL, 5 HIGH/) },
    ]);
    const undone = await box.rollback(plan);
    // The scan has nothing to undo; scan on push goes back off.
    expect(undone).toMatchObject({ undone: ["undo:ecr:PutImageScanningConfiguration:my-web-app"], unchanged: [] });
    expect(await box.verdicts("ecr-scan-off")).toEqual(before);
    expect((await repository())?.imageScanningConfiguration?.scanOnPush).toBe(false);
  });

  test("ecr-lifecycle-missing: the policy is put once, and deleted again by rollback", async () => {
    const { before, applied, plan } = await roundTrip("ecr-lifecycle-missing");
    expect(statuses(before)).toEqual(["repository my-web-app: fail"]);
    expect(statuses(applied)).toEqual(["repository my-web-app: pass"]);
    const { lifecyclePolicyText } = await box.aws.ecr.send(
      new GetLifecyclePolicyCommand({ repositoryName: REPOSITORY }),
    );
    expect(lifecyclePolicyText).toBe(plan.changes[0]?.steps[0]?.call.input.lifecyclePolicyText);
    const undone = await box.rollback(plan);
    expect(undone).toMatchObject({ undone: ["undo:ecr:PutLifecyclePolicy:my-web-app"], unchanged: [] });
    expect(await box.verdicts("ecr-lifecycle-missing")).toEqual(before);
    await expect(box.aws.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: REPOSITORY }))).rejects.toMatchObject(
      { name: "LifecyclePolicyNotFoundException" },
    );
    expect(JSON.stringify(box.journalEntries())).not.toContain(PLANTED_SECRET);
  });

  test("image-vulnerable and image-tag-latest plans are manual: apply leaves them alone", async () => {
    const plan = await box.plan(["image-vulnerable", "image-tag-latest"]);
    expect(await box.apply(plan)).toMatchObject({ applied: [], unchanged: [], refused: [] });
    expect(box.journalEntries()).toEqual([]);
  });
});
