// apply(aws, plan, { confirm: true }): carries out exactly the plan (DESIGN §5). It refuses a stale plan (a resource
// it relied on changed since), journals every step before and after, skips a step whose effect is already there (so
// a second apply changes nothing, and a rerun after a crash converges), stops at the first failure, and waits for a
// deployment to complete before going on. One apply at a time per installation (a lock file beside the journal).
import * as cloudTrail from "@aws-sdk/client-cloudtrail";
import * as cloudWatch from "@aws-sdk/client-cloudwatch";
import * as logs from "@aws-sdk/client-cloudwatch-logs";
import * as ec2 from "@aws-sdk/client-ec2";
import * as ecr from "@aws-sdk/client-ecr";
import * as ecs from "@aws-sdk/client-ecs";
import * as elbv2 from "@aws-sdk/client-elastic-load-balancing-v2";
import * as iam from "@aws-sdk/client-iam";
import * as s3 from "@aws-sdk/client-s3";
import * as secretsManager from "@aws-sdk/client-secrets-manager";
import type { Aws } from "../aws/client";
import { oneLine } from "../aws/known";
import { UsageError } from "../errors";
import { discover, whoAmI } from "../inventory/discover";
import { redact, redactionKey } from "../inventory/secret-detection";
import { redactText } from "../render/redaction";
import { type ActionSpec, canonical, type ResolvedInput } from "./action";
import { actionSpec } from "./action-table";
import { appendJournal, defaultJournalPath, type JournalEntry, readJournal } from "./journal";
import { withApplyLock } from "./lock";
import {
  type Call,
  type Change,
  type Input,
  isJsonString,
  isSecretFrom,
  isStepOutput,
  isTaskDefinitionFrom,
  type Json,
  type Plan,
  type ServiceName,
  type Step,
  type StepOutput,
} from "./plan";
import { fingerprint, select, whatChanged } from "./preconditions";
import { editedTaskDefinition } from "./task-definition";

export interface ApplyOptions {
  /** Must be true: the interactive default is plan-only (DESIGN §5). */
  readonly confirm: boolean;
  /** Default: .takeover/journal.jsonl (or ECS_TAKEOVER_JOURNAL). */
  readonly journal?: string;
  /** Told about each step as it goes. */
  readonly onStep?: (event: StepEvent) => void;
}

export interface StepEvent {
  readonly change: Change;
  readonly step: Step;
  readonly status: "applying" | "applied" | "unchanged" | "waiting" | "failed";
  readonly error?: string;
}

export interface ApplyResult {
  readonly plan: string;
  /** Steps that changed something. */
  readonly applied: readonly string[];
  /** Steps whose effect was already there. */
  readonly unchanged: readonly string[];
  /** Why the plan was refused (stale preconditions, another account); nothing was changed then. */
  readonly refused: readonly string[];
  readonly failed?: { readonly step: string; readonly error: string };
}

/** Thrown when apply is called without `confirm: true`. */
export class ConfirmationRequired extends UsageError {
  constructor() {
    super("apply changes AWS resources: call it with { confirm: true } once you have read the plan");
  }
}

export async function apply(aws: Aws, plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  if (options.confirm !== true) throw new ConfirmationRequired();
  const journal = options.journal ?? defaultJournalPath();
  return withApplyLock(journal, async () => {
    const identity = await whoAmI(aws);
    const refused = await staleness(aws, plan, identity.account, journal);
    if (refused.length > 0) return { plan: plan.id, applied: [], unchanged: [], refused };
    await recoverInterrupted(aws, journal, identity.arn);
    const runner = stepRunner(aws, plan, journal, identity.arn, "apply");
    const applied: string[] = [];
    const unchanged: string[] = [];
    for (const change of plan.changes) {
      if (change.manual) continue;
      for (const step of change.steps) {
        options.onStep?.({ change, step, status: "applying" });
        const outcome = await runner.run(change, step);
        if (outcome.status === "failed") {
          options.onStep?.({ change, step, status: "failed", error: outcome.error });
          return { plan: plan.id, applied, unchanged, refused: [], failed: { step: step.id, error: outcome.error } };
        }
        (outcome.status === "applied" ? applied : unchanged).push(step.id);
        options.onStep?.({ change, step, status: outcome.status });
        if (step.waitForService) {
          options.onStep?.({ change, step, status: "waiting" });
          const failure = await waitForDeployment(aws, step.waitForService);
          if (failure) {
            runner.record(change, step, { phase: "failed", error: failure });
            options.onStep?.({ change, step, status: "failed", error: failure });
            return { plan: plan.id, applied, unchanged, refused: [], failed: { step: step.id, error: failure } };
          }
        }
      }
    }
    return { plan: plan.id, applied, unchanged, refused: [] };
  });
}

/**
 * Why the plan may not run now: another account, or resources changed since it was made. A resource a step of this
 * same plan already changed (a crashed or interrupted apply) is not held against it: its steps re-observe instead.
 */
async function staleness(aws: Aws, plan: Plan, account: string, journal: string): Promise<string[]> {
  if (account !== plan.account) {
    return [`the plan was made for account ${plan.account}, but these credentials are for account ${account}`];
  }
  const touched = new Set(
    readJournal(journal)
      .filter((entry) => entry.plan === plan.id && entry.kind === "apply")
      .flatMap((entry) => {
        const step = plan.changes.flatMap((c) => c.steps).find((s) => s.id === entry.step);
        return step?.changes ? [canonical(step.changes)] : [];
      }),
  );
  const checked = plan.preconditions.filter((p) => !touched.has(canonical(p.resource)));
  if (checked.length === 0) return [];
  const now = await discover(aws, plan.scope);
  return checked.flatMap((p) => {
    const state = select(now, p.resource);
    if (fingerprint(state) === p.fingerprint) return [];
    return [`${p.label} changed since the plan was made (${whatChanged(p.state, state)}): plan again`];
  });
}

type StepOutcome = { status: "applied" | "unchanged"; output: Json } | { status: "failed"; error: string };

/** Runs steps in order for one apply or rollback, keeping each step's output for the steps after it. */
export function stepRunner(
  aws: Aws,
  plan: Pick<Plan, "id">,
  journal: string,
  identity: string,
  kind: "apply" | "rollback",
) {
  const outputs = new Map<string, Json>();
  const record = (change: Pick<Change, "check" | "resource">, step: Step, fields: Partial<JournalEntry>) =>
    appendJournal(journal, {
      time: aws.now().toISOString(),
      identity,
      plan: plan.id,
      kind,
      check: change.check,
      resource: change.resource,
      step: step.id,
      title: step.title,
      phase: "started",
      call: step.call,
      ...fields,
    });
  const run = async (change: Pick<Change, "check" | "resource">, step: Step): Promise<StepOutcome> => {
    try {
      const spec = specOf(step.call);
      const input = (await resolveInput(aws, step.call.input, outputs)) as ResolvedInput;
      const before = await spec.observe(aws, input);
      const already = spec.satisfied(before, input);
      if (already !== undefined) {
        outputs.set(step.id, already);
        const interrupted = interruptedStart(journal, step);
        if (interrupted) {
          // A run killed after this call but before journaling it made the change: journal it now, with the state
          // that run saw before it, so that rollback can still undo it.
          const undo = spec.undo(input, interrupted.before ?? null, already);
          record(change, step, {
            phase: "applied",
            before: interrupted.before ?? null,
            after: before,
            output: already,
            undo,
          });
          return { status: "applied", output: already };
        }
        record(change, step, { phase: "unchanged", before, output: already });
        return { status: "unchanged", output: already };
      }
      record(change, step, { phase: "started", before });
      let output: Json;
      try {
        output = spec.output(await send(aws, step.call.service, step.call.action, input), input);
      } catch (error) {
        // Another apply (or a rerun racing a slow first one) may have made the same change meanwhile.
        const now = await spec.observe(aws, input);
        const converged = spec.satisfied(now, input);
        if (converged === undefined) throw error;
        outputs.set(step.id, converged);
        record(change, step, { phase: "unchanged", before: now, output: converged });
        return { status: "unchanged", output: converged };
      }
      const after = await spec.observe(aws, input);
      outputs.set(step.id, output);
      record(change, step, { phase: "applied", before, after, output, undo: spec.undo(input, before, output) });
      return { status: "applied", output };
    } catch (error) {
      const message = errorLine(error);
      record(change, step, { phase: "failed", error: message });
      return { status: "failed", error: message };
    }
  };
  return { run, record };
}

/**
 * Finishes the story of steps a killed run started and never journaled again (the fresh plan may no longer hold
 * them: their check passes now). Each is observed: done → journaled as applied with the calls that undo it, so
 * rollback still can; not done → journaled as failed, interrupted. A step whose input needs an earlier step's output
 * cannot be observed here; it is left for the plan that holds it (interruptedStart).
 */
async function recoverInterrupted(aws: Aws, journal: string, identity: string): Promise<void> {
  const entries = readJournal(journal).filter((e) => e.kind === "apply");
  const last = new Map<string, JournalEntry>();
  for (const entry of entries) last.set(entry.step, entry);
  for (const entry of last.values()) {
    if (entry.phase !== "started") continue;
    const spec = actionSpec(entry.call.service, entry.call.action);
    let input: ResolvedInput;
    try {
      input = (await resolveInput(aws, entry.call.input, new Map())) as ResolvedInput;
    } catch {
      continue;
    }
    if (!spec) continue;
    const record = (fields: Partial<JournalEntry>) =>
      appendJournal(journal, { ...entry, time: aws.now().toISOString(), identity, ...fields });
    try {
      const now = await spec.observe(aws, input);
      const done = spec.satisfied(now, input);
      if (done === undefined) {
        record({ phase: "failed", error: "interrupted (the process was killed) before it took effect" });
      } else {
        const undo = spec.undo(input, entry.before ?? null, done);
        record({ phase: "applied", after: now, output: done, undo });
      }
    } catch (error) {
      record({ phase: "failed", error: `interrupted; its effect could not be read: ${errorLine(error)}` });
    }
  }
}

/** The last start of this step (same id, same call) that no entry after it finished: a run killed mid-step. */
function interruptedStart(journal: string, step: Step): JournalEntry | undefined {
  const entries = readJournal(journal).filter((e) => e.step === step.id && e.kind === "apply");
  const last = entries[entries.length - 1];
  if (last?.phase !== "started" || canonical(last.call) !== canonical(step.call)) return undefined;
  return last;
}

function specOf(call: Call): ActionSpec {
  const spec = actionSpec(call.service, call.action);
  if (!spec)
    throw new Error(`no apply support for ${call.service}:${call.action} (a bug: every planned call needs one)`);
  return spec;
}

const MODULES: Record<ServiceName, Record<string, unknown>> = {
  ecs,
  ec2,
  elbv2,
  iam,
  secretsManager,
  ecr,
  cloudTrail,
  cloudWatch,
  logs,
  s3,
};

type Sendable = { send(command: unknown): Promise<Record<string, unknown>> };

/** Sends `new <action>Command(input)` on the service's client: requests are data until here. */
export async function send(
  aws: Aws,
  service: ServiceName,
  action: string,
  input: ResolvedInput,
): Promise<Record<string, unknown>> {
  const Command = MODULES[service][`${action}Command`] as (new (input: unknown) => unknown) | undefined;
  if (!Command) throw new Error(`the SDK has no ${service} ${action} command`);
  return (aws[service] as unknown as Sendable).send(new Command(input));
}

/** An input with its markers replaced: step outputs, the secret value, the edited task definition, JSON strings. */
async function resolveInput(aws: Aws, input: Input, outputs: ReadonlyMap<string, Json>): Promise<unknown> {
  if (input === null || typeof input !== "object") return input;
  if (Array.isArray(input)) return Promise.all(input.map((item: Input) => resolveInput(aws, item, outputs)));
  if (isStepOutput(input)) return outputOf(input, outputs);
  if (isJsonString(input)) return JSON.stringify(await resolveInput(aws, input.$json, outputs));
  if (isSecretFrom(input)) return secretValue(aws, input.$secretFrom);
  if (isTaskDefinitionFrom(input)) {
    const { base, edits, change } = input.$taskDefinition;
    const described = await aws.ecs.send(
      new ecs.DescribeTaskDefinitionCommand({ taskDefinition: base, include: ["TAGS"] }),
    );
    if (!described.taskDefinition) throw new Error(`task definition ${base} was not found`);
    return editedTaskDefinition(
      described.taskDefinition as unknown as Record<string, unknown>,
      described.tags ?? [],
      edits,
      change,
      (value) => (typeof value === "string" ? value : outputOf(value, outputs)),
    );
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input as Record<string, Input>)) {
    out[key] = await resolveInput(aws, value, outputs);
  }
  return out;
}

function outputOf(reference: StepOutput, outputs: ReadonlyMap<string, Json>): Json {
  let value: Json | undefined = outputs.get(reference.$output);
  if (value === undefined) throw new Error(`step ${reference.$output} has not run, so its output is not known`);
  for (const key of reference.path.split(".")) {
    value =
      value !== null && typeof value === "object" && !Array.isArray(value)
        ? (value as Record<string, Json>)[key]
        : undefined;
  }
  if (value === undefined || value === "") {
    throw new Error(`step ${reference.$output} gave no ${reference.path}`);
  }
  return value;
}

/**
 * The one plaintext read (DESIGN §2): the environment value the plan moves to Secrets Manager, straight from the
 * running revision into CreateSecret. Its HMAC must still match the snapshot's, or the plan is stale.
 */
async function secretValue(
  aws: Aws,
  from: { taskDefinition: string; container: string; name: string; hmac: string },
): Promise<string> {
  const { taskDefinition } = await aws.ecs.send(
    new ecs.DescribeTaskDefinitionCommand({ taskDefinition: from.taskDefinition }),
  );
  const container = taskDefinition?.containerDefinitions?.find((c) => c.name === from.container);
  const value = container?.environment?.find((variable) => variable.name === from.name)?.value;
  if (value === undefined) {
    throw new Error(`${from.name} is no longer in the environment of ${from.container} in ${from.taskDefinition}`);
  }
  if (redact(value, "", redactionKey()).hmac !== from.hmac) {
    throw new Error(`the value of ${from.name} changed since the plan was made: plan again`);
  }
  return value;
}

/** Waits until the service's deployment completes; a reason when it does not. */
export async function waitForDeployment(
  aws: Aws,
  target: { cluster: string; service: string },
): Promise<string | undefined> {
  try {
    await ecs.waitUntilServicesStable(
      { client: aws.ecs, maxWaitTime: 1800, ...aws.waiter },
      { cluster: target.cluster, services: [target.service] },
    );
  } catch (error) {
    return `the deployment of ${target.service} did not complete: ${errorLine(error)}`;
  }
  const { services } = await aws.ecs.send(
    new ecs.DescribeServicesCommand({ cluster: target.cluster, services: [target.service] }),
  );
  const primary = services?.[0]?.deployments?.find((d) => d.status === "PRIMARY");
  if (primary?.rolloutState === "FAILED") {
    return `the deployment of ${target.service} failed: ${primary.rolloutStateReason ?? "no reason given"}`;
  }
  return undefined;
}

/** One line, never a secret, never a stack. */
export function errorLine(error: unknown): string {
  const text =
    error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
  return redactText(oneLine(text));
}
