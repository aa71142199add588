// `ecs-takeover sandbox` and `--sandbox` on other commands: the real command, any AWS client pointed at it.
import { createServer } from "node:net";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, test } from "vitest";
import { writeTempNotebook } from "../notebook/fixtures";
import { clientConfig } from "../sandbox/client";
import { cli, expectOneLine, finished, startCli } from "./cli";

function firstLine(child: ReturnType<typeof startCli>): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolve(out.split("\n")[0] as string);
    });
    child.on("exit", () => reject(new Error(`exited before printing: ${out}`)));
  });
}

describe("ecs-takeover sandbox", () => {
  test("prints its endpoint first, answers a real SDK client, and stops on SIGTERM", async () => {
    const child = startCli(["sandbox", "--port", "0", "--clock", "2026-11-28T00:00:00Z"]);
    const done = finished(child);
    const line = await firstLine(child);
    expect(line).toMatch(/^endpoint http:\/\/127\.0\.0\.1:\d+$/);
    const sts = new STSClient(clientConfig(line.replace("endpoint ", "")));
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe("123456789012");
    child.kill("SIGTERM");
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
  });

  test("a port in use is exit 3 with one line", async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, "127.0.0.1", () => resolve((blocker.address() as { port: number }).port)),
    );
    try {
      const result = await cli(["sandbox", "--port", String(port)]);
      expect(result.code).toBe(3);
      expect(expectOneLine(result.stderr)).toBe(
        `ecs-takeover: port ${port} on 127.0.0.1 is in use; choose another with --port`,
      );
    } finally {
      blocker.close();
    }
  });

  test.each([
    [["sandbox", "--scenario", "nope"], /unknown scenario "nope"/],
    [["sandbox", "--faults", "throttle=2"], /--faults/],
    [["sandbox", "--clock", "yesterday"], /not an ISO-8601 time/],
    [["run", "x.ipynb", "--clock", "2026-01-01T00:00:00Z"], /--clock needs --sandbox/],
    [["run", "x.ipynb", "--sandbox", "--endpoint", "http://127.0.0.1:1"], /cannot be combined/],
    [["run", "x.ipynb", "--endpoint", "not a url"], /expected a URL/],
  ])("%j is a usage error", async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(expectOneLine(result.stderr)).toMatch(message);
  });
});

describe("run --sandbox", () => {
  test("hands the sandbox's endpoint, region and dummy credentials to the kernel, whatever argument follows", async () => {
    const notebook = writeTempNotebook([
      [
        'import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";',
        "const identity = await new STSClient({}).send(new GetCallerIdentityCommand({}));",
        'console.log(identity.Account, process.env.AWS_REGION, process.env.ECS_TAKEOVER_SANDBOX, process.env.AWS_ENDPOINT_URL?.startsWith("http://127.0.0.1:"));',
      ].join("\n"),
    ]);
    const result = await cli(["run", "--sandbox", notebook, "--out", `${notebook}.out.ipynb`], {
      env: { AWS_PROFILE: "someone-elses-profile" },
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(`${notebook}.out.ipynb`, "utf8")).toContain("123456789012 ap-northeast-1 inherited true");
  });
});
