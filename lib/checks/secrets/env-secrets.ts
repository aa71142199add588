// env-secrets: a container's environment holds a value discovery judged secret-looking — by its name (DB_PASSWD),
// by its value (high entropy) or by a known key format (an AWS access key) — so the secret sits in plain text in the
// task definition. Detection, and its ignore list (`MYSQL_ALLOW_EMPTY_PASSWORD=yes` is no secret), happen in
// discovery, where values are redacted before anything is stored; this check only reads the `Redacted` records and
// names the variable and why it looked secret — never a value, a length or a hash.
import type { EnvironmentVariable, Redacted, Snapshot } from "../../inventory/snapshot";
import type { Check, CheckMeta, Verdict } from "../check";
import { eachTaskDefinition, TASK_DEFINITION_READS } from "../judge";
import { ecsGuide, securityHub, seedTalk } from "../references";

export const meta: CheckMeta = {
  id: "env-secrets",
  title: "A secret sits in plain text in a container's environment",
  pillar: "secrets",
  severity: "high",
  why:
    "Environment values are part of the task definition: anyone allowed to describe it — in the console, the CLI, " +
    "or a CI log — reads the secret; keep it in Secrets Manager and let ECS inject it through `secrets`.",
  references: [
    securityHub("ECS", 8),
    seedTalk(2, "secrets (Secrets Manager through secrets[].valueFrom)"),
    ecsGuide(
      "Pass Secrets Manager secrets through Amazon ECS environment variables",
      "secrets-envvar-secrets-manager.html",
    ),
  ],
  fix: { id: "env-secrets", manual: false },
  reads: TASK_DEFINITION_READS,
};

export function isRedacted(value: EnvironmentVariable["value"]): value is Redacted {
  return typeof value === "object" && value !== null && value.redacted === true;
}

/** Why discovery judged the value secret, in words (never the value). */
export function whySecret(reason: string): string {
  if (reason === "name") return "its name says it is a secret";
  if (reason === "value") return "its value looks random, like a key or password";
  return `its value has the format of ${reason.replace(/-/g, " ")}`;
}

export function run(snapshot: Snapshot): Verdict[] {
  return eachTaskDefinition(snapshot, (definition) => {
    const found = definition.containerDefinitions.flatMap((container) =>
      (container.environment ?? []).flatMap((variable) =>
        isRedacted(variable.value)
          ? [`container ${container.name ?? "(unnamed)"}: ${variable.name} (${whySecret(variable.value.reason)})`]
          : [],
      ),
    );
    if (found.length === 0) return { status: "pass", detail: "no secret-looking value in any container's environment" };
    return {
      status: "fail",
      detail:
        `secrets in plain text in the environment — ${found.join("; ")}: anyone who may describe the task ` +
        "definition reads them; move each to Secrets Manager and inject it through `secrets` (valueFrom)",
    };
  });
}

export const check: Check = { meta, run };
