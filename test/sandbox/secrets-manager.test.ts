import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretsCommand,
  paginateListSecrets,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
} from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawHex } from "../../lib/sandbox/clock";
import { startSandbox } from "../../lib/sandbox/server";
import { addSecret } from "../../lib/sandbox/services/secrets-manager";
import { emptyState } from "../../lib/sandbox/state";
import { clientConfig } from "./client";

const START = new Date("2026-11-01T00:00:00Z");
const DAY = 86_400_000;

const ARN = /^arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/;

describe("Secrets Manager over the SDK", () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let sm: SecretsManagerClient;

  beforeAll(async () => {
    const state = emptyState("test");
    const id = { hex: (length: number) => drawHex(state, length), now: START };
    addSecret(state, id, {
      name: "prod/db",
      value: "seeded-value",
      description: "Aurora credentials",
      tags: { team: "web" },
      resourcePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }),
    });
    for (let i = 0; i < 250; i += 1) {
      addSecret(state, id, { name: `bulk/${String(i).padStart(3, "0")}`, value: `v${i}`, tags: { bulk: "yes" } });
    }
    sandbox = await startSandbox({ port: 0, state, clock: START });
    sm = new SecretsManagerClient(clientConfig(sandbox.endpoint));
  });
  afterAll(async () => {
    sm?.destroy();
    await sandbox?.stop();
  });

  it("CreateSecret returns an ARN with the random suffix, and GetSecretValue reads the value back", async () => {
    const created = await sm.send(new CreateSecretCommand({ Name: "my-web-app/DB_PASSWD", SecretString: "s3cr3t" }));
    expect(created.ARN).toMatch(ARN);
    expect(created.ARN).toContain(":secret:my-web-app/DB_PASSWD-");
    const value = await sm.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    expect(value.SecretString).toBe("s3cr3t");
    expect(value.VersionId).toBe(created.VersionId);
    expect(value.VersionStages).toEqual(["AWSCURRENT"]);
    const byName = await sm.send(new GetSecretValueCommand({ SecretId: "my-web-app/DB_PASSWD" }));
    expect(byName.ARN).toBe(created.ARN);
    const partial = created.ARN?.slice(0, -7);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: partial }))).ARN).toBe(created.ARN);
  });

  it("CreateSecret never overwrites; the same token and value is an idempotent retry", async () => {
    const token = "11111111-2222-3333-4444-555555555555";
    const first = await sm.send(
      new CreateSecretCommand({ Name: "idem", SecretString: "one", ClientRequestToken: token }),
    );
    expect(first.VersionId).toBe(token);
    const again = await sm.send(
      new CreateSecretCommand({ Name: "idem", SecretString: "one", ClientRequestToken: token }),
    );
    expect(again).toMatchObject({ ARN: first.ARN, VersionId: token });
    await expect(
      sm.send(new CreateSecretCommand({ Name: "idem", SecretString: "two", ClientRequestToken: token })),
    ).rejects.toBeInstanceOf(ResourceExistsException);
    await expect(sm.send(new CreateSecretCommand({ Name: "idem", SecretString: "one" }))).rejects.toBeInstanceOf(
      ResourceExistsException,
    );
    expect((await sm.send(new GetSecretValueCommand({ SecretId: "idem" }))).SecretString).toBe("one");
  });

  it("DescribeSecret shows metadata and version stages, never the value", async () => {
    const described = await sm.send(new DescribeSecretCommand({ SecretId: "prod/db" }));
    expect(described.Name).toBe("prod/db");
    expect(described.Description).toBe("Aurora credentials");
    expect(described.Tags).toEqual([{ Key: "team", Value: "web" }]);
    expect(described.CreatedDate?.toISOString()).toBe(START.toISOString());
    expect(Object.values(described.VersionIdsToStages ?? {})).toEqual([["AWSCURRENT"]]);
    expect(JSON.stringify(described)).not.toContain("seeded-value");
  });

  it("GetSecretValue and DescribeSecret on a missing secret throw ResourceNotFoundException", async () => {
    await expect(sm.send(new GetSecretValueCommand({ SecretId: "nope" }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(sm.send(new DescribeSecretCommand({ SecretId: "nope" }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it("GetResourcePolicy returns the policy, or none", async () => {
    const withPolicy = await sm.send(new GetResourcePolicyCommand({ SecretId: "prod/db" }));
    expect(JSON.parse(withPolicy.ResourcePolicy ?? "")).toEqual({ Version: "2012-10-17", Statement: [] });
    const without = await sm.send(new GetResourcePolicyCommand({ SecretId: "bulk/000" }));
    expect(without.Name).toBe("bulk/000");
    expect(without.ResourcePolicy).toBeUndefined();
  });

  it("ListSecrets' paginator returns every secret once; filters by name prefix, tag key and negation", async () => {
    const names: string[] = [];
    for await (const page of paginateListSecrets({ client: sm, pageSize: 40 }, {})) {
      names.push(...(page.SecretList ?? []).map((s) => s.Name ?? ""));
    }
    expect(names.filter((n) => n.startsWith("bulk/"))).toHaveLength(250);
    expect(new Set(names).size).toBe(names.length);

    const prefixed = await sm.send(
      new ListSecretsCommand({ Filters: [{ Key: "name", Values: ["bulk/01"] }], SortOrder: "asc", SortBy: "name" }),
    );
    expect(prefixed.SecretList?.map((s) => s.Name)).toEqual(Array.from({ length: 10 }, (_, i) => `bulk/01${i}`));
    const tagged = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "tag-key", Values: ["team"] }] }));
    expect(tagged.SecretList?.map((s) => s.Name)).toEqual(["prod/db"]);
    expect(tagged.SecretList?.[0]?.Tags).toEqual([{ Key: "team", Value: "web" }]);
    const notBulk = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: ["!bulk"] }] }));
    expect(notBulk.SecretList?.some((s) => s.Name?.startsWith("bulk"))).toBe(false);
    expect(notBulk.SecretList?.map((s) => s.Name)).toContain("prod/db");
  });

  it("DeleteSecret schedules deletion (30 days by default), hides it from ListSecrets, and RestoreSecret undoes it", async () => {
    await sm.send(new CreateSecretCommand({ Name: "to-delete", SecretString: "x" }));
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: "to-delete" }));
    const described = await sm.send(new DescribeSecretCommand({ SecretId: "to-delete" }));
    expect(described.DeletedDate).toBeInstanceOf(Date);
    const window = (deleted.DeletionDate?.getTime() ?? 0) - (described.DeletedDate?.getTime() ?? 0);
    expect(window).toBe(30 * DAY);
    await expect(sm.send(new GetSecretValueCommand({ SecretId: "to-delete" }))).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
    await expect(sm.send(new CreateSecretCommand({ Name: "to-delete", SecretString: "y" }))).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
    const listed = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: ["to-delete"] }] }));
    expect(listed.SecretList).toEqual([]);
    const planned = await sm.send(
      new ListSecretsCommand({ Filters: [{ Key: "name", Values: ["to-delete"] }], IncludePlannedDeletion: true }),
    );
    expect(planned.SecretList?.[0]?.DeletedDate).toBeInstanceOf(Date);

    const restored = await sm.send(new RestoreSecretCommand({ SecretId: "to-delete" }));
    expect(restored.Name).toBe("to-delete");
    expect((await sm.send(new GetSecretValueCommand({ SecretId: "to-delete" }))).SecretString).toBe("x");
  });

  it("DeleteSecret validates the window and can force deletion without recovery", async () => {
    await sm.send(new CreateSecretCommand({ Name: "short-lived", SecretString: "x" }));
    await expect(
      sm.send(new DeleteSecretCommand({ SecretId: "short-lived", RecoveryWindowInDays: 3 })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      sm.send(
        new DeleteSecretCommand({ SecretId: "short-lived", RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    const week = await sm.send(new DeleteSecretCommand({ SecretId: "short-lived", RecoveryWindowInDays: 7 }));
    expect(week.DeletionDate).toBeInstanceOf(Date);
    await sm.send(new DeleteSecretCommand({ SecretId: "short-lived", ForceDeleteWithoutRecovery: true }));
    await expect(sm.send(new DescribeSecretCommand({ SecretId: "short-lived" }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(sm.send(new RestoreSecretCommand({ SecretId: "short-lived" }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it("TagResource adds and replaces tags", async () => {
    await sm.send(
      new TagResourceCommand({
        SecretId: "prod/db",
        Tags: [
          { Key: "team", Value: "platform" },
          { Key: "env", Value: "prod" },
        ],
      }),
    );
    const described = await sm.send(new DescribeSecretCommand({ SecretId: "prod/db" }));
    expect(described.Tags).toEqual([
      { Key: "team", Value: "platform" },
      { Key: "env", Value: "prod" },
    ]);
    await expect(
      sm.send(new TagResourceCommand({ SecretId: "nope", Tags: [{ Key: "a", Value: "b" }] })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
