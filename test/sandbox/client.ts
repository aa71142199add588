// How tests point a real SDK v3 client at a sandbox: endpoint, region and dummy keys, exactly as a user would.
export function clientConfig(endpoint: string, overrides: { maxAttempts?: number } = {}) {
  return {
    endpoint,
    region: "ap-northeast-1",
    credentials: { accessKeyId: "AKIASANDBOXEXAMPLE", secretAccessKey: "sandbox-secret-key" },
    maxAttempts: overrides.maxAttempts ?? 3,
  };
}
