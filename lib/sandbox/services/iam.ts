// IAM: roles, users, groups, managed and inline policies, attachments, and the access advisor's last-accessed data.
// Policy documents are kept decoded and URL-encoded on the way out, as real IAM answers them.
import type {
  AttachedPolicy,
  EntityType,
  ManagedPolicyDetail,
  Policy,
  PolicyDetail,
  PolicyVersion,
  Role,
  RoleLastUsed,
  ServiceLastAccessed,
  Tag,
} from "@aws-sdk/client-iam";
import { AwsError, type RequestContext, type ServiceDefinition } from "../service";
import type { SandboxState } from "../state";
import { AWS_MANAGED_POLICIES, SERVICE_NAMES } from "./iam-managed-policies";

export interface IamInlinePolicy {
  PolicyName: string;
  /** The decoded JSON text, exactly as it was put. */
  PolicyDocument: string;
}

interface IamPrincipal {
  inlinePolicies: IamInlinePolicy[];
  attachedPolicyArns: string[];
}

export interface IamRole extends IamPrincipal {
  Path: string;
  RoleName: string;
  RoleId: string;
  Arn: string;
  CreateDate: Date;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  Tags: Tag[];
  RoleLastUsed?: RoleLastUsed;
}

export interface IamUser extends IamPrincipal {
  Path: string;
  UserName: string;
  UserId: string;
  Arn: string;
  CreateDate: Date;
  Tags: Tag[];
  /** Names of the groups the user belongs to. */
  groups: string[];
}

export interface IamGroup extends IamPrincipal {
  Path: string;
  GroupName: string;
  GroupId: string;
  Arn: string;
  CreateDate: Date;
}

export interface IamPolicyVersion {
  VersionId: string;
  Document: string;
  CreateDate: Date;
}

/** A customer managed policy (AWS managed ones are constants in iam-managed-policies.ts). */
export interface IamCustomerPolicy {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  Description?: string;
  DefaultVersionId: string;
  CreateDate: Date;
  UpdateDate: Date;
  Tags: Tag[];
  versions: IamPolicyVersion[];
  /** Version numbers are never reused, even after a version is deleted. */
  nextVersion: number;
}

/** One service in an entity's access-advisor report, as a scenario seeds it. */
export interface LastAccessedEntry {
  ServiceNamespace: string;
  ServiceName?: string;
  LastAuthenticated?: Date;
  LastAuthenticatedEntity?: string;
  LastAuthenticatedRegion?: string;
  TotalAuthenticatedEntities?: number;
}

interface LastAccessedJob {
  JobId: string;
  Arn: string;
  JobType: string;
  JobCreationDate: Date;
}

export interface IamState {
  roles: IamRole[];
  users: IamUser[];
  groups: IamGroup[];
  policies: IamCustomerPolicy[];
  /** Access-advisor data by entity ARN: services used, with when. */
  serviceLastAccessed: Record<string, LastAccessedEntry[]>;
  jobs: LastAccessedJob[];
}

export function emptyIamState(): IamState {
  return { roles: [], users: [], groups: [], policies: [], serviceLastAccessed: {}, jobs: [] };
}

/** What builders need besides the state: the id source and the time (a RequestContext is one). */
export interface IdSource {
  hex(length: number): string;
  readonly now: Date;
}

export type PolicyDocumentInput = string | object;
export type PrincipalRef = { role: string } | { user: string } | { group: string };

// ---------------------------------------------------------------------------------------------------------------
// Errors and input

function noSuchEntity(message: string): AwsError {
  return new AwsError("NoSuchEntity", message, { status: 404 });
}
function alreadyExists(message: string): AwsError {
  return new AwsError("EntityAlreadyExists", message, { status: 409 });
}
function malformed(message: string): AwsError {
  return new AwsError("MalformedPolicyDocument", message, { status: 400 });
}
function limitExceeded(message: string): AwsError {
  return new AwsError("LimitExceeded", message, { status: 409 });
}
function invalidInput(message: string): AwsError {
  return new AwsError("InvalidInput", message, { status: 400 });
}
function deleteConflict(message: string): AwsError {
  return new AwsError("DeleteConflict", message, { status: 409 });
}
function validation(message: string): AwsError {
  return new AwsError("ValidationError", message, { status: 400 });
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function required(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== "string" || value === "") {
    throw validation(
      `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function optional(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  return typeof value === "string" ? value : undefined;
}

const NAME = /^[\w+=,.@-]+$/;

function checkName(value: string, member: string, max: number): string {
  if (value.length > max || !NAME.test(value)) {
    throw validation(
      `1 validation error detected: Value '${value}' at '${lowerFirst(member)}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+ and have length less than or equal to ${max}`,
    );
  }
  return value;
}

function checkPath(value: string | undefined): string {
  const path = value ?? "/";
  if (!/^(\/|\/[\x21-\x7E]*\/)$/.test(path) || path.length > 512) {
    throw validation(
      `1 validation error detected: Value '${path}' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)`,
    );
  }
  return path;
}

function tagsOf(input: Record<string, unknown>): Tag[] {
  const tags = input.Tags;
  if (!Array.isArray(tags)) return [];
  return tags.map((tag: Tag) => ({ Key: tag.Key, Value: tag.Value ?? "" }));
}

// ---------------------------------------------------------------------------------------------------------------
// Policy documents

type DocumentKind = "identity" | "trust";

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function statementsOf(document: string): Record<string, unknown>[] {
  const parsed = JSON.parse(document) as { Statement?: unknown };
  return asArray(parsed.Statement).filter((s): s is Record<string, unknown> => typeof s === "object" && s !== null);
}

/** The checks real IAM makes that a hand-written policy most often fails; throws MalformedPolicyDocument. */
function validateDocument(document: string, kind: DocumentKind): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw malformed("This policy contains invalid Json");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw malformed("This policy contains invalid Json");
  }
  const policy = parsed as Record<string, unknown>;
  if (policy.Version !== undefined && policy.Version !== "2012-10-17" && policy.Version !== "2008-10-17") {
    throw malformed("The policy failed legacy parsing");
  }
  if (policy.Statement === undefined) throw malformed("Syntax errors in policy.");
  const statements = asArray(policy.Statement);
  if (statements.length === 0) throw malformed("Syntax errors in policy.");
  for (const raw of statements) {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw malformed("Syntax errors in policy.");
    const statement = raw as Record<string, unknown>;
    if (statement.Effect !== "Allow" && statement.Effect !== "Deny") {
      throw malformed(`Invalid effect: ${String(statement.Effect)}`);
    }
    if (statement.Action === undefined && statement.NotAction === undefined) {
      throw malformed("Policy statement must contain actions.");
    }
    const hasPrincipal = statement.Principal !== undefined || statement.NotPrincipal !== undefined;
    const hasResource = statement.Resource !== undefined || statement.NotResource !== undefined;
    if (kind === "identity") {
      if (hasPrincipal) throw malformed("Policy document should not specify a principal.");
      if (!hasResource) throw malformed("Policy statement must contain resources.");
    } else {
      if (hasResource) throw malformed("Has prohibited field Resource");
      if (!hasPrincipal) throw malformed("Missing required field Principal");
    }
  }
}

function documentText(document: PolicyDocumentInput): string {
  return typeof document === "string" ? document : JSON.stringify(document);
}

/** IAM's size limits count characters other than whitespace. */
function policySize(document: string): number {
  return document.replace(/\s/g, "").length;
}

/** Real IAM URL-encodes every policy document it returns; clients decode with decodeURIComponent. */
export function encodePolicyDocument(document: string): string {
  return encodeURIComponent(document);
}

// ---------------------------------------------------------------------------------------------------------------
// Ids, lookups and paging

function awsId(prefix: string, ids: IdSource): string {
  return prefix + ids.hex(17).toUpperCase();
}

function jobId(ids: IdSource): string {
  const h = ids.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function findRole(state: SandboxState, name: string): IamRole {
  const role = state.iam.roles.find((r) => sameName(r.RoleName, name));
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}
function findUser(state: SandboxState, name: string): IamUser {
  const user = state.iam.users.find((u) => sameName(u.UserName, name));
  if (!user) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return user;
}
function findGroup(state: SandboxState, name: string): IamGroup {
  const group = state.iam.groups.find((g) => sameName(g.GroupName, name));
  if (!group) throw noSuchEntity(`The group with name ${name} cannot be found.`);
  return group;
}

/** A managed policy as the API shows it, AWS managed or customer managed alike. */
interface ManagedPolicyView {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  Description?: string;
  DefaultVersionId: string;
  CreateDate: Date;
  UpdateDate: Date;
  Tags: Tag[];
  versions: IamPolicyVersion[];
  local?: IamCustomerPolicy;
}

function managedPolicies(state: SandboxState): ManagedPolicyView[] {
  const aws: ManagedPolicyView[] = AWS_MANAGED_POLICIES.map((p) => ({
    PolicyName: p.PolicyName,
    PolicyId: p.PolicyId,
    Arn: p.Arn,
    Path: p.Path,
    Description: p.Description,
    DefaultVersionId: p.DefaultVersionId,
    CreateDate: p.CreateDate,
    UpdateDate: p.UpdateDate,
    Tags: [],
    versions: [{ VersionId: p.DefaultVersionId, Document: p.Document, CreateDate: p.UpdateDate }],
  }));
  return [...state.iam.policies.map((p) => ({ ...p, local: p })), ...aws];
}

function findPolicy(state: SandboxState, arn: string): ManagedPolicyView {
  const policy = managedPolicies(state).find((p) => p.Arn === arn);
  if (!policy) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return policy;
}

function principals(state: SandboxState): IamPrincipal[] {
  return [...state.iam.roles, ...state.iam.users, ...state.iam.groups];
}

function attachmentCount(state: SandboxState, arn: string): number {
  return principals(state).filter((p) => p.attachedPolicyArns.includes(arn)).length;
}

interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

function pageOf<T>(items: readonly T[], input: Record<string, unknown>): Page<T> {
  const maxItems = input.MaxItems === undefined ? 100 : Number(input.MaxItems);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) {
    throw validation(
      `1 validation error detected: Value '${String(input.MaxItems)}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`,
    );
  }
  let start = 0;
  const marker = optional(input, "Marker");
  if (marker !== undefined) {
    const decoded = /^o(\d+)$/.exec(Buffer.from(marker, "base64").toString("utf8"));
    if (!decoded) throw invalidInput("Invalid Marker.");
    start = Number(decoded[1]);
  }
  const end = start + maxItems;
  const page = items.slice(start, end);
  return end < items.length
    ? { items: page, IsTruncated: true, Marker: Buffer.from(`o${end}`).toString("base64") }
    : { items: page, IsTruncated: false };
}

function pageFields<T>(page: Page<T>): { IsTruncated: boolean; Marker?: string } {
  return page.Marker === undefined ? { IsTruncated: page.IsTruncated } : { IsTruncated: true, Marker: page.Marker };
}

// ---------------------------------------------------------------------------------------------------------------
// Output shapes

function roleOut(role: IamRole, detail: boolean): Role {
  return {
    Path: role.Path,
    RoleName: role.RoleName,
    RoleId: role.RoleId,
    Arn: role.Arn,
    CreateDate: role.CreateDate,
    AssumeRolePolicyDocument: encodePolicyDocument(role.AssumeRolePolicyDocument),
    ...(role.Description === undefined ? {} : { Description: role.Description }),
    MaxSessionDuration: role.MaxSessionDuration,
    ...(detail && role.Tags.length > 0 ? { Tags: role.Tags } : {}),
    ...(detail ? { RoleLastUsed: role.RoleLastUsed ?? {} } : {}),
  };
}

function userOut(user: IamUser) {
  return {
    Path: user.Path,
    UserName: user.UserName,
    UserId: user.UserId,
    Arn: user.Arn,
    CreateDate: user.CreateDate,
    ...(user.Tags.length > 0 ? { Tags: user.Tags } : {}),
  };
}

function groupOut(group: IamGroup) {
  return {
    Path: group.Path,
    GroupName: group.GroupName,
    GroupId: group.GroupId,
    Arn: group.Arn,
    CreateDate: group.CreateDate,
  };
}

function policyOut(state: SandboxState, policy: ManagedPolicyView): Policy {
  return {
    PolicyName: policy.PolicyName,
    PolicyId: policy.PolicyId,
    Arn: policy.Arn,
    Path: policy.Path,
    DefaultVersionId: policy.DefaultVersionId,
    AttachmentCount: attachmentCount(state, policy.Arn),
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    ...(policy.Description === undefined ? {} : { Description: policy.Description }),
    CreateDate: policy.CreateDate,
    UpdateDate: policy.UpdateDate,
    ...(policy.Tags.length > 0 ? { Tags: policy.Tags } : {}),
  };
}

function versionOut(policy: ManagedPolicyView, version: IamPolicyVersion): PolicyVersion {
  return {
    Document: encodePolicyDocument(version.Document),
    VersionId: version.VersionId,
    IsDefaultVersion: version.VersionId === policy.DefaultVersionId,
    CreateDate: version.CreateDate,
  };
}

function attachedOut(state: SandboxState, arns: readonly string[]): AttachedPolicy[] {
  const all = managedPolicies(state);
  return arns.map((arn) => ({ PolicyName: all.find((p) => p.Arn === arn)?.PolicyName ?? arn, PolicyArn: arn }));
}

function inlineOut(policies: readonly IamInlinePolicy[]): PolicyDetail[] {
  return policies.map((p) => ({ PolicyName: p.PolicyName, PolicyDocument: encodePolicyDocument(p.PolicyDocument) }));
}

// ---------------------------------------------------------------------------------------------------------------
// Builders (used by handlers and by scenarios, so scenarios stay short data)

function principalOf(state: SandboxState, ref: PrincipalRef): { principal: IamPrincipal; kind: string; name: string } {
  if ("role" in ref) {
    const role = findRole(state, ref.role);
    return { principal: role, kind: "role", name: role.RoleName };
  }
  if ("user" in ref) {
    const user = findUser(state, ref.user);
    return { principal: user, kind: "user", name: user.UserName };
  }
  const group = findGroup(state, ref.group);
  return { principal: group, kind: "group", name: group.GroupName };
}

/** Aggregate inline-policy size limits per principal kind (non-whitespace characters). */
const INLINE_LIMIT: Readonly<Record<string, number>> = { role: 10240, user: 2048, group: 5120 };

/** Puts (creates or replaces) an inline policy on a role, user or group. */
export function putInlinePolicy(
  state: SandboxState,
  ref: PrincipalRef,
  policyName: string,
  document: PolicyDocumentInput,
): void {
  const text = documentText(document);
  validateDocument(text, "identity");
  const { principal, kind, name } = principalOf(state, ref);
  const others = principal.inlinePolicies.filter((p) => p.PolicyName !== policyName);
  const total = [...others.map((p) => p.PolicyDocument), text].reduce((sum, d) => sum + policySize(d), 0);
  const limit = INLINE_LIMIT[kind] ?? 10240;
  if (total > limit) throw limitExceeded(`Maximum policy size of ${limit} bytes exceeded for ${kind} ${name}`);
  const existing = principal.inlinePolicies.find((p) => p.PolicyName === policyName);
  if (existing) existing.PolicyDocument = text;
  else principal.inlinePolicies.push({ PolicyName: policyName, PolicyDocument: text });
}

/** Attaches a managed policy (no-op when already attached, as IAM does). */
export function attachPolicy(state: SandboxState, ref: PrincipalRef, policyArn: string): void {
  const { principal } = principalOf(state, ref);
  findPolicy(state, policyArn);
  if (!principal.attachedPolicyArns.includes(policyArn)) principal.attachedPolicyArns.push(policyArn);
}

interface PrincipalSpec {
  name: string;
  path?: string;
  managedPolicyArns?: readonly string[];
  inline?: Readonly<Record<string, PolicyDocumentInput>>;
  tags?: Readonly<Record<string, string>>;
}

function tagList(tags: Readonly<Record<string, string>> | undefined): Tag[] {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

function furnish(state: SandboxState, ref: PrincipalRef, spec: PrincipalSpec): void {
  for (const arn of spec.managedPolicyArns ?? []) attachPolicy(state, ref, arn);
  for (const [policyName, document] of Object.entries(spec.inline ?? {})) {
    putInlinePolicy(state, ref, policyName, document);
  }
}

export function addRole(
  state: SandboxState,
  ids: IdSource,
  spec: PrincipalSpec & {
    trust: PolicyDocumentInput;
    description?: string;
    maxSessionDuration?: number;
    lastUsed?: RoleLastUsed;
  },
): IamRole {
  const name = checkName(spec.name, "RoleName", 64);
  const path = checkPath(spec.path);
  if (state.iam.roles.some((r) => sameName(r.RoleName, name))) {
    throw alreadyExists(`Role with name ${name} already exists.`);
  }
  const trust = documentText(spec.trust);
  validateDocument(trust, "trust");
  const role: IamRole = {
    Path: path,
    RoleName: name,
    RoleId: awsId("AROA", ids),
    Arn: `arn:aws:iam::${state.account}:role${path}${name}`,
    CreateDate: ids.now,
    AssumeRolePolicyDocument: trust,
    ...(spec.description === undefined ? {} : { Description: spec.description }),
    MaxSessionDuration: spec.maxSessionDuration ?? 3600,
    Tags: tagList(spec.tags),
    ...(spec.lastUsed === undefined ? {} : { RoleLastUsed: spec.lastUsed }),
    inlinePolicies: [],
    attachedPolicyArns: [],
  };
  state.iam.roles.push(role);
  furnish(state, { role: name }, spec);
  return role;
}

export function addUser(
  state: SandboxState,
  ids: IdSource,
  spec: PrincipalSpec & { groups?: readonly string[] },
): IamUser {
  const name = checkName(spec.name, "UserName", 64);
  const path = checkPath(spec.path);
  if (state.iam.users.some((u) => sameName(u.UserName, name))) {
    throw alreadyExists(`User with name ${name} already exists.`);
  }
  const user: IamUser = {
    Path: path,
    UserName: name,
    UserId: awsId("AIDA", ids),
    Arn: `arn:aws:iam::${state.account}:user${path}${name}`,
    CreateDate: ids.now,
    Tags: tagList(spec.tags),
    groups: [],
    inlinePolicies: [],
    attachedPolicyArns: [],
  };
  state.iam.users.push(user);
  for (const group of spec.groups ?? []) addUserToGroup(state, name, group);
  furnish(state, { user: name }, spec);
  return user;
}

export function addGroup(
  state: SandboxState,
  ids: IdSource,
  spec: Omit<PrincipalSpec, "tags"> & { users?: readonly string[] },
): IamGroup {
  const name = checkName(spec.name, "GroupName", 128);
  const path = checkPath(spec.path);
  if (state.iam.groups.some((g) => sameName(g.GroupName, name))) {
    throw alreadyExists(`Group with name ${name} already exists.`);
  }
  const group: IamGroup = {
    Path: path,
    GroupName: name,
    GroupId: awsId("AGPA", ids),
    Arn: `arn:aws:iam::${state.account}:group${path}${name}`,
    CreateDate: ids.now,
    inlinePolicies: [],
    attachedPolicyArns: [],
  };
  state.iam.groups.push(group);
  for (const user of spec.users ?? []) addUserToGroup(state, user, name);
  furnish(state, { group: name }, spec);
  return group;
}

export function addUserToGroup(state: SandboxState, userName: string, groupName: string): void {
  const user = findUser(state, userName);
  const group = findGroup(state, groupName);
  if (!user.groups.includes(group.GroupName)) user.groups.push(group.GroupName);
}

export function addPolicy(
  state: SandboxState,
  ids: IdSource,
  spec: {
    name: string;
    path?: string;
    document: PolicyDocumentInput;
    description?: string;
    tags?: Record<string, string>;
  },
): IamCustomerPolicy {
  const name = checkName(spec.name, "PolicyName", 128);
  const path = checkPath(spec.path);
  const arn = `arn:aws:iam::${state.account}:policy${path}${name}`;
  if (state.iam.policies.some((p) => sameName(p.PolicyName, name) && p.Path === path)) {
    throw alreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
  }
  const document = documentText(spec.document);
  validateDocument(document, "identity");
  if (policySize(document) > 6144) throw limitExceeded("Cannot exceed quota for PolicySize: 6144");
  const policy: IamCustomerPolicy = {
    PolicyName: name,
    PolicyId: awsId("ANPA", ids),
    Arn: arn,
    Path: path,
    ...(spec.description === undefined ? {} : { Description: spec.description }),
    DefaultVersionId: "v1",
    CreateDate: ids.now,
    UpdateDate: ids.now,
    Tags: tagList(spec.tags),
    versions: [{ VersionId: "v1", Document: document, CreateDate: ids.now }],
    nextVersion: 2,
  };
  state.iam.policies.push(policy);
  return policy;
}

/** Seeds the access advisor: the services an entity (role, user, group or policy ARN) used, and when. */
export function setServiceLastAccessed(state: SandboxState, arn: string, entries: readonly LastAccessedEntry[]): void {
  state.iam.serviceLastAccessed[arn] = entries.map((e) => ({ ...e }));
}

// ---------------------------------------------------------------------------------------------------------------
// Access advisor

function actionsAllowed(documents: readonly string[]): string[] {
  const actions: string[] = [];
  for (const document of documents) {
    for (const statement of statementsOf(document)) {
      if (statement.Effect !== "Allow") continue;
      for (const action of asArray(statement.Action)) if (typeof action === "string") actions.push(action);
    }
  }
  return actions;
}

function entityDocuments(state: SandboxState, arn: string): string[] {
  const documentsOf = (principal: IamPrincipal): string[] => [
    ...principal.inlinePolicies.map((p) => p.PolicyDocument),
    ...principal.attachedPolicyArns.flatMap((a) => {
      const policy = managedPolicies(state).find((p) => p.Arn === a);
      return policy?.versions.filter((v) => v.VersionId === policy.DefaultVersionId).map((v) => v.Document) ?? [];
    }),
  ];
  const role = state.iam.roles.find((r) => r.Arn === arn);
  if (role) return documentsOf(role);
  const group = state.iam.groups.find((g) => g.Arn === arn);
  if (group) return documentsOf(group);
  const user = state.iam.users.find((u) => u.Arn === arn);
  if (user) {
    const groups = state.iam.groups.filter((g) => user.groups.includes(g.GroupName));
    return [...documentsOf(user), ...groups.flatMap(documentsOf)];
  }
  const policy = managedPolicies(state).find((p) => p.Arn === arn);
  if (policy) return policy.versions.filter((v) => v.VersionId === policy.DefaultVersionId).map((v) => v.Document);
  throw invalidInput(`The specified value for arn is invalid: ${arn}`);
}

/** The report as IAM builds it: every service the entity's policies allow, used or not. */
function lastAccessedReport(state: SandboxState, arn: string): ServiceLastAccessed[] {
  const used = state.iam.serviceLastAccessed[arn] ?? [];
  const namespaces = new Set<string>();
  for (const action of actionsAllowed(entityDocuments(state, arn))) {
    if (action === "*") for (const ns of Object.keys(SERVICE_NAMES)) namespaces.add(ns);
    else {
      const ns = action.split(":")[0];
      if (ns) namespaces.add(ns.toLowerCase());
    }
  }
  for (const entry of used) namespaces.add(entry.ServiceNamespace);
  return [...namespaces].sort().map((ns) => {
    const entry = used.find((e) => e.ServiceNamespace === ns);
    const ServiceName = entry?.ServiceName ?? SERVICE_NAMES[ns] ?? ns;
    if (!entry?.LastAuthenticated) return { ServiceName, ServiceNamespace: ns, TotalAuthenticatedEntities: 0 };
    return {
      ServiceName,
      LastAuthenticated: entry.LastAuthenticated,
      ServiceNamespace: ns,
      LastAuthenticatedEntity: entry.LastAuthenticatedEntity ?? arn,
      LastAuthenticatedRegion: entry.LastAuthenticatedRegion ?? state.region,
      TotalAuthenticatedEntities: entry.TotalAuthenticatedEntities ?? 1,
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Handlers

function inlineHandlers(kind: "Role" | "User" | "Group") {
  const ref = (input: Record<string, unknown>): PrincipalRef => {
    const name = required(input, `${kind}Name`);
    return kind === "Role" ? { role: name } : kind === "User" ? { user: name } : { group: name };
  };
  const lower = kind.toLowerCase();
  return {
    [`List${kind}Policies`]: (input: Record<string, unknown>, context: RequestContext) => {
      const { principal } = principalOf(context.state, ref(input));
      const page = pageOf(
        principal.inlinePolicies.map((p) => p.PolicyName),
        input,
      );
      return { PolicyNames: page.items, ...pageFields(page) };
    },
    [`Get${kind}Policy`]: (input: Record<string, unknown>, context: RequestContext) => {
      const policyName = required(input, "PolicyName");
      const { principal, name } = principalOf(context.state, ref(input));
      const policy = principal.inlinePolicies.find((p) => p.PolicyName === policyName);
      if (!policy) throw noSuchEntity(`The ${lower} policy with name ${policyName} cannot be found.`);
      return {
        [`${kind}Name`]: name,
        PolicyName: policy.PolicyName,
        PolicyDocument: encodePolicyDocument(policy.PolicyDocument),
      };
    },
    [`Put${kind}Policy`]: (input: Record<string, unknown>, context: RequestContext) => {
      const policyName = checkName(required(input, "PolicyName"), "PolicyName", 128);
      putInlinePolicy(context.state, ref(input), policyName, required(input, "PolicyDocument"));
      context.changed();
      return {};
    },
    [`Delete${kind}Policy`]: (input: Record<string, unknown>, context: RequestContext) => {
      const policyName = required(input, "PolicyName");
      const { principal } = principalOf(context.state, ref(input));
      const index = principal.inlinePolicies.findIndex((p) => p.PolicyName === policyName);
      if (index < 0) throw noSuchEntity(`The ${lower} policy with name ${policyName} cannot be found.`);
      principal.inlinePolicies.splice(index, 1);
      context.changed();
      return {};
    },
    [`ListAttached${kind}Policies`]: (input: Record<string, unknown>, context: RequestContext) => {
      const { principal } = principalOf(context.state, ref(input));
      const prefix = optional(input, "PathPrefix") ?? "/";
      const all = managedPolicies(context.state);
      const arns = principal.attachedPolicyArns.filter((a) =>
        (all.find((p) => p.Arn === a)?.Path ?? "/").startsWith(prefix),
      );
      const page = pageOf(attachedOut(context.state, arns), input);
      return { AttachedPolicies: page.items, ...pageFields(page) };
    },
    [`Attach${kind}Policy`]: (input: Record<string, unknown>, context: RequestContext) => {
      attachPolicy(context.state, ref(input), required(input, "PolicyArn"));
      context.changed();
      return {};
    },
    [`Detach${kind}Policy`]: (input: Record<string, unknown>, context: RequestContext) => {
      const arn = required(input, "PolicyArn");
      const { principal } = principalOf(context.state, ref(input));
      const index = principal.attachedPolicyArns.indexOf(arn);
      if (index < 0) throw noSuchEntity(`Policy ${arn} was not found.`);
      principal.attachedPolicyArns.splice(index, 1);
      context.changed();
      return {};
    },
  };
}

function taggable(tags: Tag[], input: Record<string, unknown>): void {
  for (const tag of tagsOf(input)) {
    const existing = tags.find((t) => t.Key === tag.Key);
    if (existing) existing.Value = tag.Value;
    else tags.push(tag);
  }
  if (tags.length > 50) throw limitExceeded("The number of tags has reached the maximum limit.");
}

function untag(tags: Tag[], input: Record<string, unknown>): Tag[] {
  const keys = Array.isArray(input.TagKeys) ? (input.TagKeys as string[]) : [];
  return tags.filter((t) => !keys.includes(t.Key ?? ""));
}

function entityTypes(input: Record<string, unknown>): Set<EntityType> {
  const filter = Array.isArray(input.Filter) ? (input.Filter as EntityType[]) : [];
  return new Set(
    filter.length > 0 ? filter : (["User", "Group", "Role", "LocalManagedPolicy", "AWSManagedPolicy"] as EntityType[]),
  );
}

type AuthorizationItem =
  | { list: "UserDetailList"; value: object }
  | { list: "GroupDetailList"; value: object }
  | { list: "RoleDetailList"; value: object }
  | { list: "Policies"; value: ManagedPolicyDetail };

function authorizationItems(state: SandboxState, types: Set<EntityType>): AuthorizationItem[] {
  const items: AuthorizationItem[] = [];
  if (types.has("User")) {
    for (const user of state.iam.users) {
      items.push({
        list: "UserDetailList",
        value: {
          ...userOut(user),
          UserPolicyList: inlineOut(user.inlinePolicies),
          GroupList: [...user.groups],
          AttachedManagedPolicies: attachedOut(state, user.attachedPolicyArns),
        },
      });
    }
  }
  if (types.has("Group")) {
    for (const group of state.iam.groups) {
      items.push({
        list: "GroupDetailList",
        value: {
          ...groupOut(group),
          GroupPolicyList: inlineOut(group.inlinePolicies),
          AttachedManagedPolicies: attachedOut(state, group.attachedPolicyArns),
        },
      });
    }
  }
  if (types.has("Role")) {
    for (const role of state.iam.roles) {
      items.push({
        list: "RoleDetailList",
        value: {
          ...roleOut(role, true),
          InstanceProfileList: [],
          RolePolicyList: inlineOut(role.inlinePolicies),
          AttachedManagedPolicies: attachedOut(state, role.attachedPolicyArns),
        },
      });
    }
  }
  for (const policy of managedPolicies(state)) {
    // Real IAM lists AWS managed policies only when something in the account uses them.
    const wanted = policy.local
      ? types.has("LocalManagedPolicy")
      : types.has("AWSManagedPolicy") && attachmentCount(state, policy.Arn) > 0;
    if (!wanted) continue;
    const { Tags: _tags, ...summary } = policyOut(state, policy);
    items.push({
      list: "Policies",
      value: { ...summary, PolicyVersionList: policy.versions.map((v) => versionOut(policy, v)) },
    });
  }
  return items;
}

function listPath<T extends { Path: string }>(items: readonly T[], input: Record<string, unknown>): T[] {
  const prefix = optional(input, "PathPrefix") ?? "/";
  return items.filter((i) => i.Path.startsWith(prefix));
}

const handlers: Record<string, (input: Record<string, unknown>, context: RequestContext) => unknown> = {
  ...inlineHandlers("Role"),
  ...inlineHandlers("User"),
  ...inlineHandlers("Group"),

  GetRole: (input, { state }) => ({ Role: roleOut(findRole(state, required(input, "RoleName")), true) }),
  ListRoles: (input, { state }) => {
    const page = pageOf(listPath(state.iam.roles, input), input);
    return { Roles: page.items.map((r) => roleOut(r, false)), ...pageFields(page) };
  },
  CreateRole: (input, context) => {
    const role = addRole(context.state, context, {
      name: required(input, "RoleName"),
      path: optional(input, "Path"),
      trust: required(input, "AssumeRolePolicyDocument"),
      description: optional(input, "Description"),
      maxSessionDuration: typeof input.MaxSessionDuration === "number" ? input.MaxSessionDuration : undefined,
      tags: Object.fromEntries(tagsOf(input).map((t) => [t.Key ?? "", t.Value ?? ""])),
    });
    context.changed();
    return { Role: roleOut(role, false) };
  },
  DeleteRole: (input, context) => {
    const role = findRole(context.state, required(input, "RoleName"));
    if (role.attachedPolicyArns.length > 0)
      throw deleteConflict("Cannot delete entity, must detach all policies first.");
    if (role.inlinePolicies.length > 0) throw deleteConflict("Cannot delete entity, must delete policies first.");
    context.state.iam.roles = context.state.iam.roles.filter((r) => r !== role);
    context.changed();
    return {};
  },
  UpdateAssumeRolePolicy: (input, context) => {
    const role = findRole(context.state, required(input, "RoleName"));
    const document = required(input, "PolicyDocument");
    validateDocument(document, "trust");
    role.AssumeRolePolicyDocument = document;
    context.changed();
    return {};
  },
  TagRole: (input, context) => {
    taggable(findRole(context.state, required(input, "RoleName")).Tags, input);
    context.changed();
    return {};
  },
  UntagRole: (input, context) => {
    const role = findRole(context.state, required(input, "RoleName"));
    role.Tags = untag(role.Tags, input);
    context.changed();
    return {};
  },
  ListRoleTags: (input, { state }) => {
    const page = pageOf(findRole(state, required(input, "RoleName")).Tags, input);
    return { Tags: page.items, ...pageFields(page) };
  },

  GetUser: (input, { state }) => {
    const name = optional(input, "UserName");
    if (name === undefined) throw validation("Must specify userName when calling with non-User credentials");
    return { User: userOut(findUser(state, name)) };
  },
  ListUsers: (input, { state }) => {
    const page = pageOf(listPath(state.iam.users, input), input);
    return { Users: page.items.map(userOut), ...pageFields(page) };
  },
  CreateUser: (input, context) => {
    const user = addUser(context.state, context, {
      name: required(input, "UserName"),
      path: optional(input, "Path"),
      tags: Object.fromEntries(tagsOf(input).map((t) => [t.Key ?? "", t.Value ?? ""])),
    });
    context.changed();
    return { User: userOut(user) };
  },
  ListGroupsForUser: (input, { state }) => {
    const user = findUser(state, required(input, "UserName"));
    const page = pageOf(
      state.iam.groups.filter((g) => user.groups.includes(g.GroupName)),
      input,
    );
    return { Groups: page.items.map(groupOut), ...pageFields(page) };
  },

  GetGroup: (input, { state }) => {
    const group = findGroup(state, required(input, "GroupName"));
    const page = pageOf(
      state.iam.users.filter((u) => u.groups.includes(group.GroupName)),
      input,
    );
    return { Group: groupOut(group), Users: page.items.map(userOut), ...pageFields(page) };
  },
  ListGroups: (input, { state }) => {
    const page = pageOf(listPath(state.iam.groups, input), input);
    return { Groups: page.items.map(groupOut), ...pageFields(page) };
  },
  CreateGroup: (input, context) => {
    const group = addGroup(context.state, context, {
      name: required(input, "GroupName"),
      path: optional(input, "Path"),
    });
    context.changed();
    return { Group: groupOut(group) };
  },
  AddUserToGroup: (input, context) => {
    addUserToGroup(context.state, required(input, "UserName"), required(input, "GroupName"));
    context.changed();
    return {};
  },

  GetPolicy: (input, { state }) => ({ Policy: policyOut(state, findPolicy(state, required(input, "PolicyArn"))) }),
  ListPolicies: (input, { state }) => {
    const scope = optional(input, "Scope") ?? "All";
    const onlyAttached = input.OnlyAttached === true;
    const prefix = optional(input, "PathPrefix") ?? "/";
    const policies = managedPolicies(state).filter(
      (p) =>
        (scope === "All" || (scope === "Local") === (p.local !== undefined)) &&
        (!onlyAttached || attachmentCount(state, p.Arn) > 0) &&
        p.Path.startsWith(prefix),
    );
    const page = pageOf(policies, input);
    return { Policies: page.items.map((p) => policyOut(state, p)), ...pageFields(page) };
  },
  CreatePolicy: (input, context) => {
    const policy = addPolicy(context.state, context, {
      name: required(input, "PolicyName"),
      path: optional(input, "Path"),
      document: required(input, "PolicyDocument"),
      description: optional(input, "Description"),
      tags: Object.fromEntries(tagsOf(input).map((t) => [t.Key ?? "", t.Value ?? ""])),
    });
    context.changed();
    const { Description: _description, ...summary } = policyOut(context.state, policy);
    return { Policy: summary };
  },
  DeletePolicy: (input, context) => {
    const policy = findPolicy(context.state, required(input, "PolicyArn"));
    if (!policy.local) throw new AwsError("AccessDenied", "An AWS managed policy cannot be deleted.", { status: 403 });
    if (attachmentCount(context.state, policy.Arn) > 0)
      throw deleteConflict("Cannot delete a policy attached to entities.");
    if (policy.versions.length > 1) {
      throw deleteConflict(
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      );
    }
    context.state.iam.policies = context.state.iam.policies.filter((p) => p !== policy.local);
    context.changed();
    return {};
  },
  GetPolicyVersion: (input, { state }) => {
    const policy = findPolicy(state, required(input, "PolicyArn"));
    const versionId = required(input, "VersionId");
    const version = policy.versions.find((v) => v.VersionId === versionId);
    if (!version) throw noSuchEntity(`Policy ${policy.Arn} version ${versionId} does not exist or is not attachable.`);
    return { PolicyVersion: versionOut(policy, version) };
  },
  ListPolicyVersions: (input, { state }) => {
    const policy = findPolicy(state, required(input, "PolicyArn"));
    const page = pageOf([...policy.versions].reverse(), input);
    return {
      Versions: page.items.map((v) => {
        const { Document: _document, ...rest } = versionOut(policy, v);
        return rest;
      }),
      ...pageFields(page),
    };
  },
  CreatePolicyVersion: (input, context) => {
    const policy = findPolicy(context.state, required(input, "PolicyArn")).local;
    if (!policy) throw new AwsError("AccessDenied", "An AWS managed policy cannot be changed.", { status: 403 });
    const document = required(input, "PolicyDocument");
    validateDocument(document, "identity");
    if (policySize(document) > 6144) throw limitExceeded("Cannot exceed quota for PolicySize: 6144");
    if (policy.versions.length >= 5) {
      throw limitExceeded(
        "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
      );
    }
    const version = { VersionId: `v${policy.nextVersion}`, Document: document, CreateDate: context.now };
    policy.nextVersion += 1;
    policy.versions.push(version);
    if (input.SetAsDefault === true) {
      policy.DefaultVersionId = version.VersionId;
      policy.UpdateDate = context.now;
    }
    context.changed();
    const { Document: _document, ...out } = versionOut(policy, version);
    return { PolicyVersion: out };
  },
  DeletePolicyVersion: (input, context) => {
    const policy = findPolicy(context.state, required(input, "PolicyArn")).local;
    const versionId = required(input, "VersionId");
    const version = policy?.versions.find((v) => v.VersionId === versionId);
    if (!policy || !version) throw noSuchEntity(`Policy version ${versionId} does not exist or is not deletable.`);
    if (policy.DefaultVersionId === versionId) {
      throw deleteConflict("Cannot delete the default version of a policy.");
    }
    policy.versions = policy.versions.filter((v) => v !== version);
    context.changed();
    return {};
  },
  SetDefaultPolicyVersion: (input, context) => {
    const policy = findPolicy(context.state, required(input, "PolicyArn")).local;
    const versionId = required(input, "VersionId");
    if (!policy?.versions.some((v) => v.VersionId === versionId)) {
      throw noSuchEntity(`Policy version ${versionId} does not exist or is not attachable.`);
    }
    policy.DefaultVersionId = versionId;
    policy.UpdateDate = context.now;
    context.changed();
    return {};
  },
  ListEntitiesForPolicy: (input, { state }) => {
    const arn = required(input, "PolicyArn");
    findPolicy(state, arn);
    const filter = optional(input, "EntityFilter");
    const prefix = optional(input, "PathPrefix") ?? "/";
    type Entity =
      | { kind: "group"; value: { GroupName: string; GroupId: string } }
      | { kind: "user"; value: { UserName: string; UserId: string } }
      | { kind: "role"; value: { RoleName: string; RoleId: string } };
    const entities: Entity[] = [];
    const wants = (type: string) => filter === undefined || filter === type;
    if (wants("Group")) {
      for (const g of state.iam.groups) {
        if (g.attachedPolicyArns.includes(arn) && g.Path.startsWith(prefix)) {
          entities.push({ kind: "group", value: { GroupName: g.GroupName, GroupId: g.GroupId } });
        }
      }
    }
    if (wants("User")) {
      for (const u of state.iam.users) {
        if (u.attachedPolicyArns.includes(arn) && u.Path.startsWith(prefix)) {
          entities.push({ kind: "user", value: { UserName: u.UserName, UserId: u.UserId } });
        }
      }
    }
    if (wants("Role")) {
      for (const r of state.iam.roles) {
        if (r.attachedPolicyArns.includes(arn) && r.Path.startsWith(prefix)) {
          entities.push({ kind: "role", value: { RoleName: r.RoleName, RoleId: r.RoleId } });
        }
      }
    }
    const page = pageOf(entities, input);
    return {
      PolicyGroups: page.items.flatMap((e) => (e.kind === "group" ? [e.value] : [])),
      PolicyUsers: page.items.flatMap((e) => (e.kind === "user" ? [e.value] : [])),
      PolicyRoles: page.items.flatMap((e) => (e.kind === "role" ? [e.value] : [])),
      ...pageFields(page),
    };
  },

  GetAccountAuthorizationDetails: (input, { state }) => {
    const page = pageOf(authorizationItems(state, entityTypes(input)), input);
    const of = (list: AuthorizationItem["list"]) => page.items.filter((i) => i.list === list).map((i) => i.value);
    return {
      UserDetailList: of("UserDetailList"),
      GroupDetailList: of("GroupDetailList"),
      RoleDetailList: of("RoleDetailList"),
      Policies: of("Policies"),
      ...pageFields(page),
    };
  },

  GenerateServiceLastAccessedDetails: (input, context) => {
    const arn = required(input, "Arn");
    entityDocuments(context.state, arn);
    const job: LastAccessedJob = {
      JobId: jobId(context),
      Arn: arn,
      JobType: optional(input, "Granularity") ?? "SERVICE_LEVEL",
      JobCreationDate: context.now,
    };
    // A report job is a read: it is kept in memory but does not rewrite the state file (a read-only audit or plan
    // leaves a --state file byte-identical); after a restart its id is simply unknown, as an expired job's would be.
    context.state.iam.jobs.push(job);
    return { JobId: job.JobId };
  },
  GetServiceLastAccessedDetails: (input, { state }) => {
    const id = required(input, "JobId");
    const job = state.iam.jobs.find((j) => j.JobId === id);
    if (!job) throw noSuchEntity(`Job with ID ${id} cannot be found.`);
    const page = pageOf(lastAccessedReport(state, job.Arn), input);
    return {
      JobStatus: "COMPLETED",
      JobType: job.JobType,
      JobCreationDate: job.JobCreationDate,
      ServicesLastAccessed: page.items,
      JobCompletionDate: job.JobCreationDate,
      ...pageFields(page),
    };
  },
};

export const iamService: ServiceDefinition = {
  signingName: "iam",
  protocol: "awsQuery",
  handlers,
};
