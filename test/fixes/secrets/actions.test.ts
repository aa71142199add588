// The Secrets Manager action specs: what they observe on a sandbox (never a value), when a step counts as done, when
// apply must refuse instead, and how each is undone.
import { CreateSecretCommand, DeleteSecretCommand } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ActionSpec } from "../../../lib/fixes/action";
import { SECRETS_MANAGER_ACTIONS } from "../../../lib/fixes/actions/secrets-manager";
import { type FixSandbox, fixSandbox } from "../harness";

const spec = (action: string): ActionSpec => {
  const found = SECRETS_MANAGER_ACTIONS[action];
  if (!found) throw new Error(`no spec for ${action}`);
  return found;
};
const create = spec("CreateSecret");
const remove = spec("DeleteSecret");
const restore = spec("RestoreSecret");

const SOURCE = { Key: "ecs-takeover:source", Value: "my-web-app/my-web-app/DB_PASSWD" };
const input = { Name: "my-web-app/db-passwd", SecretString: "a value", Tags: [SOURCE] };
const ARN = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:my-web-app/db-passwd-AbCdEf";

describe("secretsmanager CreateSecret", () => {
  test("not satisfied while no secret has the name; satisfied by ours, with its ARN", () => {
    expect(create.satisfied(null, input)).toBeUndefined();
    expect(create.satisfied({ ARN, Name: input.Name, Tags: [SOURCE] }, input)).toEqual({ ARN, Name: input.Name });
  });

  test("refuses a secret of that name without our tag, or ours for another variable — never overwrites", () => {
    expect(() => create.satisfied({ ARN, Name: input.Name, Tags: [] }, input)).toThrow(
      "a secret named my-web-app/db-passwd already exists and was not created by ecs-takeover for this variable " +
        "(its ecs-takeover:source tag is missing): refusing to overwrite it",
    );
    expect(() =>
      create.satisfied({ ARN, Name: input.Name, Tags: [{ ...SOURCE, Value: "other/app/X" }] }, input),
    ).toThrow('its ecs-takeover:source tag is "other/app/X"');
  });

  test("refuses ours while it is scheduled for deletion, saying how to restore it", () => {
    expect(() =>
      create.satisfied({ ARN, Name: input.Name, Tags: [SOURCE], DeletedDate: "2026-11-28T00:00:00.000Z" }, input),
    ).toThrow("aws secretsmanager restore-secret --secret-id my-web-app/db-passwd");
  });

  test("outputs the ARN and name only; undo schedules deletion with the 7-day recovery window", () => {
    expect(create.output({ ARN, Name: input.Name, VersionId: "v" }, input)).toEqual({ ARN, Name: input.Name });
    expect(create.undo(input, null, { ARN, Name: input.Name })).toEqual([
      { service: "secretsManager", action: "DeleteSecret", input: { SecretId: ARN, RecoveryWindowInDays: 7 } },
    ]);
  });
});

describe("secretsmanager DeleteSecret and RestoreSecret", () => {
  test("DeleteSecret is done once the secret is gone or scheduled; undone by RestoreSecret", () => {
    const scheduled = { ARN, Name: input.Name, Tags: [], DeletedDate: "2026-11-28T00:00:00.000Z" };
    expect(remove.satisfied(null, { SecretId: ARN })).toEqual({ ARN: null });
    expect(remove.satisfied(scheduled, { SecretId: ARN })).toEqual({ ARN });
    expect(remove.satisfied({ ARN, Name: input.Name, Tags: [] }, { SecretId: ARN })).toBeUndefined();
    expect(remove.undo({ SecretId: ARN }, { ARN, Name: input.Name, Tags: [] }, { ARN })).toEqual([
      { service: "secretsManager", action: "RestoreSecret", input: { SecretId: ARN } },
    ]);
    expect(restore.satisfied(scheduled, { SecretId: ARN })).toBeUndefined();
    expect(restore.satisfied({ ARN, Name: input.Name, Tags: [] }, { SecretId: ARN })).toEqual({ ARN });
  });
});

describe("observing secrets on the sandbox", () => {
  let box: FixSandbox;
  beforeAll(async () => {
    box = await fixSandbox();
  });
  afterAll(async () => {
    await box.close();
  });

  test("observe reads identity, tags and deletion through DescribeSecret — never the value", async () => {
    expect(await create.observe(box.aws, input)).toBeNull();
    const { ARN: arn } = await box.aws.secretsManager.send(new CreateSecretCommand(input));
    const observed = await create.observe(box.aws, input);
    expect(observed).toEqual({ ARN: arn, Name: input.Name, Tags: [SOURCE] });
    expect(JSON.stringify(observed)).not.toContain(input.SecretString);
    expect(create.satisfied(observed, input)).toEqual({ ARN: arn, Name: input.Name });

    await box.aws.secretsManager.send(new DeleteSecretCommand({ SecretId: arn, RecoveryWindowInDays: 7 }));
    const scheduled = await remove.observe(box.aws, { SecretId: arn });
    expect(scheduled).toMatchObject({ ARN: arn, DeletedDate: expect.any(String) });
    expect(remove.satisfied(scheduled, { SecretId: arn })).toEqual({ ARN: arn });
  });
});
