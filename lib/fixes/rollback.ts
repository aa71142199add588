// rollback(aws, { plan }): undoes a journaled apply, newest step first, with the calls each step's journal entry
// recorded (re-authorize the revoked rule, put the old policy back, update the service to its old revision, …).
// Every undo call goes through the same observe/skip logic as apply, so an interrupted rollback can be rerun.
import type { Aws } from "../aws/client";
import { whoAmI } from "../inventory/discover";
import { stepRunner, waitForDeployment } from "./apply";
import { defaultJournalPath, type JournalEntry, readJournal } from "./journal";
import { withApplyLock } from "./lock";
import type { Step } from "./plan";

export interface RollbackOptions {
  /** The plan id whose apply to undo. */
  readonly plan: string;
  readonly confirm: boolean;
  readonly journal?: string;
  readonly onStep?: (entry: { step: string; title: string; status: "undone" | "unchanged" | "failed" }) => void;
}

export interface RollbackResult {
  readonly undone: readonly string[];
  readonly unchanged: readonly string[];
  readonly failed?: { readonly step: string; readonly error: string };
}

/** What rolling back `plan` would undo, newest first: the applied steps the journal holds and their undo calls. */
export function rollbackSteps(entries: readonly JournalEntry[], plan: string): JournalEntry[] {
  const applied = entries.filter((e) => e.plan === plan && e.kind === "apply" && e.phase === "applied");
  const undone = new Set(
    entries.filter((e) => e.plan === plan && e.kind === "rollback" && e.phase !== "failed").map((e) => e.step),
  );
  return applied.filter((e) => (e.undo ?? []).length > 0 && !undone.has(`undo:${e.step}`)).reverse();
}

export async function rollback(aws: Aws, options: RollbackOptions): Promise<RollbackResult> {
  if (options.confirm !== true) throw new Error("rollback changes AWS resources: call it with { confirm: true }");
  const journal = options.journal ?? defaultJournalPath();
  return withApplyLock(journal, async () => {
    const identity = await whoAmI(aws);
    const runner = stepRunner(aws, { id: options.plan }, journal, identity.arn, "rollback");
    const undone: string[] = [];
    const unchanged: string[] = [];
    for (const entry of rollbackSteps(readJournal(journal), options.plan)) {
      for (const [index, call] of (entry.undo ?? []).entries()) {
        const step: Step = {
          id: `undo:${entry.step}${index > 0 ? `#${index}` : ""}`,
          title: `undo: ${entry.title}`,
          call,
        };
        const outcome = await runner.run(entry, step);
        if (outcome.status === "failed") {
          options.onStep?.({ step: step.id, title: step.title, status: "failed" });
          return { undone, unchanged, failed: { step: step.id, error: outcome.error } };
        }
        (outcome.status === "applied" ? undone : unchanged).push(step.id);
        options.onStep?.({
          step: step.id,
          title: step.title,
          status: outcome.status === "applied" ? "undone" : "unchanged",
        });
        if (call.service === "ecs" && call.action === "UpdateService") {
          const failure = await waitForDeployment(aws, {
            cluster: String(call.input.cluster),
            service: String(call.input.service),
          });
          if (failure) return { undone, unchanged, failed: { step: step.id, error: failure } };
        }
      }
    }
    return { undone, unchanged };
  });
}
