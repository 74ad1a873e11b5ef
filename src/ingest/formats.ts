// The three file shapes, each turning a header and then rows of cells into facts:
//   long     date,measure,value[,channel][,campaign]  — one fact per row
//   wide     one row per date (and channel/campaign), one column per measure (a WideMapping)
//   records  one row per customer/order, aggregated into facts for one day (a RecordsMapping)
// Each row is validated by a zod schema built for the file's header, decimal separator and date
// format; its issues become rejections naming the column. Pure, no I/O.
import { z } from 'zod';
import { findMeasure, MEASURES } from '../kpi/measures.ts';
import type { FactInput, IsoDate } from '../kpi/types.ts';
import { type DateFormat, parseDate } from './dates.ts';
import {
  BUILT_IN_MAPPINGS,
  columnMatcher,
  dimensionValueSchema,
  normaliseColumn,
  type RecordsMapping,
  type WideMapping,
} from './mapping.ts';
import { type DecimalSeparator, parseNumber } from './numbers.ts';
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

export type RowResult =
  | {
      kind: 'facts';
      facts: FactInput[] /** duplicate-detection key; absent: no check */;
      key?: string;
    }
  | { kind: 'skip' }
  | { kind: 'rejected'; rejections: Rejection[] };

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
  row(cells: readonly string[], line: number): RowResult;
  /** Facts known only at the end of the file (records); [] for the others. */
  finish(): FactInput[];
  /** Human description of a duplicate key, for the rejection reason. */
  describeKey(key: string): string;
}

export interface HandlerDefaults {
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
// Cells (zod)

type Issue = { message: string };

function dateCell(format: DateFormat | undefined) {
  // Consecutive rows mostly share their date: remember the last one parsed.
  let lastRaw: string | undefined;
  let last: ReturnType<typeof parseDate> = { ok: false, reason: '' };
  return z.string().transform((s, ctx): string => {
    if (s !== lastRaw) {
      lastRaw = s;
      last = parseDate(s, format);
    }
    const r = last;
    if (r.ok) return r.value;
    ctx.issues.push({ code: 'custom', message: r.reason, input: s });
    return z.NEVER;
  });
}

type EmptyPolicy = 'reject' | 'zero' | 'skip';

function numberCell(
  measure: () => string | undefined,
  decimal: DecimalSeparator | undefined,
  empty: EmptyPolicy,
) {
  return z.string().transform((s, ctx): number | undefined => {
    const t = s.trim();
    if (empty !== 'reject' && (t === '' || t === '--')) return empty === 'zero' ? 0 : undefined;
    const r = parseNumber(s, { decimal });
    if (!r.ok) {
      ctx.issues.push({ code: 'custom', message: r.reason, input: s });
      return z.NEVER;
    }
    if (r.percent) {
      const m = measure() ?? 'this measure';
      ctx.issues.push({
        code: 'custom',
        input: s,
        message: `"${t}" is a percentage, but ${m} is a count or an amount; ratios such as CTR or conversion rate are computed from their measures (clicks / impressions), so leave percentage columns out of the mapping`,
      });
      return z.NEVER;
    }
    return r.value;
  });
}

function dimensionCell(fallback: string, slug: boolean) {
  return z
    .string()
    .transform((s) => {
      const t = s.trim();
      if (t === '') return fallback;
      return slug ? t.toLowerCase().replace(/\s+/g, '-') : t;
    })
    .pipe(dimensionValueSchema);
}

const MEASURE_IDS = MEASURES.map((m) => m.id);

const measureCell = z
  .string()
  .transform((s) => s.trim())
  .superRefine((id, ctx) => {
    if (findMeasure(id)) return;
    const guess = suggest(id, MEASURE_IDS);
    ctx.addIssue({
      code: 'custom',
      message:
        id === ''
          ? 'empty measure'
          : `unknown measure "${id}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
    });
  });

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

const keyOf = (...parts: string[]) => parts.join('\u0000');

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
  private schema: ReturnType<LongHandler['buildSchema']> | undefined;
  private measure: string | undefined;

  constructor(
    readonly header: readonly string[],
    private readonly index: ReadonlyMap<LongColumn, number>,
    private readonly defaults: HandlerDefaults,
  ) {
    this.numberColumns = [index.get('value')!];
    this.dateColumns = [index.get('date')!];
  }

  configure(settings: FileSettings): void {
    this.schema = this.buildSchema(settings);
  }

  private buildSchema(settings: FileSettings) {
    return z.object({
      date: dateCell(settings.dateFormat),
      measure: measureCell,
      value: numberCell(() => this.measure, settings.decimal, 'reject'),
      channel: dimensionCell(this.defaults.channel ?? '', false),
      campaign: dimensionCell(this.defaults.campaign ?? '', false),
    });
  }

  row(cells: readonly string[], line: number): RowResult {
    const width = widthProblem(cells, this.header.length, line);
    if (width) return { kind: 'rejected', rejections: [width] };
    const cell = (c: LongColumn) => {
      const i = this.index.get(c);
      return i === undefined ? '' : (cells[i] ?? '');
    };
    this.measure = cell('measure').trim();
    const r = this.schema!.safeParse({
      date: cell('date'),
      measure: cell('measure'),
      value: cell('value'),
      channel: cell('channel'),
      campaign: cell('campaign'),
    });
    if (!r.success) {
      return {
        kind: 'rejected',
        rejections: rejections(r.error.issues, line, (path) => {
          const c = path[0] as LongColumn;
          const i = this.index.get(c);
          return i === undefined ? undefined : { name: this.header[i]!, value: cells[i] ?? '' };
        }),
      };
    }
    const f = r.data;
    const fact: FactInput = {
      day: f.date,
      measure: f.measure,
      value: f.value!,
      channel: f.channel,
      campaign: f.campaign,
    };
    return { kind: 'facts', facts: [fact], key: keyOf(f.measure, f.date, f.channel, f.campaign) };
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
  private readonly measures: Array<{ id: string; index: number }>;
  private readonly skip: Array<{ index: number; prefix: string }>;
  private schema: ReturnType<WideHandler['buildSchema']> | undefined;

  constructor(
    readonly header: readonly string[],
    private readonly targets: ReadonlyMap<string, { index: number; column: string }>,
    private readonly mapping: WideMapping,
    private readonly defaults: HandlerDefaults,
  ) {
    this.measures = [...targets]
      .filter(([t]) => findMeasure(t))
      .map(([id, { index }]) => ({ id, index }));
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
    this.schema = this.buildSchema(settings);
  }

  private buildSchema(settings: FileSettings) {
    const values: Record<string, ReturnType<typeof numberCell>> = {};
    for (const m of this.measures) {
      values[m.id] = numberCell(() => m.id, settings.decimal, this.mapping.empty);
    }
    return z.object({
      date: dateCell(settings.dateFormat),
      date_end: dateCell(settings.dateFormat).optional(),
      channel: dimensionCell(
        this.defaults.channel ?? this.mapping.channel ?? '',
        this.mapping.channelSlug,
      ),
      campaign: dimensionCell(this.defaults.campaign ?? this.mapping.campaign ?? '', false),
      values: z.object(values),
    });
  }

  row(cells: readonly string[], line: number): RowResult {
    for (const s of this.skip) {
      if ((cells[s.index] ?? '').trim().startsWith(s.prefix)) return { kind: 'skip' };
    }
    const width = widthProblem(cells, this.header.length, line);
    if (width) return { kind: 'rejected', rejections: [width] };
    const cell = (target: string) => {
      const hit = this.targets.get(target);
      return hit === undefined ? undefined : (cells[hit.index] ?? '');
    };
    const values: Record<string, string> = {};
    for (const m of this.measures) values[m.id] = cells[m.index] ?? '';
    const r = this.schema!.safeParse({
      date: cell('date'),
      date_end: cell('date_end'),
      channel: cell('channel') ?? '',
      campaign: cell('campaign') ?? '',
      values,
    });
    if (!r.success) {
      return {
        kind: 'rejected',
        rejections: rejections(r.error.issues, line, (path) => {
          const target = String(path[0] === 'values' ? path[1] : path[0]);
          const hit = this.targets.get(target);
          return hit ? { name: hit.column, value: cells[hit.index] ?? '' } : undefined;
        }),
      };
    }
    const { date, date_end, channel, campaign } = r.data;
    if (date_end !== undefined && date_end !== date) {
      const hit = this.targets.get('date_end')!;
      return {
        kind: 'rejected',
        rejections: [
          {
            line,
            column: hit.column,
            value: cut(cells[hit.index] ?? ''),
            reason: `the row covers ${date}..${date_end}, not one day: export with a daily breakdown (Breakdown → By time → Day)`,
          },
        ],
      };
    }
    const facts: FactInput[] = [];
    for (const m of this.measures) {
      const value = r.data.values[m.id];
      if (value === undefined) continue;
      facts.push({ day: date, measure: m.id, value, channel, campaign });
    }
    if (facts.length === 0) return { kind: 'skip' };
    return { kind: 'facts', facts, key: keyOf(date, channel, campaign) };
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
    const sums: Record<string, ReturnType<typeof numberCell>> = {};
    for (const [measure, agg] of Object.entries(this.mapping.measures)) {
      if ('sum' in agg)
        sums[agg.sum] = numberCell(
          () => measure,
          settings.decimal ?? this.mapping.decimal,
          'reject',
        );
    }
    return z.object({
      channel: dimensionCell(this.defaults.channel ?? this.mapping.channel ?? '', false),
      campaign: dimensionCell(this.defaults.campaign ?? this.mapping.campaign ?? '', false),
      sums: z.object(sums),
    });
  }

  row(cells: readonly string[], line: number): RowResult {
    const width = widthProblem(cells, this.header.length, line);
    if (width) return { kind: 'rejected', rejections: [width] };
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
      return {
        kind: 'rejected',
        rejections: rejections(r.error.issues, line, (path) => {
          const column =
            path[0] === 'sums'
              ? String(path[1])
              : path[0] === 'channel'
                ? this.mapping.channelColumn
                : this.mapping.campaignColumn;
          const i = column === undefined ? undefined : this.index.get(column);
          return i === undefined ? undefined : { name: this.header[i]!, value: cells[i] ?? '' };
        }),
      };
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
    return { kind: 'facts', facts: [] };
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
