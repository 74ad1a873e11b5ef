// How a source's data arrives, and whether it is late. Pure: the days a source has data for,
// today's date and the local time in, a verdict with its reason out.
//
// Cadence: configured (`sources.<name>.cadence`, `arrivals.<name>.cadence`), or learned from
// the source's history: the median gap between its last LEARN_DAYS_MAX days with data, 1 day
// (daily) or about 7 (weekly); anything else, or fewer than LEARN_DAYS_MIN days, is irregular
// and never called late (a one-off import is not a feed that stopped).
//
// Late: the newest day is older than the cadence allows. A daily source should have
// yesterday's data; a weekly one last week's. Before its `by` time (when configured) a day more
// is allowed, and without `by` one day of slack always is: a loader that lands at noon is not
// late at 09:00.
import { addDays } from '../kpi/periods.ts';
import type { IsoDate } from '../kpi/types.ts';
import type { ArrivalConfig, Cadence } from './arrival.ts';

/** Days with data that it takes to learn a cadence, and the most that are looked at. */
export const LEARN_DAYS_MIN = 4;
export const LEARN_DAYS_MAX = 30;

export interface Arrival {
  cadence: Cadence | null;
  /** Whether the cadence was learned (false: configured). */
  learned: boolean;
  by?: string;
  lastDay: IsoDate | null;
  /** The newest day that should be there by now (null: irregular, never late). */
  expected: IsoDate | null;
  late: boolean;
  reason: string;
}

const dayNumber = (d: IsoDate) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;

/** The cadence of a source from its days with data (any order, duplicates allowed). */
export function learnCadence(days: readonly IsoDate[]): Cadence | null {
  const sorted = [...new Set(days)].sort().slice(-LEARN_DAYS_MAX);
  if (sorted.length < LEARN_DAYS_MIN) return null;
  const gaps = sorted.slice(1).map((d, i) => dayNumber(d) - dayNumber(sorted[i]!));
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)]!;
  if (median <= 1) return 'daily';
  if (median >= 6 && median <= 8) return 'weekly';
  return null;
}

/**
 * Whether a source is late at local date `today` and local time `time` (`HH:MM`), from its
 * days with data (recent history is enough) and its configuration, if any.
 */
export function arrivalOf(
  days: readonly IsoDate[],
  today: IsoDate,
  time: string,
  config?: ArrivalConfig,
): Arrival {
  const lastDay = days.length === 0 ? null : [...days].sort().at(-1)!;
  const cadence = config?.cadence ?? learnCadence(days);
  const learned = config === undefined;
  const base = { cadence, learned, ...(config?.by ? { by: config.by } : {}), lastDay };
  if (cadence === null || lastDay === null) {
    return {
      ...base,
      expected: null,
      late: false,
      reason:
        lastDay === null
          ? 'no data yet: nothing to be late'
          : 'no regular cadence in its history: never called late',
    };
  }
  const period = cadence === 'daily' ? 1 : 7;
  const beforeBy = config?.by === undefined || time < config.by;
  const expected = addDays(today, -period - (beforeBy ? 1 : 0));
  const late = lastDay < expected;
  const how = `${cadence}${config?.by ? ` by ${config.by}` : ''}${learned ? ' (learned)' : ''}`;
  return {
    ...base,
    expected,
    late,
    reason: late
      ? `${how}: data up to ${expected} expected, the newest is ${lastDay}`
      : `${how}: up to date (newest ${lastDay}, expected ${expected})`,
  };
}
