// An audit of all 20 clusters of `large` against a sandbox (in its own process) adding 20 ms to every call:
// calls made against the minimum the batch limits allow, and wall time against the critical path at the default
// concurrency.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createAws } from "../../lib/aws";
import { DEFAULT_CONCURRENCY } from "../../lib/aws/client";
import { CHECKS } from "../../lib/checks/registry";
import { audit } from "../../lib/checks/report";
import { discoverAll } from "../../lib/inventory";
import { projectRoot } from "../../lib/project";
import { report, timed } from "./report";

const LATENCY_MS = 20;

export async function benchAudit(): Promise<void> {
  const sandbox = spawn(
    process.execPath,
    [
      join(projectRoot, "bin", "ecs-takeover.js"),
      "sandbox",
      "--scenario",
      "large",
      "--port",
      "0",
      "--clock",
      "2026-11-28T00:00:00Z",
      "--faults",
      `latency=${LATENCY_MS}`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      sandbox.stdout.once("data", (chunk: Buffer) =>
        resolve(chunk.toString().split("\n")[0]?.replace("endpoint ", "") ?? ""),
      );
      sandbox.once("exit", () => reject(new Error("the sandbox exited")));
    });
    const aws = createAws({
      endpoint,
      region: "ap-northeast-1",
      credentials: { accessKeyId: "AKIABENCH", secretAccessKey: "x" },
    });
    const [ms, snapshots] = await timed(() =>
      discoverAll(aws, { keyPath: join(projectRoot, ".takeover", "bench-key") }),
    );
    for (const snapshot of snapshots) audit(snapshot, CHECKS);
    const calls = aws.counters.byAction;
    const count = (action: string) => calls[action] ?? 0;

    // The minimum for the batched ECS reads, from what was found.
    let services = 0;
    let tasks = 0;
    const revisions = new Set<string>();
    let minimum = 0;
    for (const snapshot of snapshots) {
      const s = snapshot.services.status === "known" ? snapshot.services.value : [];
      const t = snapshot.tasks.status === "known" ? snapshot.tasks.value.length : 0;
      services += s.length;
      tasks += t;
      for (const service of s) for (const arn of service.runningRevisions) revisions.add(arn);
      minimum +=
        Math.max(1, Math.ceil(s.length / 100)) +
        Math.ceil(s.length / 10) +
        Math.max(1, Math.ceil(t / 100)) +
        Math.ceil(t / 100);
    }
    minimum += revisions.size;
    const batched = [
      "ecs:ListServices",
      "ecs:DescribeServices",
      "ecs:ListTasks",
      "ecs:DescribeTasks",
      "ecs:DescribeTaskDefinition",
    ];
    const made = batched.reduce((sum, action) => sum + count(action), 0);
    process.stdout.write(
      `# minimum = Σ clusters [⌈services/100⌉ ListServices + ⌈services/10⌉ DescribeServices + ⌈tasks/100⌉ ListTasks + ⌈tasks/100⌉ DescribeTasks] + distinct revisions in use (DescribeTaskDefinition) = ${minimum} for ${snapshots.length} clusters, ${services} services, ${tasks} tasks, ${revisions.size} revisions\n`,
    );
    report({
      name: "audit of large: batched ECS calls made / minimum",
      value: made / minimum,
      unit: "ratio",
      goal: "<= 1.1",
    });
    report({
      name: "audit of large: all API calls made (also EC2, ELBv2, IAM, ECR, latest-revision lookups…)",
      value: aws.counters.sent,
      unit: "calls",
      goal: null,
    });
    report({ name: "audit of large: wall time", value: ms / 1000, unit: "s", goal: null });
    const criticalPath = (aws.counters.sent * LATENCY_MS) / DEFAULT_CONCURRENCY;
    process.stdout.write(
      `# critical path = calls × latency ÷ concurrency = ${aws.counters.sent} × ${LATENCY_MS} ms ÷ ${DEFAULT_CONCURRENCY} = ${(criticalPath / 1000).toFixed(2)} s\n`,
    );
    report({
      name: "audit of large: wall time / critical path",
      value: ms / criticalPath,
      unit: "ratio",
      goal: "<= 1.5",
    });
    aws.destroy();
  } finally {
    sandbox.kill("SIGTERM");
  }
}
