// Short axis labels for periods, in the locale: `16 nov.` for a week or day, `okt. 2026` for a
// month, `Q3 2026`, `2026`. Dates are calendar dates, formatted in UTC so no timezone shifts them.
import type { DateRange, PeriodGrain } from '../kpi/types.ts';

export function periodTick(range: DateRange, grain: PeriodGrain, locale: string): string {
  const date = new Date(`${range.start}T00:00:00Z`);
  const year = date.getUTCFullYear();
  switch (grain) {
    case 'year':
      return String(year);
    case 'quarter':
      return `Q${Math.floor(date.getUTCMonth() / 3) + 1} ${year}`;
    case 'month':
      return new Intl.DateTimeFormat(locale, {
        month: 'short',
        year: 'numeric',
        timeZone: 'UTC',
      }).format(date);
    default:
      return new Intl.DateTimeFormat(locale, {
        day: 'numeric',
        month: 'short',
        timeZone: 'UTC',
      }).format(date);
  }
}
