// `npm run bench`: every benchmark, one JSON line per figure. Ratios and goals, never timed tests.
import { benchAudit } from "./audit.bench";
import { benchCharts } from "./charts.bench";
import { benchNotebook } from "./notebook.bench";
import { benchSandbox } from "./sandbox.bench";
import { benchTelemetry } from "./telemetry.bench";
import { benchWaterfall } from "./waterfall.bench";

async function main(): Promise<void> {
  await benchSandbox();
  await benchAudit();
  await benchTelemetry();
  await benchCharts();
  await benchWaterfall();
  await benchNotebook();
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
