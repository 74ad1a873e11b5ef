import { describe, expect, it } from 'vitest';
import { defaultHysteresis, parseNumber, parseThreshold } from '../../src/alerts/threshold.ts';
import type { Unit } from '../../src/kpi/types.ts';

describe('parseThreshold: accepted forms', () => {
  it.each<[string, Unit, number]>([
    // multiples: x, ×, bare, decimals with either mark, ratio notation
    ['3x', 'multiple', 3],
    ['3×', 'multiple', 3],
    ['3 X', 'multiple', 3],
    ['3', 'multiple', 3],
    ['3.5x', 'multiple', 3.5],
    ['3,5x', 'multiple', 3.5],
    ['3:1', 'multiple', 3],
    // ratios: bare, n:1, n:m, x
    ['3', 'ratio', 3],
    ['3:1', 'ratio', 3],
    ['3 : 1', 'ratio', 3],
    ['5:2', 'ratio', 2.5],
    ['3x', 'ratio', 3],
    // percent: with the sign or the word, becomes a fraction
    ['5%', 'percent', 0.05],
    ['5 %', 'percent', 0.05],
    ['0,5 %', 'percent', 0.005],
    ['12.5%', 'percent', 0.125],
    ['7%', 'percent', 0.07],
    ['5 procent', 'percent', 0.05],
    ['-10%', 'percent', -0.1],
    ['−10 %', 'percent', -0.1],
    // a bare zero is unambiguous
    ['0', 'percent', 0],
    // currency: kr, SEK, symbols, Swedish number formats, thousands
    ['800 kr', 'currency', 800],
    ['800kr', 'currency', 800],
    ['800 SEK', 'currency', 800],
    ['800 sek', 'currency', 800],
    ['$800', 'currency', 800],
    ['€ 800', 'currency', 800],
    ['800 €', 'currency', 800],
    ['800:-', 'currency', 800],
    ['800', 'currency', 800],
    ['1 234,50 kr', 'currency', 1234.5],
    ['1\u00a0234,50 kr', 'currency', 1234.5],
    ['1\u202f234 kr', 'currency', 1234],
    ['1 234 567 kr', 'currency', 1234567],
    ['1.234,50 kr', 'currency', 1234.5],
    ['1,234.50', 'currency', 1234.5],
    ['1,234,567', 'currency', 1234567],
    ['10k', 'currency', 10000],
    ['10k kr', 'currency', 10000],
    ['1,5 tkr', 'currency', 1500],
    ['2 mkr', 'currency', 2000000],
    ['0,125', 'currency', 0.125],
    // counts, days, positions
    ['1 000', 'count', 1000],
    ['10k', 'count', 10000],
    ['30 days', 'days', 30],
    ['30d', 'days', 30],
    ['30 dagar', 'days', 30],
    ['3', 'position', 3],
  ])('%s as %s → %d', (text, unit, value) => {
    expect(parseThreshold(text, unit)).toEqual({ ok: true, value });
  });
});

describe('parseThreshold: refused forms name what was expected', () => {
  it.each<[string, Unit, RegExp]>([
    // a bare number for a percent KPI could be off by 100
    ['0.05', 'percent', /churn_rate is a percentage: write e\.g\. 5%.*0\.05 % or 5 %/],
    ['5', 'percent', /churn_rate is a percentage.*5 % or 500 %/],
    // a multiple written as a percentage is refused, with the conversion
    ['300%', 'multiple', /roas is a multiple: write e\.g\. 3x \(300% = 3x\)/],
    // a multiple for a percent KPI
    ['3x', 'percent', /churn_rate is a percentage/],
    // money for a multiple
    ['800 kr', 'multiple', /amount of money, but roas is a multiple: write e\.g\. 3x/],
    // ratio notation for money
    ['3:1', 'currency', /ratio notation; churn_rate is an amount of money/],
    // nothing at all
    ['', 'multiple', /No threshold given: roas is a multiple/],
    // words
    ['three', 'multiple', /`three` is not understood: roas is a multiple: write e.g. 3x/],
    // an unknown unit
    ['3 apples', 'multiple', /not understood: roas is a multiple/],
    // a single comma with three digits: 1.2 or 1200?
    [
      '1,200 kr',
      'currency',
      /ambiguous: write 1200 or 1 200 for thousands, or 1\.200 for a decimal/,
    ],
    // broken grouping
    ['12 34', 'count', /not a number/],
    // division by zero in ratio notation
    ['3:0', 'ratio', /divides by zero/],
    // days on a percent KPI
    ['3 days', 'count', /is days, but/],
  ])('%s as %s', (text, unit, error) => {
    const kpi = unit === 'multiple' ? 'roas' : 'churn_rate';
    const result = parseThreshold(text, unit, { kpi });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(error);
  });

  it('checks a written currency against the configured one', () => {
    // kr is SEK (or NOK, DKK): fine with SEK configured
    expect(parseThreshold('800 kr', 'currency', { currency: 'SEK' })).toEqual({
      ok: true,
      value: 800,
    });
    // a bare amount is in the configured currency
    expect(parseThreshold('800', 'currency', { currency: 'EUR' })).toEqual({
      ok: true,
      value: 800,
    });
    // dollars when amounts are in SEK would compare apples with oranges
    expect(parseThreshold('$800', 'currency', { kpi: 'cac', currency: 'SEK' })).toEqual({
      ok: false,
      error: '`$800` is in $, but amounts are in SEK: write e.g. 800 SEK',
    });
    expect(parseThreshold('800 EUR', 'currency', { currency: 'SEK' }).ok).toBe(false);
  });

  it('uses a generic subject without a KPI name', () => {
    expect(parseThreshold('5', 'percent')).toMatchObject({
      error: expect.stringMatching(/^this KPI is a percentage/),
    });
  });
});

describe('parseNumber', () => {
  it.each<[string, number | null]>([
    ['3', 3],
    ['3,5', 3.5],
    ['3.5', 3.5],
    ['1 234', 1234],
    ['1.234.567', 1234567],
    ['0,050', 0.05],
    ['+4', 4],
    ['-0', 0],
    ['1,2,3', null],
    ['1.2,3.4', null],
    ['abc', null],
    ['3,', null],
  ])('%s', (text, value) => {
    const parsed = parseNumber(text);
    expect(parsed.ok ? parsed.value : null).toBe(value);
  });
});

describe('defaultHysteresis', () => {
  it.each([
    // 5 % of the threshold, without float noise
    [3, 0.15],
    [5, 0.25],
    [0.05, 0.0025],
    [800, 40],
    [-0.1, 0.005],
    [0, 0],
  ])('%d → %d', (threshold, margin) => {
    expect(defaultHysteresis(threshold)).toBe(margin);
  });
});
