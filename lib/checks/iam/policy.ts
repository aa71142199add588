// Reading IAM policy documents the way IAM evaluates identity policies, as far as checks need it: which statements
// allow an action on a resource (wildcards, NotAction, NotResource), whether an explicit Deny overrides, and which
// conditions a statement carries. Resource-based policies, permission boundaries and SCPs are out of scope.
import type { PolicyDocument } from "../../inventory/snapshot";

export interface Statement {
  readonly effect: "Allow" | "Deny";
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  /** Operator → condition key → values, as written. */
  readonly condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The policy the statement comes from, as people name it: `AdministratorAccess`, `deploy (inline)`. */
  readonly policy: string;
  readonly awsManaged: boolean;
}

export const ADMINISTRATOR_ACCESS_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";

/** `AdministratorAccess` for a managed policy, `deploy (inline)` for an inline one. */
export function policyLabel(policy: PolicyDocument): string {
  return policy.managed ? policy.name : `${policy.name} (inline)`;
}

/** The statements of the policies, in order; a document that does not parse contributes none. */
export function statementsOf(policies: readonly PolicyDocument[]): Statement[] {
  return policies.flatMap((policy) => {
    const document = parseDocument(policy.document);
    const raw = isRecord(document) ? document.Statement : undefined;
    const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    return list.flatMap((entry): Statement[] => {
      if (!isRecord(entry)) return [];
      const effect = entry.Effect === "Deny" ? "Deny" : entry.Effect === "Allow" ? "Allow" : undefined;
      if (!effect) return [];
      const actions = strings(entry.Action);
      const notActions = strings(entry.NotAction);
      const resources = strings(entry.Resource);
      const notResources = strings(entry.NotResource);
      return [
        {
          effect,
          ...(actions ? { actions } : {}),
          ...(notActions ? { notActions } : {}),
          ...(resources ? { resources } : {}),
          ...(notResources ? { notResources } : {}),
          ...(isRecord(entry.Condition) ? { condition: conditionOf(entry.Condition) } : {}),
          policy: policyLabel(policy),
          awsManaged: policy.awsManaged,
        },
      ];
    });
  });
}

/** IAM wildcards: `*` any run of characters, `?` one character. Actions compare case-insensitively. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, ignoreCase ? "is" : "s").test(value);
}

/** Whether the statement's Action (or NotAction) covers the action. */
export function coversAction(statement: Statement, action: string): boolean {
  if (statement.actions) return statement.actions.some((pattern) => wildcardMatch(pattern, action, true));
  if (statement.notActions) return !statement.notActions.some((pattern) => wildcardMatch(pattern, action, true));
  return false;
}

/** Whether the statement's Resource (or NotResource) covers the resource ARN. */
export function coversResource(statement: Statement, resource: string): boolean {
  if (statement.resources) return statement.resources.some((pattern) => wildcardMatch(pattern, resource));
  if (statement.notResources) return !statement.notResources.some((pattern) => wildcardMatch(pattern, resource));
  return false;
}

/** Whether the statement applies to every resource (`Resource: "*"`), not only to some named ones. */
export function coversEveryResource(statement: Statement): boolean {
  if (statement.resources) return statement.resources.includes("*");
  // NotResource allows everything but the resources it names: as wide as "*" for the purpose of a finding.
  return statement.notResources !== undefined;
}

/** The values a statement's condition gives a key (under any operator), or undefined when it does not test it. */
export function conditionValues(statement: Statement, key: string): string[] | undefined {
  if (!statement.condition) return undefined;
  let found: string[] | undefined;
  for (const operator of Object.values(statement.condition)) {
    for (const [name, value] of Object.entries(operator)) {
      if (name.toLowerCase() !== key.toLowerCase()) continue;
      found = [...(found ?? []), ...(strings(value) ?? [])];
    }
  }
  return found;
}

/**
 * The Allow statements that grant the action on the resource, unless an unconditional Deny takes it away (a Deny
 * with a condition might not apply, so it is not trusted to remove anything). Without a resource, any resource.
 */
export function allowingStatements(statements: readonly Statement[], action: string, resource?: string): Statement[] {
  const applies = (statement: Statement) =>
    coversAction(statement, action) && (resource === undefined || coversResource(statement, resource));
  const denied = statements.some(
    (statement) =>
      statement.effect === "Deny" &&
      !statement.condition &&
      coversAction(statement, action) &&
      (resource === undefined ? coversEveryResource(statement) : coversResource(statement, resource)),
  );
  if (denied) return [];
  return statements.filter((statement) => statement.effect === "Allow" && applies(statement));
}

/**
 * The policy that makes its holder an administrator: AWS's AdministratorAccess, or any policy that allows every
 * action on every resource (`"Action": "*", "Resource": "*"`), with or without a condition.
 */
export function administratorPolicy(policies: readonly PolicyDocument[]): PolicyDocument | undefined {
  return policies.find(
    (policy) =>
      policy.source === ADMINISTRATOR_ACCESS_ARN ||
      statementsOf([policy]).some(
        (statement) =>
          statement.effect === "Allow" &&
          (statement.actions ?? []).some((action) => action === "*" || action === "*:*") &&
          coversEveryResource(statement),
      ),
  );
}

/** `deploy (inline) allows "iam:PassRole" on "*"`, for findings (no conditions: they may name resources). */
export function describeStatement(statement: Statement): string {
  const list = (values: readonly string[]) => values.map((v) => `"${v}"`).join(", ");
  const actions = statement.actions ? list(statement.actions) : `every action but ${list(statement.notActions ?? [])}`;
  const resources = statement.resources
    ? list(statement.resources)
    : `every resource but ${list(statement.notResources ?? [])}`;
  return `${statement.policy} ${statement.effect === "Allow" ? "allows" : "denies"} ${actions} on ${resources}`;
}

function parseDocument(document: unknown): unknown {
  if (typeof document !== "string") return document;
  const text = document.trimStart().startsWith("%") ? safeDecode(document) : document;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function conditionOf(condition: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const result: Record<string, Record<string, unknown>> = {};
  for (const [operator, block] of Object.entries(condition)) if (isRecord(block)) result[operator] = block;
  return result;
}

function strings(value: unknown): string[] | undefined {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  if (typeof value === "boolean" || typeof value === "number") return [String(value)];
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
