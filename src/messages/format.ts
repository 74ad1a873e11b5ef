// The words the number formatter writes next to numbers (src/kpi/format.ts). Pure.
import type { Words } from './lang.ts';

export interface FormatWords {
  noData: string;
  days: string;
  /** Percentage points, the unit of a change of a percent. */
  points: string;
  /** A change that rounds to zero at the value's precision. */
  unchanged: string;
}

export const FORMAT_WORDS: Words<FormatWords> = {
  en: { noData: 'no data', days: 'days', points: 'pp', unchanged: 'unchanged' },
  sv: { noData: 'inga data', days: 'dagar', points: 'p.e.', unchanged: 'oförändrat' },
};
