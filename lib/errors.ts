// Errors that the command line turns into one line on stderr and an exit code (DESIGN §8).

/** Exit 2: a bad flag or value, an unknown name, a missing or corrupt input file. */
export class UsageError extends Error {
  override name = "UsageError";
  readonly exitCode = 2;
}

/** Exit 3: AWS or the sandbox unreachable, no or expired credentials, access denied at once, a port in use. */
export class EnvironmentError extends Error {
  override name = "EnvironmentError";
  readonly exitCode = 3;
}

/** Exit 1: the work ran and failed (a notebook cell, a fix step, findings at or above --fail-on). */
export class FailureError extends Error {
  override name = "FailureError";
  readonly exitCode = 1;
}

export type CliError = UsageError | EnvironmentError | FailureError;

export function isCliError(error: unknown): error is CliError {
  return error instanceof UsageError || error instanceof EnvironmentError || error instanceof FailureError;
}
