// Throttling and 5xx get twelve attempts; connection errors and time-outs keep eight (an unreachable endpoint is
// still reported within seconds).
import { describe, expect, test } from "vitest";
import { SERVICE_BUSY_ATTEMPTS, TakeoverRetryStrategy } from "../../lib/aws/retry";

const strategy = () => new TakeoverRetryStrategy(8);
const tokenAfter = async (retries: number) => {
  const token = await strategy().acquireInitialRetryToken("test");
  return Object.assign(token, { getRetryCount: () => retries });
};

describe("TakeoverRetryStrategy", () => {
  test("a connection error or time-out is not retried past the eighth attempt", async () => {
    await expect(strategy().refreshRetryTokenForRetry(await tokenAfter(7), { errorType: "TRANSIENT" })).rejects.toThrow(
      /No retry token/,
    );
  });

  test("throttling and 5xx are retried past eight attempts, up to twelve", async () => {
    expect(SERVICE_BUSY_ATTEMPTS).toBe(12);
    for (const errorType of ["THROTTLING", "SERVER_ERROR"] as const) {
      await expect(strategy().refreshRetryTokenForRetry(await tokenAfter(11), { errorType })).rejects.toThrow(
        /No retry token/,
      );
    }
    const eighth = await tokenAfter(7);
    // Retry count 7 → attempt 9: allowed for a busy service (the backoff wait is cut short by the fake timer).
    const strategyUnderTest = strategy();
    const original = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: () => void) => original(fn, 0)) as typeof setTimeout;
    try {
      const next = await strategyUnderTest.refreshRetryTokenForRetry(eighth, { errorType: "THROTTLING" });
      expect(next.getRetryCount()).toBe(8);
    } finally {
      globalThis.setTimeout = original;
    }
  });
});
