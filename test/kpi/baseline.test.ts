// The maths of relative and anomaly conditions, against figures worked out by hand.
import { describe, expect, it } from 'vitest';
import {
  expectedRange,
  median,
  medianAbsoluteDeviation,
  nearZero,
  percentChange,
  seasonalPeriods,
} from '../../src/kpi/baseline.ts';
import type { Period } from '../../src/kpi/types.ts';

const period = (start: string, end: string): Period => ({
  phrase: 'x',
  label: 'x',
  grain: 'range',
  start,
  end,
});

describe('median and MAD', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('MAD is the median distance from the median', () => {
    // median 3; distances 2, 1, 0, 1, 7 → sorted 0, 1, 1, 2, 7 → 1
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 10])).toBe(1);
  });
});

describe('seasonalPeriods', () => {
  it('a single day: the same weekday of each of the 8 weeks before, oldest first', () => {
    // Sunday 2026-11-29: 7 × 8 = 56 days back is Sunday 2026-10-04.
    const periods = seasonalPeriods(period('2026-11-29', '2026-11-29'));
    expect(periods).toHaveLength(8);
    expect(periods[0]).toMatchObject({ start: '2026-10-04', end: '2026-10-04' });
    expect(periods[7]).toMatchObject({ start: '2026-11-22', end: '2026-11-22' });
  });

  it('a 7-day window: the 8 weeks before it', () => {
    const periods = seasonalPeriods(period('2026-11-23', '2026-11-29'));
    expect(periods[7]).toMatchObject({ start: '2026-11-16', end: '2026-11-22' });
    expect(periods[0]).toMatchObject({ start: '2026-09-28', end: '2026-10-04' });
  });

  it('a 10-day window steps back two weeks at a time, so the weekdays stay the same', () => {
    const periods = seasonalPeriods(period('2026-11-20', '2026-11-29'));
    expect(periods[7]).toMatchObject({ start: '2026-11-06', end: '2026-11-15' });
  });
});

describe('expectedRange', () => {
  it('median ± k × 1.4826 × MAD', () => {
    // values 4.0 4.1 4.2 4.2 4.3 4.4 3.9 4.2: sorted 3.9 4.0 4.1 4.2 4.2 4.2 4.3 4.4 → median 4.2
    // distances 0.2 0.1 0 0 0.1 0.2 0.3 0 → sorted 0 0 0 0.1 0.1 0.2 0.2 0.3 → MAD 0.1
    // spread = max(1.4826 × 0.1, the floor 0.05 × 4.2) = max(0.14826, 0.21) = 0.21
    const r = expectedRange([4.0, 4.1, 4.2, 4.2, 4.3, 4.4, 3.9, 4.2], 4)!;
    expect(r.median).toBeCloseTo(4.2, 12);
    expect(r.spread).toBeCloseTo(0.21, 12);
    expect(r.low).toBeCloseTo(4.2 - 0.84, 12);
    expect(r.high).toBeCloseTo(4.2 + 0.84, 12);
    expect(r.count).toBe(8);
  });

  it('uses the MAD when it is wider than the floor', () => {
    // 10 20 30 40 50 60 70 80: median 45; distances 35 25 15 5 5 15 25 35 → MAD 20
    // spread 1.4826 × 20 = 29.652 (floor 0.05 × 45 = 2.25)
    const r = expectedRange([10, 20, 30, 40, 50, 60, 70, 80], 3)!;
    expect(r.spread).toBeCloseTo(29.652, 9);
    expect(r.low).toBeCloseTo(45 - 88.956, 9);
  });

  it('one wild period moves neither the centre nor the width much', () => {
    const calm = expectedRange([4, 4, 4.2, 4.2, 4.1, 4.1, 4, 4.2], 4)!;
    const withSpike = expectedRange([4, 4, 4.2, 4.2, 4.1, 4.1, 4, 40], 4)!;
    // Both: median 4.1, MAD 0.1 (the spike is one distance of eight), spread the floor 0.205.
    expect(calm.median).toBeCloseTo(4.1, 12);
    expect(withSpike.median).toBeCloseTo(4.1, 12);
    expect(withSpike.spread).toBeCloseTo(0.205, 12);
    expect(calm.spread).toBeCloseTo(0.205, 12);
  });

  it('no range with fewer than 6 periods that have a value', () => {
    expect(expectedRange([1, 2, 3, 4, 5, null, null, null], 4)).toBeNull();
    expect(expectedRange([1, 2, 3, 4, 5, 6, null, null], 4)).not.toBeNull();
  });
});

describe('percentChange', () => {
  it('is the change over the base, as a fraction', () => {
    expect(percentChange(2.4, 3, 'multiple')).toBeCloseTo(-0.2, 12);
    expect(percentChange(1150, 1000, 'currency')).toBeCloseTo(0.15, 12);
  });

  it('is null on a zero or near-zero base, whatever the current value', () => {
    expect(percentChange(500, 0, 'currency')).toBeNull();
    expect(percentChange(500, 0.3, 'currency')).toBeNull();
    expect(percentChange(0.02, 0.0004, 'percent')).toBeNull();
    expect(percentChange(5, null, 'count')).toBeNull();
    expect(nearZero(1, 'currency')).toBe(false);
    expect(nearZero(0.005, 'multiple')).toBe(true);
  });
});
