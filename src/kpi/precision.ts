// How many decimals a figure is shown with: the one precision rule of every view (answers,
// alerts, summaries, the CLI text, the local workspace). Pure; src/kpi/format.ts applies it.
//
// Decisions:
// - Precision follows the decision a figure serves. Multiples, ratios and percents show two
//   decimals below 10 (`4,25×`, `3,12 %`), one from 10 (`10,4×`, `33,6 %`), none from 100
//   (`770 %`); a trailing zero in the second decimal is dropped (`4,2×`, never `4,20×`), the
//   first is kept (`4,0×`), so a column of ROAS values reads as one scale.
// - Currency: none from 100 (after rounding to cents), two below; counts: none for integers,
//   one otherwise; days and positions: one.
// - Against a threshold, benchmark or target the value gains decimals (up to MAX_DIGITS) until
//   the two are visibly different: 2.996 against a 3× floor is `2,996×`, never `3,00×`.
// - A change is shown with the precision of the value it changes (`10,4×` → `+0,1×`, not
//   `+0,03×`). It is "unchanged" when the values before and after show alike at that precision;
//   when they do not and the change would still read as zero there, it gains decimals.
import type { Unit } from './types.ts';

export interface Digits {
  min: number;
  max: number;
}

/** Decimals are never widened past this many, in the unit's display scale. */
export const MAX_DIGITS = 4;

/** The value in the scale it is shown in: percents as 0–100, everything else as is. */
export function displayScale(v: number, unit: Unit): number {
  return unit === 'percent' ? v * 100 : v;
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** Two decimals below 10, one below 100, none above (`x` in the display scale, unsigned). */
function byMagnitude(x: number): Digits {
  if (round(x, 2) < 10) return { min: 1, max: 2 };
  if (round(x, 1) < 100) return { min: 1, max: 1 };
  return { min: 0, max: 0 };
}

/** The decimals `v` is shown with in `unit`, on its own. */
export function digitsFor(v: number, unit: Unit): Digits {
  const x = Math.abs(displayScale(v, unit));
  switch (unit) {
    case 'currency':
      return v === 0 || round(x, 2) >= 100 ? { min: 0, max: 0 } : { min: 2, max: 2 };
    case 'count':
      return Number.isInteger(v) ? { min: 0, max: 0 } : { min: 1, max: 1 };
    case 'days':
    case 'position':
      return { min: 1, max: 1 };
    case 'multiple':
    case 'ratio':
    case 'percent':
      return byMagnitude(x);
  }
}

/**
 * The decimals `v` is shown with next to `against` (a threshold, benchmark or target): its own,
 * widened until the two no longer look equal (they may still, at MAX_DIGITS, if they differ by
 * float noise only).
 */
export function digitsAgainst(v: number, against: number | null | undefined, unit: Unit): Digits {
  const own = digitsFor(v, unit);
  if (against === null || against === undefined || !Number.isFinite(against) || v === against) {
    return own;
  }
  const a = displayScale(v, unit);
  const b = displayScale(against, unit);
  let max = own.max;
  while (max < MAX_DIGITS && round(a, max) === round(b, max)) max += 1;
  return { min: Math.min(own.min, max), max };
}

/**
 * The decimals a change of `of` is shown with: the precision of the value it changes, widened
 * (up to MAX_DIGITS; currency straight to cents) when the change would read as zero there while
 * the two values do not (4,65 → 4,62 at one decimal is 4,7 → 4,6: the change is −0,03, not −0,0).
 */
export function digitsOfChange(delta: number, of: number | null | undefined, unit: Unit): Digits {
  const base = of === null || of === undefined || !Number.isFinite(of) ? delta : of;
  const d = digitsFor(base, unit);
  // A currency change keeps the value's whole units, but cents only below 100 kr as values do.
  const own = unit === 'currency' ? d : { min: d.max === 0 ? 0 : 1, max: d.max };
  const x = Math.abs(displayScale(delta, unit));
  if (x === 0 || round(x, own.max) !== 0 || roundsToZero(delta, of, unit)) return own;
  if (unit === 'currency') return { min: 2, max: 2 };
  let max = own.max;
  while (max < MAX_DIGITS && round(x, max) === 0) max += 1;
  return { min: own.min, max };
}

/**
 * True when a change of `delta` to `of` is no change to a reader: the value before (`of − delta`)
 * and after show alike at the precision `of` is shown with. Without `of`, when `delta` itself
 * rounds to zero at its own precision.
 */
export function roundsToZero(delta: number, of: number | null | undefined, unit: Unit): boolean {
  if (of === null || of === undefined || !Number.isFinite(of)) {
    const { max } = digitsFor(delta, unit);
    return round(Math.abs(displayScale(delta, unit)), max) === 0;
  }
  const { max } = digitsFor(of, unit);
  return round(displayScale(of, unit), max) === round(displayScale(of - delta, unit), max);
}
