// Which environment values look secret, and how they are kept: as a `Redacted` record (length and an HMAC-SHA256
// under this installation's key), never as the value (DESIGN §2, "secrets never leave").
//
// The rules, in order:
// 1. Empty values are not secret.
// 2. A value in a known credential format is secret, whatever its name: AWS access key ids (AKIA…/ASIA…), GitHub
//    tokens (ghp_/gho_/ghu_/ghs_/ghr_/github_pat_), Slack tokens (xoxb-/xoxp-/…), Stripe keys (sk_live_/rk_live_/
//    sk_test_), PEM private keys, JWTs (three base64url parts, the first decoding to a JSON header), URLs carrying a
//    password (scheme://user:pass@host) and connection strings with `password=`.
// 3. Values that only point somewhere are not secret: ARNs (references to Secrets Manager or SSM), URLs without a
//    password, absolute paths.
// 4. By name: a name with a word such as PASSWORD, PASSWD, PASS, PWD, SECRET, TOKEN, API_KEY/APIKEY, PRIVATE_KEY,
//    ACCESS_KEY, SECRET_KEY, CREDENTIAL(S), AUTH_KEY, SIGNING_KEY, ENCRYPTION_KEY, MASTER_KEY, SESSION_KEY (matched on
//    word boundaries: `_`, `-`, `.` and camelCase; TOKENIZER_MODEL and PASSENGER_COUNT are not secret) is secret —
//    unless the name says the value is about the secret rather than the secret itself (ALLOW, EMPTY, RANDOM, FILE,
//    PATH, ARN, ID, NAME, URL, ENDPOINT, LENGTH, TTL, EXPIRY, TIMEOUT, ENABLED, REQUIRED, POLICY, ROTATION, REGION,
//    HEADER, TYPE), or the value is a switch (yes/no/true/false/on/off/enabled/disabled/0/1).
//    So `MYSQL_ALLOW_EMPTY_PASSWORD=yes` is not secret, and `DB_PASSWD=anything` is.
// 5. By value: a long random-looking value is secret — at least 20 characters of one token (no spaces) with a
//    Shannon entropy of at least 4.0 bits per character (hex strings: at least 32 characters and 3.5 bits) — unless
//    it is a number, a host name, a UUID, or named as an id, version, digest or commit (GIT_SHA, IMAGE_DIGEST…).
import { createHmac, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { projectRoot } from "../project";
import type { EnvironmentVariable, Redacted } from "./snapshot";

export type SecretVerdict = { readonly secret: false } | { readonly secret: true; readonly reason: string };

const NOT_SECRET: SecretVerdict = { secret: false };

/** Known credential formats, by name; also used to mask secrets in any text the tool outputs (render/redaction.ts). */
export const SECRET_FORMATS: readonly [string, RegExp][] = [
  ["aws-access-key", /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/],
  ["github-token", /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b/],
  ["slack-token", /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
  ["stripe-key", /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/],
  ["private-key", /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/],
  ["url-password", /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i],
  ["connection-string-password", /(?:^|;)\s*(?:password|pwd)\s*=\s*[^;\s]+/i],
];

const SECRET_WORDS = new Set([
  "PASSWORD",
  "PASSWD",
  "PASS",
  "PWD",
  "SECRET",
  "SECRETS",
  "TOKEN",
  "TOKENS",
  "APIKEY",
  "CREDENTIAL",
  "CREDENTIALS",
  "PASSPHRASE",
]);
/** Pairs of words that are secret together: API_KEY, PRIVATE_KEY, … */
const SECRET_PAIRS = new Set([
  "API KEY",
  "PRIVATE KEY",
  "ACCESS KEY",
  "SECRET KEY",
  "AUTH KEY",
  "SIGNING KEY",
  "ENCRYPTION KEY",
  "MASTER KEY",
  "SESSION KEY",
  "CLIENT SECRET",
]);
const ABOUT_THE_SECRET = new Set([
  "ALLOW",
  "EMPTY",
  "RANDOM",
  "FILE",
  "PATH",
  "ARN",
  "ID",
  "NAME",
  "URL",
  "URI",
  "ENDPOINT",
  "LENGTH",
  "TTL",
  "EXPIRY",
  "EXPIRES",
  "TIMEOUT",
  "ENABLED",
  "REQUIRED",
  "POLICY",
  "ROTATION",
  "REGION",
  "HEADER",
  "TYPE",
]);
const IDENTIFIER_WORDS = new Set(["ID", "SHA", "VERSION", "DIGEST", "COMMIT", "REVISION", "HASH", "ARN", "UUID"]);
const SWITCHES = new Set(["yes", "no", "true", "false", "on", "off", "enabled", "disabled", "0", "1", "y", "n"]);

/** The words of a variable name: DB_PASSWD → [DB, PASSWD]; dbPassword → [DB, PASSWORD]. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== "")
    .map((word) => word.toUpperCase());
}

export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

export function detectSecret(name: string, value: string): SecretVerdict {
  const trimmed = value.trim();
  if (trimmed === "") return NOT_SECRET;
  for (const [reason, pattern] of SECRET_FORMATS) if (pattern.test(trimmed)) return { secret: true, reason };
  if (isJwt(trimmed)) return { secret: true, reason: "jwt" };
  if (isReference(trimmed)) return NOT_SECRET;
  const words = nameWords(name);
  if (secretName(words)) {
    if (words.some((word) => ABOUT_THE_SECRET.has(word)) || SWITCHES.has(trimmed.toLowerCase())) return NOT_SECRET;
    return { secret: true, reason: "name" };
  }
  if (words.some((word) => IDENTIFIER_WORDS.has(word))) return NOT_SECRET;
  if (looksRandom(trimmed)) return { secret: true, reason: "entropy" };
  return NOT_SECRET;
}

function secretName(words: readonly string[]): boolean {
  if (words.some((word) => SECRET_WORDS.has(word))) return true;
  for (let i = 0; i + 1 < words.length; i++) if (SECRET_PAIRS.has(`${words[i]} ${words[i + 1]}`)) return true;
  return false;
}

function isReference(value: string): boolean {
  if (/^arn:aws[a-z-]*:/.test(value)) return true;
  if (/^\/[^\s]*$/.test(value)) return true;
  return (
    /^[a-z][a-z0-9+.-]*:\/\/[^\s]+$/i.test(value) && !/[?&](?:token|key|secret|password|sig|signature)=/i.test(value)
  );
}

function isJwt(value: string): boolean {
  const parts = value.split(".");
  if (parts.length !== 3 || !parts.every((part) => /^[A-Za-z0-9_-]+$/.test(part))) return false;
  if (!(parts[0] as string).startsWith("eyJ")) return false;
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0] as string, "base64url").toString("utf8"));
    return typeof header === "object" && header !== null;
  } catch {
    return false;
  }
}

function looksRandom(value: string): boolean {
  if (value.length < 20 || /\s/.test(value)) return false;
  if (/^[+-]?\d+(\.\d+)?$/.test(value)) return false;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return false;
  // Host names and dotted identifiers: words separated by dots (my-db.cluster-abc123.ap-northeast-1.rds.amazonaws.com).
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(value) && !/[A-Z]/.test(value.replace(/\.[a-z]/g, ""))) return false;
  if (/^[0-9a-f]+$/i.test(value)) return value.length >= 32 && shannonEntropy(value) >= 3.5;
  return shannonEntropy(value) >= 4.0;
}

// ---------------------------------------------------------------------------------------------------------------
// Redaction under the installation's key

/** Where the installation's HMAC key lives: ECS_TAKEOVER_KEY_FILE, else `.takeover/key` at the project root. */
export function defaultKeyPath(): string {
  return process.env.ECS_TAKEOVER_KEY_FILE ?? join(projectRoot, ".takeover", "key");
}

const keys = new Map<string, Buffer>();

/** The HMAC key: read from `path`, or made (32 random bytes, mode 600) the first time. */
export function redactionKey(path = defaultKeyPath()): Buffer {
  const cached = keys.get(path);
  if (cached) return cached;
  let key: Buffer;
  try {
    key = Buffer.from(readFileSync(path, "utf8").trim(), "hex");
  } catch {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(path, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as { code?: string }).code !== "EEXIST") throw error;
    }
    chmodSync(path, 0o600);
    key = Buffer.from(readFileSync(path, "utf8").trim(), "hex");
  }
  if (key.length < 16) throw new Error(`the redaction key in ${path} is too short: delete it to make a new one`);
  keys.set(path, key);
  return key;
}

export function redact(value: string, reason: string, key: Buffer): Redacted {
  return {
    redacted: true,
    length: value.length,
    hmac: createHmac("sha256", key).update(value, "utf8").digest("hex"),
    reason,
  };
}

/** An environment variable as the Snapshot keeps it: the value, or a Redacted record when it looks secret. */
export function environmentVariable(name: string, value: string, key: Buffer): EnvironmentVariable {
  const verdict = detectSecret(name, value);
  return { name, value: verdict.secret ? redact(value, verdict.reason, key) : value };
}

export function isRedacted(value: unknown): value is Redacted {
  return typeof value === "object" && value !== null && (value as { redacted?: unknown }).redacted === true;
}
