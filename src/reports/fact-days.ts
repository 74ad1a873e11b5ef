// Two small reads of the facts the summary needs beyond aggregates: which days of a period have
// no data per measure (called out in the footer, never averaged over), and which channels each
// campaign ran on (to name drivers `meta/retarget`). Parameterised SQL only.
import { addDays, daysInRange } from '../kpi/periods.ts';
import type { DateRange, IsoDate } from '../kpi/types.ts';
import type { Db } from '../store/db.ts';

type Queries = Pick<Db, 'query'>;

export interface MissingDays {
  measure: string;
  days: IsoDate[];
}

/**
 * Per measure (in the order given), the days of `range` without a single fact. Measures with
 * every day covered are left out.
 */
export async function missingDays(
  db: Queries,
  measures: readonly string[],
  range: DateRange,
): Promise<MissingDays[]> {
  const unique = [...new Set(measures)];
  if (unique.length === 0 || daysInRange(range) <= 0) return [];
  const rows = await db.query<{ measure: string; day: IsoDate }>(
    `select measure, day from facts
     where measure = any($1::text[]) and day >= $2::date and day < $3::date + 1
     group by measure, day`,
    [unique, range.start, range.end],
  );
  const seen = new Map<string, Set<IsoDate>>();
  for (const r of rows) {
    const days = seen.get(r.measure) ?? new Set<IsoDate>();
    days.add(r.day);
    seen.set(r.measure, days);
  }
  const all = Array.from({ length: daysInRange(range) }, (_, i) => addDays(range.start, i));
  const out: MissingDays[] = [];
  for (const measure of unique) {
    const have = seen.get(measure) ?? new Set<IsoDate>();
    const days = all.filter((d) => !have.has(d));
    if (days.length > 0) out.push({ measure, days });
  }
  return out;
}

/** Campaign → the channels it has facts on within `range` (sorted), for these measures. */
export async function campaignChannels(
  db: Queries,
  measures: readonly string[],
  range: DateRange,
): Promise<Map<string, string[]>> {
  const rows = await db.query<{ campaign: string; channel: string }>(
    `select campaign, channel from facts
     where measure = any($1::text[]) and day >= $2::date and day < $3::date + 1
       and campaign <> '' and channel <> ''
     group by campaign, channel
     order by campaign, channel`,
    [[...new Set(measures)], range.start, range.end],
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.campaign, [...(out.get(r.campaign) ?? []), r.channel]);
  return out;
}
