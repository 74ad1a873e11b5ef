// The calendar periods a goal is judged over. Pure.
//
// - A goal's `per` names a calendar unit: ISO weeks (Monday–Sunday, whatever the configured week
//   start, so that a week goal means the same in every summary), months, quarters, years.
// - "As of" a summary: the day after the summary's period, or today when that is earlier (a
//   running period such as `mtd`). Only the days before it count as complete.
import { addDays, isoWeekOf, parsePeriod } from '../kpi/periods.ts';
import type { IsoDate, Period } from '../kpi/types.ts';
import type { GoalPer } from './goal.ts';

/** The canonical phrase of the unit that contains `date`: `2026-W47`, `2026-11`, `2026-Q4`, `2026`. */
export function unitPhrase(per: GoalPer, date: IsoDate): string {
  const year = date.slice(0, 4);
  switch (per) {
    case 'week': {
      const w = isoWeekOf(date);
      return `${w.year}-W${String(w.week).padStart(2, '0')}`;
    }
    case 'month':
      return date.slice(0, 7);
    case 'quarter':
      return `${year}-Q${Math.ceil(Number(date.slice(5, 7)) / 3)}`;
    case 'year':
      return year;
  }
}

/** The whole unit containing `date`, as a complete, labelled period ("November 2026"). */
export function unitContaining(per: GoalPer, date: IsoDate): Period {
  // Resolved as seen from long after it, so that the period comes back whole, never partial.
  const result = parsePeriod(unitPhrase(per, date), {
    now: new Date(`${addDays(date, 400)}T12:00:00Z`),
    timeZone: 'UTC',
    weekStartsOn: 1,
  });
  if (!result.ok) throw new RangeError(`no ${per} contains ${date}: ${result.error}`);
  return result.period;
}

/** The last whole unit that ends on or before `date`. */
export function lastCompleteUnit(per: GoalPer, date: IsoDate): Period {
  const unit = unitContaining(per, date);
  return unit.end <= date ? unit : unitContaining(per, addDays(unit.start, -1));
}

/** The earlier of two dates. */
export function earlier(a: IsoDate, b: IsoDate): IsoDate {
  return a <= b ? a : b;
}

/** The first day not yet complete for a summary of `period`, given today. */
export function asOfDay(period: Period, today: IsoDate): IsoDate {
  return earlier(addDays(period.end, 1), today);
}
