// Tests of kpi/format.ts: values, changes and relative changes in sv-SE/SEK and en-US/USD, with
// the precision rule of kpi/precision.ts (issue 10 §4: figures a person can act on).
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
    [
      (50_000 - 10_000) / 10_000,
      'percent',
      '400_%',
      '400%',
      'ROI of the reference text: none from 100',
    ],
    [0.0312, 'percent', '3,12_%', '3.12%', 'conversion rate below 10 %: two decimals'],
    [0.336, 'percent', '33,6_%', '33.6%', 'repeat rate from 10 %: one decimal'],
    [-0.5, 'percent', '−50,0_%', '−50.0%', 'negative ROI'],
    [4.3, 'multiple', '4,3×', '4.3×', 'ROAS: no trailing zero in the second decimal'],
    [4.25, 'multiple', '4,25×', '4.25×', 'ROAS below 10: two decimals (issue 10)'],
    [4, 'multiple', '4,0×', '4.0×', 'a whole multiple keeps one decimal'],
    [10.4, 'multiple', '10,4×', '10.4×', 'from 10: one decimal'],
    [123.4, 'multiple', '123×', '123×', 'from 100: none'],
    [3.14, 'ratio', '3,14:1', '3.14:1', 'LTV/CAC'],
    [1_234_567, 'count', '1_234_567', '1,234,567', 'integer count with grouping'],
    [2.25, 'count', '2,3', '2.3', 'non-integer count: one decimal'],
    [1, 'days', '1,0_dagar', '1.0_days', 'time to conversion'],
    [4.24, 'position', '4,2', '4.2', 'keyword rank'],
    [-0.001, 'position', '0,0', '0.0', 'rounds to zero: no minus'],
  ];
  it.each(cases)('%s %s → %s / %s (%s)', (v, unit, svText, enText) => {
    expect(sv.value(v, unit)).toBe(nb(svText));
    expect(en.value(v, unit)).toBe(nb(enText));
  });

  it('writes null and non-finite numbers as the no-data text', () => {
    for (const v of [null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(sv.value(v, 'currency')).toBe('inga data');
      expect(en.value(v, 'percent')).toBe('no data');
    }
  });
});

describe('value against a threshold', () => {
  // [value, threshold, unit, sv, en]: enough decimals that the two are visibly different.
  const cases: Array<[number, number, Unit, string, string]> = [
    [2.96, 3, 'multiple', '2,96×', '2.96×'],
    [2.996, 3, 'multiple', '2,996×', '2.996×'],
    [2.9996, 3, 'multiple', '2,9996×', '2.9996×'],
    [10.44, 10.4, 'multiple', '10,44×', '10.44×'],
    [3, 3, 'multiple', '3,0×', '3.0×'],
    [0.0499, 0.05, 'percent', '4,99_%', '4.99%'],
    [0.04999, 0.05, 'percent', '4,999_%', '4.999%'],
    [1500.4, 1500, 'currency', nb('1_500,4_kr'), '$1,500.4'],
    [4.25, 3, 'multiple', '4,25×', '4.25×'],
  ];
  it.each(cases)('%s against %s %s → %s / %s', (v, t, unit, svText, enText) => {
    expect(sv.value(v, unit, t)).toBe(nb(svText));
    expect(en.value(v, unit, t)).toBe(nb(enText));
  });

  it('shows a value and its threshold differently whenever they differ by more than 0.0001', () => {
    for (const t of [3, 0.05, 1500, 2.5]) {
      for (const d of [0.0004, -0.0004, 0.004, -0.04, 0.4]) {
        const v = t + d;
        const unit: Unit = t < 1 ? 'percent' : 'multiple';
        const scale = unit === 'percent' ? 100 : 1;
        if (Math.abs(d * scale) < 0.0001) continue;
        expect(en.value(v, unit, t), `${v} vs ${t}`).not.toBe(en.value(t, unit, v));
      }
    }
  });
});

describe('change', () => {
  const cases: Case[] = [
    [1200, 'currency', '+1_200_kr', '+$1,200', 'positive: plus sign'],
    [-1200, 'currency', '−1_200_kr', '−$1,200', 'negative: U+2212'],
    [-0.5, 'currency', '−0,50_kr', '−$0.50', 'small: two decimals'],
    [0, 'currency', 'oförändrat', 'unchanged', 'zero: the word, not a signless zero'],
    [-0.8, 'multiple', '−0,8×', '−0.8×', 'ROAS fell'],
    [0.015, 'percent', '+1,5_p.e.', '+1.5_pp', 'percent KPI: percentage points'],
    [-0.004, 'percent', '−0,4_p.e.', '−0.4_pp', 'falling conversion rate'],
    [0, 'percent', 'oförändrat', 'unchanged', 'no change in points'],
    [0.4, 'ratio', '+0,4', '+0.4', 'ratio change without :1'],
    [-1500, 'count', '−1_500', '−1,500', 'count'],
    [2.5, 'days', '+2,5_dagar', '+2.5_days', 'slower conversion'],
    [-1.2, 'position', '−1,2', '−1.2', 'rank improved'],
    [0.00001, 'multiple', 'oförändrat', 'unchanged', 'rounds to zero: never 0,0×'],
  ];
  it.each(cases)('%s %s → %s / %s (%s)', (v, unit, svText, enText) => {
    expect(sv.change(v, unit)).toBe(nb(svText));
    expect(en.change(v, unit)).toBe(nb(enText));
  });

  it('has the precision of the value it changes (issue 10: +0.03 on 10.4×)', () => {
    // 10.4× is shown with one decimal, so +0.03 reads as nothing: "unchanged", never "0,0×".
    expect(sv.change(0.03, 'multiple', 10.4)).toBe('oförändrat');
    expect(en.change(0.03, 'multiple', 10.4)).toBe('unchanged');
    // 4.25× is shown with two decimals, so the same change is visible.
    expect(sv.change(0.03, 'multiple', 4.25)).toBe('+0,03×');
    expect(en.change(-0.6, 'multiple', 10.1)).toBe('−0.6×');
    // Currency: the value's whole kronor from 100 kr; cents below.
    expect(sv.change(-1.06, 'currency', 1210)).toBe(nb('−1_kr'));
    expect(sv.change(-0.4, 'currency', 1210)).toBe('oförändrat');
    expect(sv.change(3.46, 'currency', 68.29)).toBe(nb('+3,46_kr'));
    // A percent value with two decimals gives its change in points with two.
    expect(en.change(-0.0004, 'percent', 0.0312)).toBe(nb('−0.04_pp'));
    expect(en.change(-0.0004, 'percent', 0.336)).toBe('unchanged');
  });

  it('widens a change that reads as zero when the two values it joins do not', () => {
    // 4.67 → 4.64 shows as 4.7 → 4.6: the change is −0.03, not "unchanged" nor "−0.0".
    expect(en.change(4.64 - 4.67, 'position', 4.64)).toBe('−0.03');
    // $1,210.60 → $1,210.40 shows as $1,211 → $1,210: the change in cents.
    expect(en.change(1210.4 - 1210.6, 'currency', 1210.4)).toBe('−$0.20');
    // 4.62 → 4.64 both show as 4.6: unchanged.
    expect(en.change(4.64 - 4.62, 'position', 4.64)).toBe('unchanged');
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

  it("words are in the locale's language: Swedish for sv-*, English for every other locale", () => {
    expect(sv.noData).toBe('inga data');
    expect(sv.unchanged).toBe('oförändrat');
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
