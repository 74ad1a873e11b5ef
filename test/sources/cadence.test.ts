// A source's cadence learned from its days with data, and whether it is late: tables, one
// comment per case. Today is Wednesday 2026-12-02 in every case.
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/kpi/periods.ts';
import { arrivalOf, learnCadence } from '../../src/sources/cadence.ts';

/** `n` days, `step` days apart, the newest `last`. */
const days = (last: string, n: number, step = 1) =>
  Array.from({ length: n }, (_, i) => addDays(last, -i * step));

describe('learnCadence', () => {
  it.each([
    // every day for a month: daily
    [days('2026-12-01', 30), 'daily'],
    // every day but the weekends (gaps 1,1,1,1,3): the median gap is 1, daily
    [days('2026-12-01', 30).filter((d) => ![0, 6].includes(new Date(d).getUTCDay())), 'daily'],
    // every Monday: weekly
    [days('2026-11-30', 10, 7), 'weekly'],
    // three days only: too little to learn from
    [days('2026-12-01', 3), null],
    // once a month: irregular for this purpose, never called late
    [days('2026-11-01', 6, 30), null],
    // duplicates and any order count once
    [[...days('2026-12-01', 5), ...days('2026-12-01', 5)].reverse(), 'daily'],
  ])('%j → %s', (history, cadence) => {
    expect(learnCadence(history)).toBe(cadence);
  });
});

describe('arrivalOf', () => {
  const daily = days('2026-11-30', 20);
  it.each([
    // learned daily, newest 11-30, 09:00: without `by` one day of slack, 11-30 expected: on time
    [daily, '09:00', undefined, false, '2026-11-30'],
    // learned daily, newest 11-29: two days behind yesterday: late
    [days('2026-11-29', 20), '09:00', undefined, true, '2026-11-30'],
    // configured daily by 10:00: at 09:00 11-30 is enough
    [daily, '09:00', { cadence: 'daily', by: '10:00' }, false, '2026-11-30'],
    // configured daily by 10:00: at 10:30 yesterday (12-01) is due, the newest is 11-30: late
    [daily, '10:30', { cadence: 'daily', by: '10:00' }, true, '2026-12-01'],
    // configured weekly: newest 11-24, expected 11-24 (7 + 1 days back): on time
    [days('2026-11-24', 2, 7), '09:00', { cadence: 'weekly' }, false, '2026-11-24'],
    // learned weekly, newest 11-23: a day past the week and its slack: late
    [days('2026-11-23', 8, 7), '09:00', undefined, true, '2026-11-24'],
  ] as const)('%#: late %s', (history, time, config, late, expected) => {
    const a = arrivalOf(history, '2026-12-02', time, config);
    expect(a).toMatchObject({ late, expected, learned: config === undefined });
    expect(a.reason).toContain(late ? 'expected' : 'up to date');
  });

  it('an irregular or empty history is never late, and says why', () => {
    expect(arrivalOf(days('2026-10-01', 2), '2026-12-02', '09:00')).toMatchObject({
      late: false,
      expected: null,
      reason: 'no regular cadence in its history: never called late',
    });
    expect(arrivalOf([], '2026-12-02', '09:00', { cadence: 'daily' })).toMatchObject({
      late: false,
      lastDay: null,
    });
  });
});
