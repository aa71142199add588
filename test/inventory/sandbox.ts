// Discovery against a sandbox, through createAws exactly as the CLI does: endpoint, region, dummy keys.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Aws, createAws } from "../../lib/aws/client";
import { type Sandbox, type SandboxOptions, startSandbox } from "../../lib/sandbox/server";

export const CLOCK = "2026-11-28T00:00:00Z";
export const KEY_PATH = join(mkdtempSync(join(tmpdir(), "takeover-key-")), "key");

export async function sandboxAws(
  options: SandboxOptions = {},
): Promise<{ sandbox: Sandbox; aws: Aws; close(): Promise<void> }> {
  const sandbox = await startSandbox({ clock: CLOCK, ...options });
  const aws = createAws({
    endpoint: sandbox.endpoint,
    region: "ap-northeast-1",
    credentials: { accessKeyId: "AKIASANDBOXEXAMPLE", secretAccessKey: "sandbox-secret-key" },
  });
  return {
    sandbox,
    aws,
    close: async () => {
      aws.destroy();
      await sandbox.stop();
    },
  };
}
