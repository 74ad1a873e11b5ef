// Measures for many rules, fetched in batches: every request with the same filters and
// breakdown goes into one `aggregateMeasures` call (all its date ranges and measures at once),
// so a cycle over 1,000 rules issues a handful of queries, not 1,000.
import type {
  DateRange,
  Dimension,
  Filters,
  MeasureAggregate,
  MeasureValues,
} from '../kpi/types.ts';
import type { Db } from '../store/db.ts';
import { aggregateMeasures } from '../store/facts.ts';

type Values = Map<string, MeasureAggregate>;
const EMPTY: MeasureValues = new Map();

export interface BatchRequest {
  /** null: filters that cannot both hold (a rule's filter against its KPI's own): no data. */
  filters: Filters | null;
  groupBy?: Dimension;
  measures: readonly string[];
  ranges: readonly DateRange[];
}

/** Where a request's answers are: pass it back to `values` / `groups`. */
export interface BatchRef {
  key: string;
}

interface Batch {
  filters: Filters;
  groupBy?: Dimension;
  measures: Set<string>;
  ranges: DateRange[];
  rangeIndex: Map<string, number>;
  /** range index → group ('' without breakdown) → measure → aggregate */
  data?: Map<number, Map<string, Values>>;
}

const rangeKey = (r: DateRange) => `${r.start}..${r.end}`;

/** Filters in a canonical form (sorted keys and values), so equal filters share a batch. */
function canonical(filters: Filters): Filters {
  const out: Filters = {};
  for (const dim of Object.keys(filters).sort() as Dimension[]) {
    const values = filters[dim];
    if (values !== undefined) out[dim] = [...new Set(values)].sort();
  }
  return out;
}

export class MeasureBatches {
  private readonly batches = new Map<string, Batch>();
  private readonly impossible: BatchRef = { key: '∅' };

  add(req: BatchRequest): BatchRef {
    if (req.filters === null) return this.impossible;
    const filters = canonical(req.filters);
    const key = JSON.stringify([filters, req.groupBy ?? null]);
    let batch = this.batches.get(key);
    if (!batch) {
      batch = { filters, measures: new Set(), ranges: [], rangeIndex: new Map() };
      if (req.groupBy) batch.groupBy = req.groupBy;
      this.batches.set(key, batch);
    }
    for (const m of req.measures) batch.measures.add(m);
    for (const r of req.ranges) {
      const k = rangeKey(r);
      if (!batch.rangeIndex.has(k)) {
        batch.rangeIndex.set(k, batch.ranges.length);
        batch.ranges.push({ start: r.start, end: r.end });
      }
    }
    return { key };
  }

  /** Number of queries `run` will issue. */
  get size(): number {
    return [...this.batches.values()].filter((b) => b.measures.size > 0 && b.ranges.length > 0)
      .length;
  }

  /** One aggregateMeasures call per batch, run one after the other (PGlite is one connection). */
  async run(db: Db): Promise<void> {
    for (const batch of this.batches.values()) {
      if (batch.data) continue;
      const data = new Map<number, Map<string, Values>>();
      if (batch.measures.size > 0 && batch.ranges.length > 0) {
        const rows = await aggregateMeasures(db, {
          measures: [...batch.measures],
          periods: batch.ranges,
          filters: batch.filters,
          ...(batch.groupBy ? { groupBy: batch.groupBy } : {}),
        });
        for (const row of rows) {
          const byGroup = data.get(row.period) ?? new Map<string, Values>();
          data.set(row.period, byGroup);
          const group = row.group ?? '';
          const values = byGroup.get(group) ?? new Map<string, MeasureAggregate>();
          byGroup.set(group, values);
          values.set(row.measure, row.agg);
        }
      }
      batch.data = data;
    }
  }

  /** The aggregates of one range and group ('' without breakdown); empty when none. */
  values(ref: BatchRef, range: DateRange, group = ''): MeasureValues {
    const batch = this.batches.get(ref.key);
    const i = batch?.rangeIndex.get(rangeKey(range));
    if (!batch?.data || i === undefined) return EMPTY;
    return batch.data.get(i)?.get(group) ?? EMPTY;
  }

  /** The groups with any data in a range, sorted. */
  groups(ref: BatchRef, range: DateRange): string[] {
    const batch = this.batches.get(ref.key);
    const i = batch?.rangeIndex.get(rangeKey(range));
    if (!batch?.data || i === undefined) return [];
    return [...(batch.data.get(i)?.keys() ?? [])].sort();
  }
}

const DIMENSION_COLUMN: Record<Dimension, string> = {
  channel: 'f.channel',
  campaign: 'f.campaign',
};

/**
 * The last day with data per measure (and group), before `before` and at most `lookBackDays`
 * earlier: for "no data for ad_spend since …". One query.
 */
export async function lastDataDays(
  db: Pick<Db, 'query'>,
  q: {
    measures: readonly string[];
    filters: Filters;
    groupBy?: Dimension;
    from: string;
    before: string;
  },
): Promise<Map<string, Map<string, string>>> {
  const params: unknown[] = [[...new Set(q.measures)], q.from, q.before];
  const where: string[] = [];
  for (const [dim, values] of Object.entries(q.filters) as Array<
    [Dimension, string[] | undefined]
  >) {
    if (values === undefined || !Object.hasOwn(DIMENSION_COLUMN, dim)) continue;
    params.push(values);
    where.push(`${DIMENSION_COLUMN[dim]} = any($${params.length}::text[])`);
  }
  const grp =
    q.groupBy && Object.hasOwn(DIMENSION_COLUMN, q.groupBy)
      ? DIMENSION_COLUMN[q.groupBy]
      : `''::text`;
  const rows = await db.query<{ measure: string; grp: string; last_day: string }>(
    `select f.measure, ${grp} as grp, max(f.day)::text as last_day
     from facts f
     where f.measure = any($1::text[]) and f.day >= $2::date and f.day < $3::date
       ${where.length > 0 ? `and ${where.join(' and ')}` : ''}
     group by 1, 2`,
    params,
  );
  const out = new Map<string, Map<string, string>>();
  for (const r of rows) {
    const byMeasure = out.get(r.grp) ?? new Map<string, string>();
    out.set(r.grp, byMeasure);
    byMeasure.set(r.measure, r.last_day);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Trends: many consecutive periods from one scan of daily totals

interface DailyBatch {
  filters: Filters;
  groupBy?: Dimension;
  measures: Set<string>;
  from: string;
  to: string;
  /** group → measure → days ascending with their totals */
  data?: Map<string, Map<string, { days: string[]; sums: number[]; counts: number[] }>>;
}

/**
 * The periods of a trend (eight weeks, eight months…) for additive and average measures, from
 * one scan of daily totals per (filters, breakdown) over the span they cover, summed per period
 * here. The same rule as `aggregateMeasures` (per day first, then per period: a period's sum is
 * the sum of its days, its mean the mean over its facts), but the facts are read once instead
 * of once per period. Snapshot measures need each series' first and last day, which daily
 * totals lose: use `MeasureBatches` for those (`coversMeasures`).
 */
export class DailyBatches {
  private readonly batches = new Map<string, DailyBatch>();

  /** Whether these measures can be served from daily totals (no snapshot measure). */
  static coversMeasures(
    measures: readonly string[],
    kindOf: (m: string) => string | undefined,
  ): boolean {
    return measures.every((m) => {
      const kind = kindOf(m);
      return kind === 'additive' || kind === 'average';
    });
  }

  add(req: {
    filters: Filters;
    groupBy?: Dimension;
    measures: readonly string[];
    ranges: readonly DateRange[];
  }): BatchRef {
    const filters = canonical(req.filters);
    const key = JSON.stringify([filters, req.groupBy ?? null]);
    let batch = this.batches.get(key);
    if (!batch) {
      batch = { filters, measures: new Set(), from: '9999-12-31', to: '0000-01-01' };
      if (req.groupBy) batch.groupBy = req.groupBy;
      this.batches.set(key, batch);
    }
    for (const m of req.measures) batch.measures.add(m);
    for (const r of req.ranges) {
      if (r.start < batch.from) batch.from = r.start;
      if (r.end > batch.to) batch.to = r.end;
    }
    return { key };
  }

  get size(): number {
    return this.batches.size;
  }

  async run(db: Pick<Db, 'query'>): Promise<void> {
    for (const batch of this.batches.values()) {
      if (batch.data || batch.measures.size === 0) continue;
      const params: unknown[] = [[...batch.measures], batch.from, batch.to];
      const where: string[] = [];
      for (const [dim, values] of Object.entries(batch.filters) as Array<
        [Dimension, string[] | undefined]
      >) {
        if (values === undefined || !Object.hasOwn(DIMENSION_COLUMN, dim)) continue;
        params.push(values);
        where.push(`${DIMENSION_COLUMN[dim]} = any($${params.length}::text[])`);
      }
      const grp = batch.groupBy ? DIMENSION_COLUMN[batch.groupBy] : `''::text`;
      // One row per measure and group, its days as arrays: PGlite hands back a hundred rows of
      // arrays several times faster than thirty thousand plain rows.
      const rows = await db.query<{
        measure: string;
        grp: string;
        days: string[];
        sums: number[];
        counts: number[];
      }>(
        `select measure, grp, array_agg(day::text order by day) as days,
           array_agg(total order by day) as sums, array_agg(n order by day) as counts
         from (
           select f.measure, ${grp} as grp, f.day, sum(f.value) as total, count(*)::int as n
           from facts f
           where f.measure = any($1::text[]) and f.day >= $2::date and f.day <= $3::date
             ${where.length > 0 ? `and ${where.join(' and ')}` : ''}
           group by 1, 2, 3
         ) d
         group by 1, 2`,
        params,
      );
      const data = new Map<
        string,
        Map<string, { days: string[]; sums: number[]; counts: number[] }>
      >();
      for (const r of rows) {
        const byMeasure = data.get(r.grp) ?? new Map();
        data.set(r.grp, byMeasure);
        byMeasure.set(r.measure, { days: r.days, sums: r.sums, counts: r.counts });
      }
      batch.data = data;
    }
  }

  /** The groups with data in a range, sorted. */
  groups(ref: BatchRef, range: DateRange): string[] {
    const data = this.batches.get(ref.key)?.data;
    if (!data) return [];
    const out: string[] = [];
    for (const [group, byMeasure] of data) {
      for (const s of byMeasure.values()) {
        const i = lowerBound(s.days, range.start);
        if (i < s.days.length && s.days[i]! <= range.end) {
          out.push(group);
          break;
        }
      }
    }
    return out.sort();
  }

  /** One period's aggregates for a group ('' without breakdown); opening/closing are NaN. */
  values(ref: BatchRef, range: DateRange, group = ''): MeasureValues {
    const byMeasure = this.batches.get(ref.key)?.data?.get(group);
    if (!byMeasure) return EMPTY;
    const out = new Map<string, MeasureAggregate>();
    for (const [measure, s] of byMeasure) {
      let sum = 0;
      let n = 0;
      let days = 0;
      let first: string | undefined;
      let last: string | undefined;
      for (
        let i = lowerBound(s.days, range.start);
        i < s.days.length && s.days[i]! <= range.end;
        i++
      ) {
        sum += s.sums[i]!;
        n += s.counts[i]!;
        days++;
        first ??= s.days[i];
        last = s.days[i];
      }
      if (days === 0) continue;
      out.set(measure, {
        sum,
        avg: sum / n,
        opening: Number.NaN,
        closing: Number.NaN,
        days,
        firstDay: first!,
        lastDay: last!,
      });
    }
    return out;
  }
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Aggregates for many requests: additive and average measures from daily totals (one scan per
 * filters and breakdown, whatever the number of periods), snapshot measures through
 * `aggregateMeasures` (they need each series' first and last day). Either way one query per
 * (filters, breakdown), not one per rule.
 */
export class Aggregates {
  private readonly full = new MeasureBatches();
  private readonly daily = new DailyBatches();

  constructor(private readonly kindOf: (measure: string) => string | undefined) {}

  add(req: BatchRequest): BatchRef {
    if (req.filters !== null && DailyBatches.coversMeasures(req.measures, this.kindOf)) {
      const ref = this.daily.add({ ...req, filters: req.filters });
      return { key: `d${ref.key}` };
    }
    return { key: `f${this.full.add(req).key}` };
  }

  /** Queries `run` issues at most. */
  get size(): number {
    return this.full.size + this.daily.size;
  }

  async run(db: Db): Promise<void> {
    await this.full.run(db);
    await this.daily.run(db);
  }

  values(ref: BatchRef, range: DateRange, group = ''): MeasureValues {
    const inner = { key: ref.key.slice(1) };
    return ref.key.startsWith('d')
      ? this.daily.values(inner, range, group)
      : this.full.values(inner, range, group);
  }

  groups(ref: BatchRef, range: DateRange): string[] {
    const inner = { key: ref.key.slice(1) };
    return ref.key.startsWith('d')
      ? this.daily.groups(inner, range)
      : this.full.groups(inner, range);
  }
}
