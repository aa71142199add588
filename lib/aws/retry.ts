// How many times a call is tried, by what went wrong. Throttling and 5xx answers are the service saying "not now":
// twelve attempts, so a read that meets throttle=0.3,error=0.1 (37 % of attempts fail) stays unknown with odds of
// 0.37^12 ≈ 6.6e-6, not 0.37^8 ≈ 3.5e-4 — across an audit's ~45 reads, 3e-4 instead of 1.6 %. Anything else
// (connection refused, time-outs) keeps eight, so an unreachable endpoint is still reported within seconds.
import { StandardRetryStrategy } from "@smithy/core/retry";

type Token = Parameters<StandardRetryStrategy["refreshRetryTokenForRetry"]>[0];
type ErrorInfo = Parameters<StandardRetryStrategy["refreshRetryTokenForRetry"]>[1];

export const SERVICE_BUSY_ATTEMPTS = 12;

export class TakeoverRetryStrategy extends StandardRetryStrategy {
  constructor(private readonly otherAttempts: number) {
    super(Math.max(SERVICE_BUSY_ATTEMPTS, otherAttempts));
  }

  override async refreshRetryTokenForRetry(token: Token, errorInfo: ErrorInfo) {
    const busy = errorInfo.errorType === "THROTTLING" || errorInfo.errorType === "SERVER_ERROR";
    if (!busy && token.getRetryCount() + 1 >= this.otherAttempts) throw new Error("No retry token available");
    return super.refreshRetryTokenForRetry(token, errorInfo);
  }
}
