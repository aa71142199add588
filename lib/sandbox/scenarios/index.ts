// Scenarios are data builders: each returns a whole SandboxState, with times relative to the clock's start.
import { emptyState, type SandboxState } from "../state";
import { buildLarge } from "./large";
import { buildWebService } from "./web-service";

export const SCENARIOS = ["inherited", "incident", "clean", "large"] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export function isScenario(name: string): name is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(name);
}

export function buildScenario(name: ScenarioName, start: Date): SandboxState {
  const state = emptyState(name);
  switch (name) {
    case "inherited":
    case "incident":
    case "clean":
      buildWebService(state, start, name);
      break;
    case "large":
      buildLarge(state, start);
      break;
  }
  return state;
}
