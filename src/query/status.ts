// `/kpi status`: what each source last wrote, per measure, and which measures stopped arriving.
// Pure: freshness rows and today's date in, the outcome out.
import { addDays, daysInRange } from '../kpi/periods.ts';
import type { IsoDate } from '../kpi/types.ts';
import type { FreshnessRow } from '../store/facts.ts';
import type { StatusOutcome } from './outcome.ts';

/** Data for yesterday is normal; a source this many days behind yesterday has stopped arriving. */
export const STALE_AFTER_DAYS = 2;

export function buildStatus(rows: FreshnessRow[], today: IsoDate): StatusOutcome {
  const yesterday = addDays(today, -1);
  const out = rows.map((r) => {
    const daysBehind =
      r.lastDay >= yesterday ? 0 : daysInRange({ start: r.lastDay, end: yesterday }) - 1;
    return {
      measure: r.measure,
      source: r.source,
      lastDay: r.lastDay,
      lastWrittenAt: r.lastWrittenAt.toISOString(),
      daysBehind,
      stale: daysBehind >= STALE_AFTER_DAYS,
    };
  });
  const warnings = out
    .filter((r) => r.stale)
    .map(
      (r) =>
        `${r.measure} from ${r.source} stopped arriving: last day with data ${r.lastDay}, ${r.daysBehind} days behind.`,
    );
  return { kind: 'status', today, rows: out, warnings };
}
