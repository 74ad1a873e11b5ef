// What a KPI's value is expected to be, from its own history, and how far it moved from a
// base: the maths of relative and anomaly alert conditions. Pure.
//
// The seasonal baseline (anomaly conditions), decided so:
// - Periods: the window shifted back by whole weeks, BASELINE_PERIODS times. The step is the
//   window's length rounded up to whole weeks (`yesterday` → 7 days, so the same weekday of
//   each of the previous 8 weeks; `last-7-days` → the previous 8 weeks; `last-14-days` → the
//   previous 8 fortnights). Each baseline period holds the same weekdays as the window, so the
//   weekly rhythm (a quiet Sunday) is in the baseline and never reads as a deviation.
// - Centre: the median of the baseline values; spread: the median absolute deviation scaled by
//   1.4826 (for normally distributed values this estimates the standard deviation). Unlike a
//   mean and standard deviation, both ignore up to half the periods being odd (a campaign
//   launch, a Black Friday week), so one past spike neither widens the range nor moves it.
// - The spread is at least MIN_RELATIVE_SPREAD of the median's size: a series that was nearly
//   flat for 8 weeks would otherwise call a 2 % wiggle anomalous.
// - Expected range: median ± k × spread (k = 4 by default, the rule's threshold; see
//   DEFAULT_ANOMALY_K in src/alerts/condition.ts for why not 3). A value outside it is anomalous.
//   Single-day windows are noisy (8 single days give a rough spread): prefer `last-7-days`. With fewer than MIN_BASELINE_VALUES periods that have a value,
//   there is no baseline (a new campaign): nothing is judged.
import { addDays, daysInRange } from './periods.ts';
import type { Period, Unit } from './types.ts';

/** Baseline periods before the window. */
export const BASELINE_PERIODS = 8;
/** Baseline periods that must have a value for a range to be drawn. */
export const MIN_BASELINE_VALUES = 6;
/** MAD → standard deviation for normally distributed values. */
export const MAD_SCALE = 1.4826;
/** The spread is at least this share of |median|. */
export const MIN_RELATIVE_SPREAD = 0.05;

/** The median of `values` (the mean of the middle two for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median absolute deviation from the median; null when empty. */
export function medianAbsoluteDeviation(values: readonly number[]): number | null {
  const m = median(values);
  return m === null ? null : median(values.map((v) => Math.abs(v - m)));
}

/** The periods a window's baseline is drawn from: oldest first, the window not included. */
export function seasonalPeriods(window: Period, count = BASELINE_PERIODS): Period[] {
  const step = Math.ceil(daysInRange(window) / 7) * 7;
  return Array.from({ length: count }, (_, i) => {
    const back = step * (count - i);
    const start = addDays(window.start, -back);
    const end = addDays(window.end, -back);
    return { phrase: window.phrase, label: `${start} – ${end}`, grain: 'range', start, end };
  });
}

export interface ExpectedRange {
  low: number;
  high: number;
  median: number;
  /** The robust standard deviation the range is k of, either side of the median. */
  spread: number;
  /** Baseline periods that had a value. */
  count: number;
}

/** The expected range from the baseline periods' values (null = no value that period). */
export function expectedRange(values: readonly (number | null)[], k: number): ExpectedRange | null {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length < MIN_BASELINE_VALUES) return null;
  const m = median(known)!;
  const spread = Math.max(
    MAD_SCALE * medianAbsoluteDeviation(known)!,
    MIN_RELATIVE_SPREAD * Math.abs(m),
  );
  return { low: m - k * spread, high: m + k * spread, median: m, spread, count: known.length };
}

/**
 * Below this size a base is "near zero" for a percent change: one unit of money or one of a
 * count, a tenth of a percentage point, a hundredth of a multiple, ratio, day or rank.
 */
const NEAR_ZERO: Record<Unit, number> = {
  currency: 1,
  count: 1,
  percent: 0.001,
  multiple: 0.01,
  ratio: 0.01,
  days: 0.01,
  position: 0.01,
};

/** Whether `base` is too close to zero for a percent change of it to mean anything. */
export function nearZero(base: number, unit: Unit): boolean {
  return Math.abs(base) < NEAR_ZERO[unit];
}

/**
 * The relative change from `base` to `current` as a fraction (−0.2 = 20 % lower); null when
 * either is missing or the base is near zero (growth from 0 or 0,3 kr is no percentage).
 */
export function percentChange(
  current: number | null,
  base: number | null,
  unit: Unit,
): number | null {
  if (current === null || base === null || !Number.isFinite(current) || !Number.isFinite(base)) {
    return null;
  }
  if (nearZero(base, unit)) return null;
  return (current - base) / Math.abs(base);
}
