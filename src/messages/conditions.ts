// The words of relative and anomaly alert conditions and of volume guards: how a rule reads
// back, the one line an alert message gives its condition, and why a group was not checked.
// Values come in already formatted in the locale. Pure.
import type { Words } from './lang.ts';

export type ChangeBaseWord = 'previous' | 'last-year';

export interface ConditionWords {
  /** `drops 20 % vs previous`. */
  changeRule(direction: 'drops' | 'rises', by: string, vs: ChangeBaseWord): string;
  /** `is anomalous (…)`, k = the width in standard deviations. */
  anomalyRule(k: string): string;
  /** `when ad_spend ≥ 5 000 kr`. */
  guardRule(measure: string, comparator: '≥' | '>', value: string): string;
  /** The alert's line: `Expected 3.8–4.6× (the same days of the previous 8 weeks), got 2.1×`. */
  expected(low: string, high: string, periods: number, got: string): string;
  /** The alert's line: `−30 % vs the previous period (3.0× → 2.1×)`. */
  change(change: string, vs: ChangeBaseWord, base: string, got: string): string;
  /** `/kpi alerts`: a group below the guard. */
  heldGuard(measure: string, value: string, comparator: '≥' | '>', min: string): string;
  /** `/kpi alerts`: an anomaly rule without enough history. */
  heldHistory(have: number, need: number): string;
  /** `/kpi alerts`: a change rule without a base, or with one near zero. */
  heldBase(vs: ChangeBaseWord, nearZero: boolean): string;
  /** `/kpi alerts`: before the held groups. */
  notChecked: string;
  /** `/kpi alerts`: the guard's measure had no facts in the window. */
  none: string;
}

const EN_BASE: Record<ChangeBaseWord, string> = {
  previous: 'the previous period',
  'last-year': 'the same period last year',
};
const SV_BASE: Record<ChangeBaseWord, string> = {
  previous: 'föregående period',
  'last-year': 'samma period förra året',
};

export const CONDITION_WORDS: Words<ConditionWords> = {
  en: {
    changeRule: (direction, by, vs) => `${direction} ${by} vs ${vs}`,
    anomalyRule: (k) => `is anomalous (${k} σ from the same days of the previous 8 weeks)`,
    guardRule: (measure, comparator, value) => `when ${measure} ${comparator} ${value}`,
    expected: (low, high, periods, got) =>
      `Expected ${low}–${high} (from the same days of the previous ${periods} weeks), got ${got}`,
    change: (change, vs, base, got) => `${change} vs ${EN_BASE[vs]} (${base} → ${got})`,
    heldGuard: (measure, value, comparator, min) =>
      `${measure} ${value}, checked from ${comparator} ${min}`,
    heldHistory: (have, need) =>
      `only ${have} of the previous 8 periods have a value, ${need} needed for a baseline`,
    heldBase: (vs, nearZero) =>
      nearZero
        ? `${EN_BASE[vs]} is near zero: no percent change`
        : `no value for ${EN_BASE[vs]} to compare with`,
    notChecked: 'not checked',
    none: 'none',
  },
  sv: {
    changeRule: (direction, by, vs) =>
      `${direction === 'drops' ? 'sjunker' : 'stiger'} ${by} mot ${vs === 'previous' ? 'föregående' : 'förra året'}`,
    anomalyRule: (k) => `avviker (${k} σ från samma dagar de 8 föregående veckorna)`,
    guardRule: (measure, comparator, value) => `när ${measure} ${comparator} ${value}`,
    expected: (low, high, periods, got) =>
      `Förväntat ${low}–${high} (utifrån samma dagar de ${periods} föregående veckorna), blev ${got}`,
    change: (change, vs, base, got) => `${change} mot ${SV_BASE[vs]} (${base} → ${got})`,
    heldGuard: (measure, value, comparator, min) =>
      `${measure} ${value}, kontrolleras från ${comparator} ${min}`,
    heldHistory: (have, need) =>
      `bara ${have} av de 8 föregående perioderna har ett värde, ${need} behövs för en baslinje`,
    heldBase: (vs, nearZero) =>
      nearZero
        ? `${SV_BASE[vs]} är nära noll: ingen procentuell förändring`
        : `inget värde för ${SV_BASE[vs]} att jämföra med`,
    notChecked: 'kontrolleras inte',
    none: 'inget',
  },
};
