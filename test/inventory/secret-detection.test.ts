import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectSecret, environmentVariable, redactionKey } from "../../lib/inventory/secret-detection";

const secret = (name: string, value: string) => detectSecret(name, value);

describe("secret detection", () => {
  it("flags secret names on word boundaries", () => {
    expect(secret("DB_PASSWD", "mysupersecretpasswd")).toEqual({ secret: true, reason: "name" });
    expect(secret("dbPassword", "hunter2")).toEqual({ secret: true, reason: "name" });
    expect(secret("STRIPE_API_KEY", "abc")).toEqual({ secret: true, reason: "name" });
    expect(secret("GITHUB_TOKEN", "x1")).toMatchObject({ secret: true });
    expect(secret("PASSENGER_COUNT", "4")).toEqual({ secret: false });
    expect(secret("TOKENIZER_MODEL", "bert")).toEqual({ secret: false });
  });

  it("ignores switches, references and names about the secret", () => {
    expect(secret("MYSQL_ALLOW_EMPTY_PASSWORD", "yes")).toEqual({ secret: false });
    expect(secret("MYSQL_RANDOM_ROOT_PASSWORD", "1")).toEqual({ secret: false });
    expect(secret("DB_PASSWORD_FILE", "/run/secrets/db")).toEqual({ secret: false });
    expect(secret("DB_SECRET_ARN", "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:db-AbCdEf")).toEqual({
      secret: false,
    });
    expect(secret("TOKEN_URL", "https://auth.example.com/token")).toEqual({ secret: false });
    expect(secret("DB_HOST", "my-db.cluster-abc123.ap-northeast-1.rds.amazonaws.com")).toEqual({ secret: false });
    expect(secret("DB_PORT", "3306")).toEqual({ secret: false });
    expect(secret("JOBS_QUEUE_URL", "https://sqs.ap-northeast-1.amazonaws.com/123456789012/my-web-jobs")).toEqual({
      secret: false,
    });
    expect(secret("DEBUG", "true")).toEqual({ secret: false });
    expect(secret("GIT_SHA", "9f2c1e7b4a8d3f6e0c5b2a9d8e7f6a5b4c3d2e1f")).toEqual({ secret: false });
    expect(secret("REQUEST_ID", "3f2504e0-4f89-41d3-9a0c-0305e82c3301")).toEqual({ secret: false });
    expect(secret("GREETING", "hello world, this is a long sentence")).toEqual({ secret: false });
  });

  it("knows credential formats whatever the name", () => {
    expect(secret("X", "AKIAIOSFODNN7EXAMPLE")).toEqual({ secret: true, reason: "aws-access-key" });
    expect(secret("X", "ghp_abcdefghijklmnopqrstuvwxyz0123456789")).toEqual({ secret: true, reason: "github-token" });
    expect(secret("X", "xoxb-123456789012-abcdefghijkl")).toEqual({ secret: true, reason: "slack-token" });
    expect(secret("X", "sk_live_abcdefghijklmnop1234")).toEqual({ secret: true, reason: "stripe-key" });
    expect(secret("X", "-----BEGIN RSA PRIVATE KEY-----\nMIIE")).toEqual({ secret: true, reason: "private-key" });
    const jwt = `${Buffer.from('{"alg":"HS256"}').toString("base64url")}.${Buffer.from('{"sub":"1"}').toString("base64url")}.c2lnbmF0dXJl`;
    expect(secret("SESSION", jwt)).toEqual({ secret: true, reason: "jwt" });
    expect(secret("DATABASE_URL", "postgres://app:s3cret@db:5432/app")).toEqual({
      secret: true,
      reason: "url-password",
    });
    expect(secret("DATABASE_URL", "postgres://db:5432/app")).toEqual({ secret: false });
  });

  it("flags long high-entropy values", () => {
    expect(secret("UPSTREAM", "q8Zr3LxW9pT2vKf7Nj4sYb6Hc1Mg5Ud0")).toEqual({ secret: true, reason: "entropy" });
    expect(secret("UPLOAD_BUCKET", "my-web-uploads")).toEqual({ secret: false });
    expect(secret("DB_USER", "myappdbuser")).toEqual({ secret: false });
  });

  it("keeps a secret value only as length and HMAC, under a key made mode 600", () => {
    const path = join(mkdtempSync(join(tmpdir(), "key-")), ".takeover", "key");
    const key = redactionKey(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(redactionKey(path).equals(key)).toBe(true);
    const kept = environmentVariable("DB_PASSWD", "mysupersecretpasswd", key);
    expect(kept.value).toMatchObject({ redacted: true, length: 19, reason: "name" });
    expect(JSON.stringify(kept)).not.toContain("mysupersecretpasswd");
    expect(environmentVariable("DB_HOST", "db.internal", key).value).toBe("db.internal");
    const other = redactionKey(join(mkdtempSync(join(tmpdir(), "key-")), "key"));
    const elsewhere = environmentVariable("DB_PASSWD", "mysupersecretpasswd", other);
    expect(elsewhere.value).not.toEqual(kept.value);
  });
});
