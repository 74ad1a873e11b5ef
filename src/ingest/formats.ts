// The three file shapes, each turning a header and then rows of cells into facts:
//   long     date,measure,value[,channel][,campaign]  — one fact per row
//   wide     one row per date (and channel/campaign), one column per measure (a WideMapping)
//   records  one row per customer/order, aggregated into facts for one day (a RecordsMapping)
// Each row is validated by cell readers set up for the file's header, decimal separator and date
// format (cells.ts); their problems become rejections naming the column, in column-target order
// (date, date_end, channel, campaign, then the measures). Long and wide rows are read without zod
// and without an object per fact (a million-row file goes through this loop); records files,
// small by nature, use the same readers inside a zod schema. Pure, no I/O.
import { z } from 'zod';
import { findMeasure } from '../kpi/measures.ts';
import type { FactInput, IsoDate } from '../kpi/types.ts';
import {
  cellSchema,
  dateReader,
  dimensionReader,
  Invalid,
  measureReader,
  numberReader,
  type Reader,
} from './cells.ts';
import type { ChannelLabels } from './channel-labels.ts';
import type { DateFormat } from './dates.ts';
import {
  BUILT_IN_MAPPINGS,
  columnMatcher,
  normaliseColumn,
  type RecordsMapping,
  type WideMapping,
} from './mapping.ts';
import type { DecimalSeparator } from './numbers.ts';
import { suggest } from './suggest.ts';

export interface Rejection {
  /** 1-based line of the file (the line a multi-line record starts on). */
  line: number;
  /** The column's name as the header writes it, when the problem is one cell. */
  column?: string;
  /** The offending cell, cut to 100 characters. */
  value?: string;
  reason: string;
}

/** What `FormatHandler.row` made of a row. */
export type RowKind = 'facts' | 'skip' | 'rejected';

/**
 * One row's outcome, filled in by `FormatHandler.row` and reused from row to row (no allocation
 * per row): the facts share `day`, `channel` and `campaign`; fact i is (measures[i], values[i]),
 * i < count.
 */
export class RowOut {
  day: IsoDate = '';
  channel = '';
  campaign = '';
  measures: string[] = [];
  values: number[] = [];
  count = 0;
  /** Duplicate-detection key; undefined: no check. */
  key: string | undefined;
  /** Set when the row is rejected. */
  rejections: Rejection[] = [];
}

export interface FileSettings {
  decimal?: DecimalSeparator;
  dateFormat?: DateFormat;
}

export interface FormatHandler {
  readonly kind: 'long' | 'wide' | 'records';
  /** Header cells, as written. */
  readonly header: readonly string[];
  /** Indexes of the columns holding numbers and dates: the sample sniffed for their formats. */
  readonly numberColumns: readonly number[];
  readonly dateColumns: readonly number[];
  /** Fixes the decimal separator and date format; called once, before the first row. */
  configure(settings: FileSettings): void;
  /** Reads one data row into `out`. */
  row(cells: readonly string[], line: number, out: RowOut): RowKind;
  /** Facts known only at the end of the file (records); [] for the others. */
  finish(): FactInput[];
  /** Human description of a duplicate key, for the rejection reason. */
  describeKey(key: string): string;
}

export interface HandlerDefaults {
  /** Where channels get their stored names (and the import report its channel notes). */
  channels: ChannelLabels;
  channel?: string;
  campaign?: string;
  /** Day of a records file's facts. */
  date?: IsoDate;
}

/** A header row that is recognised but wrong: the file is rejected with these. */
export interface HeaderProblems {
  problems: Rejection[];
}

/**
 * Tries `cells` (at `line`) as the header: a handler, the problems of a recognised but
 * unusable header, or null when this is not the header row (a title or comment line before it).
 */
export type HeaderMatcher = (
  cells: readonly string[],
  line: number,
) => FormatHandler | HeaderProblems | null;

const cut = (s: string) => (s.length > 100 ? `${s.slice(0, 97)}...` : s);

// ---------------------------------------------------------------------------------------------
// Rejections

type Issue = { message: string };

/** The zod issues of one row as rejections, naming each column. */
function rejections(
  issues: readonly (Issue & { path: readonly PropertyKey[] })[],
  line: number,
  columnOf: (path: readonly PropertyKey[]) => { name: string; value: string } | undefined,
): Rejection[] {
  return issues.map((issue) => {
    const col = columnOf(issue.path);
    return col
      ? { line, column: col.name, value: cut(col.value), reason: issue.message }
      : { line, reason: issue.message };
  });
}

/** Adds a cell's problems to `into` as rejections naming the column (when it has one). */
function reject(
  into: Rejection[],
  problem: Invalid,
  line: number,
  column: { name: string; value: string } | undefined,
): void {
  for (const reason of problem.messages) {
    into.push(
      column ? { line, column: column.name, value: cut(column.value), reason } : { line, reason },
    );
  }
}

/** Checks a row's width against the header's (extra empty trailing cells are fine). */
function widthProblem(
  cells: readonly string[],
  width: number,
  line: number,
): Rejection | undefined {
  if (cells.length === width) return undefined;
  if (cells.length > width && cells.slice(width).every((c) => c.trim() === '')) return undefined;
  return { line, reason: `has ${cells.length} fields, the header has ${width}` };
}

/** A row's duplicate-detection key: its parts joined by NUL (no array per row). */
const keyOf = (a: string, b: string, c?: string, d?: string) =>
  d !== undefined
    ? `${a}\u0000${b}\u0000${c}\u0000${d}`
    : c !== undefined
      ? `${a}\u0000${b}\u0000${c}`
      : `${a}\u0000${b}`;

function describeDimensions(channel: string, campaign: string): string {
  const dims = [channel && `channel ${channel}`, campaign && `campaign ${campaign}`].filter(
    Boolean,
  );
  return dims.length > 0 ? ` (${dims.join(', ')})` : '';
}

// ---------------------------------------------------------------------------------------------
// long: date,measure,value[,channel][,campaign]

const LONG_COLUMNS = ['date', 'measure', 'value', 'channel', 'campaign'] as const;
type LongColumn = (typeof LONG_COLUMNS)[number];

export function longFormat(defaults: HandlerDefaults): HeaderMatcher {
  return (cells, line) => {
    const names = cells.map(normaliseColumn);
    if (!names.includes('date')) return null;
    const index = new Map<LongColumn, number>();
    const problems: Rejection[] = [];
    names.forEach((name, i) => {
      const col = LONG_COLUMNS.find((c) => c === name);
      if (col === undefined) {
        const hint = suggest(name, LONG_COLUMNS);
        problems.push({
          line,
          column: cells[i],
          reason: `unknown column in a long-format file (expected date,measure,value[,channel][,campaign])${hint ? `; did you mean "${hint}"?` : ''}`,
        });
      } else if (index.has(col)) {
        problems.push({ line, column: cells[i], reason: `column "${col}" appears twice` });
      } else {
        index.set(col, i);
      }
    });
    for (const required of ['measure', 'value'] as const) {
      if (!index.has(required)) {
        problems.push({ line, column: required, reason: `the header has no "${required}" column` });
      }
    }
    if (problems.length > 0) return { problems: withWideHint(problems, cells) };
    return new LongHandler(cells, index, defaults);
  };
}

/** Adds a hint when a header that failed as long format looks like a built-in export. */
function withWideHint(problems: Rejection[], cells: readonly string[]): Rejection[] {
  const builtIn = guessBuiltIn(cells);
  const hint = builtIn
    ? `this looks like a ${builtIn} export: import it with --mapping ${builtIn}`
    : 'for a file with one column per measure, pass --map "Column=measure,…" or --mapping NAME';
  return [...problems, { line: problems[0]?.line ?? 1, reason: hint }];
}

/** The built-in wide mapping whose date column and most measure columns the header has. */
export function guessBuiltIn(cells: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestHits = 1;
  for (const [name, m] of Object.entries(BUILT_IN_MAPPINGS)) {
    if (m.format !== 'wide') continue;
    const entries = Object.entries(m.columns).map(([col, target]) => ({
      match: columnMatcher(col),
      target,
    }));
    const present = entries.filter((e) => cells.some((c) => e.match(c)));
    if (!present.some((e) => e.target === 'date')) continue;
    const hits = present.filter((e) => findMeasure(e.target)).length;
    if (hits > bestHits) {
      best = name;
      bestHits = hits;
    }
  }
  return best;
}

class LongHandler implements FormatHandler {
  readonly kind = 'long';
  readonly numberColumns: number[];
  readonly dateColumns: number[];
  private readers: ReturnType<LongHandler['buildReaders']> | undefined;
  private measure: string | undefined;
  private readonly columns: Array<{ name: string; index: number } | undefined>;

  constructor(
    readonly header: readonly string[],
    index: ReadonlyMap<LongColumn, number>,
    private readonly defaults: HandlerDefaults,
  ) {
    this.numberColumns = [index.get('value')!];
    this.dateColumns = [index.get('date')!];
    this.columns = LONG_COLUMNS.map((c) => {
      const i = index.get(c);
      return i === undefined ? undefined : { name: header[i]!, index: i };
    });
  }

  configure(settings: FileSettings): void {
    this.readers = this.buildReaders(settings);
  }

  private buildReaders(settings: FileSettings) {
    // In LONG_COLUMNS order: the order rejections are listed in.
    return [
      dateReader(settings.dateFormat),
      measureReader(),
      numberReader(() => this.measure, settings.decimal, 'reject'),
      dimensionReader(this.defaults.channel ?? '', (v) => this.defaults.channels.label(v)),
      dimensionReader(this.defaults.campaign ?? ''),
    ] as const;
  }

  row(cells: readonly string[], line: number, out: RowOut): RowKind {
    const width = widthProblem(cells, this.header.length, line);
    if (width) {
      out.rejections = [width];
      return 'rejected';
    }
    const readers = this.readers!;
    const raw = this.columns.map((c) => (c === undefined ? '' : (cells[c.index] ?? '')));
    this.measure = raw[1]!.trim();
    const results = readers.map((read, i) => read(raw[i]!));
    let problems: Rejection[] | undefined;
    results.forEach((r, i) => {
      if (!(r instanceof Invalid)) return;
      const c = this.columns[i];
      problems ??= [];
      reject(problems, r, line, c && { name: c.name, value: raw[i]! });
    });
    if (problems) {
      out.rejections = problems;
      return 'rejected';
    }
    const [day, measure, value, channel, campaign] = results as [
      string,
      string,
      number,
      string,
      string,
    ];
    out.day = day;
    out.channel = channel;
    out.campaign = campaign;
    out.measures[0] = measure;
    out.values[0] = value;
    out.count = 1;
    out.key = keyOf(measure, day, channel, campaign);
    return 'facts';
  }

  finish(): FactInput[] {
    return [];
  }

  describeKey(key: string): string {
    const [measure, day, channel, campaign] = key.split('\u0000') as [
      string,
      string,
      string,
      string,
    ];
    return `${measure} on ${day}${describeDimensions(channel, campaign)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// wide: a WideMapping

export function wideFormat(mapping: WideMapping, defaults: HandlerDefaults): HeaderMatcher {
  const entries = Object.entries(mapping.columns).map(([column, target]) => ({
    column,
    target,
    match: columnMatcher(column),
  }));
  const dateEntries = entries.filter((e) => e.target === 'date');
  return (cells, line) => {
    if (!cells.some((c) => dateEntries.some((e) => e.match(c)))) return null;
    const problems: Rejection[] = [];
    const byTarget = new Map<string, { index: number; column: string }>();
    const used = new Set<number>();
    for (const e of entries) {
      const found = cells.flatMap((c, i) => (e.match(c) ? [i] : []));
      if (found.length === 0) {
        if (!mapping.optionalColumns) {
          const guess = suggest(e.column, cells);
          problems.push({
            line,
            column: e.column,
            reason: `the mapping's column "${e.column}" is not in the file${guess ? ` (did you mean "${guess}"?)` : ''}`,
          });
        }
        continue;
      }
      if (found.length > 1) {
        problems.push({
          line,
          column: e.column,
          reason: `the file has ${found.length} columns named "${e.column}"`,
        });
        continue;
      }
      const i = found[0]!;
      if (e.target === 'ignore' || used.has(i)) continue;
      const prior = byTarget.get(e.target);
      if (prior) {
        if (!mapping.optionalColumns) {
          problems.push({
            line,
            column: cells[i],
            reason: `both "${cells[prior.index]}" and "${cells[i]}" map to ${e.target}`,
          });
        }
        continue;
      }
      byTarget.set(e.target, { index: i, column: cells[i]! });
      used.add(i);
    }
    if (problems.length === 0 && ![...byTarget.keys()].some((t) => findMeasure(t))) {
      problems.push({
        line,
        reason: `none of the mapping's measure columns is in the file (${entries
          .filter((e) => findMeasure(e.target))
          .map((e) => e.column)
          .join(', ')})`,
      });
    }
    if (problems.length > 0) return { problems };
    return new WideHandler(cells, byTarget, mapping, defaults);
  };
}

class WideHandler implements FormatHandler {
  readonly kind = 'wide';
  readonly numberColumns: number[];
  readonly dateColumns: number[];
  private readonly measures: Array<{ id: string; index: number; column: string }>;
  private readonly skip: Array<{ index: number; prefix: string }>;
  private readers: ReturnType<WideHandler['buildReaders']> | undefined;

  constructor(
    readonly header: readonly string[],
    private readonly targets: ReadonlyMap<string, { index: number; column: string }>,
    private readonly mapping: WideMapping,
    private readonly defaults: HandlerDefaults,
  ) {
    this.measures = [...targets]
      .filter(([t]) => findMeasure(t))
      .map(([id, { index, column }]) => ({ id, index, column }));
    this.numberColumns = this.measures.map((m) => m.index);
    this.dateColumns = ['date', 'date_end'].flatMap((t) => {
      const hit = targets.get(t);
      return hit ? [hit.index] : [];
    });
    this.skip = mapping.skipRows.flatMap((s) => {
      if (s.column === undefined) return [{ index: 0, prefix: s.prefix }];
      const match = columnMatcher(s.column);
      const i = header.findIndex((h) => match(h));
      return i < 0 ? [] : [{ index: i, prefix: s.prefix }];
    });
  }

  configure(settings: FileSettings): void {
    this.readers = this.buildReaders(settings);
  }

  private buildReaders(settings: FileSettings) {
    return {
      date: dateReader(settings.dateFormat),
      dateEnd: dateReader(settings.dateFormat),
      channel: dimensionReader(this.defaults.channel ?? this.mapping.channel ?? '', (v) =>
        this.defaults.channels.label(v, this.mapping.channelSlug),
      ),
      campaign: dimensionReader(this.defaults.campaign ?? this.mapping.campaign ?? ''),
      values: this.measures.map((m) =>
        numberReader(() => m.id, settings.decimal, this.mapping.empty),
      ),
    };
  }

  row(cells: readonly string[], line: number, out: RowOut): RowKind {
    for (const s of this.skip) {
      if ((cells[s.index] ?? '').trim().startsWith(s.prefix)) return 'skip';
    }
    const width = widthProblem(cells, this.header.length, line);
    if (width) {
      out.rejections = [width];
      return 'rejected';
    }
    const readers = this.readers!;
    let problems: Rejection[] | undefined;
    /** The target's cell (undefined: no such column), read; problems collected. */
    const read = <T>(target: string, reader: Reader<T>, absent: string | undefined) => {
      const hit = this.targets.get(target);
      const raw = hit === undefined ? absent : (cells[hit.index] ?? '');
      if (raw === undefined) return undefined;
      const r = reader(raw);
      if (!(r instanceof Invalid)) return r;
      problems ??= [];
      reject(problems, r, line, hit && { name: hit.column, value: raw });
      return undefined;
    };
    // In this order: the order rejections are listed in.
    const date = read('date', readers.date, '');
    const dateEnd = read('date_end', readers.dateEnd, undefined);
    const channel = read('channel', readers.channel, '');
    const campaign = read('campaign', readers.campaign, '');
    let count = 0;
    for (let i = 0; i < this.measures.length; i++) {
      const m = this.measures[i]!;
      const raw = cells[m.index] ?? '';
      const r = readers.values[i]!(raw);
      if (r instanceof Invalid) {
        problems ??= [];
        reject(problems, r, line, { name: m.column, value: raw });
      } else if (r !== undefined) {
        out.measures[count] = m.id;
        out.values[count] = r;
        count++;
      }
    }
    if (problems) {
      out.rejections = problems;
      return 'rejected';
    }
    if (dateEnd !== undefined && dateEnd !== date) {
      const hit = this.targets.get('date_end')!;
      out.rejections = [
        {
          line,
          column: hit.column,
          value: cut(cells[hit.index] ?? ''),
          reason: `the row covers ${date}..${dateEnd}, not one day: export with a daily breakdown (Breakdown → By time → Day)`,
        },
      ];
      return 'rejected';
    }
    if (count === 0) return 'skip';
    out.day = date!;
    out.channel = channel!;
    out.campaign = campaign!;
    out.count = count;
    out.key = keyOf(date!, channel!, campaign!);
    return 'facts';
  }

  finish(): FactInput[] {
    return [];
  }

  describeKey(key: string): string {
    const [day, channel, campaign] = key.split('\u0000') as [string, string, string];
    return `${day}${describeDimensions(channel, campaign)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// records: a RecordsMapping

export function recordsFormat(mapping: RecordsMapping, defaults: HandlerDefaults): HeaderMatcher {
  const referenced = new Set<string>();
  if (mapping.channelColumn) referenced.add(mapping.channelColumn);
  if (mapping.campaignColumn) referenced.add(mapping.campaignColumn);
  for (const agg of Object.values(mapping.measures)) {
    if ('sum' in agg) referenced.add(agg.sum);
    if (agg.where) referenced.add(agg.where.column);
  }
  const columns = [...referenced];
  return (cells, line) => {
    const index = new Map<string, number>();
    for (const col of columns) {
      const match = columnMatcher(col);
      const i = cells.findIndex((c) => match(c));
      if (i >= 0) index.set(col, i);
    }
    if (index.size === 0 && columns.length > 0) return null;
    const missing = columns.filter((c) => !index.has(c));
    if (missing.length > 0) {
      return {
        problems: missing.map((c) => ({
          line,
          column: c,
          reason: `the mapping's column "${c}" is not in the file`,
        })),
      };
    }
    return new RecordsHandler(cells, index, mapping, defaults);
  };
}

interface Compensated {
  sum: number;
  c: number;
}

/** Neumaier summation: thousands of amounts in cents add up without floating-point drift. */
function addCompensated(acc: Compensated, x: number): void {
  const t = acc.sum + x;
  acc.c += Math.abs(acc.sum) >= Math.abs(x) ? acc.sum - t + x : x - t + acc.sum;
  acc.sum = t;
}

class RecordsHandler implements FormatHandler {
  readonly kind = 'records';
  readonly numberColumns: number[];
  readonly dateColumns: number[] = [];
  private schema: ReturnType<RecordsHandler['buildSchema']> | undefined;
  /** group key (channel \0 campaign) → measure → running sum (Neumaier-compensated). */
  private readonly groups = new Map<string, Map<string, Compensated>>();
  private readonly day: IsoDate;

  constructor(
    readonly header: readonly string[],
    private readonly index: ReadonlyMap<string, number>,
    private readonly mapping: RecordsMapping,
    private readonly defaults: HandlerDefaults,
  ) {
    const sums = Object.values(mapping.measures).flatMap((a) => ('sum' in a ? [a.sum] : []));
    this.numberColumns = [...new Set(sums)].map((c) => index.get(c)!);
    // Checked by the caller (importCsv) before the file is opened.
    this.day = defaults.date ?? mapping.date ?? '';
  }

  configure(settings: FileSettings): void {
    this.schema = this.buildSchema(settings);
  }

  private buildSchema(settings: FileSettings) {
    const sums: Record<string, ReturnType<typeof cellSchema<number | undefined>>> = {};
    for (const [measure, agg] of Object.entries(this.mapping.measures)) {
      if ('sum' in agg) {
        const decimal = settings.decimal ?? this.mapping.decimal;
        sums[agg.sum] = cellSchema(numberReader(() => measure, decimal, 'reject'));
      }
    }
    const channel = this.defaults.channel ?? this.mapping.channel ?? '';
    const campaign = this.defaults.campaign ?? this.mapping.campaign ?? '';
    return z.object({
      channel: cellSchema(dimensionReader(channel, (v) => this.defaults.channels.label(v))),
      campaign: cellSchema(dimensionReader(campaign)),
      sums: z.object(sums),
    });
  }

  row(cells: readonly string[], line: number, out: RowOut): RowKind {
    const width = widthProblem(cells, this.header.length, line);
    if (width) {
      out.rejections = [width];
      return 'rejected';
    }
    const cell = (column: string | undefined) => {
      if (column === undefined) return '';
      const i = this.index.get(column);
      return i === undefined ? '' : (cells[i] ?? '');
    };
    const sums: Record<string, string> = {};
    for (const agg of Object.values(this.mapping.measures)) {
      if ('sum' in agg) sums[agg.sum] = cell(agg.sum);
    }
    const r = this.schema!.safeParse({
      channel: cell(this.mapping.channelColumn),
      campaign: cell(this.mapping.campaignColumn),
      sums,
    });
    if (!r.success) {
      out.rejections = rejections(r.error.issues, line, (path) => {
        const column =
          path[0] === 'sums'
            ? String(path[1])
            : path[0] === 'channel'
              ? this.mapping.channelColumn
              : this.mapping.campaignColumn;
        const i = column === undefined ? undefined : this.index.get(column);
        return i === undefined ? undefined : { name: this.header[i]!, value: cells[i] ?? '' };
      });
      return 'rejected';
    }
    const groupKey = keyOf(r.data.channel, r.data.campaign);
    let group = this.groups.get(groupKey);
    if (!group) {
      group = new Map(Object.keys(this.mapping.measures).map((m) => [m, { sum: 0, c: 0 }]));
      this.groups.set(groupKey, group);
    }
    for (const [measure, agg] of Object.entries(this.mapping.measures)) {
      if (agg.where && cell(agg.where.column).trim() !== agg.where.equals) continue;
      const add = 'sum' in agg ? r.data.sums[agg.sum]! : 1;
      addCompensated(group.get(measure)!, add);
    }
    // The facts come at the end of the file (finish()); the key is the group's, not unique.
    out.count = 0;
    out.key = undefined;
    return 'facts';
  }

  finish(): FactInput[] {
    const facts: FactInput[] = [];
    for (const [key, values] of this.groups) {
      const [channel, campaign] = key.split('\u0000') as [string, string];
      for (const [measure, { sum, c }] of values) {
        facts.push({ day: this.day, measure, value: sum + c, channel, campaign });
      }
    }
    return facts;
  }

  describeKey(key: string): string {
    return key;
  }
}
