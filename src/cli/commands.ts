// The `kpibot` commands that read or write the store (ask, summary, status, kpis, import, sync):
// their arguments parsed first, then run on a store with their output written to `io`. The CLI runs
// them on a store it opened itself; a running bot runs them for a CLI beside it that found the
// store in use (endpoint.ts). Either way the same text and the same exit code come out.
import { parseArgs } from 'node:util';
import { runCommand } from '../commands/registry.ts';
import { renderText } from '../commands/views/text.ts';
import { requireSourceUrls } from '../config.ts';
import { ErrorCode, UserError } from '../errors.ts';
import { type ImportCommandDeps, runImportCommand } from '../ingest/cli.ts';
import { applyChannels, applyText } from '../query/channels.ts';
import { resultJson } from '../query/views/json.ts';
import { runSummaryCli } from '../reports/cli.ts';
import type { Services } from '../services.ts';
import { runSync, SYNC_USAGE, sourcesToSync } from '../sources/cli.ts';
import { vacuumFacts } from '../store/facts.ts';

/** A mistake the user made on the command line: printed without a stack, exit code 2. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(ErrorCode.Usage, message);
  }
}

export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** What `import` reads for a FILE argument; default the file at that path. */
  importInput?: ImportCommandDeps['input'];
  /** Told each imported file's report (the running bot counts them in its metrics). */
  onImportReport?: ImportCommandDeps['onReport'];
  /** Writes a file the command makes (`ask --chart`); absent where no file can be written. */
  writeFile?(path: string, data: Buffer): Promise<void>;
}

/** A parsed command, ready to run: resolves to the exit code. */
export type StoreCommand = (services: Services, io: CommandIo) => Promise<number>;

/**
 * `argv` (`ask "roas last-week" --json`, `import facts.csv`, …) as a command to run on a store,
 * or undefined when it names no store command. Throws UsageError (or parseArgs' TypeError) for
 * arguments that cannot work, before any store is opened.
 */
export function storeCommand(argv: readonly string[]): StoreCommand | undefined {
  const [command, ...args] = argv;
  switch (command) {
    case 'ask':
      return askCommand(args);
    case 'summary':
      return async (services, io) => {
        const { code, stdout } = await runSummaryCli(args, services);
        io.stdout(stdout);
        return code;
      };
    case 'kpis':
      return printCommand('list');
    case 'status':
      return printCommand('status');
    case 'channels':
      return channelsCommand(args);
    case 'import':
      return importCommand(args);
    case 'sync':
      return syncCommand(args);
    default:
      return undefined;
  }
}

function parseNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(`--now: "${value}" is not an ISO-8601 date-time`);
  return date;
}

export const ASK_USAGE = 'kpibot ask "<question>" [--json] [--chart FILE.png] [--now ISO-8601]';

function askCommand(args: string[]): StoreCommand {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      now: { type: 'string' },
      chart: { type: 'string' },
    },
  });
  const question = positionals.join(' ').trim();
  if (!question) throw new UsageError(`Usage: ${ASK_USAGE}`);
  const chart = values.chart;
  if (chart !== undefined && !chart.trim())
    throw new UsageError(`--chart needs a file name, e.g. --chart roas.png. Usage: ${ASK_USAGE}`);
  const now = parseNow(values.now);
  return async (services, io) => {
    const outcome = await runCommand(question, { userId: 'cli', now }, services);
    if (values.json) {
      const body =
        outcome.kind === 'answer' ? resultJson(outcome.result, outcome.reading) : outcome;
      io.stdout(`${JSON.stringify(body, null, 2)}\n`);
    } else {
      io.stdout(`${renderText(outcome, services.config.locale)}\n`);
    }
    if (chart !== undefined) {
      // Loaded only for --chart: the renderer's native module stays off every other command.
      const { writeAnswerChart } = await import('./chart.ts');
      await writeAnswerChart(outcome, chart, services, io);
    }
    return outcome.kind === 'error' ? 2 : 0;
  };
}

/** `kpibot kpis`, `kpibot status`: a command without arguments, printed as text. */
function printCommand(text: string): StoreCommand {
  return async (services, io) => {
    const outcome = await runCommand(text, { userId: 'cli' }, services);
    io.stdout(`${renderText(outcome, services.config.locale)}\n`);
    return 0;
  };
}

const CHANNELS_USAGE = 'Usage: kpibot channels [apply [--dry-run]]';

/**
 * `kpibot channels`: the vocabulary and the stored channels. `kpibot channels apply`: moves the
 * facts of stored names the vocabulary now calls otherwise, in one transaction (`--dry-run`:
 * only says what would move).
 */
function channelsCommand(args: string[]): StoreCommand {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false } },
  });
  const [sub, ...rest] = positionals;
  if (sub === undefined) {
    if (values['dry-run']) throw new UsageError(`--dry-run goes with apply. ${CHANNELS_USAGE}`);
    return printCommand('channels');
  }
  if (sub !== 'apply' || rest.length > 0) throw new UsageError(CHANNELS_USAGE);
  return async (services, io) => {
    const result = await applyChannels(services, { dryRun: values['dry-run'] });
    io.stdout(`${applyText(result)}\n`);
    return 0;
  };
}

function importCommand(args: string[]): StoreCommand {
  return async (services, io) => {
    const code = await runImportCommand(args, {
      db: services.db,
      mappings: services.config.mappings,
      channels: services.channels,
      stdout: (t) => io.stdout(t),
      stderr: (t) => io.stderr(t),
      ...(io.importInput ? { input: io.importInput } : {}),
      ...(io.onImportReport ? { onReport: io.onImportReport } : {}),
    });
    if (code === 0 && !args.includes('--dry-run')) await vacuumFacts(services.db);
    return code;
  };
}

/** `kpibot sync [SOURCE]`: the SQL sources synced now (src/sources/). */
function syncCommand(args: string[]): StoreCommand {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length > 1) throw new UsageError(SYNC_USAGE);
  return async (services, io) => {
    const chosen = sourcesToSync(services.config.sources, positionals[0]);
    if ('error' in chosen) {
      io.stderr(`${chosen.error}\n`);
      return 2;
    }
    const sources = requireSourceUrls(services.config, chosen.sources);
    const deps = { ...services, timeZone: services.config.timeZone };
    return runSync(deps, sources, (line) => io.stdout(line));
  };
}
