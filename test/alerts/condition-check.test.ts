// What one group is checked against (condition-check.ts), as a table; each expected threshold
// worked out by hand in its comment.
import { describe, expect, it } from 'vitest';
import { checkGroup } from '../../src/alerts/condition-check.ts';
import type { AlertRule } from '../../src/alerts/rule.ts';

type Checked = Pick<AlertRule, 'comparator' | 'threshold' | 'hysteresis' | 'condition' | 'guard'>;

const threshold: Checked = { comparator: '<', threshold: 3, hysteresis: 0.15 };
const drops20: Checked = {
  comparator: '<=',
  threshold: -0.2,
  hysteresis: 0.01,
  condition: { kind: 'change', vs: 'previous' },
};
const rises15: Checked = {
  comparator: '>=',
  threshold: 0.15,
  hysteresis: 0.0075,
  condition: { kind: 'change', vs: 'last-year' },
};
const anomalous: Checked = {
  comparator: '>',
  threshold: 4,
  hysteresis: 0.2,
  condition: { kind: 'anomaly' },
};
const guard = { measure: 'ad_spend', comparator: '>=' as const, value: 5000 };

describe('checkGroup', () => {
  it('a threshold rule is checked against its own threshold', () => {
    expect(
      checkGroup(threshold, 'multiple', { value: 2.5, guardValue: null, baseline: [] }),
    ).toEqual({ kind: 'check', comparator: '<', threshold: 3, hysteresis: 0.15 });
  });

  it('drops 20 % vs previous on a base of 3×: fires at or below 2.4×, hysteresis 0.03×', () => {
    // 3 + (−0.2 × 3) = 2.4; hysteresis 0.01 × 3 = 0.03; change (2.1 − 3) / 3 = −0.3
    const c = checkGroup(drops20, 'multiple', { value: 2.1, guardValue: null, baseline: [3] });
    expect(c.kind).toBe('check');
    if (c.kind !== 'check') return;
    expect(c.comparator).toBe('<=');
    expect(c.threshold).toBeCloseTo(2.4, 12);
    expect(c.hysteresis).toBeCloseTo(0.03, 12);
    expect(c.detail).toMatchObject({ kind: 'change', vs: 'previous', base: 3 });
    expect(c.detail?.kind === 'change' && c.detail.change).toBeCloseTo(-0.3, 12);
  });

  it('rises 15 % vs last-year on a CAC of 800 kr: fires at or above 920 kr', () => {
    const c = checkGroup(rises15, 'currency', { value: 900, guardValue: null, baseline: [800] });
    expect(c.kind === 'check' && c.threshold).toBeCloseTo(920, 9);
  });

  it('a change on a zero or near-zero base is never checked (so never fires)', () => {
    for (const base of [0, 0.004]) {
      expect(
        checkGroup(drops20, 'multiple', { value: 0, guardValue: null, baseline: [base] }),
      ).toEqual({
        kind: 'held',
        held: { kind: 'base', vs: 'previous', nearZero: true },
      });
    }
    expect(
      checkGroup(drops20, 'multiple', { value: 2, guardValue: null, baseline: [null] }),
    ).toEqual({
      kind: 'held',
      held: { kind: 'base', vs: 'previous', nearZero: false },
    });
  });

  it('an anomaly is checked on the side the value is on', () => {
    // baseline 10 20 30 40 50 60 70 80: median 45, spread 1.4826 × 20 = 29.652;
    // 4 × 29.652 = 118.608 → range −73.608 … 163.608
    const baseline = [10, 20, 30, 40, 50, 60, 70, 80];
    const high = checkGroup(anomalous, 'count', { value: 200, guardValue: null, baseline });
    expect(high.kind === 'check' && high.comparator).toBe('>');
    expect(high.kind === 'check' && high.threshold).toBeCloseTo(163.608, 9);
    // hysteresis 0.2 spreads = 5.9304
    expect(high.kind === 'check' && high.hysteresis).toBeCloseTo(5.9304, 9);
    const low = checkGroup(anomalous, 'count', { value: 20, guardValue: null, baseline });
    expect(low.kind === 'check' && low.comparator).toBe('<');
    expect(low.kind === 'check' && low.threshold).toBeCloseTo(-73.608, 9);
  });

  it('an anomaly without 6 baseline periods with a value is not checked', () => {
    const baseline = [1, 2, 3, null, null, null, 4, 5];
    expect(checkGroup(anomalous, 'count', { value: 3, guardValue: null, baseline })).toEqual({
      kind: 'held',
      held: { kind: 'history', have: 5, need: 6 },
    });
  });

  it('below the guard a group is not checked; at it, it is', () => {
    const rule = { ...drops20, guard };
    expect(checkGroup(rule, 'multiple', { value: 0.5, guardValue: 200, baseline: [4] })).toEqual({
      kind: 'held',
      held: { kind: 'guard', measure: 'ad_spend', value: 200, guard },
    });
    expect(checkGroup(rule, 'multiple', { value: 0.5, guardValue: null, baseline: [4] }).kind).toBe(
      'held',
    );
    expect(checkGroup(rule, 'multiple', { value: 0.5, guardValue: 5000, baseline: [4] }).kind).toBe(
      'check',
    );
    const strict = { ...threshold, guard: { ...guard, comparator: '>' as const } };
    expect(checkGroup(strict, 'multiple', { value: 2, guardValue: 5000, baseline: [] }).kind).toBe(
      'held',
    );
  });

  it('no value is the state machine’s “no data”, guard or not', () => {
    const rule = { ...drops20, guard };
    expect(checkGroup(rule, 'multiple', { value: null, guardValue: 100, baseline: [3] })).toEqual({
      kind: 'check',
      comparator: '<=',
      threshold: -0.2,
      hysteresis: 0.01,
    });
  });
});
