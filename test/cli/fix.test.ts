// `ecs-takeover fix` on a sandbox kept in a state file (DESIGN §8, issue "Fixes"): showing plans changes nothing;
// applying them all leaves only the manual checks failing; a second apply has nothing to change; and afterwards,
// read through the SDK, the service is what the takeover promised — never printing the planted secret.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from "@aws-sdk/client-ecs";
import {
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { beforeAll, describe, expect, test } from "vitest";
import { allowingStatements, statementsOf } from "../../lib/checks/iam/policy";
import { WEB } from "../../lib/sandbox/scenarios/web-service";
import { startSandbox } from "../../lib/sandbox/server";
import { MANUAL_AFTER_FIX } from "../checks/expected";
import { clientConfig } from "../sandbox/client";
import { type CliResult, cli, expectOneLine } from "./cli";

const directory = mkdtempSync(join(tmpdir(), "ecs-takeover-fix-cli-"));
const state = join(directory, "state.json");
const env = { ECS_TAKEOVER_JOURNAL: join(directory, "journal.jsonl") };
const on = ["--cluster", WEB.cluster, "--sandbox", "--sandbox-state", state, "--clock", "2026-11-28T00:00:00Z"];
const outputs: CliResult[] = [];
const run = async (args: string[]) => {
  const result = await cli([...args, ...on], { env });
  outputs.push(result);
  return result;
};

let shown: CliResult;
let shownAgain: string;
let stateBefore = "";
let stateAfterShowing = "";
let applied: CliResult;
let afterAudit: CliResult;
let second: CliResult;

beforeAll(async () => {
  shown = await run(["fix", "--all"]);
  stateBefore = readFileSync(state, "utf8");
  shownAgain = (await run(["fix", "--all", "--format", "json"])).stdout;
  stateAfterShowing = readFileSync(state, "utf8");
  applied = await run(["fix", "--all", "--apply", "--yes"]);
  afterAudit = await run(["audit", "--format", "json"]);
  second = await run(["fix", "--all", "--apply", "--yes"]);
}, 240_000);

describe("fix", () => {
  test("without --apply shows the plans and leaves the account byte-identical", () => {
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/task-sg-open — /);
    expect(shown.stdout).toMatch(/risk: /);
    expect(stateAfterShowing === stateBefore).toBe(true);
    const json = JSON.parse(shownAgain) as { plans: { check: string; manual: boolean; steps: unknown[] }[] };
    expect(json.plans.some((p) => p.check === "deploy")).toBe(true);
    expect(json.plans.filter((p) => p.check === "deploy")).toHaveLength(1);
  });

  test("--all --apply --yes applies every automatic fix, verifies it, and leaves only the manual checks failing", () => {
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/✓ applied/);
    expect(applied.stdout).not.toMatch(/NOT verified/);
    const report = JSON.parse(afterAudit.stdout) as { results: { check: string; status: string }[] };
    const failing = [...new Set(report.results.filter((r) => r.status !== "pass").map((r) => r.check))].sort();
    expect(failing).toEqual([...MANUAL_AFTER_FIX].sort());
  });

  test("a second --apply has nothing to change", () => {
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^nothing to change/);
  });

  test("afterwards, through the SDK: secrets injected, old revision kept, SG chained, task role least-privilege", async () => {
    const sandbox = await startSandbox({ port: 0, statePath: state });
    try {
      const config = clientConfig(sandbox.endpoint);
      const ecs = new ECSClient(config);
      const { services } = await ecs.send(
        new DescribeServicesCommand({ cluster: WEB.cluster, services: [WEB.service] }),
      );
      const running = services?.[0]?.taskDefinition ?? "";
      expect(running).not.toMatch(/:1$/);
      const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: running }));
      const app = taskDefinition?.containerDefinitions?.find((c) => c.name === WEB.container);
      expect(app?.environment?.some((e) => e.name === "DB_PASSWD")).toBe(false);
      const secret = app?.secrets?.find((s) => s.name === "DB_PASSWD");
      expect(secret?.valueFrom).toMatch(/^arn:aws:secretsmanager:/);
      const old = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: `${WEB.family}:1` }));
      expect(old.taskDefinition?.revision).toBe(1);

      const secrets = new SecretsManagerClient(config);
      const value = await secrets.send(new GetSecretValueCommand({ SecretId: secret?.valueFrom }));
      expect(value.SecretString === WEB.dbPassword).toBe(true);

      const ec2 = new EC2Client(config);
      const groups = await ec2.send(
        new DescribeSecurityGroupsCommand({ Filters: [{ Name: "tag:Name", Values: ["sg-ECSTask", "sg-ALB"] }] }),
      );
      const id = (name: string) => groups.SecurityGroups?.find((g) => g.Tags?.some((t) => t.Value === name))?.GroupId;
      const rules = await ec2.send(
        new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [id("sg-ECSTask") ?? ""] }] }),
      );
      const ingress = rules.SecurityGroupRules?.filter(
        (r) => !r.IsEgress && (r.FromPort ?? -1) <= 80 && (r.ToPort ?? -1) >= 80,
      );
      expect(ingress?.map((r) => r.ReferencedGroupInfo?.GroupId ?? r.CidrIpv4 ?? r.PrefixListId)).toEqual([
        id("sg-ALB"),
      ]);

      const iam = new IAMClient(config);
      const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: WEB.taskRole }));
      expect(attached.AttachedPolicies?.map((p) => p.PolicyName)).not.toContain("AdministratorAccess");
      const names = await iam.send(new ListRolePoliciesCommand({ RoleName: WEB.taskRole }));
      const documents = await Promise.all(
        (names.PolicyNames ?? []).map(async (PolicyName) => {
          const got = await iam.send(new GetRolePolicyCommand({ RoleName: WEB.taskRole, PolicyName }));
          return JSON.parse(decodeURIComponent(got.PolicyDocument ?? "{}")) as unknown;
        }),
      );
      const statements = statementsOf(
        documents.map((document, index) => ({
          source: `inline:${index}`,
          name: String(index),
          managed: false,
          awsManaged: false,
          document,
        })),
      );
      expect(
        allowingStatements(statements, "s3:PutObject", `arn:aws:s3:::${WEB.uploadBucket}/uploads/a.png`),
      ).not.toEqual([]);
      expect(allowingStatements(statements, "iam:CreateUser", "*")).toEqual([]);
    } finally {
      await sandbox.stop();
    }
  });

  test("the planted secret appears in no output and not in the journal", () => {
    for (const output of outputs) {
      expect(output.stdout).not.toContain(WEB.dbPassword);
      expect(output.stderr).not.toContain(WEB.dbPassword);
    }
    expect(readFileSync(env.ECS_TAKEOVER_JOURNAL, "utf8")).not.toContain(WEB.dbPassword);
  });

  test("bad selections are one line and exit 2", async () => {
    for (const args of [
      ["fix"],
      ["fix", "--check", "no-such-check"],
      ["fix", "--all", "--check", "task-sg-open"],
      ["fix", "--all", "--yes"],
    ]) {
      const result = await cli([...args, "--cluster", WEB.cluster, "--sandbox"], { env });
      expect(result.code).toBe(2);
      expectOneLine(result.stderr);
    }
    const noTerminal = await cli(["fix", "--all", "--apply", "--cluster", WEB.cluster, "--sandbox"], { env });
    expect(noTerminal.code).toBe(2);
    expect(expectOneLine(noTerminal.stderr)).toMatch(/--yes/);
  });
});
