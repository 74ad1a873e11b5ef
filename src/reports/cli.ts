// `kpibot summary [period] [--json] [--now ISO-8601]`: the same summary as `/kpi summary`, for
// the terminal (text) or for scripts (JSON: the Summary object, values in base units).
import { parseArgs } from 'node:util';
import { buildSummaryReport, SummaryPeriodError } from './build.ts';
import { summaryPeriodOf } from './commands.ts';
import type { ReportDeps } from './deps.ts';
import { renderSummaryText } from './summary.ts';

export const SUMMARY_USAGE = `Usage: kpibot summary [period] [--json] [--now ISO-8601]
  period   last-week (default), last-month, weekly, monthly, 2026-W47, 2026-11, mtd…
  --json   the summary as JSON (values in base units: 2 % is 0.02)
  --now    resolve the period as if it were this instant (default: KPIBOT_NOW or the clock)`;

export interface CliResult {
  /** 0 done, 2 a usage mistake (the message is in stdout). */
  code: number;
  stdout: string;
}

export async function runSummaryCli(args: string[], deps: ReportDeps): Promise<CliResult> {
  let parsed: ReturnType<typeof parseCliArgs>;
  try {
    parsed = parseCliArgs(args);
  } catch (err) {
    return { code: 2, stdout: `${(err as Error).message}\n\n${SUMMARY_USAGE}\n` };
  }
  const { values, positionals } = parsed;
  if (values.help) return { code: 0, stdout: `${SUMMARY_USAGE}\n` };
  let now: Date | undefined;
  if (values.now !== undefined) {
    now = new Date(values.now);
    if (Number.isNaN(now.getTime())) {
      return { code: 2, stdout: `--now: "${values.now}" is not an ISO-8601 date-time\n` };
    }
  }
  try {
    const report = await buildSummaryReport(deps, {
      period: summaryPeriodOf(positionals.join(' ')),
      ...(now ? { now } : {}),
    });
    const body = values.json
      ? JSON.stringify(report.summary, null, 2)
      : renderSummaryText(report.summary);
    return { code: 0, stdout: `${body}\n` };
  } catch (err) {
    if (err instanceof SummaryPeriodError) return { code: 2, stdout: `${err.message}\n` };
    throw err;
  }
}

function parseCliArgs(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      now: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
