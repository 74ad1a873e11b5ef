// Pacing arithmetic for goals on totals, the early guard, last-year weighting, caps, and the
// messages; ratio goals met/missed.
import { describe, expect, it } from 'vitest';
import type { Goal } from '../../src/reports/goal.ts';
import {
  type PacingInput,
  pace,
  pacingGoalReport,
  pacingMessage,
  ratioGoalReport,
  ratioGoalStatus,
} from '../../src/reports/pacing.ts';
import { fmt } from './helpers.ts';

const january = { periodStart: '2026-01-01', periodEnd: '2026-01-31' }; // 31 days
const june = { periodStart: '2026-06-01', periodEnd: '2026-06-30' }; // 30 days
const revenue = { name: 'revenue', unit: 'currency' as const, per: 'month' as const };

describe('pace: arithmetic', () => {
  it('a 31-day month, 16 complete days: linear expectation, projection, shortfall, need per day', () => {
    // today is the 17th: the 1st–16th are complete, today's data is partial and not counted
    const p = pace({ ...january, target: 500_000, today: '2026-01-17', actualToDate: 212_800 });
    expect(p).toMatchObject({
      elapsedDays: 16,
      totalDays: 31,
      remainingDays: 15,
      method: 'linear',
    });
    expect(p.expectedShare).toBeCloseTo(16 / 31, 12);
    expect(p.expectedToDate).toBeCloseTo((500_000 * 16) / 31, 6);
    expect(p.projection).toBeCloseTo((212_800 / 16) * 31, 6); // 412 300
    expect(p.shortfall).toBeCloseTo(500_000 - 412_300, 6);
    expect(p.shortfallPct).toBeCloseTo(87_700 / 500_000, 12); // 17.5 %
    expect(p.neededPerDay).toBeCloseTo((500_000 - 212_800) / 15, 6); // 19 147
    expect(p.status).toBe('off_track');
    expect(pacingMessage(p, fmt, revenue)).toBe(
      'at this pace revenue ends the month at 412 300 kr, 18 % short; 19 147 kr a day needed from here',
    );
  });

  it.each<[string, number, string]>([
    // exactly on pace: the projection reaches the target
    ['on pace', 250_000, 'on_track'],
    // projection 92 % of target: at risk (≥ 90 %)
    ['92 %', 230_000, 'at_risk'],
    // projection exactly 90 %: still at risk
    ['90 %', 225_000, 'at_risk'],
    // projection 80 %: off track
    ['80 %', 200_000, 'off_track'],
    // ahead of pace
    ['ahead', 300_000, 'on_track'],
  ])('a half-elapsed 30-day month, %s', (_name, actual, status) => {
    const p = pace({ ...june, target: 500_000, today: '2026-06-16', actualToDate: actual });
    expect(p.elapsedDays).toBe(15);
    expect(p.expectedShare).toBe(0.5);
    expect(p.projection).toBe(actual * 2);
    expect(p.status).toBe(status);
  });

  it('an empty start: day 1, nothing yet → too early, no projection', () => {
    const p = pace({ ...january, target: 500_000, today: '2026-01-01', actualToDate: 0 });
    expect(p).toMatchObject({
      elapsedDays: 0,
      totalDays: 31,
      expectedToDate: 0,
      projection: null,
      shortfall: null,
      status: 'too_early',
    });
    expect(p.neededPerDay).toBeCloseTo(500_000 / 31, 6);
    expect(pacingMessage(p, fmt, revenue)).toBe(
      'too early to tell: 0 of 31 days in, revenue 0 kr so far (goal 500 000 kr)',
    );
  });

  it('zero actual after a day: too early, never "off track" on day 2', () => {
    const p = pace({ ...january, target: 500_000, today: '2026-01-02', actualToDate: 0 });
    expect(p.status).toBe('too_early');
    expect(p.projection).toBe(0);
  });
});

describe('pace: early guard (too early while elapsed < max(3 days, 10 % of the period))', () => {
  const week = { periodStart: '2026-11-16', periodEnd: '2026-11-22' };
  const year = { periodStart: '2026-01-01', periodEnd: '2026-12-31' };
  it.each<[string, Omit<PacingInput, 'target' | 'actualToDate'>, string]>([
    // week: 2 complete days → too early
    ['week, 2 days', { ...week, today: '2026-11-18' }, 'too_early'],
    // week: 3 complete days → judged
    ['week, 3 days', { ...week, today: '2026-11-19' }, 'off_track'],
    // 31-day month: 10 % is 3.1 days, so 3 days is still too early
    ['month, 3 days', { ...january, today: '2026-01-04' }, 'too_early'],
    ['month, 4 days', { ...january, today: '2026-01-05' }, 'off_track'],
    // year: 36.5 days
    ['year, 36 days', { ...year, today: '2026-02-06' }, 'too_early'],
    ['year, 37 days', { ...year, today: '2026-02-07' }, 'off_track'],
  ])('%s', (_name, dates, status) => {
    // a pace of a tenth of the target: off track whenever judged
    const elapsed = pace({ ...dates, target: 1000, actualToDate: 0 }).elapsedDays;
    const total = pace({ ...dates, target: 1000, actualToDate: 0 }).totalDays;
    const p = pace({ ...dates, target: 1000, actualToDate: (100 * elapsed) / total });
    expect(p.status).toBe(status);
  });

  it('facts beat the guard: a minimum already reached on day 2 is on track', () => {
    const p = pace({ ...january, target: 1000, today: '2026-01-03', actualToDate: 1200 });
    expect(p.status).toBe('on_track');
    expect(p.neededPerDay).toBe(0);
    expect(pacingMessage(p, fmt, revenue)).toBe(
      'revenue has reached the 1 000 kr goal: 1 200 kr so far',
    );
  });

  it('facts beat the guard: a cap already exceeded on day 2 is off track', () => {
    const p = pace({
      ...january,
      comparator: '<=',
      target: 1000,
      today: '2026-01-03',
      actualToDate: 1200,
    });
    expect(p.status).toBe('off_track');
    expect(p.neededPerDay).toBeCloseTo(-200 / 29, 9);
  });
});

describe('pace: weighted by last year', () => {
  it('a slow start last year lowers the expected share', () => {
    // last January: 1 a day for the first 10 days, 2 a day after (total 52)
    const lastYearDaily = [...Array(10).fill(1), ...Array(21).fill(2)];
    const input = { ...january, target: 520_000, today: '2026-01-11', actualToDate: 100_000 };
    const weighted = pace({ ...input, lastYearDaily });
    expect(weighted.method).toBe('last_year');
    expect(weighted.expectedShare).toBeCloseTo(10 / 52, 12);
    expect(weighted.expectedToDate).toBeCloseTo(100_000, 6);
    expect(weighted.projection).toBeCloseTo(520_000, 6);
    expect(weighted.status).toBe('on_track');
    // the same numbers by days alone look far behind
    const linear = pace(input);
    expect(linear.method).toBe('linear');
    expect(linear.projection).toBeCloseTo(310_000, 6);
    expect(linear.status).toBe('off_track');
  });

  it('a period of another length (February in a leap year) is read at the same fraction', () => {
    // 28 even days last year against a 29-day February: the share equals the linear one
    const p = pace({
      periodStart: '2028-02-01',
      periodEnd: '2028-02-29',
      target: 2900,
      today: '2028-02-15',
      actualToDate: 1400,
      lastYearDaily: Array(28).fill(5),
    });
    expect(p.totalDays).toBe(29);
    expect(p.method).toBe('last_year');
    expect(p.expectedShare).toBeCloseTo(14 / 29, 12);
    expect(p.projection).toBeCloseTo(2900, 6);
  });

  it.each<[string, number[]]>([
    // all zero
    ['all zero', Array(31).fill(0)],
    // a negative day
    ['negative', [...Array(30).fill(1), -5]],
    // empty
    ['empty', []],
    // nothing in last year's first days: no share to scale by
    ['zero share so far', [...Array(16).fill(0), ...Array(15).fill(3)]],
  ])('unusable weights (%s) fall back to linear', (_name, lastYearDaily) => {
    const p = pace({
      ...january,
      target: 31,
      today: '2026-01-17',
      actualToDate: 16,
      lastYearDaily,
    });
    expect(p.method).toBe('linear');
    expect(p.expectedShare).toBeCloseTo(16 / 31, 12);
  });
});

describe('pace: caps (<= goals, e.g. ad spend)', () => {
  const cap = { ...june, comparator: '<=' as const, target: 100_000, today: '2026-06-16' };
  const spend = { name: 'ad spend', unit: 'currency' as const, per: 'month' as const };
  it.each<[string, number, string, string]>([
    // projection 90 000: within the cap
    [
      'under',
      45_000,
      'on_track',
      'at this pace ad spend ends the month at 90 000 kr, 10 % under the 100 000 kr cap',
    ],
    // projection 106 000: at risk (≤ 110 %)
    [
      'slightly over',
      53_000,
      'at_risk',
      'at this pace ad spend ends the month at 106 000 kr, 6 % over the 100 000 kr cap; at most 3 133 kr a day from here to stay within it',
    ],
    // projection 120 000: off track
    [
      'well over',
      60_000,
      'off_track',
      'at this pace ad spend ends the month at 120 000 kr, 20 % over the 100 000 kr cap; at most 2 667 kr a day from here to stay within it',
    ],
  ])('%s', (_name, actual, status, message) => {
    const p = pace({ ...cap, actualToDate: actual });
    expect(p.status).toBe(status);
    expect(p.neededPerDay).toBeCloseTo((100_000 - actual) / 15, 9);
    expect(pacingMessage(p, fmt, spend)).toBe(message);
  });
});

describe('pace: days counted', () => {
  it('dataThrough stops the elapsed days at the last day with data', () => {
    // today the 17th, but the source only has data through the 14th: 14 days, not 16
    const p = pace({
      ...january,
      target: 310,
      today: '2026-01-17',
      dataThrough: '2026-01-14',
      actualToDate: 140,
    });
    expect(p.elapsedDays).toBe(14);
    expect(p.status).toBe('on_track');
  });

  it('a period that has ended is final: projection = actual, no days remain', () => {
    const p = pace({ ...january, target: 500_000, today: '2026-02-03', actualToDate: 480_000 });
    expect(p).toMatchObject({ elapsedDays: 31, remainingDays: 0, ended: true, neededPerDay: null });
    expect(p.projection).toBe(480_000);
    expect(p.status).toBe('at_risk');
    expect(pacingMessage(p, fmt, revenue)).toBe(
      'revenue ended the month at 480 000 kr, 4 % short of the 500 000 kr goal',
    );
    const goal: Goal = {
      id: 'g',
      kpi: 'revenue',
      comparator: '>=',
      target: 500_000,
      per: 'month',
      createdBy: 'U',
      createdAt: '2026-01-01T00:00:00Z',
    };
    expect(pacingGoalReport(goal, p, fmt, { name: 'revenue', unit: 'currency' }).status).toBe(
      'missed',
    );
  });

  it('an on-track minimum says how far above', () => {
    const p = pace({ ...june, target: 500_000, today: '2026-06-16', actualToDate: 265_000 });
    expect(pacingMessage(p, fmt, revenue)).toBe(
      'at this pace revenue ends the month at 530 000 kr, 6 % above the 500 000 kr goal',
    );
  });

  it('a period in the future counts no days', () => {
    const p = pace({ ...june, target: 100, today: '2026-05-20', actualToDate: 0 });
    expect(p.elapsedDays).toBe(0);
    expect(p.status).toBe('too_early');
  });
});

describe('ratioGoalStatus', () => {
  it.each<[string, number | null, '>=' | '<=', number, string, number | null]>([
    // ROAS 4.3 against ≥ 4: met by 7.5 %
    ['roas met', 4.3, '>=', 4, 'met', 0.075],
    // ROAS 3.6 against ≥ 4: missed by 10 %
    ['roas missed', 3.6, '>=', 4, 'missed', 0.1],
    // exactly on the target counts as met
    ['on the target', 4, '>=', 4, 'met', 0],
    // CAC 750 against ≤ 800: met
    ['cac met', 750, '<=', 800, 'met', 0.0625],
    // CAC 900 against ≤ 800: missed by 12.5 %
    ['cac missed', 900, '<=', 800, 'missed', 0.125],
    // no value: no data, never "missed"
    ['no data', null, '>=', 4, 'no_data', null],
  ])('%s', (_name, value, comparator, target, status, pct) => {
    const r = ratioGoalStatus(value, { comparator, target });
    expect(r.status).toBe(status);
    if (pct === null) expect(r.differencePct).toBeNull();
    else expect(r.differencePct).toBeCloseTo(pct, 12);
  });

  it('reports a ratio goal with its line', () => {
    const goal: Goal = {
      id: 'g',
      kpi: 'roas',
      comparator: '>=',
      target: 4,
      createdBy: 'U',
      createdAt: '2026-01-01T00:00:00Z',
    };
    expect(ratioGoalReport(goal, 3.6, fmt, { unit: 'multiple' })).toEqual({
      goal,
      status: 'missed',
      text: 'goal ≥ 4.0×: missed (3.6×, 10 % below)',
    });
    expect(ratioGoalReport(goal, null, fmt, { unit: 'multiple' }).text).toBe(
      'goal ≥ 4.0×: no data',
    );
  });
});
