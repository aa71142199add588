// The runtime fixes against a fresh inherited sandbox: platform-outdated deploys the service on LATEST (and
// rollback puts it back on 1.3.0); the manual plans change nothing.
import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type FixSandbox, fixSandbox, SCOPE } from "../harness";

let box: FixSandbox;
beforeEach(async () => {
  box = await fixSandbox();
});
afterEach(async () => {
  await box.close();
});

async function service() {
  const { services } = await box.aws.ecs.send(
    new DescribeServicesCommand({ cluster: SCOPE.cluster, services: [SCOPE.service] }),
  );
  return services?.[0];
}

describe("runtime fixes on the inherited sandbox", () => {
  test("platform-outdated: one UpdateService to LATEST on the same revision; rerun unchanged; rollback to 1.3.0", async () => {
    const before = await box.verdicts("platform-outdated");
    expect(before).toMatchObject([{ status: "fail", resource: "service my-web-service" }]);
    const revision = (await service())?.taskDefinition;
    const plan = await box.plan(["platform-outdated"]);
    const step = "ecs:UpdateService:my-cluster/my-web-service";
    expect(plan.changes.flatMap((c) => c.steps.map((s) => s.id))).toEqual([step]);

    expect(await box.apply(plan)).toMatchObject({ applied: [step], unchanged: [], refused: [] });
    expect(await box.verdicts("platform-outdated")).toMatchObject([{ status: "pass" }]);
    expect(await service()).toMatchObject({ platformVersion: "LATEST", taskDefinition: revision });
    expect(await box.apply(plan)).toMatchObject({ applied: [], unchanged: [step] });

    expect(await box.rollback(plan)).toMatchObject({ undone: [`undo:${step}`] });
    expect(await box.verdicts("platform-outdated")).toEqual(before);
    expect(await service()).toMatchObject({ platformVersion: "1.3.0", taskDefinition: revision });
  });

  test("rootfs-writable, root-user and untagged are plans only: apply changes nothing and they still fail", async () => {
    const checks = ["rootfs-writable", "root-user", "untagged"];
    const plan = await box.plan(checks);
    expect(plan.changes.map((c) => [c.check, c.manual])).toEqual([
      ["rootfs-writable", true],
      ["root-user", true],
      ["untagged", true],
      ["untagged", true],
      ["untagged", true],
    ]);
    expect(plan.preconditions).toEqual([]);
    expect(await box.apply(plan)).toMatchObject({ applied: [], unchanged: [], refused: [] });
    expect(box.journalEntries()).toEqual([]);
    for (const check of checks) {
      expect((await box.verdicts(check)).every((v) => v.status === "fail")).toBe(true);
    }
  });
});
