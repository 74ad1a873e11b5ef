// Writing many facts fast: column batches sent as a few delimited strings, a plain INSERT where
// the store has nothing yet, the next batch filled while the database writes the last one.
//
// What the time goes to, measured on 1,000,000 facts (PGlite; the server is alike): an upsert
// (INSERT … ON CONFLICT DO UPDATE) costs ~1.6× a plain INSERT of the same rows (speculative
// insertion: an extra index probe and WAL record per row), and pg/PGlite turning JS arrays into
// array literals costs about as much as parsing the CSV. So:
//   - each column of a batch goes as one string joined by U+001F and is split by the database
//     (string_to_array): no per-element quoting in JS;
//   - with `insertNew`, a batch whose (measure, day range) holds no facts yet is INSERTed without
//     ON CONFLICT; a batch that touches existing facts is upserted as always. With `uniqueKeys`
//     (the importer has rejected every repeated key), ranges this writer has filled itself are
//     not checked again, so a date-sorted file never falls back to the upsert;
//   - `flush()` hands the batch over and returns once the previous one is written: on a server
//     the next batch is parsed while the database inserts this one.
// Each batch first locks its (measure, year)s (fact-locks.ts), so on a server no other writer of
// this version inserts into a range found empty before this transaction ends. One that does not
// take those locks (an older replica during a rolling upgrade) still can: the plain INSERT then
// fails on the primary key, and the writer throws ConcurrentWriteError (the caller's transaction
// is lost; the importer runs the file again in upsert mode). PGlite is one connection: nothing
// else writes while a transaction holds it.
import type { IsoDate } from '../kpi/types.ts';
import type { Db } from './db.ts';
import { type DayRange, dayRanges, lockFactRanges } from './fact-locks.ts';
import { DEFER_DAILY_TOTALS } from './migrations.ts';

/**
 * Facts per statement by default. A server: 50,000 (a round trip per 50,000 facts; measured a
 * little faster than 20,000). PGlite: 10,000, since its memory is this process's: on a
 * million-row import 20,000 took ~3 % less CPU but its peak RSS varied 345–400 MB against
 * 343–358 MB (each batch's strings live long enough to be promoted in V8's heap, and two batches
 * are alive at a time: one being written, one filling).
 */
export function defaultBatchSize(dialect: Db['dialect']): number {
  return dialect === 'pglite' ? 10_000 : 50_000;
}

const SEP = '\u001f';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// The columns as set-returning functions in the select list (zipped row by row): measured a
// little faster than unnest(…) in FROM, which first copies every row into a tuplestore.
const INSERT_FROM_STRINGS = `
  insert into facts (measure, day, channel, campaign, value, source)
  select unnest(string_to_array($1, E'\\x1f')), unnest(string_to_array($2, E'\\x1f')::date[]),
         unnest(string_to_array($3, E'\\x1f')), unnest(string_to_array($4, E'\\x1f')),
         unnest(string_to_array($5, E'\\x1f')::float8[]), $6`;

/** The same from array parameters: for a batch whose texts contain U+001F, or of one fact. */
const INSERT_FROM_ARRAYS = `
  insert into facts (measure, day, channel, campaign, value, source)
  select unnest($1::text[]), unnest($2::date[]), unnest($3::text[]), unnest($4::text[]),
         unnest($5::float8[]), $6`;

const ON_CONFLICT = `
  on conflict (measure, day, channel, campaign) do update
    set value = excluded.value, source = excluded.source, updated_at = now()
    where (facts.value, facts.source) is distinct from (excluded.value, excluded.source)`;

const ANY_FACT_IN_RANGES = `
  select exists (
    select 1 from unnest($1::text[], $2::date[], $3::date[]) as r(measure, lo, hi)
    where exists (
      select 1 from facts f where f.measure = r.measure and f.day >= r.lo and f.day <= r.hi
    )
  ) as found`;

const UPSERT_FRESHNESS = `
  insert into measure_freshness (measure, source, last_day, last_written_at)
  select t.measure, $3, t.last_day, now()
  from unnest($1::text[], $2::date[]) as t(measure, last_day)
  order by t.measure
  on conflict (measure, source) do update
    set last_day = greatest(measure_freshness.last_day, excluded.last_day),
        last_written_at = excluded.last_written_at`;

const SET_DEFER_TOTALS = `select set_config('${DEFER_DAILY_TOTALS}', $1, true)`;

/** daily_totals made anew from facts for each measure's day range, in two set-based statements. */
const CLEAR_TOTALS = `
  delete from daily_totals d
  using unnest($1::text[], $2::date[], $3::date[]) as r(measure, lo, hi)
  where d.measure = r.measure and d.day >= r.lo and d.day <= r.hi`;
const FILL_TOTALS = `
  insert into daily_totals (measure, day, channel, total, n)
  select f.measure, f.day, f.channel, sum(f.value), count(*)
  from unnest($1::text[], $2::date[], $3::date[]) as r(measure, lo, hi)
  join facts f on f.measure = r.measure and f.day >= r.lo and f.day <= r.hi
  group by 1, 2, 3`;

const UPSERT_DIMENSION_VALUES = `
  insert into dimension_values (dimension, value)
  select t.dimension, t.value from unnest($1::text[], $2::text[]) as t(dimension, value)
  order by 1, 2
  on conflict do nothing`;

/** Dimension values remembered as already written; past this the memory starts afresh. */
const KNOWN_DIMENSIONS_MAX = 10_000;

export interface FactWriterOptions {
  /** Recorded per fact and in freshness. Default 'import'. */
  source?: string;
  /** Facts per statement. Default: defaultBatchSize(the store's dialect). */
  batchSize?: number;
  /**
   * The caller guarantees that no key (measure, day, channel, campaign) is given twice. Without
   * it a repeated key within a batch keeps its last value (and a later batch overwrites).
   */
  uniqueKeys?: boolean;
  /**
   * Insert a batch into an empty range without ON CONFLICT. Safe on PGlite; on a server only for
   * a caller that handles ConcurrentWriteError.
   */
  insertNew?: boolean;
  /**
   * A large write (an import, the demo data): the daily_totals triggers stand aside for this
   * transaction and finish() recomputes the totals once per measure and day range written, which
   * costs one pass over those facts instead of a lookup per key and batch. Not for small writes
   * of scattered days (a push of two facts a year apart would recompute the whole year).
   */
  bulk?: boolean;
}

/** A plain INSERT met a fact another session wrote meanwhile; the transaction is lost. */
export class ConcurrentWriteError extends Error {
  override name = 'ConcurrentWriteError';
}

export interface FactWriter {
  /** Adds one fact to the current batch. Throws RangeError on a non-finite value or a bad day. */
  add(measure: string, day: IsoDate, channel: string, campaign: string, value: number): void;
  /** True when the current batch has reached the batch size: call flush(). */
  readonly full: boolean;
  /**
   * Hands the current batch to the database and resolves once the previous batch is written
   * (so one batch is being written while the next one fills). Rejects with a write's error.
   */
  flush(): Promise<void>;
  /** Writes what is left and the freshness bookkeeping; resolves to the facts written. */
  finish(): Promise<{ written: number }>;
  /** Waits for a write in progress, ignoring its outcome, and sends nothing more. */
  abandon(): Promise<void>;
}

/** A writer of facts into `tx`, which must be a transaction (the caller's). */
export function createFactWriter(tx: Db, opts: FactWriterOptions = {}): FactWriter {
  return new BulkFactWriter(tx, opts);
}

class Batch {
  measure: string[] = [];
  day: string[] = [];
  channel: string[] = [];
  campaign: string[] = [];
  value: number[] = [];
  /** False when a text contains U+001F: the batch then goes as arrays. */
  joinable = true;
}

class BulkFactWriter implements FactWriter {
  private readonly source: string;
  private readonly batchSize: number;
  private readonly uniqueKeys: boolean;
  private readonly insertNew: boolean;
  private readonly bulk: boolean;
  /** Per measure, the day range written (bulk only: where daily_totals is recomputed). */
  private readonly touched = new Map<string, DayRange>();
  private deferring = false;
  private batch = new Batch();
  private inflight: Promise<void> = Promise.resolve();
  private stopped = false;
  private added = 0;
  private written = 0;
  /** Newest day written per measure: measure_freshness. */
  private readonly lastDays = new Map<string, IsoDate>();
  /** Per measure, a day range known to hold only facts this writer wrote (uniqueKeys only). */
  private readonly filled = new Map<string, DayRange>();
  /** Dimension values already written (up to KNOWN_DIMENSIONS_MAX each). */
  private readonly known = { channel: new Set<string>(), campaign: new Set<string>() };
  // Last texts checked for U+001F and last day checked as YYYY-MM-DD: rows repeat them.
  private okMeasure = '';
  private okChannel = '';
  private okCampaign = '';
  private okDay = '';

  constructor(
    private readonly tx: Db,
    opts: FactWriterOptions,
  ) {
    this.source = opts.source ?? 'import';
    this.batchSize = Math.max(1, opts.batchSize ?? defaultBatchSize(tx.dialect));
    this.uniqueKeys = opts.uniqueKeys ?? false;
    this.insertNew = opts.insertNew ?? false;
    this.bulk = opts.bulk ?? false;
  }

  get full(): boolean {
    return this.batch.measure.length >= this.batchSize;
  }

  add(measure: string, day: IsoDate, channel: string, campaign: string, value: number): void {
    const i = this.added++;
    if (!Number.isFinite(value)) {
      throw new RangeError(`Fact ${i} (${measure} ${day}): value ${value} is not a number`);
    }
    if (day !== this.okDay) {
      if (!ISO_DATE.test(day)) {
        throw new RangeError(`Fact ${i} (${measure}): day "${day}" is not YYYY-MM-DD`);
      }
      this.okDay = day;
    }
    const b = this.batch;
    if (measure !== this.okMeasure) {
      if (measure.includes(SEP)) b.joinable = false;
      else this.okMeasure = measure;
    }
    if (channel !== this.okChannel) {
      if (channel.includes(SEP)) b.joinable = false;
      else this.okChannel = channel;
    }
    if (campaign !== this.okCampaign) {
      if (campaign.includes(SEP)) b.joinable = false;
      else this.okCampaign = campaign;
    }
    b.measure.push(measure);
    b.day.push(day);
    b.channel.push(channel);
    b.campaign.push(campaign);
    b.value.push(value);
  }

  flush(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('fact writer: already finished'));
    const b = this.batch;
    if (b.measure.length === 0) return this.inflight;
    this.batch = new Batch();
    const prev = this.inflight;
    const next = prev.then(() => this.write(b));
    // Observed by the next flush(), finish() or abandon(); never an unhandled rejection.
    next.catch(() => {});
    this.inflight = next;
    return prev;
  }

  async finish(): Promise<{ written: number }> {
    await this.flush();
    await this.inflight;
    this.stopped = true;
    if (this.deferring) await this.recomputeTotals();
    if (this.lastDays.size > 0) {
      await this.tx.query(UPSERT_FRESHNESS, [
        [...this.lastDays.keys()],
        [...this.lastDays.values()],
        this.source,
      ]);
    }
    return { written: this.written };
  }

  async abandon(): Promise<void> {
    this.stopped = true;
    this.batch = new Batch();
    await this.inflight.catch(() => {});
    // The caller's transaction is normally rolled back now; should it go on, the triggers do
    // their work again (best effort: an aborted transaction refuses any statement).
    if (this.deferring) await this.tx.query(SET_DEFER_TOTALS, ['off']).catch(() => {});
  }

  private async recomputeTotals(): Promise<void> {
    await this.tx.query(SET_DEFER_TOTALS, ['off']);
    this.deferring = false;
    if (this.touched.size === 0) return;
    // The whole span of each measure is cleared and filled: lock the years between batches too.
    await lockFactRanges(this.tx, this.touched);
    const ranges = [...this.touched];
    const params = [
      ranges.map(([m]) => m),
      ranges.map(([, r]) => r.lo),
      ranges.map(([, r]) => r.hi),
    ];
    await this.tx.query(CLEAR_TOTALS, params);
    await this.tx.query(FILL_TOTALS, params);
  }

  private async write(input: Batch): Promise<void> {
    const b = this.uniqueKeys ? input : lastOccurrences(input);
    const n = b.measure.length;
    const ranges = dayRanges(b.measure, b.day);
    // Before looking for facts in the ranges: nobody else writes there until this one commits.
    await lockFactRanges(this.tx, ranges);
    const plain = this.insertNew && !(await this.anyFactIn(ranges));
    const params = [
      ...(b.joinable && n > 1
        ? [b.measure, b.day, b.channel, b.campaign, b.value].map((c) => c.join(SEP))
        : [b.measure, b.day, b.channel, b.campaign, b.value]),
      this.source,
    ];
    const insert = b.joinable && n > 1 ? INSERT_FROM_STRINGS : INSERT_FROM_ARRAYS;
    if (this.bulk && !this.deferring) {
      await this.tx.query(SET_DEFER_TOTALS, ['on']);
      this.deferring = true;
    }
    try {
      await this.tx.query(plain ? insert : `${insert}${ON_CONFLICT}`, params);
    } catch (err) {
      if (plain && isUniqueViolation(err)) {
        throw new ConcurrentWriteError(
          'another session wrote facts for the same measures and days meanwhile',
          { cause: err },
        );
      }
      throw err;
    }
    this.written += n;
    for (const [measure, r] of ranges) {
      const last = this.lastDays.get(measure);
      if (last === undefined || r.hi > last) this.lastDays.set(measure, r.hi);
      if (this.bulk) this.touched.set(measure, span(this.touched.get(measure), r));
      if (plain && this.uniqueKeys) this.filled.set(measure, widen(this.filled.get(measure), r));
    }
    await this.writeDimensions(b);
  }

  /** Whether the store has any fact inside the batch's ranges (outside the ranges filled here). */
  private async anyFactIn(ranges: ReadonlyMap<string, DayRange>): Promise<boolean> {
    const measures: string[] = [];
    const los: string[] = [];
    const his: string[] = [];
    for (const [measure, r] of ranges) {
      for (const piece of this.uniqueKeys ? outside(r, this.filled.get(measure)) : [r]) {
        measures.push(measure);
        los.push(piece.lo);
        his.push(piece.hi);
      }
    }
    if (measures.length === 0) return false;
    const rows = await this.tx.query<{ found: boolean }>(ANY_FACT_IN_RANGES, [measures, los, his]);
    return rows[0]?.found === true;
  }

  private async writeDimensions(b: Batch): Promise<void> {
    const dims: string[] = [];
    const values: string[] = [];
    const note = (dim: 'channel' | 'campaign', column: readonly string[]) => {
      let prev: string | undefined;
      for (const v of column) {
        if (v === prev) continue;
        prev = v;
        if (v === '') continue;
        const known = this.known[dim];
        if (known.has(v)) continue;
        if (known.size >= KNOWN_DIMENSIONS_MAX) known.clear();
        known.add(v);
        dims.push(dim);
        values.push(v);
      }
    };
    note('channel', b.channel);
    note('campaign', b.campaign);
    if (values.length > 0) await this.tx.query(UPSERT_DIMENSION_VALUES, [dims, values]);
  }
}

/** The batch with each key once, at its first position, holding its last value. */
function lastOccurrences(b: Batch): Batch {
  const out = new Batch();
  out.joinable = b.joinable;
  const seen = new Map<string, number>();
  for (let i = 0; i < b.measure.length; i++) {
    const key = `${b.measure[i]}\u0000${b.day[i]}\u0000${b.channel[i]}\u0000${b.campaign[i]}`;
    const at = seen.get(key);
    if (at !== undefined) {
      out.value[at] = b.value[i]!;
      continue;
    }
    seen.set(key, out.measure.length);
    out.measure.push(b.measure[i]!);
    out.day.push(b.day[i]!);
    out.channel.push(b.channel[i]!);
    out.campaign.push(b.campaign[i]!);
    out.value.push(b.value[i]!);
  }
  return out;
}

/** The parts of `r` outside `filled` (zero, one or two ranges). */
export function outside(r: DayRange, filled: DayRange | undefined): DayRange[] {
  if (filled === undefined || r.hi < filled.lo || r.lo > filled.hi) return [r];
  const parts: DayRange[] = [];
  if (r.lo < filled.lo) parts.push({ lo: r.lo, hi: addDays(filled.lo, -1) });
  if (r.hi > filled.hi) parts.push({ lo: addDays(filled.hi, 1), hi: r.hi });
  return parts;
}

/** `filled` grown by `r` when they overlap or touch; otherwise `r` alone. */
export function widen(filled: DayRange | undefined, r: DayRange): DayRange {
  if (filled === undefined || r.lo > addDays(filled.hi, 1) || r.hi < addDays(filled.lo, -1)) {
    return { lo: r.lo, hi: r.hi };
  }
  return { lo: earlier(r.lo, filled.lo), hi: later(r.hi, filled.hi) };
}

/** The smallest range holding both. */
function span(a: DayRange | undefined, b: DayRange): DayRange {
  return a === undefined
    ? { lo: b.lo, hi: b.hi }
    : { lo: earlier(a.lo, b.lo), hi: later(a.hi, b.hi) };
}

// ISO dates compare as strings (Math.min/max would turn them into NaN).
const earlier = (a: IsoDate, b: IsoDate) => (a < b ? a : b);
const later = (a: IsoDate, b: IsoDate) => (a > b ? a : b);

function addDays(day: IsoDate, n: number): IsoDate {
  const t = Date.parse(`${day}T00:00:00Z`);
  // Not a date: the database rejects it anyway; `day` itself keeps the ranges conservative.
  return Number.isNaN(t) ? day : new Date(t + n * 86_400_000).toISOString().slice(0, 10);
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}
