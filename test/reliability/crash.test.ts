// Crashes and concurrency (DESIGN §9): `fix --all --apply` killed with SIGKILL after each of its steps, then run
// again, ends exactly where an uninterrupted run ends — nothing duplicated (secrets, roles, policies, revisions,
// rules), nothing lost — and the journal tells the whole story. Two applies at once: one applies, the other refuses.
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand } from "@aws-sdk/client-cloudtrail";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeSecurityGroupRulesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeRepositoriesCommand, ECRClient, GetLifecyclePolicyCommand } from "@aws-sdk/client-ecr";
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
} from "@aws-sdk/client-ecs";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetAccountAuthorizationDetailsCommand, IAMClient } from "@aws-sdk/client-iam";
import { ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { describe, expect, test } from "vitest";
import { readJournal } from "../../lib/fixes/journal";
import { WEB } from "../../lib/sandbox/scenarios/web-service";
import { startSandbox } from "../../lib/sandbox/server";
import { finished, startCli } from "../cli/cli";
import { clientConfig } from "../sandbox/client";

const CLOCK = "2026-11-28T00:00:00Z";

interface Run {
  readonly state: string;
  readonly journal: string;
}

function freshRun(name: string): Run {
  const directory = mkdtempSync(join(tmpdir(), `ecs-takeover-crash-${name}-`));
  return { state: join(directory, "state.json"), journal: join(directory, "journal.jsonl") };
}

const APPLY_ALL = ["fix", "--all", "--apply", "--yes", "--cluster", WEB.cluster];

function applyAll(run: Run) {
  return startCli([...APPLY_ALL, "--sandbox", "--sandbox-state", run.state, "--clock", CLOCK], {
    env: { ECS_TAKEOVER_JOURNAL: run.journal },
  });
}

/** Steps the journal says are done (applied, or found already done). */
function stepsDone(journal: string): number {
  return readJournal(journal).filter((e) => e.kind === "apply" && (e.phase === "applied" || e.phase === "unchanged"))
    .length;
}

/** What the takeover changes, read through the SDK and stripped of ids that differ between runs. */
async function endState(statePath: string): Promise<Record<string, unknown>> {
  const copy = `${statePath}.read.json`;
  copyFileSync(statePath, copy);
  const sandbox = await startSandbox({ port: 0, statePath: copy });
  const config = clientConfig(sandbox.endpoint);
  try {
    const ecs = new ECSClient(config);
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: WEB.cluster, services: [WEB.service] }));
    const service = services?.[0];
    const revisions = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: WEB.family }));
    const { clusters } = await ecs.send(
      new DescribeClustersCommand({ clusters: [WEB.cluster], include: ["SETTINGS"] }),
    );
    const secrets = await new SecretsManagerClient(config).send(new ListSecretsCommand({}));
    const iam = await new IAMClient(config).send(new GetAccountAuthorizationDetailsCommand({}));
    const ec2 = new EC2Client(config);
    const rules = await ec2.send(new DescribeSecurityGroupRulesCommand({}));
    const elbv2 = new ElasticLoadBalancingV2Client(config);
    const { LoadBalancers } = await elbv2.send(new DescribeLoadBalancersCommand({}));
    const listeners = await elbv2.send(
      new DescribeListenersCommand({ LoadBalancerArn: LoadBalancers?.[0]?.LoadBalancerArn }),
    );
    const ecr = new ECRClient(config);
    const { repositories } = await ecr.send(new DescribeRepositoriesCommand({}));
    const lifecycle = await ecr
      .send(new GetLifecyclePolicyCommand({ repositoryName: WEB.family }))
      .catch(() => undefined);
    const cloudTrail = new CloudTrailClient(config);
    const { trailList } = await cloudTrail.send(new DescribeTrailsCommand({}));
    const logging = await Promise.all(
      (trailList ?? []).map(
        async (t) => (await cloudTrail.send(new GetTrailStatusCommand({ Name: t.Name }))).IsLogging,
      ),
    );
    const groups = await new CloudWatchLogsClient(config).send(new DescribeLogGroupsCommand({}));
    const alarms = await new CloudWatchClient(config).send(new DescribeAlarmsCommand({}));
    // Secrets Manager appends six random characters to a secret's ARN: the same secret, another run.
    const document = (text: string | undefined) =>
      JSON.parse(
        decodeURIComponent(text ?? "null").replace(/(:secret:[^"]+)-[A-Za-z0-9]{6}"/g, '$1-??????"'),
      ) as unknown;
    return {
      service: {
        revision: service?.taskDefinition?.split(":").pop(),
        platformVersion: service?.platformVersion,
        assignPublicIp: service?.networkConfiguration?.awsvpcConfiguration?.assignPublicIp,
        subnets: service?.networkConfiguration?.awsvpcConfiguration?.subnets?.length,
      },
      revisions: revisions.taskDefinitionArns?.map((arn) => arn.split("/").pop()),
      settings: clusters?.[0]?.settings,
      secrets: secrets.SecretList?.map((s) => s.Name).sort(),
      roles: iam.RoleDetailList?.map((r) => ({
        name: r.RoleName,
        inline: r.RolePolicyList?.map((p) => ({ name: p.PolicyName, document: document(p.PolicyDocument) })).sort(
          byName,
        ),
        attached: r.AttachedManagedPolicies?.map((p) => p.PolicyName).sort(),
      })).sort(byName),
      groups: iam.GroupDetailList?.map((g) => g.GroupPolicyList?.map((p) => document(p.PolicyDocument))),
      users: iam.UserDetailList?.map((u) => u.UserPolicyList?.map((p) => document(p.PolicyDocument))),
      rules: rules.SecurityGroupRules?.map((r) =>
        [
          r.IsEgress,
          r.IpProtocol,
          r.FromPort,
          r.ToPort,
          r.CidrIpv4 ?? r.ReferencedGroupInfo?.GroupId ?? r.PrefixListId,
          r.GroupId,
        ].join(" "),
      ).sort(),
      listeners: listeners.Listeners?.map((l) => [l.Port, l.DefaultActions?.map((a) => a.Type)]),
      repositories: repositories?.map((r) => [r.imageTagMutability, r.imageScanningConfiguration?.scanOnPush]),
      lifecycle: lifecycle?.lifecyclePolicyText,
      trails: trailList?.map((t) => [t.Name, t.IsMultiRegionTrail, t.LogFileValidationEnabled]),
      logging,
      logGroups: groups.logGroups?.map((g) => [g.logGroupName, g.retentionInDays]),
      alarms: alarms.MetricAlarms?.map((a) => a.AlarmName).sort(),
    };
  } finally {
    await sandbox.stop();
  }
}

function byName<T extends { name?: string | undefined }>(a: T, b: T): number {
  return String(a.name).localeCompare(String(b.name));
}

/** Starts an apply and SIGKILLs it as soon as the journal holds `after` finished steps. */
async function killAfter(run: Run, after: number): Promise<void> {
  const child = applyAll(run);
  const done = finished(child);
  const watcher = setInterval(() => {
    if (existsSync(run.journal) && stepsDone(run.journal) >= after) child.kill("SIGKILL");
  }, 5);
  try {
    await done;
  } finally {
    clearInterval(watcher);
  }
}

describe("crashes", () => {
  test("an apply killed after each of its steps converges, on rerun, to the uninterrupted end state", async () => {
    const reference = freshRun("reference");
    const first = await finished(applyAll(reference));
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const expected = await endState(reference.state);
    const steps = stepsDone(reference.journal);
    expect(steps).toBeGreaterThan(15);

    const diverged: string[] = [];
    for (let k = 1; k < steps; k++) {
      const run = freshRun(`k${k}`);
      await killAfter(run, k);
      const rerun = await finished(applyAll(run));
      if (rerun.code !== 0) diverged.push(`killed after step ${k}: rerun exited ${rerun.code}: ${rerun.stderr.trim()}`);
      const state = await endState(run.state);
      if (JSON.stringify(state) !== JSON.stringify(expected)) {
        expect({ killedAfter: k, state }).toEqual({ killedAfter: k, state: expected });
      }
      // The journal tells the whole story: every step started ends applied, found done, or failed (interrupted).
      const entries = readJournal(run.journal);
      const finishedSteps = new Set(entries.filter((e) => e.phase !== "started").map((e) => e.step));
      const startedOnly = entries.filter((e) => e.phase === "started" && !finishedSteps.has(e.step)).map((e) => e.step);
      if (startedOnly.length > 0)
        diverged.push(`killed after step ${k}: started but never finished: ${startedOnly.join(", ")}`);
      expect(readFileSync(run.journal, "utf8")).not.toContain(WEB.dbPassword);
    }
    expect(diverged).toEqual([]);
  }, 1_200_000);
});

describe("concurrency", () => {
  test("two applies at once: one applies, the other refuses; the end state is the uninterrupted one", async () => {
    const reference = freshRun("reference-2");
    await finished(applyAll(reference));
    const expected = await endState(reference.state);

    const run = freshRun("together");
    // Both work on one account: a sandbox of its own that both reach by --endpoint.
    const sandbox = await startSandbox({ port: 0, statePath: run.state, clock: CLOCK });
    try {
      const args = [...APPLY_ALL, "--endpoint", sandbox.endpoint, "--region", "ap-northeast-1"];
      const env = {
        ECS_TAKEOVER_JOURNAL: run.journal,
        AWS_ACCESS_KEY_ID: "AKIASANDBOXEXAMPLE00",
        AWS_SECRET_ACCESS_KEY: "sandbox-only",
      };
      const [a, b] = await Promise.all([finished(startCli(args, { env })), finished(startCli(args, { env }))]);
      const codes = [a.code, b.code].sort();
      const refusals = [a, b].filter((r) => r.code !== 0).map((r) => r.stderr);
      expect(codes[0]).toBe(0);
      for (const refusal of refusals) expect(refusal).toMatch(/another apply is running|refused|changed since/);
      // Whichever refused: once it runs again it has nothing to change.
      const again = await finished(startCli(args, { env }));
      expect(again.stdout).toMatch(/^nothing to change/);
    } finally {
      await sandbox.stop();
    }
    expect(await endState(run.state)).toEqual(expected);
  }, 300_000);
});
