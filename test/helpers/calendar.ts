// Calendar days for seeding test stores, from the product's own date arithmetic.
import { addDays, daysInRange } from '../../src/kpi/periods.ts';
import type { IsoDate } from '../../src/kpi/types.ts';

/** Every day from `from` to `to`, both included. */
export function eachDay(from: IsoDate, to: IsoDate): IsoDate[] {
  return Array.from({ length: daysInRange({ start: from, end: to }) }, (_, i) => addDays(from, i));
}
