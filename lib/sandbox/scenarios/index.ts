// Scenarios are data builders: each returns a whole SandboxState, with times relative to the clock's start.
import { emptyState, type SandboxState } from "../state";

export const SCENARIOS = ["inherited", "clean", "large"] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export function isScenario(name: string): name is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(name);
}

/** Placeholder until the scenarios are written: an empty account. */
export function buildScenario(name: ScenarioName, _start: Date): SandboxState {
  return emptyState(name);
}
