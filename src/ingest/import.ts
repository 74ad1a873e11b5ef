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
import type { DateRange, IsoDate } from '../kpi/types.ts';
import type { Db } from '../store/db.ts';
import { ConcurrentWriteError, createFactWriter, type FactWriter } from '../store/fact-writer.ts';
import { conflictBackoffMs, DEFAULT_ATTEMPTS, isRetryableConflict } from '../store/retry.ts';
import { CsvSyntaxError, CsvTokenizer } from './csv.ts';
import { DATE_FORMATS, type DateFormat, sniffDateFormat } from './dates.ts';
import {
  type FormatHandler,
  type HeaderMatcher,
  longFormat,
  type Rejection,
  RowOut,
  recordsFormat,
  wideFormat,
} from './formats.ts';
import { KeySet } from './key-set.ts';
import {
  describeZodError,
  dimensionValueSchema,
  findMapping,
  type Mapping,
  MappingError,
  mappingSchema,
  parseMapSpec,
} from './mapping.ts';
import { type DecimalSeparator, sniffDecimal } from './numbers.ts';
import {
  DELIMITERS,
  type Delimiter,
  ENCODINGS,
  type Encoding,
  excelSepLine,
  sniffDelimiter,
  sniffEncoding,
} from './sniff.ts';

export type { Rejection } from './formats.ts';

/** Rejections listed in full in the report; the rest are only counted. */
export const MAX_LISTED_REJECTIONS = 50;
/** Data rows looked at to sniff the decimal separator and the date format. */
const SAMPLE_ROWS = 2_000;
/** Bytes of the file's head used to sniff encoding and delimiter. */
const HEAD_BYTES = 64 * 1024;
/** Rows before the header (titles, GA4's "# …" lines) looked through before giving up. */
const MAX_PREAMBLE_ROWS = 50;
const PROGRESS_EVERY_ROWS = 1_000;

export const importOptionsSchema = z.strictObject({
  /** A mapping's name (built-in, or from `mappings`) or a mapping itself. Default: long format. */
  mapping: z.union([z.string().min(1), mappingSchema]).optional(),
  /** `--map "Day=date,Cost=ad_spend"`: an ad-hoc wide mapping. */
  map: z.string().min(1).optional(),
  /** Mappings from the configuration (`mappings:` in kpibot.config.yml), by name. */
  mappings: z.record(z.string(), mappingSchema).optional(),
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

export interface ImportReport {
  /** The file's name (its base name for a path). */
  file: string;
  /** True when the file was imported (or, in a dry run, would be): no rejection. */
  ok: boolean;
  dryRun: boolean;
  format: 'long' | 'wide' | 'records';
  /** Mapping name: a built-in's or configured one's, `--map`, or undefined for long format. */
  mapping?: string;
  encoding: Encoding;
  /** True when the encoding was guessed (no BOM and not valid UTF-8: Windows-1252). */
  encodingGuessed: boolean;
  delimiter: Delimiter;
  /** The decimal separator used for ambiguous numbers (given or sniffed), if any was needed. */
  decimal?: DecimalSeparator;
  /** The forced or sniffed date format; undefined: each date read on its own. */
  dateFormat?: DateFormat;
  /** Data rows after the header (skipped ones included). */
  rowsRead: number;
  /** Rows skipped on purpose (totals rows, rows without any value). */
  rowsSkipped: number;
  /** Facts that passed validation (what was, or would be, written). */
  factsValid: number;
  /** Facts written to the store: factsValid on success, 0 on rejection or in a dry run. */
  factsWritten: number;
  /** The first MAX_LISTED_REJECTIONS rejections, in file order. */
  rejected: Rejection[];
  /** All rejections (one row can have several). */
  rejectedTotal: number;
  /** Rows with at least one rejection. */
  rejectedRows: number;
  /** Measures with at least one valid fact, sorted. */
  measures: string[];
  /** First and last day among the valid facts, or null. */
  dateRange: DateRange | null;
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

interface Plan {
  format: ImportReport['format'];
  mappingName?: string;
  matcher: HeaderMatcher;
  /** What the header must contain, for the "no header found" message. */
  expected: string;
  decimal?: DecimalSeparator;
  dateFormat?: DateFormat;
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
  const defaults = { channel: opts.channel, campaign: opts.campaign, date: opts.date };
  if (mapping === undefined) {
    return {
      format: 'long',
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
  };
  const reject = (r: Rejection) => {
    if (report.rejected.length < MAX_LISTED_REJECTIONS) report.rejected.push(r);
    report.rejectedTotal++;
  };

  const measures = new Set<string>();
  let minDay: IsoDate | undefined;
  let maxDay: IsoDate | undefined;

  // Head: encoding and delimiter.
  const chunks = source.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < HEAD_BYTES) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    const buf = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    head.push(buf);
    headBytes += buf.length;
  }
  const headBuf = Buffer.concat(head);
  const guess = opts.encoding
    ? { encoding: opts.encoding, guessed: false }
    : sniffEncoding(headBuf);
  report.encoding = guess.encoding;
  report.encodingGuessed = guess.guessed;
  // TextDecoder drops a UTF-8/UTF-16 byte-order mark itself (ignoreBOM: false).
  const decoder = new TextDecoder(guess.encoding, { fatal: guess.encoding !== 'windows-1252' });
  let bytes = 0;
  let decodeFailedAt: number | undefined;
  /** Decodes the bytes at `offset`; undefined (and decodeFailedAt set) on invalid input. */
  const decode = (buf: Buffer, offset: number, stream: boolean): string | undefined => {
    try {
      return decoder.decode(buf, { stream });
    } catch {
      decodeFailedAt = offset;
      return undefined;
    }
  };
  const notDecodable = (line: number): Rejection => ({
    line,
    reason: `the file is not valid ${guess.encoding.toUpperCase()} (from byte ${(decodeFailedAt ?? 0).toLocaleString('en-US')} on): save it as "CSV UTF-8", or pass --encoding windows-1252`,
  });
  let headText = decode(headBuf, 0, !ended);
  if (headText === undefined) {
    reject(notDecodable(1));
    return finish();
  }
  const sep = excelSepLine(headText);
  if (sep) headText = headText.slice(sep.length);
  report.delimiter = opts.delimiter ?? sep?.delimiter ?? sniffDelimiter(headText);
  bytes = headBytes;
  const csv = new CsvTokenizer(report.delimiter, sep ? 2 : 1);

  let handler: FormatHandler | undefined;
  let preamble = 0;
  let firstRow: readonly string[] | undefined;
  const sample: Array<{ cells: string[]; line: number }> = [];
  let configured = false;
  const seen = new KeySet();
  const out = new RowOut();
  let stopped = false;
  const writer: FactWriter | undefined = tx
    ? createFactWriter(tx, {
        source: opts.source ?? 'import',
        batchSize: opts.batchSize,
        uniqueKeys: true,
        insertNew,
        bulk: true,
      })
    : undefined;
  const writing = () => writer !== undefined && report.rejectedTotal === 0;

  const accept = (
    day: IsoDate,
    channel: string,
    campaign: string,
    count: number,
    measureAt: (i: number) => string,
    valueAt: (i: number) => number,
  ) => {
    if (count === 0) return;
    report.factsValid += count;
    if (minDay === undefined || day < minDay) minDay = day;
    if (maxDay === undefined || day > maxDay) maxDay = day;
    const write = writing();
    for (let i = 0; i < count; i++) {
      const measure = measureAt(i);
      measures.add(measure);
      if (write) writer!.add(measure, day, channel, campaign, valueAt(i));
    }
  };
  const measureOut = (i: number) => out.measures[i]!;
  const valueOut = (i: number) => out.values[i]!;

  const processRow = (cells: string[], line: number) => {
    const h = handler!;
    report.rowsRead++;
    const kind = h.row(cells, line, out);
    if (kind === 'skip') {
      report.rowsSkipped++;
    } else if (kind === 'rejected') {
      report.rejectedRows++;
      for (const r of out.rejections) reject(r);
    } else if (out.key !== undefined && !seen.add(out.key)) {
      report.rejectedRows++;
      reject({
        line,
        reason: `repeats ${h.describeKey(out.key)} of an earlier row; the export probably has another breakdown (device, network, source…): remove it, or sum those rows first`,
      });
    } else {
      accept(out.day, out.channel, out.campaign, out.count, measureOut, valueOut);
    }
    if (progress && report.rowsRead % PROGRESS_EVERY_ROWS === 0) {
      progress({ rows: report.rowsRead, bytes, totalBytes: source.totalBytes });
    }
  };

  const configure = () => {
    const h = handler!;
    const decimal =
      plan.decimal ??
      sniffDecimal(sample.flatMap((r) => h.numberColumns.map((i) => r.cells[i] ?? '')));
    const dateFormat =
      plan.dateFormat ??
      sniffDateFormat(sample.flatMap((r) => h.dateColumns.map((i) => r.cells[i] ?? '')));
    report.decimal = decimal;
    report.dateFormat = dateFormat;
    h.configure({ decimal, dateFormat });
    configured = true;
    for (const r of sample.splice(0)) processRow(r.cells, r.line);
  };

  /** One record; false when reading should stop. */
  const onRecord = (record: string[], line: number): boolean => {
    if (isBlank(record)) return true;
    if (handler === undefined) {
      firstRow ??= record;
      const matched = plan.matcher(record, line);
      if (matched === null) return ++preamble <= MAX_PREAMBLE_ROWS;
      if ('problems' in matched) {
        for (const p of matched.problems) reject(p);
        stopped = true;
        return false;
      }
      handler = matched;
      report.format = handler.kind;
      return true;
    }
    if (!configured) {
      sample.push({ cells: record, line });
      if (sample.length >= SAMPLE_ROWS) configure();
      return true;
    }
    processRow(record, line);
    return true;
  };

  /** The records of the text pushed so far; false when reading should stop. */
  const drain = async (): Promise<boolean> => {
    for (;;) {
      const record = csv.next();
      if (record === undefined) return true;
      if (!onRecord(record, csv.recordLine)) return false;
      if (writing() && writer!.full) await writer!.flush();
    }
  };

  try {
    try {
      csv.push(headText);
      let reading = await drain();
      while (reading && !ended) {
        const next = await chunks.next();
        if (next.done) break;
        const buf = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
        const text = decode(buf, bytes, true);
        bytes += buf.length;
        if (text === undefined) break;
        csv.push(text);
        reading = await drain();
      }
      if (reading && decodeFailedAt === undefined) {
        const rest = decode(Buffer.alloc(0), bytes, false);
        if (rest !== undefined) {
          csv.push(rest);
          csv.end();
          await drain();
        }
      }
      if (decodeFailedAt !== undefined) {
        reject(notDecodable(csv.lastLine + 1));
        stopped = true;
      }
    } catch (err) {
      if (!(err instanceof CsvSyntaxError)) throw err;
      reject({ line: err.line, reason: `CSV syntax: ${err.message}` });
      stopped = true;
    }

    if (handler === undefined && !stopped) {
      const seenColumns = firstRow
        ? `; the first row has: ${firstRow.slice(0, 12).join(', ')}`
        : '';
      reject({
        line: 1,
        reason:
          firstRow === undefined
            ? 'the file is empty'
            : `no header row found: expected ${plan.expected}${seenColumns}`,
      });
    }
    if (handler !== undefined && !stopped) {
      if (!configured) configure();
      for (const f of handler.finish()) {
        accept(
          f.day,
          f.channel,
          f.campaign,
          1,
          () => f.measure,
          () => f.value,
        );
      }
      if (report.rowsRead === 0) {
        reject({ line: csv.lastLine, reason: 'the file has a header but no data rows' });
      }
    }
    if (writer !== undefined) {
      if (report.rejectedTotal === 0) report.factsWritten = (await writer.finish()).written;
      else await writer.abandon();
    }
  } catch (err) {
    await writer?.abandon();
    throw err;
  }
  return finish();

  function finish(): ImportReport {
    report.ok = report.rejectedTotal === 0;
    if (!report.ok || tx === undefined) report.factsWritten = 0;
    report.measures = [...measures].sort();
    report.dateRange =
      minDay !== undefined && maxDay !== undefined ? { start: minDay, end: maxDay } : null;
    progress?.({ rows: report.rowsRead, bytes, totalBytes: source.totalBytes });
    return report;
  }
}

/** A record with nothing but blanks (an empty line, or only delimiters and spaces). */
function isBlank(cells: readonly string[]): boolean {
  for (const cell of cells) {
    const c = cell.charCodeAt(0);
    if (c > 32 && c < 127) return false; // visible ASCII first: not blank, no trim needed
    if (cell.length > 0 && cell.trim() !== '') return false;
  }
  return true;
}
