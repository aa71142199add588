// ECR lifecycle policies: the rough validation ECR applies to a policy's JSON before it accepts it.
import { AwsError } from "../service";

function failure(detail: string): AwsError {
  return new AwsError(
    "InvalidParameterException",
    `Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ${detail}'`,
  );
}

const TAG_STATUS = new Set(["tagged", "untagged", "any"]);
const COUNT_TYPES = new Set(["imageCountMoreThan", "sinceImagePushed", "sinceImagePulled", "sinceImageTransitioned"]);
const ACTIONS = new Set(["expire", "transition"]);

function isPositiveInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1;
}

/** Throws InvalidParameterException, worded as ECR words it, unless `text` is a policy ECR would accept. */
export function validateLifecyclePolicy(text: string): void {
  if (text.length < 100 || text.length > 30720) {
    throw new AwsError(
      "InvalidParameterException",
      "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Member must have length between 100 and 30720'",
    );
  }
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw failure("Could not parse the policy text as JSON.");
  }
  const rules = (policy as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules) || rules.length === 0) throw failure('object has missing required properties (["rules"])');
  const priorities = new Set<number>();
  let anyRule = false;
  for (const [index, raw] of rules.entries()) {
    const rule = (raw ?? {}) as { rulePriority?: unknown; selection?: unknown; action?: unknown };
    const where = `rules[${index}]`;
    if (!isPositiveInteger(rule.rulePriority)) throw failure(`${where}.rulePriority must be an integer of 1 or more.`);
    if (priorities.has(rule.rulePriority)) throw failure(`rulePriority ${rule.rulePriority} is not unique.`);
    priorities.add(rule.rulePriority);
    const selection = (rule.selection ?? undefined) as
      | {
          tagStatus?: unknown;
          tagPrefixList?: unknown;
          tagPatternList?: unknown;
          countType?: unknown;
          countUnit?: unknown;
          countNumber?: unknown;
        }
      | undefined;
    if (typeof selection !== "object") throw failure(`${where} has missing required properties (["selection"])`);
    if (typeof selection.tagStatus !== "string" || !TAG_STATUS.has(selection.tagStatus)) {
      throw failure(`${where}.selection.tagStatus must be one of tagged, untagged, any.`);
    }
    const prefixes = selection.tagPrefixList;
    const patterns = selection.tagPatternList;
    if (selection.tagStatus === "tagged") {
      const hasList = (list: unknown) => Array.isArray(list) && list.length > 0;
      if (!hasList(prefixes) && !hasList(patterns)) {
        throw failure(`${where}: tagPrefixList or tagPatternList is required when tagStatus is tagged.`);
      }
      if (hasList(prefixes) && hasList(patterns)) {
        throw failure(`${where}: tagPrefixList and tagPatternList cannot both be specified.`);
      }
    } else if (prefixes !== undefined || patterns !== undefined) {
      throw failure(`${where}: tagPrefixList and tagPatternList are only allowed when tagStatus is tagged.`);
    }
    if (selection.tagStatus === "any") {
      if (anyRule) throw failure("Only one rule can have tagStatus any.");
      anyRule = true;
    }
    if (typeof selection.countType !== "string" || !COUNT_TYPES.has(selection.countType)) {
      throw failure(`${where}.selection.countType must be imageCountMoreThan or sinceImagePushed.`);
    }
    if (selection.countType === "imageCountMoreThan" && selection.countUnit !== undefined) {
      throw failure(`${where}: countUnit is not allowed when countType is imageCountMoreThan.`);
    }
    if (selection.countType !== "imageCountMoreThan" && selection.countUnit !== "days") {
      throw failure(`${where}: countUnit must be days when countType is ${selection.countType}.`);
    }
    if (!isPositiveInteger(selection.countNumber)) {
      throw failure(`${where}.selection.countNumber must be an integer of 1 or more.`);
    }
    const action = (rule.action ?? undefined) as { type?: unknown } | undefined;
    if (typeof action !== "object" || typeof action.type !== "string" || !ACTIONS.has(action.type)) {
      throw failure(`${where}.action.type must be expire.`);
    }
  }
  // ECR evaluates the `any` rule last, so it must carry the highest priority.
  const any = rules.find((r) => (r as { selection?: { tagStatus?: unknown } }).selection?.tagStatus === "any") as
    | { rulePriority: number }
    | undefined;
  if (any && any.rulePriority !== Math.max(...priorities)) {
    throw failure("The rule with tagStatus any must have the highest rulePriority.");
  }
}
