// What every part of discovery reads with: the clients, a cache that lets several clusters share one read of an
// account-level resource (discoverAll), and the installation's redaction key.
import type { Aws } from "../aws/client";

export interface Reader {
  readonly aws: Aws;
  /** The first caller's promise for `key`: a role, a policy or the account's trails are read once per run. */
  once<T>(key: string, read: () => Promise<T>): Promise<T>;
  /** HMAC key for Redacted values. */
  readonly key: Buffer;
  /** The account discovery runs in (STS), to tell this account's ECR from others'. */
  readonly account: string;
  readonly region: string;
}

export function createReader(aws: Aws, key: Buffer, account: string, region: string): Reader {
  const cache = new Map<string, Promise<unknown>>();
  return {
    aws,
    key,
    account,
    region,
    once<T>(cacheKey: string, read: () => Promise<T>): Promise<T> {
      const cached = cache.get(cacheKey);
      if (cached) return cached as Promise<T>;
      const started = read();
      cache.set(cacheKey, started);
      return started;
    },
  };
}
