import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  EntityAlreadyExistsException,
  GenerateServiceLastAccessedDetailsCommand,
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetServiceLastAccessedDetailsCommand,
  GetUserPolicyCommand,
  IAMClient,
  InvalidInputException,
  LimitExceededException,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListGroupPoliciesCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  paginateGetAccountAuthorizationDetails,
  paginateListRoles,
  type RoleDetail,
  type ServiceLastAccessed,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawHex } from "../../lib/sandbox/clock";
import { decodeState, encodeState } from "../../lib/sandbox/persist";
import { startSandbox } from "../../lib/sandbox/server";
import { addGroup, addRole, addUser, putInlinePolicy, setServiceLastAccessed } from "../../lib/sandbox/services/iam";
import { AWS_MANAGED_POLICIES } from "../../lib/sandbox/services/iam-managed-policies";
import { emptyState } from "../../lib/sandbox/state";
import { clientConfig } from "./client";

const START = new Date("2026-11-01T00:00:00Z");
const DAY = 86_400_000;

const trust = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
};
const ecsAll = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ecs:*", Resource: "*" }] };
const passRole = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["iam:PassRole", "ecs:RunTask"], Resource: "*" }],
};
const s3Write = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::my-web-uploads/*" }],
};
const decode = (document: string | undefined) => JSON.parse(decodeURIComponent(document ?? ""));

function inheritedIam() {
  const state = emptyState("test");
  const id = { hex: (length: number) => drawHex(state, length), now: START };
  const admin = addRole(state, id, {
    name: "AdministratorAccessRole",
    trust,
    managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
  });
  addRole(state, id, {
    name: "ecsTaskExecutionRole",
    trust,
    managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
  });
  addGroup(state, id, { name: "ecs-operators", inline: { "ecs-full": ecsAll } });
  addUser(state, id, { name: "deploy-bot", groups: ["ecs-operators"], inline: { deploy: passRole } });
  setServiceLastAccessed(state, admin.Arn, [
    { ServiceNamespace: "s3", LastAuthenticated: new Date(START.getTime() - 2 * DAY) },
    { ServiceNamespace: "sqs", LastAuthenticated: new Date(START.getTime() - 1 * DAY) },
  ]);
  for (let i = 0; i < 300; i += 1) addRole(state, id, { name: `bulk-role-${String(i).padStart(3, "0")}`, trust });
  return { state, admin };
}

describe("IAM over the SDK", () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let iam: IAMClient;
  let adminArn: string;

  beforeAll(async () => {
    const { state, admin } = inheritedIam();
    adminArn = admin.Arn;
    sandbox = await startSandbox({ port: 0, state, clock: START });
    iam = new IAMClient(clientConfig(sandbox.endpoint));
  });
  afterAll(async () => {
    iam?.destroy();
    await sandbox?.stop();
  });

  it("GetRole returns the role with AWS-shaped ids and its trust policy URL-encoded", async () => {
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: "AdministratorAccessRole" }));
    expect(Role?.Arn).toBe("arn:aws:iam::123456789012:role/AdministratorAccessRole");
    expect(Role?.RoleId).toMatch(/^AROA[0-9A-Z]{17}$/);
    expect(Role?.AssumeRolePolicyDocument).toMatch(/^%7B/);
    expect(decode(Role?.AssumeRolePolicyDocument)).toEqual(trust);
  });

  it("GetRole on a missing role throws NoSuchEntityException with 404", async () => {
    const error = await iam.send(new GetRoleCommand({ RoleName: "nope" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoSuchEntityException);
    expect((error as NoSuchEntityException).$metadata.httpStatusCode).toBe(404);
  });

  it("CreateRole creates once, then EntityAlreadyExists; a bad trust policy is MalformedPolicyDocument", async () => {
    const created = await iam.send(
      new CreateRoleCommand({
        RoleName: "app-role",
        Path: "/app/",
        AssumeRolePolicyDocument: JSON.stringify(trust),
        Tags: [{ Key: "team", Value: "web" }],
      }),
    );
    expect(created.Role?.Arn).toBe("arn:aws:iam::123456789012:role/app/app-role");
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: "app-role" }));
    expect(Role?.Tags).toEqual([{ Key: "team", Value: "web" }]);
    await expect(
      iam.send(new CreateRoleCommand({ RoleName: "APP-ROLE", AssumeRolePolicyDocument: JSON.stringify(trust) })),
    ).rejects.toBeInstanceOf(EntityAlreadyExistsException);
    await expect(
      iam.send(new CreateRoleCommand({ RoleName: "bad-trust", AssumeRolePolicyDocument: JSON.stringify(s3Write) })),
    ).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
  });

  it("attaches, lists and detaches managed policies; detaching twice is NoSuchEntity", async () => {
    const arn = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess";
    await iam.send(new AttachRolePolicyCommand({ RoleName: "ecsTaskExecutionRole", PolicyArn: arn }));
    const listed = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "ecsTaskExecutionRole" }));
    expect(listed.AttachedPolicies?.map((p) => p.PolicyName)).toEqual([
      "AmazonECSTaskExecutionRolePolicy",
      "AWSXRayDaemonWriteAccess",
    ]);
    expect(listed.IsTruncated).toBe(false);
    await iam.send(new DetachRolePolicyCommand({ RoleName: "ecsTaskExecutionRole", PolicyArn: arn }));
    await expect(
      iam.send(new DetachRolePolicyCommand({ RoleName: "ecsTaskExecutionRole", PolicyArn: arn })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
    await expect(
      iam.send(new AttachRolePolicyCommand({ RoleName: "ecsTaskExecutionRole", PolicyArn: `${arn}-nope` })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
  });

  it("puts, lists, reads and deletes role inline policies", async () => {
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: "AdministratorAccessRole",
        PolicyName: "uploads",
        PolicyDocument: JSON.stringify(s3Write),
      }),
    );
    const names = await iam.send(new ListRolePoliciesCommand({ RoleName: "AdministratorAccessRole" }));
    expect(names.PolicyNames).toEqual(["uploads"]);
    const got = await iam.send(
      new GetRolePolicyCommand({ RoleName: "AdministratorAccessRole", PolicyName: "uploads" }),
    );
    expect(got.RoleName).toBe("AdministratorAccessRole");
    expect(decode(got.PolicyDocument)).toEqual(s3Write);
    await iam.send(new DeleteRolePolicyCommand({ RoleName: "AdministratorAccessRole", PolicyName: "uploads" }));
    await expect(
      iam.send(new GetRolePolicyCommand({ RoleName: "AdministratorAccessRole", PolicyName: "uploads" })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
    await expect(
      iam.send(new DeleteRolePolicyCommand({ RoleName: "AdministratorAccessRole", PolicyName: "uploads" })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
    await expect(
      iam.send(
        new PutRolePolicyCommand({
          RoleName: "AdministratorAccessRole",
          PolicyName: "with-principal",
          PolicyDocument: JSON.stringify(trust),
        }),
      ),
    ).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
  });

  it("serves the AWS managed policies with their real documents", async () => {
    for (const managed of AWS_MANAGED_POLICIES) {
      const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: managed.Arn }));
      expect(Policy?.PolicyName).toBe(managed.PolicyName);
      const { PolicyVersion } = await iam.send(
        new GetPolicyVersionCommand({ PolicyArn: managed.Arn, VersionId: Policy?.DefaultVersionId }),
      );
      expect(PolicyVersion?.IsDefaultVersion).toBe(true);
      expect(decode(PolicyVersion?.Document)).toEqual(JSON.parse(managed.Document));
    }
    const { Policy } = await iam.send(
      new GetPolicyCommand({ PolicyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" }),
    );
    expect(Policy?.Path).toBe("/service-role/");
    expect(Policy?.AttachmentCount).toBe(1);
    await expect(
      iam.send(new GetPolicyCommand({ PolicyArn: "arn:aws:iam::aws:policy/NoSuchPolicy" })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
  });

  it("creates a customer managed policy and up to five versions, then LimitExceeded", async () => {
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: "uploads-write", PolicyDocument: JSON.stringify(s3Write) }),
    );
    expect(Policy?.PolicyId).toMatch(/^ANPA[0-9A-Z]{17}$/);
    expect(Policy?.Arn).toBe("arn:aws:iam::123456789012:policy/uploads-write");
    const arn = Policy?.Arn ?? "";
    await expect(
      iam.send(new CreatePolicyCommand({ PolicyName: "uploads-write", PolicyDocument: JSON.stringify(s3Write) })),
    ).rejects.toBeInstanceOf(EntityAlreadyExistsException);
    for (let i = 2; i <= 5; i += 1) {
      const doc = { ...s3Write, Statement: [{ ...s3Write.Statement[0], Sid: `v${i}` }] };
      const { PolicyVersion } = await iam.send(
        new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: JSON.stringify(doc), SetAsDefault: i === 3 }),
      );
      expect(PolicyVersion?.VersionId).toBe(`v${i}`);
    }
    const after = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    expect(after.Policy?.DefaultVersionId).toBe("v3");
    const v3 = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v3" }));
    expect(decode(v3.PolicyVersion?.Document).Statement[0].Sid).toBe("v3");
    // The SDK retries LimitExceeded as throttling: one attempt keeps the test quick.
    const once = new IAMClient(clientConfig(sandbox.endpoint, { maxAttempts: 1 }));
    await expect(
      once.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: JSON.stringify(s3Write) })),
    ).rejects.toBeInstanceOf(LimitExceededException);
    once.destroy();
    await expect(
      iam.send(new CreatePolicyCommand({ PolicyName: "broken", PolicyDocument: "{not json" })),
    ).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
  });

  it("ListEntitiesForPolicy names the roles that use AdministratorAccess", async () => {
    const out = await iam.send(
      new ListEntitiesForPolicyCommand({ PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
    );
    expect(out.PolicyRoles?.map((r) => r.RoleName)).toEqual(["AdministratorAccessRole"]);
    expect(out.PolicyUsers).toEqual([]);
    expect(out.PolicyGroups).toEqual([]);
  });

  it("group and user inline policies round-trip", async () => {
    expect((await iam.send(new ListGroupPoliciesCommand({ GroupName: "ecs-operators" }))).PolicyNames).toEqual([
      "ecs-full",
    ]);
    const group = await iam.send(new GetGroupPolicyCommand({ GroupName: "ecs-operators", PolicyName: "ecs-full" }));
    expect(decode(group.PolicyDocument)).toEqual(ecsAll);
    expect((await iam.send(new ListUserPoliciesCommand({ UserName: "deploy-bot" }))).PolicyNames).toEqual(["deploy"]);
    const user = await iam.send(new GetUserPolicyCommand({ UserName: "deploy-bot", PolicyName: "deploy" }));
    expect(decode(user.PolicyDocument)).toEqual(passRole);

    const scoped = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "ecs:*", Resource: "arn:aws:ecs:ap-northeast-1:123456789012:cluster/my-cluster" },
      ],
    };
    await iam.send(
      new PutGroupPolicyCommand({
        GroupName: "ecs-operators",
        PolicyName: "ecs-full",
        PolicyDocument: JSON.stringify(scoped),
      }),
    );
    const replaced = await iam.send(new GetGroupPolicyCommand({ GroupName: "ecs-operators", PolicyName: "ecs-full" }));
    expect(decode(replaced.PolicyDocument)).toEqual(scoped);
    await iam.send(
      new PutUserPolicyCommand({
        UserName: "deploy-bot",
        PolicyName: "extra",
        PolicyDocument: JSON.stringify(s3Write),
      }),
    );
    expect((await iam.send(new ListUserPoliciesCommand({ UserName: "deploy-bot" }))).PolicyNames).toEqual([
      "deploy",
      "extra",
    ]);
    await expect(
      iam.send(new GetUserPolicyCommand({ UserName: "nobody", PolicyName: "deploy" })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
  });

  it("GetAccountAuthorizationDetails pages through everything, with filters and decodable documents", async () => {
    const roles: RoleDetail[] = [];
    const policies: string[] = [];
    let users = 0;
    let groups = 0;
    let pages = 0;
    for await (const page of paginateGetAccountAuthorizationDetails({ client: iam, pageSize: 37 }, {})) {
      pages += 1;
      roles.push(...(page.RoleDetailList ?? []));
      policies.push(...(page.Policies ?? []).map((p) => p.PolicyName ?? ""));
      users += page.UserDetailList?.length ?? 0;
      groups += page.GroupDetailList?.length ?? 0;
    }
    expect(pages).toBeGreaterThan(8);
    expect(roles.length).toBeGreaterThanOrEqual(302);
    expect(new Set(roles.map((r) => r.RoleName)).size).toBe(roles.length);
    expect(users).toBe(1);
    expect(groups).toBe(1);
    // AWS managed policies appear only when attached; CloudWatchAgentServerPolicy is not.
    expect(policies).toContain("AdministratorAccess");
    expect(policies).toContain("AmazonECSTaskExecutionRolePolicy");
    expect(policies).not.toContain("CloudWatchAgentServerPolicy");
    const admin = roles.find((r) => r.RoleName === "AdministratorAccessRole");
    expect(admin?.AttachedManagedPolicies).toEqual([
      { PolicyName: "AdministratorAccess", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
    ]);
    expect(decode(admin?.AssumeRolePolicyDocument)).toEqual(trust);

    const onlyGroups = paginateGetAccountAuthorizationDetails({ client: iam }, { Filter: ["Group", "User"] });
    for await (const page of onlyGroups) {
      expect(page.RoleDetailList).toEqual([]);
      expect(page.Policies).toEqual([]);
      expect(page.UserDetailList?.[0]?.GroupList).toEqual(["ecs-operators"]);
      expect(decode(page.UserDetailList?.[0]?.UserPolicyList?.[0]?.PolicyDocument)).toEqual(passRole);
    }
  });

  it("ListRoles' paginator returns every role exactly once", async () => {
    const names: string[] = [];
    for await (const page of paginateListRoles({ client: iam, pageSize: 100 }, {})) {
      names.push(...(page.Roles ?? []).map((r) => r.RoleName ?? ""));
    }
    expect(names.filter((n) => n.startsWith("bulk-role-"))).toHaveLength(300);
    expect(new Set(names).size).toBe(names.length);
  });

  it("service last accessed: a completed job showing the task role used only S3 and SQS", async () => {
    const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: adminArn }));
    expect(JobId).toMatch(/^[0-9a-f-]{36}$/);
    const services: ServiceLastAccessed[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId, MaxItems: 4, Marker: marker }));
      expect(page.JobStatus).toBe("COMPLETED");
      services.push(...(page.ServicesLastAccessed ?? []));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    const used = services.filter((s) => s.LastAuthenticated !== undefined);
    expect(used.map((s) => s.ServiceNamespace)).toEqual(["s3", "sqs"]);
    expect(used[0]?.ServiceName).toBe("Amazon S3");
    expect(used[0]?.LastAuthenticated?.toISOString()).toBe(new Date(START.getTime() - 2 * DAY).toISOString());
    expect(used[0]?.TotalAuthenticatedEntities).toBe(1);
    // An admin role may use everything: the report also lists services it never touched.
    expect(services.length).toBeGreaterThan(10);
    expect(services.find((s) => s.ServiceNamespace === "ec2")?.LastAuthenticated).toBeUndefined();
    await expect(
      iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: "00000000-0000-0000-0000-000000000000" })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
  });

  it("refuses a marker it did not hand out, and a role that still has policies", async () => {
    await expect(
      iam.send(new ListRolePoliciesCommand({ RoleName: "AdministratorAccessRole", Marker: "garbage" })),
    ).rejects.toBeInstanceOf(InvalidInputException);
    await expect(iam.send(new DeleteRoleCommand({ RoleName: "AdministratorAccessRole" }))).rejects.toMatchObject({
      name: "DeleteConflictException",
    });
  });
});

describe("IAM builders", () => {
  it("putInlinePolicy replaces a policy of the same name and rejects a principal in it", () => {
    const { state } = inheritedIam();
    putInlinePolicy(state, { role: "ecsTaskExecutionRole" }, "read-secret", s3Write);
    putInlinePolicy(state, { role: "ecsTaskExecutionRole" }, "read-secret", ecsAll);
    const role = state.iam.roles.find((r) => r.RoleName === "ecsTaskExecutionRole");
    expect(role?.inlinePolicies).toEqual([{ PolicyName: "read-secret", PolicyDocument: JSON.stringify(ecsAll) }]);
    expect(() => putInlinePolicy(state, { role: "ecsTaskExecutionRole" }, "x", trust)).toThrow(/principal/);
  });

  it("the IAM state survives `--state FILE` persistence unchanged", () => {
    const { state } = inheritedIam();
    expect(decodeState(encodeState(state)).iam).toEqual(state.iam);
  });
});
