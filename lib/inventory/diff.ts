// What changed between two snapshots, in plain words: resource, field, before, after. Redacted values are compared
// by their HMAC and reported only as changed — never their length, hash or value.
import { isRedacted } from "./secret-detection";
import type { Snapshot } from "./snapshot";

export interface SnapshotChange {
  /** "services/my-web-service", "taskDefinitions/…:2", "securityGroups/sg-…". */
  readonly resource: string;
  /** A dotted path inside it ("service.desiredCount"); "" when the resource itself came or went. */
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

/** Fields that change on every read and say nothing about the resource. */
const NOISE = new Set(["takenAt", "events", "updatedAt", "lastStatus", "JobCreationDate", "lastAuthenticated"]);
const IDS = [
  "serviceName",
  "taskArn",
  "taskDefinitionArn",
  "GroupId",
  "SecurityGroupRuleId",
  "SubnetId",
  "VpcId",
  "RouteTableId",
  "NetworkInterfaceId",
  "LoadBalancerArn",
  "ListenerArn",
  "RuleArn",
  "TargetGroupArn",
  "AlarmName",
  "repositoryName",
  "image",
  "reference",
  "arn",
  "name",
  "id",
];

export function diffSnapshots(a: Snapshot, b: Snapshot): SnapshotChange[] {
  const changes: SnapshotChange[] = [];
  const before = flatten(a);
  const after = flatten(b);
  const resources = new Set([...before.keys(), ...after.keys()]);
  for (const resource of [...resources].sort()) {
    const x = before.get(resource);
    const y = after.get(resource);
    if (x === undefined || y === undefined) {
      changes.push({ resource, field: "", before: x ? "present" : "absent", after: y ? "present" : "absent" });
      continue;
    }
    compare(x, y, "", (field, left, right) => changes.push({ resource, field, before: left, after: right }));
  }
  return changes;
}

/** What differs between two values of one resource, field by field (redacted values compared by their HMAC). */
export function diffValues(before: unknown, after: unknown): Omit<SnapshotChange, "resource">[] {
  const changes: Omit<SnapshotChange, "resource">[] = [];
  compare(before, after, "", (field, left, right) => changes.push({ field, before: left, after: right }));
  return changes;
}

/** Top-level sections split into resources keyed by their identifier. */
function flatten(snapshot: Snapshot): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [section, value] of Object.entries(snapshot)) {
    if (NOISE.has(section)) continue;
    const inner = isKnownWrapper(value) ? (value.status === "known" ? value.value : value) : value;
    if (Array.isArray(inner)) {
      for (const [index, item] of inner.entries()) out.set(`${section}/${identify(item) ?? index}`, item);
    } else if (section === "taskDefinitions" || section === "roles" || section === "logGroups") {
      for (const [key, item] of Object.entries(inner as Record<string, unknown>))
        out.set(`${section}/${key}`, unwrap(item));
    } else {
      out.set(section, inner);
    }
  }
  return out;
}

/** A known read's value; an unknown one stays as it is, so known → unknown shows as a change. */
function unwrap(value: unknown): unknown {
  return isKnownWrapper(value) && value.status === "known" ? value.value : value;
}

function isKnownWrapper(value: unknown): value is { status: string; value?: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    "status" in value &&
    (value as { status: unknown }).status !== undefined &&
    ("value" in value || "error" in value)
  );
}

function identify(item: unknown): string | undefined {
  if (typeof item !== "object" || item === null) return undefined;
  const record = item as Record<string, unknown>;
  const nested = record.service ?? record.trail ?? record.repository;
  if (nested && typeof nested === "object") return identify(nested);
  for (const key of IDS) if (typeof record[key] === "string") return record[key] as string;
  return undefined;
}

function compare(x: unknown, y: unknown, path: string, report: (field: string, before: string, after: string) => void) {
  if (isRedacted(x) || isRedacted(y)) {
    const same = isRedacted(x) && isRedacted(y) && x.hmac === y.hmac;
    if (!same) report(path, "«redacted»", "«redacted» (changed)");
    return;
  }
  if (typeof x !== "object" || x === null || typeof y !== "object" || y === null) {
    if (x !== y) report(path, show(x), show(y));
    return;
  }
  if (Array.isArray(x) && Array.isArray(y) && x.every((i) => identify(i)) && y.every((i) => identify(i))) {
    const left = new Map(x.map((i) => [identify(i) as string, i]));
    const right = new Map(y.map((i) => [identify(i) as string, i]));
    for (const key of new Set([...left.keys(), ...right.keys()])) {
      compare(left.get(key), right.get(key), join(path, key), report);
    }
    return;
  }
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const key of keys) {
    if (NOISE.has(key)) continue;
    compare((x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key], join(path, key), report);
  }
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

function show(value: unknown): string {
  if (value === undefined) return "absent";
  if (typeof value === "string") return value;
  if (isRedacted(value)) return "«redacted»";
  const text = JSON.stringify(value, (_key, member: unknown) => (isRedacted(member) ? "«redacted»" : member));
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
