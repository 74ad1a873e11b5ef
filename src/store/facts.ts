// Daily facts: writing them (batched upserts, see fact-writer.ts) and reading them back aggregated
// per period and group, the way the one rule of numbers needs (aggregate each measure first,
// formula later).
import { findMeasure } from '../kpi/measures.ts';
import type {
  DateRange,
  Dimension,
  FactInput,
  Filters,
  IsoDate,
  MeasureAggregate,
} from '../kpi/types.ts';
import type { Db } from './db.ts';
import { dayRanges, lockFactRanges } from './fact-locks.ts';
import { createFactWriter } from './fact-writer.ts';

/** Facts per INSERT statement: large enough to amortise the round trip, small for memory. */
export const UPSERT_BATCH_SIZE = 10_000;

export interface UpsertOptions {
  /** Where the facts come from (`import`, `api`, `demo`…): recorded per fact and in freshness. */
  source?: string;
}

/**
 * Inserts facts, replacing the value of any existing fact with the same
 * (measure, day, channel, campaign): re-importing a file replaces, it never adds up.
 * A fact whose value and source are unchanged is left as it is (no new row version, so
 * re-importing the same file leaves no dead rows behind; `updated_at` is the last change).
 * Sent in batches of UPSERT_BATCH_SIZE; within a batch a repeated key keeps its last value
 * (and a later batch overwrites an earlier one, so the last occurrence always wins).
 * Runs in a transaction: the caller's when given a `tx` (all-or-nothing imports), else its own.
 * Also records per measure the newest day written (measure_freshness) and new channel and
 * campaign names. Throws, writing nothing, on a value that is not a finite number or a day
 * that is not `YYYY-MM-DD`.
 *
 * `written`: the facts sent, new, changed or unchanged; a key repeated within one batch
 * counts once.
 *
 * Bulk loads that check their keys themselves (the CSV importer) use createFactWriter
 * (fact-writer.ts) directly: same statements, streamed batch by batch.
 *
 * Every (measure, year) written is locked first, in one order (fact-locks.ts): concurrent calls
 * for the same measures and years run one after the other instead of deadlocking. A caller that
 * owns the transaction runs it through retryTransaction (retry.ts) for the deadlocks left (with
 * an import that takes its locks batch by batch).
 */
export async function upsertFacts(
  db: Db,
  facts: readonly FactInput[],
  opts: UpsertOptions = {},
): Promise<{ written: number }> {
  if (facts.length === 0) return { written: 0 };
  return db.transaction(async (tx) => {
    // On PGlite (one connection) a batch into an empty range is a plain INSERT; on a server
    // concurrent writers (push API requests) need ON CONFLICT every time.
    const writer = createFactWriter(tx, {
      source: opts.source ?? 'import',
      batchSize: UPSERT_BATCH_SIZE,
      insertNew: tx.dialect === 'pglite',
      bulk: facts.length >= UPSERT_BATCH_SIZE,
    });
    await lockFactRanges(
      tx,
      dayRanges(
        facts.map((f) => f.measure),
        facts.map((f) => f.day),
      ),
    );
    try {
      for (const f of facts) {
        writer.add(f.measure, f.day, f.channel, f.campaign, f.value);
        if (writer.full) await writer.flush();
      }
      return await writer.finish();
    } catch (err) {
      await writer.abandon();
      throw err;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Aggregation

export interface AggregateQuery {
  measures: readonly string[];
  /** Inclusive date ranges; they may overlap (a fact counts in every period that contains it). */
  periods: readonly DateRange[];
  /** Several values of one dimension are OR-ed, dimensions AND-ed. An empty list matches nothing. */
  filters?: Filters;
  groupBy?: Dimension;
  /**
   * The measures whose `opening`/`closing` are computed: that takes a second pass (each
   * series' first and last day, then two index lookups per series), so additive-only queries
   * skip it and stay one plain GROUP BY.
   * Default: the requested measures that are not known (kpi/measures.ts) as additive or
   * average, i.e. snapshot measures and unknown ones. For the other measures `opening` and
   * `closing` are NaN (not computed), never a misleading 0.
   */
  snapshotMeasures?: readonly string[];
}

export interface AggregateRow {
  /** Index into `q.periods`. */
  period: number;
  /** The group's dimension value ('' for facts without one), or null without `groupBy`. */
  group: string | null;
  measure: string;
  agg: MeasureAggregate;
}

/** Whitelisted column expressions: the group-by dimension never reaches SQL as user text. */
const DIMENSION_COLUMN: Record<Dimension, string> = {
  channel: 'f.channel',
  campaign: 'f.campaign',
};

interface AggregateDbRow {
  idx: number;
  measure: string;
  grp: string;
  sum: number;
  n: number;
  days: number;
  first_day: IsoDate;
  last_day: IsoDate;
  opening?: number | null;
  closing?: number | null;
}

/**
 * Each measure aggregated over each period (and group), all periods in one statement.
 * A (period, group, measure) without facts has no row. Per series (measure, channel,
 * campaign) `opening`/`closing` take its value on its first/last day with data in the period
 * (a series starting mid-period opens on its first day), summed over the group's series.
 * `avg` is the mean over the facts, `days` the number of distinct days with a fact.
 */
export async function aggregateMeasures(db: Db, q: AggregateQuery): Promise<AggregateRow[]> {
  const measures = [...new Set(q.measures)];
  if (measures.length === 0 || q.periods.length === 0) return [];
  const filters = Object.entries(q.filters ?? {}) as Array<[Dimension, string[] | undefined]>;
  for (const dim of [...filters.map(([d]) => d), ...(q.groupBy ? [q.groupBy] : [])]) {
    if (!Object.hasOwn(DIMENSION_COLUMN, dim)) throw new RangeError(`Unknown dimension "${dim}"`);
  }
  if (filters.some(([, values]) => values !== undefined && values.length === 0)) return [];

  const params: unknown[] = [measures];
  const where: string[] = [];
  for (const [dim, values] of filters) {
    if (values === undefined) continue;
    params.push(values);
    where.push(`${DIMENSION_COLUMN[dim]} = any($${params.length}::text[])`);
  }
  const snapshot = (q.snapshotMeasures ?? measures.filter(needsSnapshot)).filter((m) =>
    measures.includes(m),
  );
  if (snapshot.length > 0) params.push(snapshot);
  const snapshotParam = params.length;
  // One branch per period with its bounds as parameters, not a join against a list of periods:
  // the planner then estimates each branch's rows from the index (a week is ~1,500 facts, not
  // a third of the table), which keeps small queries from building needlessly large hash tables
  // (measured: a week's ROAS went from 17 ms to 2 ms on PGlite with a million facts).
  const bounds = q.periods.map((p) => {
    params.push(p.start, p.end);
    return { s: params.length - 1, e: params.length };
  });
  const filterSql = where.length > 0 ? `and ${where.join(' and ')}` : '';
  const grp = q.groupBy ? DIMENSION_COLUMN[q.groupBy] : `''::text`;
  // Without campaigns in the question, the per-channel daily totals hold the same sums and
  // counts in far fewer rows. Snapshots need each series' own first and last value: facts.
  const byCampaign = q.groupBy === 'campaign' || filters.some(([d, v]) => d === 'campaign' && v);
  const daily =
    !byCampaign && snapshot.length === 0
      ? { table: 'daily_totals', total: 'f.total', n: 'f.n' }
      : { table: 'facts', total: 'f.value', n: '1' };
  const perPeriod = (table: string, columns: string, measureParam: number) =>
    bounds
      .map(
        (b, i) => `
      select ${i} as idx, ${columns} from ${table} f
      where f.measure = any($${measureParam}::text[])
        and f.day >= $${b.s}::date and f.day < $${b.e}::date + 1 ${filterSql}`,
      )
      .join(' union all');

  // Per day first, then per period and group: `days` comes out as a plain count, with no
  // count(distinct) and its per-group sort (measured faster on both PGlite and the server).
  let sql = `
    with daily as (
      select idx, measure, grp, day, sum(total) as total, sum(n) as n
      from (${perPeriod(daily.table, `f.measure, ${grp} as grp, f.day, ${daily.total} as total, ${daily.n} as n`, 1)}) x
      group by idx, measure, grp, day
    ),
    totals as (
      select idx, measure, grp, sum(total) as sum, sum(n)::int as n, count(*)::int as days,
        min(day) as first_day, max(day) as last_day
      from daily
      group by idx, measure, grp
    )`;
  if (snapshot.length > 0) {
    // Each series' first and last day in the period (one hash aggregate), then its value on
    // those days by primary-key lookups: cheaper than a window sort over every fact, and the
    // scalar subqueries keep the plan fixed whatever the statistics say.
    sql += `,
    series as (
      select idx, measure, channel, campaign, grp, min(day) as first_day, max(day) as last_day
      from (${perPeriod('facts', `f.measure, f.channel, f.campaign, ${grp} as grp, f.day`, snapshotParam)}) x
      group by idx, measure, channel, campaign, grp
    ),
    snapshots as (
      select s.idx, s.measure, s.grp,
        sum((select o.value from facts o
             where o.measure = s.measure and o.day = s.first_day
               and o.channel = s.channel and o.campaign = s.campaign)) as opening,
        sum((select c.value from facts c
             where c.measure = s.measure and c.day = s.last_day
               and c.channel = s.channel and c.campaign = s.campaign)) as closing
      from series s
      group by s.idx, s.measure, s.grp
    )
    select t.*, s.opening, s.closing
    from totals t left join snapshots s using (idx, measure, grp)`;
  } else {
    sql += `
    select t.* from totals t`;
  }
  sql += `
    order by 1, 3, 2`;

  const rows = await db.query<AggregateDbRow>(sql, params);
  return rows.map((r) => ({
    period: r.idx,
    group: q.groupBy ? r.grp : null,
    measure: r.measure,
    agg: {
      sum: r.sum,
      avg: r.sum / r.n,
      opening: r.opening ?? Number.NaN,
      closing: r.closing ?? Number.NaN,
      days: r.days,
      firstDay: r.first_day,
      lastDay: r.last_day,
    },
  }));
}

function needsSnapshot(measure: string): boolean {
  const kind = findMeasure(measure)?.kind;
  return kind !== 'additive' && kind !== 'average';
}

// ---------------------------------------------------------------------------------------------
// Metadata

/** The non-empty values of a dimension that facts have used, sorted. */
export async function listDimensionValues(db: Db, dim: Dimension): Promise<string[]> {
  const rows = await db.query<{ value: string }>(
    `select value from dimension_values where dimension = $1 and value <> '' order by value`,
    [dim],
  );
  return rows.map((r) => r.value);
}

export interface MeasureCoverage {
  measure: string;
  /** First and last day with data inside the range; null when none. */
  firstDay: IsoDate | null;
  lastDay: IsoDate | null;
  /** Distinct days with at least one fact inside the range. */
  days: number;
}

/** Per measure (in the order asked, duplicates removed), which days of `range` have data. */
export async function measureCoverage(
  db: Db,
  measures: readonly string[],
  range: DateRange,
): Promise<MeasureCoverage[]> {
  const unique = [...new Set(measures)];
  if (unique.length === 0) return [];
  const rows = await db.query<{
    measure: string;
    first_day: IsoDate | null;
    last_day: IsoDate | null;
    days: number;
  }>(
    `select m.measure, c.first_day, c.last_day, c.days
     from unnest($1::text[]) with ordinality as m(measure, i)
     cross join lateral (
       select min(f.day) as first_day, max(f.day) as last_day, count(distinct f.day)::int as days
       from facts f
       where f.measure = m.measure and f.day >= $2::date and f.day < $3::date + 1
     ) c
     order by m.i`,
    [unique, range.start, range.end],
  );
  return rows.map((r) => ({
    measure: r.measure,
    firstDay: r.first_day,
    lastDay: r.last_day,
    days: r.days,
  }));
}

/** The newest day with data for each measure that has any (an index probe per measure). */
export async function lastDaysByMeasure(
  db: Db,
  measures: readonly string[],
): Promise<Map<string, IsoDate>> {
  const unique = [...new Set(measures)];
  if (unique.length === 0) return new Map();
  const rows = await db.query<{ measure: string; last_day: IsoDate | null }>(
    `select m.measure, (select max(f.day) from facts f where f.measure = m.measure) as last_day
     from unnest($1::text[]) as m(measure)`,
    [unique],
  );
  const out = new Map<string, IsoDate>();
  for (const r of rows) if (r.last_day !== null) out.set(r.measure, r.last_day);
  return out;
}

export interface FreshnessRow {
  measure: string;
  source: string;
  /** Newest day this source has written for the measure. */
  lastDay: IsoDate;
  lastWrittenAt: Date;
}

/** What each source last wrote, per measure (sorted by measure, then source). */
export async function freshness(db: Db): Promise<FreshnessRow[]> {
  const rows = await db.query<{
    measure: string;
    source: string;
    last_day: IsoDate;
    last_written_at: Date;
  }>(
    `select measure, source, last_day, last_written_at
     from measure_freshness order by measure, source`,
  );
  return rows.map((r) => ({
    measure: r.measure,
    source: r.source,
    lastDay: r.last_day,
    lastWrittenAt: r.last_written_at,
  }));
}

/**
 * Reclaims dead row versions and refreshes planner statistics. PGlite has no autovacuum, so
 * call this after a large import, outside any transaction (VACUUM cannot run inside one). On a
 * server autovacuum does the same by itself; calling it there is harmless.
 */
export async function vacuumFacts(db: Db): Promise<void> {
  await db.exec('vacuum (analyze) facts, measure_freshness, dimension_values');
}

export async function countFacts(db: Db): Promise<number> {
  const rows = await db.query<{ n: number }>('select count(*) as n from facts');
  return rows[0]?.n ?? 0;
}
