// Drivers: the mix-adjusted attribution adds up to the total change (proved on examples and on
// random data), the top groups are chosen as documented, and the line reads as the issue shows.
import { describe, expect, it } from 'vitest';
import {
  attribute,
  type DriverGroup,
  driverLine,
  formatDrivers,
  isNotableMove,
  topDrivers,
} from '../../src/reports/drivers.ts';
import { fmt, random } from './helpers.ts';

/** ROAS = revenue / ad_spend by campaign: 4.2× → 3.4×. */
const roasGroups: DriverGroup[] = [
  // 5× → 1.9× (−62 %) on unchanged spend
  {
    key: 'meta/retarget',
    numerator: { before: 20_000, now: 7_600 },
    denominator: { before: 4_000, now: 4_000 },
  },
  // 4× → 3.64× (−9 %)
  {
    key: 'google-ads/brand',
    numerator: { before: 40_000, now: 36_400 },
    denominator: { before: 10_000, now: 10_000 },
  },
  // unchanged at 4×
  {
    key: 'email/newsletter',
    numerator: { before: 24_000, now: 24_000 },
    denominator: { before: 6_000, now: 6_000 },
  },
];

describe('attribute', () => {
  it('ratio KPI: totals and contributions, which sum to the total change', () => {
    const a = attribute(roasGroups);
    expect(a).not.toBeNull();
    if (!a) return;
    expect(a.total.before).toBeCloseTo(4.2, 12);
    expect(a.total.now).toBeCloseTo(3.4, 12);
    expect(a.total.change).toBeCloseTo(-0.8, 12);
    expect(a.contributions.map((c) => c.key)).toEqual([
      'meta/retarget',
      'google-ads/brand',
      'email/newsletter',
    ]);
    expect(a.contributions[0]?.contribution).toBeCloseTo(-12_400 / 20_000, 12);
    expect(a.contributions[0]?.changePct).toBeCloseTo(-0.62, 12);
    expect(a.contributions[1]?.changePct).toBeCloseTo(-0.09, 12);
    const sum = a.contributions.reduce((s, c) => s + c.contribution, 0);
    expect(sum).toBeCloseTo(a.total.change, 12);
  });

  it('spend that grows with revenue at the old ROAS contributes nothing; spend without revenue pulls down', () => {
    const a = attribute([
      // doubles spend and revenue at 4× (the old total rate): no effect on the total
      { key: 'scaled', numerator: { before: 40, now: 80 }, denominator: { before: 10, now: 20 } },
      // adds spend without revenue
      { key: 'wasted', numerator: { before: 0, now: 0 }, denominator: { before: 0, now: 10 } },
    ]);
    expect(a).not.toBeNull();
    if (!a) return;
    const byKey = new Map(a.contributions.map((c) => [c.key, c]));
    expect(byKey.get('scaled')?.contribution).toBeCloseTo(0, 12);
    expect(byKey.get('wasted')?.contribution).toBeCloseTo(a.total.change, 12);
    expect(a.total.change).toBeCloseTo(80 / 30 - 4, 12);
  });

  it('additive KPI: each group contributes its own change', () => {
    const a = attribute([
      { key: 'meta', numerator: { before: 100, now: 60 } },
      { key: 'google-ads', numerator: { before: 200, now: 230 } },
      { key: 'email', numerator: { before: 0, now: 10 } },
    ]);
    expect(a?.total).toEqual({ before: 300, now: 300, change: 0 });
    expect(a?.contributions.map((c) => [c.key, c.contribution])).toEqual([
      ['meta', -40],
      ['google-ads', 30],
      ['email', 10],
    ]);
    // a group new this period has no relative change
    expect(a?.contributions[2]?.changePct).toBeNull();
  });

  it.each<[string, DriverGroup[]]>([
    // no groups
    ['no groups', []],
    // no denominator before: nothing to compare with
    [
      'zero before',
      [{ key: 'a', numerator: { before: 0, now: 5 }, denominator: { before: 0, now: 1 } }],
    ],
    // no denominator now
    [
      'zero now',
      [{ key: 'a', numerator: { before: 5, now: 0 }, denominator: { before: 1, now: 0 } }],
    ],
  ])('nothing to attribute: %s', (_name, groups) => {
    expect(attribute(groups)).toBeNull();
  });

  it('property: on random data the contributions always sum to the total change', () => {
    const rand = random(20261123);
    for (let trial = 0; trial < 500; trial++) {
      const n = 1 + Math.floor(rand() * 12);
      const ratio = rand() < 0.7;
      const groups: DriverGroup[] = Array.from({ length: n }, (_, i) => ({
        key: `g${i}`,
        numerator: { before: Math.round(rand() * 100_000), now: Math.round(rand() * 100_000) },
        ...(ratio
          ? {
              denominator: {
                // some groups start or stop (0 on one side)
                before: rand() < 0.1 ? 0 : 1 + Math.round(rand() * 20_000),
                now: rand() < 0.1 ? 0 : 1 + Math.round(rand() * 20_000),
              },
            }
          : {}),
      }));
      const a = attribute(groups);
      if (a === null) continue;
      const sum = a.contributions.reduce((s, c) => s + c.contribution, 0);
      const scale = Math.max(1, Math.abs(a.total.before), Math.abs(a.total.now));
      expect(Math.abs(sum - a.total.change)).toBeLessThan(1e-9 * scale);
    }
  });
});

describe('topDrivers', () => {
  /** An additive KPI whose total fell by 100, with the given group changes. */
  const falls = (...changes: number[]) =>
    attribute(
      changes.map((c, i) => ({ key: `g${i}`, numerator: { before: 1000, now: 1000 + c } })),
    );

  it.each<[string, number[], string[]]>([
    // one group explains 90 %: named alone (cover 80 % reached)
    ['one explains most', [-90, -10], ['g0']],
    // 50 + 30 = 80 %: two named
    ['two reach the cover', [-50, -30, -20], ['g0', 'g1']],
    // many small moves: at most three named
    ['at most three', [-20, -20, -20, -20, -20], ['g0', 'g1', 'g2']],
    // groups that moved the other way are never drivers
    ['opposite moves skipped', [-150, 60, -10], ['g0']],
    // the largest first, whatever the input order
    ['largest first', [-60, 40, -77, -3], ['g2', 'g0']],
    // groups under 5 % of the move are not named even when the cover is not reached
    ['tiny moves skipped', [-70, -4, -4, -4, -4, -4, -4, -4, -2], ['g0']],
    // nothing moved: no drivers
    ['no move', [10, -10], []],
  ])('%s', (_name, changes, keys) => {
    const a = falls(...changes);
    expect(a).not.toBeNull();
    if (a) expect(topDrivers(a).map((d) => d.key)).toEqual(keys);
  });

  it('honours max and cover options', () => {
    const a = falls(-40, -30, -20, -10);
    if (!a) throw new Error('no attribution');
    expect(topDrivers(a, { max: 1 }).map((d) => d.key)).toEqual(['g0']);
    expect(topDrivers(a, { cover: 1, max: 10 }).map((d) => d.key)).toEqual([
      'g0',
      'g1',
      'g2',
      'g3',
    ]);
  });
});

describe('formatting', () => {
  it('reads like the issue: "ROAS −0.8×: meta/retarget −62 %, google-ads/brand −9 %"', () => {
    expect(driverLine('ROAS', 'multiple', roasGroups, fmt)).toBe(
      'ROAS −0.8×: meta/retarget −62 %, google-ads/brand −9 %',
    );
  });

  it('names new and stopped groups instead of a percentage', () => {
    const a = attribute([
      { key: 'tiktok', numerator: { before: 0, now: 500 }, denominator: { before: 0, now: 100 } },
      { key: 'meta', numerator: { before: 400, now: 0 }, denominator: { before: 100, now: 0 } },
      { key: '', numerator: { before: 100, now: 100 }, denominator: { before: 100, now: 100 } },
    ]);
    if (!a) throw new Error('no attribution');
    const line = formatDrivers('ROAS', 'multiple', a, a.contributions, fmt);
    expect(line).toBe('ROAS +0.5×: tiktok new, meta gone, (none) 0 %');
  });

  it('names a group without a value in either period alone (organic revenue in a ROAS)', () => {
    const a = attribute([
      { key: 'organic', numerator: { before: 100, now: 400 }, denominator: { before: 0, now: 0 } },
      { key: 'meta', numerator: { before: 300, now: 300 }, denominator: { before: 100, now: 100 } },
    ]);
    if (!a) throw new Error('no attribution');
    // (400 + 300) / 100 − (100 + 300) / 100 = +3×, all of it organic's
    expect(formatDrivers('ROAS', 'multiple', a, topDrivers(a), fmt)).toBe('ROAS +3.0×: organic');
  });

  it('is empty when nothing explains the move', () => {
    expect(driverLine('ROAS', 'multiple', [], fmt)).toBe('');
    const flat = [{ key: 'a', numerator: { before: 1, now: 1 } }];
    expect(driverLine('Revenue', 'currency', flat, fmt)).toBe('');
    // A single group is the whole move: naming it explains nothing (churn kept without channels).
    const single = [
      { key: '', numerator: { before: 10, now: 8 }, denominator: { before: 100, now: 100 } },
    ];
    expect(driverLine('Churn', 'percent', single, fmt)).toBe('');
  });

  it.each<[number | null, boolean]>([
    // 10 % or more either way is notable
    [0.1, true],
    [-0.25, true],
    [0.099, false],
    // no comparison
    [null, false],
    [Number.POSITIVE_INFINITY, false],
  ])('isNotableMove(%s) = %s', (pct, notable) => {
    expect(isNotableMove(pct)).toBe(notable);
  });
});
