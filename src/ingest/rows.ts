// The validate stage of an import: records (from csv.ts) → checked facts. The first records
// that match the plan's header choose the format handler; the next SAMPLE_ROWS rows decide the
// decimal separator and the date format where the plan leaves them open; then each row is read
// into one reused RowOut, repeated keys are rejected (key-set.ts), and each valid fact goes to
// the write stage while no row has been rejected.
import type { IsoDate } from '../kpi/types.ts';
import type { ChannelLabels } from './channel-labels.ts';
import { type DateFormat, sniffDateFormat } from './dates.ts';
import { type FormatHandler, type HeaderMatcher, type Rejection, RowOut } from './formats.ts';
import { KeySet } from './key-set.ts';
import { type DecimalSeparator, sniffDecimal } from './numbers.ts';

export const MAX_LISTED_REJECTIONS = 50;
const SAMPLE_ROWS = 2_000;
const MAX_PREAMBLE_ROWS = 50;

/** How to read the rows: the header to look for and any number or date format forced. */
export interface RowPlan {
  matcher: HeaderMatcher;
  /** What the header must contain, for the "no header found" message. */
  expected: string;
  decimal?: DecimalSeparator;
  dateFormat?: DateFormat;
  /** Where channels get their stored names; a duplicate's reason names the values merged. */
  channels?: ChannelLabels;
}

/** What the rows came to, counted as they are read (the import's report holds these). */
export interface RowTally {
  format: 'long' | 'wide' | 'records';
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
  /** The first MAX_LISTED_REJECTIONS rejections, in file order. */
  rejected: Rejection[];
  /** All rejections (one row can have several). */
  rejectedTotal: number;
  /** Rows with at least one rejection. */
  rejectedRows: number;
}

/** Where valid facts go (the write stage). */
export type FactSink = (
  measure: string,
  day: IsoDate,
  channel: string,
  campaign: string,
  value: number,
) => void;

export class RowValidation {
  /** Measures with at least one valid fact. */
  readonly measures = new Set<string>();
  minDay: IsoDate | undefined;
  maxDay: IsoDate | undefined;
  /** The header was found but cannot be used: the rest of the file means nothing. */
  headerRejected = false;
  private handler: FormatHandler | undefined;
  private preamble = 0;
  private firstRow: readonly string[] | undefined;
  private readonly sample: Array<{ cells: string[]; line: number }> = [];
  private configured = false;
  private readonly seen = new KeySet();
  private readonly out = new RowOut();

  constructor(
    private readonly plan: RowPlan,
    private readonly tally: RowTally,
    /** Valid facts go here while nothing has been rejected; absent in a dry run. */
    private readonly sink: FactSink | undefined,
    /** Told after each data row, with the rows read so far (progress). */
    private readonly onRow?: (rowsRead: number) => void,
  ) {}

  /** True while valid facts are still written (no rejection so far). */
  get writing(): boolean {
    return this.sink !== undefined && this.tally.rejectedTotal === 0;
  }

  reject(r: Rejection): void {
    if (this.tally.rejected.length < MAX_LISTED_REJECTIONS) this.tally.rejected.push(r);
    this.tally.rejectedTotal++;
  }

  /** One record; false when reading should stop (the header cannot be used). */
  onRecord(record: string[], line: number): boolean {
    if (isBlank(record)) return true;
    if (this.handler === undefined) {
      this.firstRow ??= record;
      const matched = this.plan.matcher(record, line);
      if (matched === null) return ++this.preamble <= MAX_PREAMBLE_ROWS;
      if ('problems' in matched) {
        for (const p of matched.problems) this.reject(p);
        this.headerRejected = true;
        return false;
      }
      this.handler = matched;
      this.tally.format = matched.kind;
      return true;
    }
    if (!this.configured) {
      this.sample.push({ cells: record, line });
      if (this.sample.length >= SAMPLE_ROWS) this.configure(this.handler);
      return true;
    }
    this.row(this.handler, record, line);
    return true;
  }

  /** The end of a file read to its end: the header missing, the last facts, no data rows. */
  end(lastLine: number): void {
    const h = this.handler;
    if (h === undefined) {
      const seenColumns = this.firstRow
        ? `; the first row has: ${this.firstRow.slice(0, 12).join(', ')}`
        : '';
      this.reject({
        line: 1,
        reason:
          this.firstRow === undefined
            ? 'the file is empty'
            : `no header row found: expected ${this.plan.expected}${seenColumns}`,
      });
      return;
    }
    if (!this.configured) this.configure(h);
    for (const f of h.finish()) {
      this.accept(
        f.day,
        f.channel,
        f.campaign,
        1,
        () => f.measure,
        () => f.value,
      );
    }
    if (this.tally.rowsRead === 0) {
      this.reject({ line: lastLine, reason: 'the file has a header but no data rows' });
    }
  }

  private configure(h: FormatHandler): void {
    const { sample } = this;
    const decimal =
      this.plan.decimal ??
      sniffDecimal(sample.flatMap((r) => h.numberColumns.map((i) => r.cells[i] ?? '')));
    const dateFormat =
      this.plan.dateFormat ??
      sniffDateFormat(sample.flatMap((r) => h.dateColumns.map((i) => r.cells[i] ?? '')));
    this.tally.decimal = decimal;
    this.tally.dateFormat = dateFormat;
    h.configure({ decimal, dateFormat });
    this.configured = true;
    for (const r of sample.splice(0)) this.row(h, r.cells, r.line);
  }

  private row(h: FormatHandler, cells: string[], line: number): void {
    const { out, tally } = this;
    tally.rowsRead++;
    const kind = h.row(cells, line, out);
    if (kind === 'skip') {
      tally.rowsSkipped++;
    } else if (kind === 'rejected') {
      tally.rejectedRows++;
      for (const r of out.rejections) this.reject(r);
    } else if (out.key !== undefined && !this.seen.add(out.key)) {
      tally.rejectedRows++;
      const names = this.plan.channels?.namesOf(out.channel) ?? [];
      const why =
        names.length > 1
          ? `${names.map((n) => `"${n}"`).join(' and ')} are one channel, ${out.channel}: sum those rows first, or give one of them a channel of its own under channels: in kpibot.config.yml`
          : 'the export probably has another breakdown (device, network, source…): remove it, or sum those rows first';
      this.reject({ line, reason: `repeats ${h.describeKey(out.key)} of an earlier row; ${why}` });
    } else {
      this.accept(out.day, out.channel, out.campaign, out.count, this.measureOut, this.valueOut);
    }
    this.onRow?.(tally.rowsRead);
  }

  private readonly measureOut = (i: number) => this.out.measures[i] ?? '';
  private readonly valueOut = (i: number) => this.out.values[i] ?? Number.NaN;

  private accept(
    day: IsoDate,
    channel: string,
    campaign: string,
    count: number,
    measureAt: (i: number) => string,
    valueAt: (i: number) => number,
  ): void {
    if (count === 0) return;
    this.tally.factsValid += count;
    if (this.minDay === undefined || day < this.minDay) this.minDay = day;
    if (this.maxDay === undefined || day > this.maxDay) this.maxDay = day;
    const sink = this.writing ? this.sink : undefined;
    for (let i = 0; i < count; i++) {
      const measure = measureAt(i);
      this.measures.add(measure);
      sink?.(measure, day, channel, campaign, valueAt(i));
    }
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
