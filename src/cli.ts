// The `kpibot` command line: import data, ask questions, list the catalog, load the demo.
import { parseArgs } from 'node:util';
import { BACKUP_USAGE, runBackupCli } from './backup-cli.ts';
import { runCommand } from './commands/dispatch.ts';
import { resultJson } from './commands/views/json.ts';
import { renderText } from './commands/views/text.ts';
import { ConfigError, loadConfig } from './config.ts';
import { demoStory, generateDemoFacts } from './demo/generate.ts';
import { IMPORT_USAGE, runImportCommand } from './ingest/cli.ts';
import { addDays, todayIn } from './kpi/periods.ts';
import { createLogger } from './logger.ts';
import { runSummaryCli } from './reports/cli.ts';
import { createServices, type Services } from './services.ts';
import { countFacts, upsertFacts, vacuumFacts } from './store/facts.ts';

const USAGE = `kpibot — KPIs for marketing and growth teams

Usage:
  kpibot ask "<question>" [--json] [--now ISO-8601]   e.g. kpibot ask "roas last-week vs previous by channel"
  kpibot import FILE.csv [options]                   import daily facts (see kpibot import --help)
  kpibot summary [period] [--json] [--now ISO-8601]  the weekly summary (default last-week)
  kpibot status                                      data freshness: last day per measure and source
  kpibot kpis                                        the KPI catalog, by tier, with formulas
  kpibot demo                                        load two years of demo data into the store
${BACKUP_USAGE}
  kpibot help

Configuration: kpibot.config.yml and environment variables (see README.md).`;

/** A mistake the user made on the command line: printed without a stack, exit code 2. */
class UsageError extends Error {}

async function withServices<T>(fn: (s: Services) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 2);
  const services = await createServices(config, logger);
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

function parseNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(`--now: "${value}" is not an ISO-8601 date-time`);
  return date;
}

async function askCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, now: { type: 'string' } },
  });
  const question = positionals.join(' ').trim();
  if (!question) throw new UsageError('Usage: kpibot ask "<question>" [--json] [--now ISO-8601]');
  const now = parseNow(values.now);
  return withServices(async (services) => {
    const outcome = await runCommand(question, { userId: 'cli', now }, services);
    if (values.json) {
      const body = outcome.kind === 'answer' ? resultJson(outcome.result) : outcome;
      process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    } else {
      process.stdout.write(`${renderText(outcome, services.config.locale)}\n`);
    }
    return outcome.kind === 'error' ? 2 : 0;
  });
}

/** `kpibot kpis`, `kpibot status`: a command without arguments, printed as text. */
async function printCommand(text: string): Promise<number> {
  return withServices(async (services) => {
    process.stdout.write(
      `${renderText(await runCommand(text, { userId: 'cli' }, services), services.config.locale)}\n`,
    );
    return 0;
  });
}

async function importCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${IMPORT_USAGE}\n`);
    return 0;
  }
  return withServices(async (services) => {
    const code = await runImportCommand(args, {
      db: services.db,
      mappings: services.config.mappings,
      stdout: (t) => process.stdout.write(t),
      stderr: (t) => process.stderr.write(t),
    });
    if (code === 0 && !args.includes('--dry-run')) await vacuumFacts(services.db);
    return code;
  });
}

async function demoCommand(): Promise<number> {
  return withServices(async (services) => {
    const end = addDays(todayIn(services.periodContext()), -1);
    const facts = generateDemoFacts({ end });
    const started = Date.now();
    await services.db.transaction((tx) => upsertFacts(tx, facts, { source: 'demo' }));
    await vacuumFacts(services.db);
    const story = demoStory(end);
    process.stdout.write(
      `${[
        `Loaded ${facts.length.toLocaleString('en-US')} demo facts (${addDays(end, -729)} – ${end}) in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
        `Store now holds ${(await countFacts(services.db)).toLocaleString('en-US')} facts.`,
        `The story: ${story.decayingCampaign} decays below the ROAS floor over the last ten weeks; churn spikes in ${story.churnSpikeMonth}.`,
        'Try: npx kpibot ask "roas last-week vs previous by campaign"',
        `     npx kpibot ask "churn_rate ${story.churnSpikeMonth} vs previous"`,
      ].join('\n')}\n`,
    );
    return 0;
  });
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'ask':
      return askCommand(args);
    case 'import':
      return importCommand(args);
    case 'summary':
      return withServices(async (services) => {
        const { code, stdout } = await runSummaryCli(args, services);
        process.stdout.write(stdout);
        return code;
      });
    case 'kpis':
      return printCommand('list');
    case 'status':
      return printCommand('status');
    case 'demo':
      return demoCommand();
    case 'backup':
    case 'restore':
      return runBackupCli(command, args);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof ConfigError || isArgError(err)) {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`kpibot failed: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);

function isArgError(err: unknown): boolean {
  return (
    err instanceof TypeError &&
    String((err as TypeError & { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS')
  );
}
