// `ecs-takeover notebook` (what `npm start` runs) serves the runbooks with the project's TypeScript kernel, and a
// cell run through Jupyter's own kernel API imports lib from the repository root.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { projectRoot } from "../../lib/project";
import { finished, startCli } from "../cli/cli";

let base = "";
let token = "";
let server: ReturnType<typeof startCli>;
let exited: ReturnType<typeof finished>;
let banner = "";

beforeAll(async () => {
  // What `npm start` runs: the sandbox account behind the notebooks.
  server = startCli(["notebook", "--no-browser", "--port", "0", "--sandbox", "--clock", "2026-11-28T00:00:00Z"]);
  exited = finished(server);
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    server.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/serving the runbooks at (http:\/\/127\.0\.0\.1:\d+)\S*\?token=(\w+)/);
      if (match) {
        banner = out;
        resolve(`${match[1]}?${match[2]}`);
      }
    });
    server.on("exit", () => reject(new Error(`notebook server exited: ${out}`)));
  });
  [base, token] = url.split("?") as [string, string];
});

afterAll(async () => {
  server.kill("SIGTERM");
  await exited;
});

const api = async <T = Record<string, never>>(path: string, init: RequestInit = {}): Promise<T> => {
  const response = await fetch(`${base}${path}`, {
    ...init,
    headers: { Authorization: `token ${token}`, "Content-Type": "application/json" },
  });
  expect(response.ok, `${init.method ?? "GET"} ${path}: ${response.status}`).toBe(true);
  return (await response.json()) as T;
};

describe("ecs-takeover notebook", () => {
  test("says the notebooks talk to the sandbox, and how to use a real account instead", () => {
    expect(banner).toMatch(
      /^The notebooks talk to the sandbox account \(scenario inherited\) at http:\/\/127\.0\.0\.1:\d+\.$/m,
    );
    expect(banner).toContain("To use a real account instead: npx ecs-takeover notebook --profile NAME --region REGION");
  });

  test("lists the TypeScript kernel at /api/kernelspecs", async () => {
    const specs = await api<{ kernelspecs: Record<string, { spec: unknown }> }>("/api/kernelspecs");
    expect(specs.kernelspecs.tslab?.spec).toMatchObject({
      display_name: "TypeScript (ecs-takeover)",
      language: "typescript",
    });
  });

  test("serves the runbooks, and requires the token", async () => {
    const listing = await api<{ content: { name: string }[] }>("/api/contents/notebooks");
    expect(listing.content.map((entry: { name: string }) => entry.name)).toContain("00-start-here.ipynb");
    expect((await fetch(`${base}/api/contents/notebooks`)).status).toBe(403);
  });

  test("a cell of 00-start-here runs in the kernel Jupyter starts, importing lib from the repository root", async () => {
    const session = await api<{ id: string; kernel: { id: string } }>("/api/sessions", {
      method: "POST",
      body: JSON.stringify({ path: "notebooks/00-start-here.ipynb", type: "notebook", kernel: { name: "tslab" } }),
    });
    const socket = new WebSocket(
      `${base.replace("http", "ws")}/api/kernels/${session.kernel.id}/channels?token=${token}`,
    );
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = reject;
    });
    const msgId = randomUUID();
    const outputs: string[] = [];
    const idle = new Promise<void>((resolve) => {
      socket.onmessage = (event) => {
        const message = JSON.parse(String(event.data));
        if (message.parent_header?.msg_id !== msgId) return;
        if (message.msg_type === "stream") outputs.push(message.content.text);
        if (message.msg_type === "display_data") outputs.push(Object.keys(message.content.data).sort().join(","));
        if (message.msg_type === "status" && message.content.execution_state === "idle") resolve();
      };
    });
    const code = [
      'import { barChart } from "./lib/render/charts";',
      'import { show } from "./lib/render/display";',
      "console.log(process.cwd());",
      'import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";',
      'console.log("account " + (await new STSClient({}).send(new GetCallerIdentityCommand({}))).Account);',
      'await show(barChart([{ label: "a", value: 1 }], { title: "t", unit: "u" }));',
    ].join("\n");
    socket.send(
      JSON.stringify({
        header: {
          msg_id: msgId,
          msg_type: "execute_request",
          username: "test",
          session: randomUUID(),
          version: "5.3",
          date: new Date().toISOString(),
        },
        parent_header: {},
        metadata: {},
        content: {
          code,
          silent: false,
          store_history: true,
          user_expressions: {},
          allow_stdin: false,
          stop_on_error: true,
        },
        channel: "shell",
      }),
    );
    await idle;
    socket.close();
    await api(`/api/sessions/${session.id}`, { method: "DELETE" }).catch(() => undefined);
    expect(outputs).toContain("application/vnd.vegalite.v5+json,image/svg+xml,text/plain");
    expect(outputs).toContain(`${projectRoot}\n`);
    expect(outputs).toContain("account 123456789012\n"); // the kernel inherited the sandbox's endpoint and keys
  });
});
