// `/kpi status`: what each source last wrote, per measure, which measures stopped arriving, and
// each SQL source's last sync (a failed one, or one that found no rows, warns like a late feed).
// Pure: freshness rows, syncs and today's date in, the outcome out.
import { addDays, daysInRange } from '../kpi/periods.ts';
import type { IsoDate } from '../kpi/types.ts';
import { type SourceArrival, sourceLabel } from '../sources/arrivals.ts';
import type { FreshnessRow } from '../store/facts.ts';
import type { SourceSync } from '../store/source-syncs.ts';
import type { SourceStatus, StatusOutcome } from './outcome.ts';

/** Data for yesterday is normal; a source this many days behind yesterday has stopped arriving. */
export const STALE_AFTER_DAYS = 2;

export function buildStatus(
  rows: FreshnessRow[],
  today: IsoDate,
  syncs: readonly SourceSync[] = [],
  arrivals: readonly SourceArrival[] = [],
): StatusOutcome {
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
  const sources = syncs.map(sourceStatus);
  for (const s of sources) {
    if (s.error !== undefined) {
      const since = s.lastSuccessAt
        ? `last good sync ${s.lastSuccessAt.slice(0, 16).replace('T', ' ')} UTC`
        : 'never synced';
      warnings.push(`SQL source ${s.name} failed: ${s.error} (${since}).`);
    } else if (s.rows === 0) {
      warnings.push(
        `SQL source ${s.name} returned no rows for ${s.window.start} – ${s.window.end}.`,
      );
    }
  }
  for (const a of arrivals) {
    if (a.late) warnings.push(`Source ${sourceLabel(a.source)} is late: ${a.reason}.`);
  }
  return {
    kind: 'status',
    today,
    rows: out,
    sources,
    ...(arrivals.length > 0
      ? {
          arrivals: arrivals.map((a) => ({
            source: sourceLabel(a.source),
            cadence: a.cadence,
            learned: a.learned,
            ...(a.by ? { by: a.by } : {}),
            lastDay: a.lastDay,
            late: a.late,
            reason: a.reason,
          })),
        }
      : {}),
    warnings,
  };
}

function sourceStatus(s: SourceSync): SourceStatus {
  return {
    name: s.source,
    lastRunAt: s.attemptedAt.toISOString(),
    window: s.attemptWindow,
    ...(s.error !== undefined ? { error: s.error } : {}),
    ...(s.synced ? { lastSuccessAt: s.synced.at.toISOString(), rows: s.synced.rows } : {}),
  };
}
