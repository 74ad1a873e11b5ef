// Tests of kpi/format.ts: values, changes and relative changes in sv-SE/SEK and en-US/USD.
// Expected strings are written out by hand; `_` stands for U+00A0 and `−` is U+2212.
import { describe, expect, it } from 'vitest';
import { createFormatter } from '../../src/kpi/format.ts';
import type { Unit } from '../../src/kpi/types.ts';

/** Writes a no-break space as `_` so the expectations stay readable. */
const nb = (s: string) => s.replaceAll('_', '\u00a0');

const sv = createFormatter({ locale: 'sv-SE', currency: 'SEK' });
const en = createFormatter({ locale: 'en-US', currency: 'USD' });

type Case = [input: number, unit: Unit, sv: string, en: string, why: string];

describe('value', () => {
  const cases: Case[] = [
    [10_000, 'currency', '10_000_kr', '$10,000', 'campaign spend: no decimals from 100 up'],
    [10_000 / 50, 'currency', '200_kr', '$200', 'CPA: 10 000 kr / 50 new customers'],
    [4.25, 'currency', '4,25_kr', '$4.25', 'CPC: two decimals below 100'],
    [99.999, 'currency', '100_kr', '$100', 'rounds to 100: no decimals'],
    [0, 'currency', '0_kr', '$0', 'zero has no decimals'],
    [-1200, 'currency', '−1_200_kr', '−$1,200', 'negative: U+2212 in both locales'],
    [20 / 1000, 'percent', '2,0_%', '2.0%', 'conversion rate: 20 purchases / 1 000 visitors'],
    [(50_000 - 10_000) / 10_000, 'percent', '400,0_%', '400.0%', 'ROI of the reference text'],
    [-0.5, 'percent', '−50,0_%', '−50.0%', 'negative ROI'],
    [4.3, 'multiple', '4,3×', '4.3×', 'ROAS'],
    [3.14, 'ratio', '3,1:1', '3.1:1', 'LTV/CAC'],
    [1_234_567, 'count', '1_234_567', '1,234,567', 'integer count with grouping'],
    [2.25, 'count', '2,3', '2.3', 'non-integer count: one decimal'],
    [1, 'days', '1,0_days', '1.0_days', 'time to conversion'],
    [4.24, 'position', '4,2', '4.2', 'keyword rank'],
    [-0.001, 'position', '0,0', '0.0', 'rounds to zero: no minus'],
  ];
  it.each(cases)('%s %s → %s / %s (%s)', (v, unit, svText, enText) => {
    expect(sv.value(v, unit)).toBe(nb(svText));
    expect(en.value(v, unit)).toBe(nb(enText));
  });

  it('writes null and non-finite numbers as the no-data text', () => {
    for (const v of [null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(sv.value(v, 'currency')).toBe('no data');
      expect(en.value(v, 'percent')).toBe('no data');
    }
  });
});

describe('change', () => {
  const cases: Case[] = [
    [1200, 'currency', '+1_200_kr', '+$1,200', 'positive: plus sign'],
    [-1200, 'currency', '−1_200_kr', '−$1,200', 'negative: U+2212'],
    [-0.5, 'currency', '−0,50_kr', '−$0.50', 'small: two decimals'],
    [0, 'currency', '0_kr', '$0', 'zero: no sign'],
    [-0.8, 'multiple', '−0,8×', '−0.8×', 'ROAS fell'],
    [0.015, 'percent', '+1,5_pp', '+1.5_pp', 'percent KPI: percentage points'],
    [-0.004, 'percent', '−0,4_pp', '−0.4_pp', 'falling conversion rate'],
    [0, 'percent', '0,0_pp', '0.0_pp', 'no change in points'],
    [0.4, 'ratio', '+0,4', '+0.4', 'ratio change without :1'],
    [-1500, 'count', '−1_500', '−1,500', 'count'],
    [2.5, 'days', '+2,5_days', '+2.5_days', 'slower conversion'],
    [-1.2, 'position', '−1,2', '−1.2', 'rank improved'],
    [0.00001, 'multiple', '0,0×', '0.0×', 'rounds to zero: no sign'],
  ];
  it.each(cases)('%s %s → %s / %s (%s)', (v, unit, svText, enText) => {
    expect(sv.change(v, unit)).toBe(nb(svText));
    expect(en.change(v, unit)).toBe(nb(enText));
  });

  it('writes null and non-finite changes as a dash', () => {
    expect(sv.change(null, 'currency')).toBe('–');
    expect(en.change(Number.NaN, 'multiple')).toBe('–');
    expect(en.change(Number.POSITIVE_INFINITY, 'count')).toBe('–');
  });
});

describe('pct', () => {
  const cases: Array<[p: number, sv: string, en: string, why: string]> = [
    [-0.62, '−62_%', '−62%', 'a driver fell by 62 %'],
    [0.1, '+10_%', '+10%', 'whole percents from 10 % up'],
    [1.5, '+150_%', '+150%', 'more than doubled'],
    [0.025, '+2,5_%', '+2.5%', 'below 10 %: one decimal'],
    [-0.02, '−2_%', '−2%', 'below 10 %, whole: no trailing zero'],
    [0, '0_%', '0%', 'zero: no sign'],
    [-0.00001, '0_%', '0%', 'rounds to zero: no sign'],
  ];
  it.each(cases)('%s → %s / %s (%s)', (p, svText, enText) => {
    expect(sv.pct(p)).toBe(nb(svText));
    expect(en.pct(p)).toBe(nb(enText));
  });

  it('writes null and non-finite fractions as a dash', () => {
    expect(sv.pct(null)).toBe('–');
    expect(en.pct(Number.NEGATIVE_INFINITY)).toBe('–');
  });
});

describe('number and noData', () => {
  it('groups plain numbers in the locale', () => {
    expect(sv.number(1_000_000)).toBe(nb('1_000_000'));
    expect(en.number(1_000_000)).toBe('1,000,000');
  });

  it('words are English like the rest of the replies; only the numbers follow the locale', () => {
    expect(sv.noData).toBe('no data');
    expect(en.noData).toBe('no data');
    const de = createFormatter({ locale: 'de-DE', currency: 'EUR' });
    expect(de.noData).toBe('no data');
    expect(de.value(2, 'days')).toBe(nb('2,0_days'));
  });

  it('uses the configured currency, whatever the locale', () => {
    expect(createFormatter({ locale: 'en-US', currency: 'SEK' }).value(500, 'currency')).toBe(
      nb('SEK_500'),
    );
  });
});
