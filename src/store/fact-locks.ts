// Concurrent writers of facts, kept apart: before a transaction writes facts of a measure in a
// year, it takes a transaction-scoped advisory lock on (measure, year), all of a call's locks in
// one sorted order. Two writers of the same measure and year then run one after the other, which
//   - keeps daily_totals exact: its triggers (and a bulk writer's recompute) sum facts from the
//     statement's snapshot, and under READ COMMITTED two writers of one (measure, day, channel)
//     would each sum without the other's facts, the later commit keeping a stale total;
//   - leaves no row lock to wait on in another order (the deadlock of two overlapping pushes);
//   - makes "this range holds no facts yet" (fact-writer.ts's plain INSERT) stay true until commit.
// A writer that learns its measures batch by batch (an import) takes each batch's locks as it
// goes, so two of them can still wait on each other in a cycle: the server then aborts one
// (deadlock detected) and its caller runs the transaction again (retry.ts).
import type { IsoDate } from '../kpi/types.ts';
import type { Db } from './db.ts';

export interface DayRange {
  lo: IsoDate;
  hi: IsoDate;
}

// Sorted by lock key in a subquery, then locked row by row in that order. hashtextextended maps
// two names to one key only by chance: the two writers then merely wait for each other.
const LOCK_KEYS = `
  select count(pg_advisory_xact_lock(k))::int as n
  from (select distinct hashtextextended(t, 0) as k from unnest($1::text[]) as t order by k) s`;

/** First and last day per measure, from a batch's measure and day columns. */
export function dayRanges(
  measures: readonly string[],
  days: readonly IsoDate[],
): Map<string, DayRange> {
  const ranges = new Map<string, DayRange>();
  let measure = '';
  let r: DayRange | undefined;
  for (let i = 0; i < measures.length; i++) {
    const m = measures[i] as string;
    const day = days[i] as IsoDate;
    if (m !== measure || r === undefined) {
      measure = m;
      r = ranges.get(m);
      if (r === undefined) {
        r = { lo: day, hi: day };
        ranges.set(m, r);
        continue;
      }
    }
    if (day < r.lo) r.lo = day;
    else if (day > r.hi) r.hi = day;
  }
  return ranges;
}

/** The lock names for each measure and every year its range spans. */
export function lockNames(ranges: ReadonlyMap<string, DayRange>): string[] {
  const names: string[] = [];
  for (const [measure, r] of ranges) {
    const last = Number(r.hi.slice(0, 4));
    for (let y = Number(r.lo.slice(0, 4)); y <= last; y++)
      names.push(`kpibot.facts:${measure}:${y}`);
  }
  return names;
}

/**
 * Waits for and takes the locks on every (measure, year) in `ranges`, held until `tx` ends.
 * Taking a lock this transaction already holds costs nothing more.
 */
export async function lockFactRanges(tx: Db, ranges: ReadonlyMap<string, DayRange>): Promise<void> {
  const names = lockNames(ranges);
  if (names.length > 0) await tx.query(LOCK_KEYS, [names]);
}
