// `kpibot import`: argument parsing, the run over one or more files, and the report as text.
// src/cli.ts only routes `import` here (runImportCommand), so the command stays testable.
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ErrorCode, type ErrorOptions, UserError } from '../errors.ts';
import type { ChannelVocabulary } from '../kpi/channels.ts';
import type { Db } from '../store/db.ts';
import { type ChannelReport, newChannelNotice } from './channel-labels.ts';
import {
  ImportError,
  type ImportInput,
  type ImportOptions,
  type ImportReport,
  importCsv,
} from './import.ts';
import type { Mapping } from './mapping.ts';
import { createProgressBar, type ProgressBarOptions } from './progress-bar.ts';

export const IMPORT_USAGE = `Usage: kpibot import FILE.csv [FILE.csv …] [options]

Imports daily facts. Each file is imported whole or not at all; re-importing replaces values.

Formats:
  long (default)       header date,measure,value[,channel][,campaign]
  --mapping NAME       a named mapping: google-ads, meta-ads, ga4, telco-churn, or one from
                       kpibot.config.yml (mappings:)
  --map "Col=target,…" an ad-hoc mapping, e.g. --map "Day=date,Cost=ad_spend,Conv. value=revenue"
                       (targets: a measure id, date, date_end, channel, campaign, ignore)

Options:
  --channel NAME       channel for rows without one (overrides the mapping's)
  --campaign NAME      campaign for rows without one
  --date YYYY-MM-DD    the day of a records mapping's facts (telco-churn: the month's first day)
  --date-format F      YYYY-MM-DD, YYYYMMDD, YYYY/MM/DD, DD/MM/YYYY, MM/DD/YYYY or DD.MM.YYYY
  --decimal , | .      the decimal separator, when the file leaves it ambiguous ("1,234")
  --delimiter C        , ; or tab (default: sniffed)
  --encoding E         utf-8, utf-16le, utf-16be or windows-1252 (default: sniffed)
  --dry-run            validate and report, write nothing
  --json               print the report as JSON

Examples:
  kpibot import facts.csv
  kpibot import "Campaign report.csv" --mapping google-ads
  kpibot import meta-export.csv --mapping meta-ads --channel meta
  kpibot import churn.csv --mapping telco-churn --date 2026-10-01`;

export interface ImportArgs {
  files: string[];
  options: ImportOptions;
  json: boolean;
  help: boolean;
}

/** Thrown for a command line that cannot work; the message says what would. */
export class ImportUsageError extends UserError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super(ErrorCode.Usage, message, opts);
  }
}

const DELIMITER_NAMES: Record<string, ',' | ';' | '\t'> = {
  ',': ',',
  comma: ',',
  ';': ';',
  semicolon: ';',
  tab: '\t',
  '\\t': '\t',
  '\t': '\t',
};

/** Parses `kpibot import` arguments. Values are checked by importCsv's schema. */
export function parseImportArgs(args: readonly string[]): ImportArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (err) {
    throw new ImportUsageError(`${(err as Error).message}\n\n${IMPORT_USAGE}`);
  }
  const v = parsed.values;
  const help = v.help === true;
  if (!help && parsed.positionals.length === 0) {
    throw new ImportUsageError(`No file given.\n\n${IMPORT_USAGE}`);
  }
  let delimiter: ImportOptions['delimiter'];
  if (v.delimiter !== undefined) {
    delimiter = Object.hasOwn(DELIMITER_NAMES, v.delimiter)
      ? DELIMITER_NAMES[v.delimiter]
      : undefined;
    if (delimiter === undefined) {
      throw new ImportUsageError(`--delimiter: "${v.delimiter}" is not one of , ; tab`);
    }
  }
  const options: ImportOptions = {
    mapping: v.mapping,
    map: v.map,
    channel: v.channel,
    campaign: v.campaign,
    date: v.date,
    dateFormat: v['date-format'] as ImportOptions['dateFormat'],
    decimal: v.decimal as ImportOptions['decimal'],
    delimiter,
    encoding: v.encoding as ImportOptions['encoding'],
    dryRun: v['dry-run'] === true ? true : undefined,
  };
  for (const key of Object.keys(options) as Array<keyof ImportOptions>) {
    if (options[key] === undefined) delete options[key];
  }
  return { files: parsed.positionals, options, json: v.json === true, help };
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      mapping: { type: 'string', short: 'm' },
      map: { type: 'string' },
      channel: { type: 'string' },
      campaign: { type: 'string' },
      date: { type: 'string' },
      'date-format': { type: 'string' },
      decimal: { type: 'string' },
      delimiter: { type: 'string' },
      encoding: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

const n = (x: number) => x.toLocaleString('en-US');

/** The report as people read it: what was imported, or every reason it was not. */
export function formatImportReport(r: ImportReport): string {
  const lines: string[] = [];
  const how = [
    r.mapping ? `mapping ${r.mapping}` : `${r.format} format`,
    r.encoding === 'utf-8' ? undefined : `${r.encoding}${r.encodingGuessed ? ' (guessed)' : ''}`,
    r.delimiter === '\t'
      ? 'tab-separated'
      : r.delimiter === ';'
        ? 'semicolon-separated'
        : undefined,
    r.decimal === ',' ? 'decimal comma' : undefined,
    r.dateFormat ? `dates ${r.dateFormat}` : undefined,
  ].filter(Boolean);
  lines.push(`${r.file}: ${how.join(', ')}`);
  const range = r.dateRange ? ` from ${r.dateRange.start} to ${r.dateRange.end}` : '';
  const skipped = r.rowsSkipped > 0 ? ` (${n(r.rowsSkipped)} skipped)` : '';
  if (r.ok) {
    const verb = r.dryRun ? 'would import' : 'imported';
    lines.push(
      `${r.dryRun ? 'Dry run: ' : ''}${n(r.rowsRead)} rows read${skipped}, ${verb} ${n(r.dryRun ? r.factsValid : r.factsWritten)} facts${range}.`,
    );
    if (r.measures.length > 0) lines.push(`Measures: ${r.measures.join(', ')}`);
    lines.push(...channelLines(r.channels));
    return lines.join('\n');
  }
  lines.push(
    `${r.dryRun ? 'Dry run: the file would be rejected' : 'Nothing imported: the file was rejected'} (${n(r.rejectedTotal)} ${r.rejectedTotal === 1 ? 'problem' : 'problems'} in ${n(Math.max(r.rejectedRows, 1))} ${r.rejectedRows === 1 ? 'row' : 'rows'}; ${n(r.rowsRead)} rows read).`,
  );
  for (const x of r.rejected) {
    const where = x.column !== undefined ? `, column "${x.column}"` : '';
    lines.push(`  line ${x.line}${where}: ${x.reason}`);
  }
  const rest = r.rejectedTotal - r.rejected.length;
  if (rest > 0) lines.push(`  … and ${n(rest)} more`);
  return lines.join('\n');
}

/** Channels stored under their canonical names, and a notice per channel not in the vocabulary. */
export function channelLines(c: ChannelReport): string[] {
  const lines: string[] = [];
  if (c.relabelled.length > 0) {
    lines.push(`Channels: ${c.relabelled.map((x) => `${x.from} → ${x.to}`).join(', ')}`);
  }
  for (const channel of c.unknown) lines.push(`Note: ${newChannelNotice(channel)}.`);
  if (c.more > 0) lines.push(`  … and ${n(c.more)} more channel names`);
  return lines;
}

export interface ImportCommandDeps {
  db: Db;
  /** `mappings:` from kpibot.config.yml. */
  mappings?: Readonly<Record<string, Mapping>>;
  /** The channel vocabulary (default: the built-in one). */
  channels?: ChannelVocabulary;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** What to read for a FILE argument; default the file at that path. */
  input?: (file: string) => ImportInput;
  /** For the progress bar; default process.stderr (drawn only on a TTY). */
  progressStream?: ProgressBarOptions['stream'];
  /** Told each file's report once its import ended (for the metrics). */
  onReport?: (report: ImportReport) => void;
}

/**
 * `kpibot import …`: imports each file in turn and prints its report. Exit code 0 when every
 * file was imported, 1 when one was rejected, 2 for a usage problem (printed on stderr).
 */
export async function runImportCommand(
  args: readonly string[],
  deps: ImportCommandDeps,
): Promise<number> {
  let parsed: ImportArgs;
  try {
    parsed = parseImportArgs(args);
  } catch (err) {
    if (!(err instanceof ImportUsageError)) throw err;
    deps.stderr(`${err.message}\n`);
    return 2;
  }
  if (parsed.help) {
    deps.stdout(`${IMPORT_USAGE}\n`);
    return 0;
  }
  let code = 0;
  const reports: ImportReport[] = [];
  for (const file of parsed.files) {
    const bar = createProgressBar({ stream: deps.progressStream, label: basename(file) });
    let report: ImportReport;
    try {
      report = await importCsv(
        deps.db,
        deps.input ? deps.input(file) : { path: file },
        {
          ...parsed.options,
          mappings: deps.mappings ?? {},
          ...(deps.channels ? { channels: deps.channels } : {}),
        },
        (p) => bar.update(p),
      );
    } catch (err) {
      bar.done();
      if (!(err instanceof ImportError)) throw err;
      deps.stderr(`${err.message}\n`);
      return 2;
    }
    bar.done();
    reports.push(report);
    deps.onReport?.(report);
    if (!parsed.json) deps.stdout(`${formatImportReport(report)}\n`);
    if (!report.ok) code = 1;
  }
  if (parsed.json) {
    deps.stdout(`${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`);
  }
  return code;
}
