// ECS names in AWS's formats: new-style ARNs (with the cluster in service and task ARNs), task ids, deployment ids,
// attachment UUIDs. Random parts come from the request's deterministic `hex`, so a scenario replays identically.

/** Where ids come from: the virtual clock and the deterministic hex source of a request (or a scenario builder). */
export interface IdSource {
  readonly now: Date;
  hex(length: number): string;
}

/** The account and region an ARN is built for (the sandbox state carries both). */
export interface Partition {
  readonly account: string;
  readonly region: string;
}

function prefix(where: Partition): string {
  return `arn:aws:ecs:${where.region}:${where.account}:`;
}

export const clusterArn = (where: Partition, cluster: string): string => `${prefix(where)}cluster/${cluster}`;

export const serviceArn = (where: Partition, cluster: string, service: string): string =>
  `${prefix(where)}service/${cluster}/${service}`;

export const taskArn = (where: Partition, cluster: string, id: string): string =>
  `${prefix(where)}task/${cluster}/${id}`;

export const taskDefinitionArn = (where: Partition, family: string, revision: number): string =>
  `${prefix(where)}task-definition/${family}:${revision}`;

export const containerArn = (where: Partition, cluster: string, task: string, id: string): string =>
  `${prefix(where)}container/${cluster}/${task}/${id}`;

export const attachmentArn = (where: Partition, id: string): string => `${prefix(where)}attachment/${id}`;

/** The identity every call is made as: the sandbox has one caller, the account's root. */
export const rootArn = (where: Partition): string => `arn:aws:iam::${where.account}:root`;

/** The last path segment of an ARN (`…:cluster/my-cluster` → `my-cluster`), or the identifier itself. */
export function shortName(identifier: string): string {
  if (!identifier.startsWith("arn:")) return identifier;
  const resource = identifier.split(":").slice(5).join(":");
  return resource.slice(resource.lastIndexOf("/") + 1);
}

/** A task id is 32 lowercase hex characters. */
export const newTaskId = (ids: IdSource): string => ids.hex(32);

/** A random (version 4) UUID, as ECS uses for attachments, containers and service events. */
export function newUuid(ids: IdSource): string {
  const h = ids.hex(32);
  const variant = "89ab"[Number.parseInt(h.charAt(16), 16) % 4] ?? "8";
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `ecs-svc/` followed by 19 digits, the shape of a service deployment id. */
export function newDeploymentId(ids: IdSource): string {
  const low = BigInt(10) ** BigInt(18);
  const digits = (BigInt(`0x${ids.hex(16)}`) % (BigInt(9) * low)) + low;
  return `ecs-svc/${digits.toString()}`;
}
