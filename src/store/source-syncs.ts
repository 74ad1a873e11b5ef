// Scheduled SQL sources in the store: a sync's facts replace exactly that source's facts in its
// window, in one transaction with the record of the sync (source_syncs), and a failed sync is
// recorded without touching any fact. The facts go through upsertFacts (facts.ts), the write path
// every other source takes, so daily_totals, freshness and dimension values stay as they would.
import type { DateRange, FactInput, IsoDate } from '../kpi/types.ts';
import type { Db } from './db.ts';
import { type DayRange, lockFactRanges } from './fact-locks.ts';
import { upsertFacts } from './facts.ts';
import { retryTransaction } from './retry.ts';

/** What facts.source holds for the facts of the SQL source `name`. */
export function sqlSourceTag(name: string): string {
  return `sql:${name}`;
}

export interface SourceSync {
  source: string;
  /** The last run: when, which window, and its error (undefined: it succeeded). */
  attemptedAt: Date;
  attemptWindow: DateRange;
  error?: string;
  /** The last successful run, if any: when, which window, how many rows it read. */
  synced?: { at: Date; window: DateRange; rows: number };
}

interface SyncRow {
  source: string;
  attempted_at: Date;
  attempt_from: IsoDate;
  attempt_to: IsoDate;
  error: string | null;
  synced_at: Date | null;
  synced_from: IsoDate | null;
  synced_to: IsoDate | null;
  rows: number | null;
}

function fromRow(r: SyncRow): SourceSync {
  return {
    source: r.source,
    attemptedAt: new Date(r.attempted_at),
    attemptWindow: { start: r.attempt_from, end: r.attempt_to },
    ...(r.error !== null ? { error: r.error } : {}),
    ...(r.synced_at !== null && r.synced_from !== null && r.synced_to !== null
      ? {
          synced: {
            at: new Date(r.synced_at),
            window: { start: r.synced_from, end: r.synced_to },
            rows: r.rows ?? 0,
          },
        }
      : {}),
  };
}

/** Every source's last sync, by name. */
export async function listSourceSyncs(db: Db): Promise<SourceSync[]> {
  const rows = await db.query<SyncRow>('select * from source_syncs order by source');
  return rows.map(fromRow);
}

export async function getSourceSync(db: Db, source: string): Promise<SourceSync | undefined> {
  const rows = await db.query<SyncRow>('select * from source_syncs where source = $1', [source]);
  return rows[0] ? fromRow(rows[0]) : undefined;
}

const LOCK_SOURCE = `select pg_advisory_xact_lock(hashtextextended($1, 0))`;

const RECORD_SUCCESS = `
  insert into source_syncs
    (source, attempted_at, attempt_from, attempt_to, error, synced_at, synced_from, synced_to, rows)
  values ($1, $2, $3, $4, null, $2, $3, $4, $5)
  on conflict (source) do update set
    attempted_at = excluded.attempted_at, attempt_from = excluded.attempt_from,
    attempt_to = excluded.attempt_to, error = null, synced_at = excluded.synced_at,
    synced_from = excluded.synced_from, synced_to = excluded.synced_to, rows = excluded.rows`;

const RECORD_FAILURE = `
  insert into source_syncs (source, attempted_at, attempt_from, attempt_to, error)
  values ($1, $2, $3, $4, $5)
  on conflict (source) do update set
    attempted_at = excluded.attempted_at, attempt_from = excluded.attempt_from,
    attempt_to = excluded.attempt_to, error = excluded.error`;

export interface Replacement {
  /** The source's name (its facts are tagged sqlSourceTag(name)). */
  source: string;
  /** Inclusive; every fact must lie inside it (the caller checked). */
  window: DateRange;
  facts: readonly FactInput[];
  /** Rows the source returned (recorded in source_syncs). */
  rows: number;
  at: Date;
}

/**
 * In one transaction: removes the source's facts inside the window that `facts` no longer holds,
 * writes `facts` (upsertFacts, tagged with the source: an unchanged fact stays as it was) and
 * records the sync. Facts of the source outside the window, and
 * facts of other sources, stay as they were (a key another source wrote and this one also
 * returns is taken over, as any later write takes it over). Resolves to the facts removed and
 * written.
 */
export async function replaceSourceFacts(
  db: Db,
  r: Replacement,
): Promise<{ removed: number; written: number }> {
  const tag = sqlSourceTag(r.source);
  return retryTransaction(db, async (tx) => {
    // One sync of a source at a time (a `kpibot sync` beside the schedule waits for it).
    await tx.query(LOCK_SOURCE, [`kpibot.source:${r.source}`]);
    // The measures this source has ever written (freshness keeps them) and those it writes now,
    // locked in one call: upsertFacts takes a subset of them again, which never waits.
    const known = await tx.query<{ measure: string }>(
      'select measure from measure_freshness where source = $1',
      [tag],
    );
    const measures = [
      ...new Set([...known.map((k) => k.measure), ...r.facts.map((f) => f.measure)]),
    ];
    const range: DayRange = { lo: r.window.start, hi: r.window.end };
    await lockFactRanges(tx, new Map(measures.map((m) => [m, range])));
    // Facts of the source in the window that it no longer returns go; the rest are upserted,
    // which leaves a fact whose value is unchanged as it was (no new row version).
    const removed = await tx.query<{ n: number }>(
      `with gone as (
         delete from facts f
         where f.measure = any($1::text[]) and f.day >= $2::date and f.day <= $3::date
           and f.source = $4
           and not exists (
             select 1 from unnest($5::text[], $6::date[], $7::text[], $8::text[])
               as k(measure, day, channel, campaign)
             where k.measure = f.measure and k.day = f.day and k.channel = f.channel
               and k.campaign = f.campaign
           )
         returning 1
       )
       select count(*)::int as n from gone`,
      [
        measures,
        r.window.start,
        r.window.end,
        tag,
        r.facts.map((f) => f.measure),
        r.facts.map((f) => f.day),
        r.facts.map((f) => f.channel),
        r.facts.map((f) => f.campaign),
      ],
    );
    const { written } = await upsertFacts(tx, r.facts, { source: tag });
    await tx.query(RECORD_SUCCESS, [r.source, r.at, r.window.start, r.window.end, r.rows]);
    return { removed: removed[0]?.n ?? 0, written };
  });
}

/**
 * Records a run that read nothing: no fact is touched (a loader that is reloading a table can
 * show it empty for a while; the next sync reads it again), and `/kpi status` warns of 0 rows.
 */
export async function recordEmptySync(
  db: Db,
  r: { source: string; window: DateRange; at: Date },
): Promise<void> {
  await db.query(RECORD_SUCCESS, [r.source, r.at, r.window.start, r.window.end, 0]);
}

/** Records a failed run; the facts and the last successful sync stay as they were. */
export async function recordSyncFailure(
  db: Db,
  f: { source: string; window: DateRange; error: string; at: Date },
): Promise<void> {
  await db.query(RECORD_FAILURE, [f.source, f.at, f.window.start, f.window.end, f.error]);
}
