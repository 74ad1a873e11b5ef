// The anomaly condition on the demo data (src/demo/generate.ts): silent on every 7-day window of
// 8 weeks of its weekly seasonality and noise, firing on a planted spike. KPIs are summed here
// straight from the generated facts (sum of revenue over sum of ad spend…), not by the engine.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ANOMALY_K } from '../../src/alerts/condition.ts';
import { checkGroup } from '../../src/alerts/condition-check.ts';
import { compare } from '../../src/alerts/state-machine.ts';
import { generateDemoFacts } from '../../src/demo/generate.ts';
import { seasonalPeriods } from '../../src/kpi/baseline.ts';
import { addDays } from '../../src/kpi/periods.ts';
import type { FactInput, Period, Unit } from '../../src/kpi/types.ts';

const END = '2026-10-31';
const rule = {
  comparator: '>' as const,
  threshold: DEFAULT_ANOMALY_K,
  hysteresis: 0.2,
  condition: { kind: 'anomaly' as const },
};

/** Daily sums by `day|channel|measure`, channel `*` for all channels. */
function dailySums(facts: readonly FactInput[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const f of facts) {
    for (const channel of [f.channel ?? '', '*']) {
      const key = `${f.day}|${channel}|${f.measure}`;
      sums.set(key, (sums.get(key) ?? 0) + f.value);
    }
  }
  return sums;
}

type Kpi = (channel: string, p: Pick<Period, 'start' | 'end'>) => number | null;

function kpis(sums: Map<string, number>): Record<string, { unit: Unit; of: Kpi }> {
  const sum = (channel: string, measure: string, p: Pick<Period, 'start' | 'end'>) => {
    let total = 0;
    for (let d = p.start; d <= p.end; d = addDays(d, 1)) {
      total += sums.get(`${d}|${channel}|${measure}`) ?? 0;
    }
    return total;
  };
  const ratio =
    (a: string, b: string): Kpi =>
    (channel, p) => {
      const below = sum(channel, b, p);
      return below === 0 ? null : sum(channel, a, p) / below;
    };
  return {
    roas: { unit: 'multiple', of: ratio('revenue', 'ad_spend') },
    revenue: { unit: 'currency', of: (channel, p) => sum(channel, 'revenue', p) },
    sessions: { unit: 'count', of: (channel, p) => sum(channel, 'sessions', p) },
    conversion_rate: { unit: 'percent', of: ratio('conversions', 'sessions') },
  };
}

const window7 = (last: string): Period => ({
  phrase: 'last-7-days',
  label: 'x',
  grain: 'days',
  start: addDays(last, -6),
  end: last,
});

/** Whether the anomaly rule breaches for `channel` on the 7 days ending `last`. */
function breaches(kpi: { unit: Unit; of: Kpi }, channel: string, last: string): boolean | null {
  const window = window7(last);
  const value = kpi.of(channel, window);
  if (value === null) return null;
  const baseline = seasonalPeriods(window).map((p) => kpi.of(channel, p));
  const check = checkGroup(rule, kpi.unit, { value, guardValue: null, baseline });
  if (check.kind !== 'check') throw new Error(`not checked: ${JSON.stringify(check)}`);
  return compare(value, check.comparator, check.threshold);
}

const facts = generateDemoFacts({ end: END, days: 130 });
const all = kpis(dailySums(facts));
const days = Array.from({ length: 56 }, (_, i) => addDays(END, -i));

describe('an anomaly rule over last-7-days on the demo data', () => {
  // meta's ROAS and revenue carry the demo's planted decay of meta/retarget (a real change,
  // which the rule is there to notice); every other series is seasonality and noise only.
  const series: Array<[string, string]> = [
    ['roas', 'google-ads'],
    ['roas', '*'],
    ...['google-ads', 'organic', 'email', 'direct', '*'].map((c): [string, string] => [
      'revenue',
      c,
    ]),
    ...['google-ads', 'meta', 'organic', 'email', 'direct', '*'].flatMap(
      (c): Array<[string, string]> => [
        ['sessions', c],
        ['conversion_rate', c],
      ],
    ),
  ];

  it.each(series)('%s of %s: silent on every day of 8 weeks', (kpi, channel) => {
    const fired = days.filter((d) => breaches(all[kpi]!, channel, d) === true);
    expect(fired).toEqual([]);
  });

  it('the windows contain the weekly rhythm: a Sunday is a fifth below a Tuesday', () => {
    // WEEKDAY in generate.ts: Sunday 0.82, Tuesday 1.06 — the seasonality the baseline absorbs.
    const sessions = all.sessions!.of;
    const sunday = sessions('direct', { start: '2026-10-25', end: '2026-10-25' })!;
    const tuesday = sessions('direct', { start: '2026-10-27', end: '2026-10-27' })!;
    expect(sunday / tuesday).toBeLessThan(0.9);
  });

  it('fires on a planted spike: google-ads revenue tripled on the last day', () => {
    const spiked = generateDemoFacts({ end: END, days: 130 }).map((f) =>
      f.day === END && f.channel === 'google-ads' && f.measure === 'revenue'
        ? { ...f, value: f.value * 3 }
        : f,
    );
    const withSpike = kpis(dailySums(spiked));
    expect(breaches(withSpike.roas!, 'google-ads', END)).toBe(true);
    expect(breaches(withSpike.revenue!, 'google-ads', END)).toBe(true);
    // …and not before it.
    expect(breaches(withSpike.roas!, 'google-ads', addDays(END, -1))).toBe(false);
  });

  it('fires on a planted drop: no organic sessions for three days (tracking broke)', () => {
    const gap = new Set([END, addDays(END, -1), addDays(END, -2)]);
    const dropped = facts.filter(
      (f) => !(f.channel === 'organic' && f.measure === 'sessions' && gap.has(f.day)),
    );
    expect(breaches(kpis(dailySums(dropped)).sessions!, 'organic', END)).toBe(true);
  });
});
