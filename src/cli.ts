// The `kpibot` command line: import data, ask questions, list the catalog, load the demo.
import { writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { BACKUP_USAGE, runBackupCli } from './cli/backup.ts';
import { type CommandIo, storeCommand, UsageError } from './cli/commands.ts';
import { exitFor } from './cli/exit.ts';
import { forwardToBot } from './cli/forward.ts';
import { configSecrets, loadConfig } from './config.ts';
import { demoStory } from './demo/generate.ts';
import { writeDemoFacts } from './demo/load.ts';
import { IMPORT_USAGE } from './ingest/cli.ts';
import { addDays, todayIn } from './kpi/periods.ts';
import { createLogger } from './logger.ts';
import { createServices, type Services } from './services.ts';
import { countFacts } from './store/facts.ts';
import { StoreInUseError } from './store/lock.ts';

const USAGE = `kpibot — KPIs for marketing and growth teams

Usage:
  kpibot ask "<question>" [--json] [--now ISO-8601]   e.g. kpibot ask "roas last-week vs previous by channel"
             [--chart FILE.png]                      also write the answer's chart as a PNG
  kpibot import FILE.csv [options]                   import daily facts (see kpibot import --help)
  kpibot summary [period] [--json] [--now ISO-8601]  the weekly summary (default last-week)
  kpibot status                                      data freshness: last day per measure and source, SQL source syncs
  kpibot sync [SOURCE]                               read the SQL sources (or one) now (docs/sql-sources.md)
  kpibot kpis                                        the KPI catalog, by tier, with formulas
  kpibot channels [apply [--dry-run]]                channels, aliases, sources; apply re-labels facts
  kpibot demo                                        load two years of demo data into the store
${BACKUP_USAGE}
  kpibot help

Configuration: kpibot.config.yml and environment variables (see README.md).`;

const TERMINAL: CommandIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  writeFile: (path, data) => writeFile(path, data),
};

/** Runs `fn` on the store; when another process holds it, `whenInUse` instead (if given). */
async function withServices<T>(
  fn: (s: Services) => Promise<T>,
  whenInUse?: (err: StoreInUseError) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 2, {
    secrets: configSecrets(config),
  });
  let services: Services;
  try {
    services = await createServices(config, logger);
  } catch (err) {
    if (whenInUse && err instanceof StoreInUseError) return whenInUse(err);
    throw err;
  }
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

async function demoCommand(): Promise<number> {
  return withServices(async (services) => {
    const end = addDays(todayIn(services.periodContext()), -1);
    const started = Date.now();
    const written = await writeDemoFacts(services.db, end);
    const story = demoStory(end);
    process.stdout.write(
      `${[
        `Loaded ${written.toLocaleString('en-US')} demo facts (${addDays(end, -729)} – ${end}) in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
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
  if (command === 'import' && (args.includes('--help') || args.includes('-h'))) {
    process.stdout.write(`${IMPORT_USAGE}\n`);
    return 0;
  }
  // ask, summary, status, kpis, import, sync: with the store in use by the running bot, through it.
  const onStore = storeCommand(argv);
  if (onStore) {
    return withServices(
      (services) => onStore(services, TERMINAL),
      (inUse) => forwardToBot(argv, inUse, TERMINAL),
    );
  }
  switch (command) {
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

// Ctrl-C or a kill: leave through process.exit, so the store's lock goes too (store/lock.ts).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(128 + constants.signals[signal]));
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const exit = exitFor(err);
    process.stderr.write(`${exit.message}\n`);
    process.exitCode = exit.code;
  },
);
