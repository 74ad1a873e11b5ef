// CSV import: a file (or stream) in the long, wide or records shape → facts, streamed, validated
// row by row, written all-or-nothing in one transaction.
//
// Memory stays flat whatever the file size: the file is read in chunks and cut into records by
// csv.ts, each row is read into one reused RowOut (no object per fact), facts go to the store in
// batches (`batchSize`; by default 10,000 on PGlite, 50,000 on a server) through a FactWriter
// that writes one batch while the next is being read, and nothing else is kept per row except
// 16 bytes of hash for duplicate detection (key-set.ts).
// If any row is rejected the batches already sent are rolled back with the transaction (a typed
// error thrown inside `db.transaction` and caught outside), and no further batch is sent; the
// file is still read to the end so that the report lists every rejected row.
//
// Since every repeated key is rejected, the writer may INSERT without ON CONFLICT where the store
// holds no facts yet (fact-writer.ts; most of the speed of a first import). On a server another
// session could write into such a range meanwhile: the file is then imported once more, upserting
// every batch (a stream, which cannot be read twice, is always upserted on a server).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { ErrorCode, type ErrorOptions, UserError } from '../errors.ts';
import { BUILT_IN_CHANNELS, type ChannelVocabulary } from '../kpi/channels.ts';
import type { DateRange } from '../kpi/types.ts';
import type { Db } from '../store/db.ts';
import { ConcurrentWriteError, createFactWriter, type FactWriter } from '../store/fact-writer.ts';
import { conflictBackoffMs, DEFAULT_ATTEMPTS, isRetryableConflict } from '../store/retry.ts';
import { ChannelLabels, type ChannelReport } from './channel-labels.ts';
import { CsvSyntaxError, CsvTokenizer } from './csv.ts';
import { DATE_FORMATS } from './dates.ts';
import { HEAD_BYTES, TextDecoding } from './decode.ts';
import { longFormat, recordsFormat, wideFormat } from './formats.ts';
import {
  describeZodError,
  dimensionValueSchema,
  findMapping,
  type Mapping,
  MappingError,
  mappingSchema,
  parseMapSpec,
} from './mapping.ts';
import { type RowPlan, type RowTally, RowValidation } from './rows.ts';
import {
  DELIMITERS,
  type Delimiter,
  ENCODINGS,
  type Encoding,
  excelSepLine,
  sniffDelimiter,
} from './sniff.ts';

export type { Rejection } from './formats.ts';
export { MAX_LISTED_REJECTIONS } from './rows.ts';

/** Rejections listed in full in the report; the rest are only counted. */
/** Data rows looked at to sniff the decimal separator and the date format. */
/** Bytes of the file's head used to sniff encoding and delimiter. */
/** Rows before the header (titles, GA4's "# …" lines) looked through before giving up. */
const PROGRESS_EVERY_ROWS = 1_000;

export const importOptionsSchema = z.strictObject({
  /** A mapping's name (built-in, or from `mappings`) or a mapping itself. Default: long format. */
  mapping: z.union([z.string().min(1), mappingSchema]).optional(),
  /** `--map "Day=date,Cost=ad_spend"`: an ad-hoc wide mapping. */
  map: z.string().min(1).optional(),
  /** Mappings from the configuration (`mappings:` in kpibot.config.yml), by name. */
  mappings: z.record(z.string(), mappingSchema).optional(),
  /** The channel vocabulary (default: the built-in one): channels are stored canonical. */
  channels: z
    .custom<ChannelVocabulary>(
      (v) => typeof v === 'object' && v !== null && 'byKey' in v && 'channels' in v,
      'a channel vocabulary (src/kpi/channels.ts)',
    )
    .optional(),
  /** Channel / campaign for rows that have none (overrides the mapping's default). */
  channel: dimensionValueSchema.optional(),
  campaign: dimensionValueSchema.optional(),
  /** The day of a records file's facts (`--date`). */
  date: z.iso.date().optional(),
  dateFormat: z.enum(DATE_FORMATS).optional(),
  decimal: z.enum([',', '.']).optional(),
  delimiter: z.enum(DELIMITERS).optional(),
  encoding: z.enum(ENCODINGS).optional(),
  /** Validate and report, write nothing. */
  dryRun: z.boolean().optional(),
  /** Recorded with each fact and in freshness. Default 'import'. */
  source: z.string().min(1).max(100).optional(),
  batchSize: z.number().int().min(1).max(100_000).optional(),
});

export type ImportOptions = z.input<typeof importOptionsSchema>;

export interface ImportProgress {
  /** Data rows processed so far. */
  rows: number;
  /** Bytes read from the file so far. */
  bytes: number;
  /** The file's size, when known (a path, not a stream). */
  totalBytes?: number;
}

/** What an import did; the row counts come from the validate stage (rows.ts). */
export interface ImportReport extends RowTally {
  /** The file's name (its base name for a path). */
  file: string;
  /** True when the file was imported (or, in a dry run, would be): no rejection. */
  ok: boolean;
  dryRun: boolean;
  /** Mapping name: a built-in's or configured one's, `--map`, or undefined for long format. */
  mapping?: string;
  encoding: Encoding;
  /** True when the encoding was guessed (no BOM and not valid UTF-8: Windows-1252). */
  encodingGuessed: boolean;
  delimiter: Delimiter;
  /** Facts written to the store: factsValid on success, 0 on rejection or in a dry run. */
  factsWritten: number;
  /** Measures with at least one valid fact, sorted. */
  measures: string[];
  /** First and last day among the valid facts, or null. */
  dateRange: DateRange | null;
  /** Channels stored under their canonical name, and the ones the vocabulary does not know. */
  channels: ChannelReport;
}

/** Options or I/O that make the import impossible to start (the CLI prints the message). */
export class ImportError extends UserError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super(ErrorCode.Import, message, opts);
  }
}

/** Thrown inside the transaction to roll it back; carries the report out. */
class ImportRejected extends Error {
  constructor(readonly report: ImportReport) {
    super(`import rejected: ${report.rejectedTotal} problems`);
  }
}

/** A file by its path, or a stream with the file's name (for the report). */
export type ImportInput = { path: string } | { stream: Readable; name: string };

/**
 * Imports one CSV file: everything or nothing, in one transaction. Resolves to a report (with
 * `ok: false` and the rejected rows when the file is rejected; the store is then unchanged);
 * throws ImportError for unusable options or an unreadable file.
 */
export async function importCsv(
  db: Db,
  input: ImportInput,
  options: ImportOptions,
  progress?: (p: ImportProgress) => void,
): Promise<ImportReport> {
  const parsed = importOptionsSchema.safeParse(options);
  if (!parsed.success)
    throw new ImportError(`Invalid import options: ${describeZodError(parsed.error)}`);
  const opts = parsed.data;
  const plan = planFormat(opts);

  // PGlite is one connection: nothing else writes during the transaction.
  let insertNew = db.dialect === 'pglite' || 'path' in input;
  let attempt = 0;
  for (;;) {
    attempt++;
    const source = await openInput(input);
    try {
      if (opts.dryRun) return await run(undefined, plan, source, opts, progress, false);
      return await db.transaction(async (tx) => {
        const report = await run(tx, plan, source, opts, progress, insertNew);
        if (!report.ok) throw new ImportRejected(report);
        return report;
      });
    } catch (err) {
      if (err instanceof ImportRejected) return err.report;
      if (err instanceof ConcurrentWriteError && insertNew) {
        insertNew = false; // the transaction was rolled back: once more, upserting
        continue;
      }
      // A deadlock with another writer (retry.ts): a file can be read again, a stream cannot.
      if (isRetryableConflict(err) && 'path' in input && attempt < DEFAULT_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, conflictBackoffMs(attempt)));
        continue;
      }
      throw err;
    } finally {
      source.stream.destroy();
    }
  }
}

interface Plan extends RowPlan {
  format: ImportReport['format'];
  mappingName?: string;
  channels: ChannelLabels;
}

type ParsedOptions = z.output<typeof importOptionsSchema>;

function planFormat(opts: ParsedOptions): Plan {
  if (opts.map !== undefined && opts.mapping !== undefined) {
    throw new ImportError('Use either --map or --mapping, not both.');
  }
  let mapping: Mapping | undefined;
  let mappingName: string | undefined;
  try {
    if (opts.map !== undefined) {
      mapping = parseMapSpec(opts.map);
      mappingName = '--map';
    } else if (typeof opts.mapping === 'string') {
      mapping = findMapping(opts.mapping, opts.mappings);
      mappingName = opts.mapping;
    } else if (opts.mapping !== undefined) {
      mapping = opts.mapping;
      mappingName = 'custom';
    }
  } catch (err) {
    if (err instanceof MappingError) throw new ImportError(err.message);
    throw err;
  }
  const channels = new ChannelLabels(opts.channels ?? BUILT_IN_CHANNELS);
  const defaults = { channels, channel: opts.channel, campaign: opts.campaign, date: opts.date };
  if (mapping === undefined) {
    return {
      format: 'long',
      channels,
      matcher: longFormat(defaults),
      expected: 'a header date,measure,value[,channel][,campaign]',
      decimal: opts.decimal,
      dateFormat: opts.dateFormat,
    };
  }
  if (mapping.format === 'records') {
    if ((opts.date ?? mapping.date) === undefined) {
      throw new ImportError(
        `The ${mappingName} mapping turns one row per customer into facts for one day: pass --date YYYY-MM-DD (the first day of the month the file describes).`,
      );
    }
    return {
      format: 'records',
      mappingName,
      channels,
      matcher: recordsFormat(mapping, defaults),
      expected: `the columns ${recordsColumns(mapping).join(', ')}`,
      decimal: opts.decimal ?? mapping.decimal,
    };
  }
  const dateColumns = Object.entries(mapping.columns)
    .filter(([, t]) => t === 'date')
    .map(([c]) => `"${c}"`);
  return {
    format: 'wide',
    mappingName,
    channels,
    matcher: wideFormat(mapping, defaults),
    expected: `a header with the date column ${dateColumns.join(' or ')}`,
    decimal: opts.decimal ?? mapping.decimal,
    dateFormat: opts.dateFormat ?? mapping.dateFormat,
  };
}

function recordsColumns(m: Extract<Mapping, { format: 'records' }>): string[] {
  const cols = new Set<string>();
  if (m.channelColumn) cols.add(m.channelColumn);
  if (m.campaignColumn) cols.add(m.campaignColumn);
  for (const agg of Object.values(m.measures)) {
    if ('sum' in agg) cols.add(agg.sum);
    if (agg.where) cols.add(agg.where.column);
  }
  return [...cols];
}

interface Source {
  name: string;
  stream: Readable;
  totalBytes?: number;
}

/** The size of the file to import at `path`; ImportError when it is not a readable file. */
export async function importFileSize(path: string): Promise<number> {
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new ImportError(`${path} is not a file`);
    return s.size;
  } catch (err) {
    if (err instanceof ImportError) throw err;
    throw new ImportError(
      `Cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

async function openInput(input: ImportInput): Promise<Source> {
  if ('stream' in input) return { name: input.name, stream: input.stream };
  const totalBytes = await importFileSize(input.path);
  return {
    name: basename(input.path),
    stream: createReadStream(input.path, { highWaterMark: HEAD_BYTES }),
    totalBytes,
  };
}

async function run(
  tx: Db | undefined,
  plan: Plan,
  source: Source,
  opts: ParsedOptions,
  progress: ((p: ImportProgress) => void) | undefined,
  insertNew: boolean,
): Promise<ImportReport> {
  const report: ImportReport = {
    file: source.name,
    ok: false,
    dryRun: opts.dryRun ?? false,
    format: plan.format,
    mapping: plan.mappingName,
    encoding: 'utf-8',
    encodingGuessed: false,
    delimiter: ',',
    rowsRead: 0,
    rowsSkipped: 0,
    factsValid: 0,
    factsWritten: 0,
    rejected: [],
    rejectedTotal: 0,
    rejectedRows: 0,
    measures: [],
    dateRange: null,
    channels: plan.channels.report,
  };
  // Write stage: batches into the caller's transaction (none in a dry run).
  const writer: FactWriter | undefined = tx
    ? createFactWriter(tx, {
        source: opts.source ?? 'import',
        batchSize: opts.batchSize,
        uniqueKeys: true,
        insertNew,
        bulk: true,
      })
    : undefined;
  // Decode stage: the head decides the encoding, then the delimiter.
  const chunks = source.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const { decoding, head } = await TextDecoding.open(chunks, opts.encoding);
  // Validate stage: records → checked facts, into the writer while nothing is rejected.
  const rows = new RowValidation(
    plan,
    report,
    writer && ((m, day, channel, campaign, value) => writer.add(m, day, channel, campaign, value)),
    progress &&
      ((n) => {
        if (n % PROGRESS_EVERY_ROWS === 0) {
          progress({ rows: n, bytes: decoding.bytes, totalBytes: source.totalBytes });
        }
      }),
  );
  report.encoding = decoding.encoding;
  report.encodingGuessed = decoding.guessed;
  const finish = (): ImportReport => {
    report.ok = report.rejectedTotal === 0;
    if (!report.ok || tx === undefined) report.factsWritten = 0;
    report.measures = [...rows.measures].sort();
    report.dateRange =
      rows.minDay !== undefined && rows.maxDay !== undefined
        ? { start: rows.minDay, end: rows.maxDay }
        : null;
    progress?.({ rows: report.rowsRead, bytes: decoding.bytes, totalBytes: source.totalBytes });
    return report;
  };
  if (head === undefined) {
    rows.reject(decoding.notDecodable(1));
    return finish();
  }
  const sep = excelSepLine(head);
  const headText = sep ? head.slice(sep.length) : head;
  report.delimiter = opts.delimiter ?? sep?.delimiter ?? sniffDelimiter(headText);

  // Parse stage: text → records, each handed to the validate stage.
  const csv = new CsvTokenizer(report.delimiter, sep ? 2 : 1);
  /** The records of the text pushed so far; false when reading should stop. */
  const drain = async (): Promise<boolean> => {
    for (;;) {
      const record = csv.next();
      if (record === undefined) return true;
      if (!rows.onRecord(record, csv.recordLine)) return false;
      if (rows.writing && writer?.full) await writer.flush();
    }
  };

  try {
    let stopped = false;
    try {
      csv.push(headText);
      let reading = await drain();
      while (reading) {
        const text = await decoding.next();
        if (text === undefined) break;
        csv.push(text);
        reading = await drain();
      }
      if (reading && decoding.failedAt === undefined) {
        const rest = decoding.rest();
        if (rest !== undefined) {
          csv.push(rest);
          csv.end();
          await drain();
        }
      }
      if (decoding.failedAt !== undefined) {
        rows.reject(decoding.notDecodable(csv.lastLine + 1));
        stopped = true;
      }
    } catch (err) {
      if (!(err instanceof CsvSyntaxError)) throw err;
      rows.reject({ line: err.line, reason: `CSV syntax: ${err.message}` });
      stopped = true;
    }
    if (!stopped && !rows.headerRejected) rows.end(csv.lastLine);
    if (writer !== undefined) {
      if (report.rejectedTotal === 0) report.factsWritten = (await writer.finish()).written;
      else await writer.abandon();
    }
  } catch (err) {
    await writer?.abandon();
    throw err;
  }
  return finish();
}
