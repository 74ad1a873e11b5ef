// `/kpi status`: what each source last wrote, per measure, which measures stopped arriving, and
// each SQL source's last sync (a failed one, or one that found no rows, warns like a late feed).
// Pure: freshness rows, syncs and today's date in, the outcome out.
import { addDays, daysInRange } from '../kpi/periods.ts';
import type { IsoDate } from '../kpi/types.ts';
import { wordsFor } from '../messages/lang.ts';
import { STATUS_WORDS } from '../messages/status.ts';
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
  locale = 'en',
): StatusOutcome {
  const w = wordsFor(STATUS_WORDS, locale);
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
    .map((r) => w.stoppedArriving(r.measure, r.source, r.lastDay, r.daysBehind));
  const sources = syncs.map(sourceStatus);
  for (const s of sources) {
    if (s.error !== undefined) {
      const since = s.lastSuccessAt
        ? w.lastGoodSync(s.lastSuccessAt.slice(0, 16).replace('T', ' '))
        : w.neverSynced;
      warnings.push(w.sqlFailed(s.name, s.error, since));
    } else if (s.rows === 0) {
      warnings.push(w.sqlNoRows(s.name, s.window.start, s.window.end));
    }
  }
  for (const a of arrivals) {
    if (a.late) warnings.push(w.sourceLate(sourceLabel(a.source), a));
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
