// The sandbox's virtual clock and its deterministic ids. Time moves only when a request is served — one fixed step
// of CLOCK_STEP_MS per request — never with wall time, so the same scenario, clock and calls give the same bytes.
import { createHash } from "node:crypto";
import type { SandboxState } from "./state";

/** One second per request: every response gets its own HTTP `Date` (whose resolution is a second). */
export const CLOCK_STEP_MS = 1000;

export class VirtualClock {
  private current: number;
  private served = 0;

  constructor(readonly start: Date) {
    if (Number.isNaN(start.getTime())) throw new Error("sandbox: the clock start is not a valid date");
    this.current = start.getTime();
  }

  /** The time the next request will be stamped with. */
  now(): Date {
    return new Date(this.current);
  }

  /** Stamps one request: returns its time and request number, then moves the clock one step on. */
  next(): { now: Date; sequence: number } {
    const stamp = { now: new Date(this.current), sequence: this.served };
    this.current += CLOCK_STEP_MS;
    this.served += 1;
    return stamp;
  }
}

/** `--clock` accepts an ISO-8601 string or a Date; default real time at start-up (whole seconds). */
export function parseClockStart(clock: string | Date | undefined): Date {
  if (clock === undefined) return new Date(Math.floor(Date.now() / 1000) * 1000);
  const date = clock instanceof Date ? clock : new Date(clock);
  if (Number.isNaN(date.getTime())) throw new Error(`sandbox: --clock "${String(clock)}" is not an ISO-8601 time`);
  return date;
}

/** A request id shaped like AWS's (a UUID), derived from the request's number and virtual time. */
export function requestIdFor(sequence: number, now: Date): string {
  const hex = createHash("sha256").update(`request/${sequence}/${now.toISOString()}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `length` lowercase hex characters; each 64 drawn advance `state.sequence` by one. */
export function drawHex(state: SandboxState, length: number): string {
  let out = "";
  while (out.length < length) {
    out += createHash("sha256").update(`${state.scenario}/${state.sequence}`).digest("hex");
    state.sequence += 1;
  }
  return out.slice(0, length);
}
