import { describe, expect, test } from "vitest";
import { REDACTED, redactText } from "../../lib/render/redaction";

describe("redactText", () => {
  test.each([
    ["DB_PASSWD=mysupersecretpasswd", `DB_PASSWD=${REDACTED}`],
    ['{"name":"DB_PASSWD","value":"mysupersecretpasswd"}', `{"name":"DB_PASSWD","value":"${REDACTED}"}`],
    ["[ { name: 'DB_PASSWD', value: 'mysupersecretpasswd' } ]", `[ { name: 'DB_PASSWD', value: '${REDACTED}' } ]`],
    ['{ Key: "api_token", Value: "t0k3n-abcdef" }', `{ Key: "api_token", Value: "${REDACTED}" }`],
    ['"apiKey": "abc123def456"', `"apiKey": "${REDACTED}"`],
    ["password: hunter2!", `password: ${REDACTED}`],
    ["key AKIAIOSFODNN7EXAMPLE used", `key ${REDACTED} used`],
    ["mysql://app:s3cret@db.internal:3306/app", `mysql://app:${REDACTED}@db.internal:3306/app`],
    ["-----BEGIN RSA PRIVATE KEY-----", REDACTED],
  ])("%s", (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  test.each([
    "DB_HOST=my-db.cluster-abc123.ap-northeast-1.rds.amazonaws.com",
    "trace 1-6b0a16dd-d29964145f1dca5667112001 took 4.89 s",
    "image sha256:3f4b2a1c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1",
    "MYSQL_ALLOW_EMPTY_PASSWORD=yes",
    `DB_PASSWD=${REDACTED}`,
    "requestId=d29964145f1dca5667112001",
    "[ { name: 'DB_HOST', value: 'my-db.cluster-abc123.ap-northeast-1.rds.amazonaws.com' } ]",
  ])("leaves %s alone", (input) => {
    expect(redactText(input)).toBe(input);
  });
});
