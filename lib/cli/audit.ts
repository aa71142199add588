// `ecs-takeover audit`: discover a cluster (or one service), run every check, print the findings.
import { type Command, Option } from "commander";
import { createAws } from "../aws/index";
import { SEVERITIES } from "../checks/check";
import { CHECKS } from "../checks/registry";
import { audit, type FailOn, failsThreshold } from "../checks/report";
import { FailureError, UsageError } from "../errors";
import { type DiscoverProgress, discover } from "../inventory/discover";
import { FINDINGS_FORMATS, type FindingsFormat, formatReport } from "../render/findings";
import { addConnectionOptions, type ConnectionFlags, checkConnectionFlags, connect, useConnection } from "./connection";

interface AuditFlags extends ConnectionFlags {
  cluster: string;
  service?: string;
  format: FindingsFormat;
  failOn: FailOn;
  unknown: "fail" | "ignore";
}

export function registerAuditCommand(program: Command): void {
  const command = program
    .command("audit")
    .description("read a cluster (or one service) and everything around it, and judge it against every check")
    .requiredOption("--cluster <name>", "the ECS cluster")
    .option("--service <name>", "only this service of the cluster")
    .addOption(new Option("--format <format>", "output format").choices(FINDINGS_FORMATS).default("table"))
    .addOption(
      new Option("--fail-on <severity>", "exit 1 on findings at or above this severity")
        .choices(["none", ...SEVERITIES])
        .default("none"),
    )
    .addOption(
      new Option("--unknown <mode>", "whether an unknown verdict counts as a failure")
        .choices(["fail", "ignore"])
        .default("fail"),
    );
  addConnectionOptions(command).action(async (flags: AuditFlags) => auditCommand(flags));
}

async function auditCommand(flags: AuditFlags): Promise<void> {
  checkConnectionFlags(flags);
  if (flags.cluster.trim() === "") throw new UsageError("--cluster must name a cluster");
  const connection = await connect(flags);
  useConnection(connection);
  const aws = createAws({
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.requestTimeout ? { requestTimeoutMs: flags.requestTimeout } : {}),
  });
  try {
    // Progress only for a person at a terminal: JSON, Markdown and SARIF stay clean for the tools that read them.
    const showProgress = flags.format === "table" && process.stdout.isTTY === true;
    const snapshot = await discover(aws, {
      cluster: flags.cluster,
      ...(flags.service ? { service: flags.service } : {}),
      ...(showProgress
        ? {
            onProgress: ({ done, total, note }: DiscoverProgress) =>
              process.stdout.write(`\r\u001b[2Kdiscovering ${done}/${total} ${note}`),
          }
        : {}),
    });
    if (showProgress) process.stdout.write("\r\u001b[2K");
    const report = audit(snapshot, CHECKS);
    process.stdout.write(
      formatReport(report, flags.format, { color: flags.format === "table" && process.stdout.isTTY }),
    );
    if (failsThreshold(report, flags.failOn, flags.unknown)) {
      const { fail, unknown } = report.summary;
      throw new FailureError(
        `findings at or above ${flags.failOn} (${fail} failed, ${unknown} unknown${flags.unknown === "fail" ? " counted as failures" : ""})`,
      );
    }
  } finally {
    aws.destroy();
    await connection.close();
  }
}
