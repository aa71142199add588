// The last line of defence of DESIGN §2: text the tool writes for people — exported runbooks, CLI output — passes
// through here, so a secret that slipped into a notebook's output (a printed environment, an error message quoting
// a value) is masked. Discovery already keeps secret values out of Snapshots; this catches what lib does not own.
import { detectSecret, SECRET_FORMATS } from "../inventory/secret-detection";

export const REDACTED = "«redacted»";

/** `NAME=value`, `NAME: value`, `"NAME": "value"`: an assignment whose name or value may mark a secret. */
const ASSIGNMENT = /(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1(\s*[:=]\s*)(["']?)([^\s"',;}\]]+)\4/g;
/** `{ name: "DB_PASSWD", value: "…" }` as JSON or as Node prints it: how ECS environments and tags look. */
const NAME_VALUE =
  /((["']?)(?:name|Name|key|Key)\2\s*:\s*(["'])([^"']+)\3\s*,\s*(["']?)(?:value|Value)\5\s*:\s*)(["'])([^"']*)\6/g;
/** `scheme://user:password@host`: the password part. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)([^/\s@]+)(@)/gi;

/** Masks credentials of known formats and the values of secret-named assignments. */
export function redactText(text: string): string {
  let out = redactCredentials(text);
  out = out.replace(
    NAME_VALUE,
    (match, head: string, _q1: string, _q2: string, name: string, _q3: string, quote: string, value: string) => {
      const verdict = detectSecret(name, value);
      const hide = verdict.secret && verdict.reason !== "entropy" && value !== REDACTED;
      return hide ? `${head}${quote}${REDACTED}${quote}` : match;
    },
  );
  return redactAssignments(out);
}

/** Masks only credentials of known formats and URL passwords: for structured values whose names are ours. */
export function redactCredentials(text: string): string {
  let out = text.replace(
    URL_PASSWORD,
    (_match, before: string, _password: string, at: string) => `${before}${REDACTED}${at}`,
  );
  for (const [reason, pattern] of SECRET_FORMATS) {
    if (reason === "url-password") continue;
    const global = new RegExp(
      pattern.source.replace(/^\^/, ""),
      pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`,
    );
    out = out.replace(global, REDACTED);
  }
  return out;
}

/**
 * `NAME=value` pairs, scanned so that a value may itself start the next pair ("failed: DB_PASSWD=…" holds two):
 * after each match the scan resumes right after its separator, not after its value.
 */
function redactAssignments(text: string): string {
  let out = "";
  let copied = 0;
  ASSIGNMENT.lastIndex = 0;
  for (let match = ASSIGNMENT.exec(text); match !== null; match = ASSIGNMENT.exec(text)) {
    const [whole, quote = "", name = "", separator = "", valueQuote = "", value = ""] = match;
    const valueStart = match.index + whole.length - value.length - valueQuote.length;
    ASSIGNMENT.lastIndex = match.index + quote.length * 2 + name.length + separator.length;
    if (value === REDACTED || value.startsWith("«") || valueStart < copied) continue;
    const verdict = detectSecret(name, value);
    if (!verdict.secret || verdict.reason === "entropy") continue;
    out += `${text.slice(copied, valueStart)}${REDACTED}`;
    copied = valueStart + value.length;
  }
  return out + text.slice(copied);
}
