// `ecs-takeover fix`: discover, audit, plan the fixes of the failing checks and print the plan; with --apply (and a
// yes at the terminal, or --yes) carry it out step by step, then verify. Plan-only by default (DESIGN §5).
import { createInterface } from "node:readline/promises";
import { type Command, Option } from "commander";
import { createAws } from "../aws/client";
import { CHECKS, findCheck } from "../checks/registry";
import { audit } from "../checks/report";
import { FailureError, UsageError } from "../errors";
import { type ApplyResult, apply, type StepEvent } from "../fixes/apply";
import { needsPerson, type Plan } from "../fixes/plan";
import { plan as makePlan } from "../fixes/planner";
import { FIXES } from "../fixes/registry";
import { verify } from "../fixes/verify";
import { discover } from "../inventory/discover";
import { applicableSteps, planJson, planText } from "../render/plans";
import { redactText } from "../render/redaction";
import { addConnectionOptions, type ConnectionFlags, checkConnectionFlags, connect, useConnection } from "./connection";

interface FixFlags extends ConnectionFlags {
  cluster: string;
  service?: string;
  check?: string[];
  all?: boolean;
  apply?: boolean;
  yes?: boolean;
  format: "text" | "json";
}

export function registerFixCommand(program: Command): void {
  const command = program
    .command("fix")
    .description("plan the fixes of failing checks and show them; with --apply, carry the plan out and verify it")
    .requiredOption("--cluster <name>", "the ECS cluster")
    .option("--service <name>", "only this service of the cluster")
    .option("--check <id...>", "fix these checks (repeatable)", collect, [] as string[])
    .option("--all", "fix every failing check that has a fix")
    .option("--apply", "carry the plan out (default: only show it)")
    .option("--yes", "with --apply: do not ask for confirmation")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"));
  addConnectionOptions(command).action(async (flags: FixFlags) => fixCommand(flags));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(",").map((v) => v.trim())];
}

async function fixCommand(flags: FixFlags): Promise<void> {
  checkConnectionFlags(flags);
  const checks = selectedChecks(flags);
  if (flags.yes && !flags.apply) throw new UsageError("--yes only makes sense with --apply");
  if (flags.apply && !flags.yes && !process.stdin.isTTY) {
    throw new UsageError("--apply asks for confirmation at a terminal: add --yes to apply without asking");
  }
  const connection = await connect(flags);
  useConnection(connection);
  const aws = createAws({
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.requestTimeout ? { requestTimeoutMs: flags.requestTimeout } : {}),
  });
  const json = flags.format === "json";
  const say = (line: string) => {
    if (!json) process.stdout.write(`${redactText(line)}\n`);
  };
  try {
    const scope = { cluster: flags.cluster, ...(flags.service ? { service: flags.service } : {}) };
    const snapshot = await discover(aws, scope);
    const plan = makePlan(snapshot, audit(snapshot, CHECKS).findings, checks ? { checks } : {});
    const steps = applicableSteps(plan);
    if (!flags.apply || steps.length === 0) {
      if (json) process.stdout.write(planJson(plan));
      else if (steps.length === 0) say(nothingToChange(plan));
      else process.stdout.write(planText(plan));
      return;
    }
    if (!json) process.stdout.write(planText(plan));
    if (!flags.yes && !(await confirmed(plan, steps.length))) throw new FailureError("not applied: not confirmed");
    const result = await apply(aws, plan, { confirm: true, onStep: (event) => say(stepLine(event)) });
    if (result.refused.length > 0) {
      if (json) process.stdout.write(planJson(plan, result));
      throw new FailureError(`the plan was refused: ${result.refused.join("; ")}`);
    }
    const verified = result.failed ? undefined : await verify(aws, plan);
    if (json) {
      process.stdout.write(
        planJson(
          plan,
          result,
          verified?.map(({ check, resource, passed }) => ({ check, resource, passed })),
        ),
      );
    } else {
      say(summary(result));
      for (const v of verified ?? []) {
        if (!v.manual) say(`${v.passed ? "verified" : "NOT verified"}: ${v.check} — ${v.resource}`);
      }
    }
    if (result.failed) throw new FailureError(`step ${result.failed.step} failed: ${result.failed.error}`);
    const unverified = (verified ?? []).filter((v) => !v.manual && !v.passed);
    if (unverified.length > 0) {
      throw new FailureError(`applied, but ${unverified.map((v) => v.check).join(", ")} still fail: see above`);
    }
  } finally {
    aws.destroy();
    await connection.close();
  }
}

/** The checks asked for, all known and fixable; undefined for --all. */
function selectedChecks(flags: FixFlags): string[] | undefined {
  const asked = (flags.check ?? []).filter((id) => id !== "");
  if (flags.all && asked.length > 0) throw new UsageError("give either --all or --check, not both");
  if (flags.all) return undefined;
  if (asked.length === 0) throw new UsageError("say what to fix: --check ID (repeatable) or --all");
  for (const id of asked) {
    if (!findCheck(id))
      throw new UsageError(`no check has the id ${id} (the fixable ones: ${FIXES.map((f) => f.id).join(", ")})`);
    if (!FIXES.some((f) => f.id === id)) throw new UsageError(`check ${id} has no fix`);
  }
  return asked;
}

function nothingToChange(plan: Plan): string {
  const manual = plan.changes.filter(needsPerson);
  if (manual.length === 0) return "nothing to change";
  const ids = [...new Set(manual.map((c) => c.check))].join(", ");
  return `nothing to change (${manual.length} need a person: ${ids} — run without --apply to read what to do)`;
}

async function confirmed(plan: Plan, steps: number): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await prompt.question(
      `Apply these ${steps} steps to account ${plan.account} (${plan.region})? Type "yes" to apply: `,
    );
    return answer.trim().toLowerCase() === "yes";
  } finally {
    prompt.close();
  }
}

function stepLine(event: StepEvent): string {
  const what = `${event.change.check}: ${event.step.title}`;
  switch (event.status) {
    case "applying":
      return `… ${what}`;
    case "applied":
      return `✓ applied   ${what}`;
    case "unchanged":
      return `= unchanged ${what}`;
    case "waiting":
      return `… waiting for the deployment of ${event.step.waitForService?.service ?? "the service"} to complete`;
    case "failed":
      return `✗ failed    ${what}: ${event.error ?? ""}`;
  }
}

function summary(result: ApplyResult): string {
  return `applied ${result.applied.length} steps, ${result.unchanged.length} already as planned${result.failed ? `, 1 failed (${result.failed.step})` : ""}; the journal is in .takeover/journal.jsonl`;
}
