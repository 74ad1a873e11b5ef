// What one group of a rule is checked against this time: the rule's own threshold, or for a
// rule with a condition the threshold in the KPI's unit that the condition comes to, from the
// group's baseline; or why the group is not checked (below the volume guard, no baseline). The
// state machine then runs on the KPI's value against that, so for/hysteresis/repeat work the
// same for every condition. Pure.
//
//   change  `drops 20% vs previous`, base 3,0×: fires at or below 3,0 − 0,2 × 3,0 = 2,4×
//   anomaly `is anomalous`, baseline median 4,2×, spread 0,1×: fires below 4,2 − 4 × 0,1 =
//           3,8× or above 4,6× (the side the value is on)
// The rule's hysteresis scales the same way: a fraction of the base, or of the spread.
import {
  type ExpectedRange,
  expectedRange,
  MIN_BASELINE_VALUES,
  nearZero,
  percentChange,
} from '../kpi/baseline.ts';
import type { Unit } from '../kpi/types.ts';
import { type ChangeBase, guardPasses, type Held } from './condition.ts';
import type { AlertRule, Comparator } from './rule.ts';

export interface GroupFigures {
  /** The KPI over the window. */
  value: number | null;
  /** The guard's measure over the window (rules with a guard). */
  guardValue: number | null;
  /** The KPI over the baseline periods: the comparison period (change), or the seasonal ones. */
  baseline: readonly (number | null)[];
}

/** What a condition found, for the message's one line. */
export type CheckDetail =
  | { kind: 'anomaly'; range: ExpectedRange }
  | { kind: 'change'; vs: ChangeBase; base: number; change: number | null };

export type GroupCheck =
  | { kind: 'held'; held: Held }
  | {
      kind: 'check';
      comparator: Comparator;
      threshold: number;
      hysteresis: number;
      detail?: CheckDetail;
    };

type Checked = Pick<AlertRule, 'comparator' | 'threshold' | 'hysteresis' | 'condition' | 'guard'>;

/** The group's check: see the file's comment. */
export function checkGroup(rule: Checked, unit: Unit, figures: GroupFigures): GroupCheck {
  const own: GroupCheck = {
    kind: 'check',
    comparator: rule.comparator,
    threshold: rule.threshold,
    hysteresis: rule.hysteresis,
  };
  // No value: the state machine's "no data", whatever the guard and the condition.
  if (figures.value === null) return own;
  if (rule.guard && !guardPasses(rule.guard, figures.guardValue)) {
    return {
      kind: 'held',
      held: {
        kind: 'guard',
        measure: rule.guard.measure,
        value: figures.guardValue,
        guard: rule.guard,
      },
    };
  }
  const { condition } = rule;
  if (condition === undefined) return own;
  if (condition.kind === 'change') {
    const base = figures.baseline[0] ?? null;
    if (base === null || nearZero(base, unit)) {
      return { kind: 'held', held: { kind: 'base', vs: condition.vs, nearZero: base !== null } };
    }
    const size = Math.abs(base);
    return {
      kind: 'check',
      comparator: rule.comparator,
      threshold: base + rule.threshold * size,
      hysteresis: rule.hysteresis * size,
      detail: {
        kind: 'change',
        vs: condition.vs,
        base,
        change: percentChange(figures.value, base, unit),
      },
    };
  }
  const range = expectedRange(figures.baseline, rule.threshold);
  if (range === null) {
    const have = figures.baseline.filter((v) => v !== null).length;
    return { kind: 'held', held: { kind: 'history', have, need: MIN_BASELINE_VALUES } };
  }
  const below = figures.value < range.median;
  return {
    kind: 'check',
    comparator: below ? '<' : '>',
    threshold: below ? range.low : range.high,
    hysteresis: rule.hysteresis * range.spread,
    detail: { kind: 'anomaly', range },
  };
}
