// What a rule checks besides a fixed threshold, and the minimum volume below which a group is
// not checked at all. Types and zod schemas only; the evaluation is condition-check.ts. Pure.
//
// A rule's `comparator` and `threshold` keep their meaning per condition:
// - none (a threshold rule): the KPI's value, in its unit (`roas < 3`).
// - `change`: the relative change of the KPI against the comparison period, as a fraction:
//   `drops 20% vs previous` is `<= −0.2`, `rises 15% vs last-year` is `>= 0.15`.
// - `anomaly`: the distance from the seasonal baseline's median in robust standard
//   deviations (src/kpi/baseline.ts): `is anomalous` is `> 4`, either side.
// The hysteresis is in the same unit as the threshold (a fraction of the base for `change`,
// standard deviations for `anomaly`).
import { z } from 'zod';

export const CHANGE_BASES = ['previous', 'last-year'] as const;
export type ChangeBase = (typeof CHANGE_BASES)[number];

export type Condition = { kind: 'change'; vs: ChangeBase } | { kind: 'anomaly' };

export const conditionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('change'), vs: z.enum(CHANGE_BASES) }),
  z.strictObject({ kind: z.literal('anomaly') }),
]);

/**
 * How far from the baseline's median an anomaly is, in robust standard deviations. 4, not the
 * textbook 3: a spread estimated from only 8 periods is itself uncertain, and on the demo data
 * 3 fired on plain noise (a 7-day window of email revenue reached 3,4), 4 on nothing but the
 * planted decay of meta/retarget.
 */
export const DEFAULT_ANOMALY_K = 4;

export const GUARD_COMPARATORS = ['>=', '>'] as const;

/** A group is checked only while `measure` over the window is `comparator value`. */
export interface VolumeGuard {
  /** A base measure: ad_spend, clicks, sessions… */
  measure: string;
  comparator: (typeof GUARD_COMPARATORS)[number];
  /** In the measure's unit: an amount for money measures, a count otherwise. */
  value: number;
}

export const volumeGuardSchema = z.strictObject({
  measure: z.string().min(1),
  comparator: z.enum(GUARD_COMPARATORS),
  value: z.number().min(0),
});

/** Measures that are amounts of money (a guard on them is written `5000 kr`). */
const MONEY_MEASURES = new Set([
  'ad_spend',
  'marketing_cost',
  'sales_cost',
  'revenue',
  'gross_profit',
]);

export function guardUnit(measure: string): 'currency' | 'count' {
  return MONEY_MEASURES.has(measure) ? 'currency' : 'count';
}

export function guardPasses(guard: VolumeGuard, value: number | null): boolean {
  if (value === null) return false;
  return guard.comparator === '>=' ? value >= guard.value : value > guard.value;
}

/** Why a group was not checked, kept with its state and shown by `/kpi alerts`. */
export type Held =
  | { kind: 'guard'; measure: string; value: number | null; guard: VolumeGuard }
  /** An anomaly rule: too few baseline periods with a value. */
  | { kind: 'history'; have: number; need: number }
  /** A change rule: no value in the comparison period, or one near zero. */
  | { kind: 'base'; vs: ChangeBase; nearZero: boolean };
