// Tests of kpi/compare.ts: period-over-period deltas with verdicts, and benchmark statuses.
import { describe, expect, it } from 'vitest';
import {
  type BenchmarkStatus,
  benchmarkStatus,
  compareValues,
  type Delta,
} from '../../src/kpi/compare.ts';
import type { GoodDirection, KpiDefinition } from '../../src/kpi/types.ts';

describe('compareValues', () => {
  type Case = [
    current: number | null,
    previous: number | null,
    good: GoodDirection,
    expected: Delta,
    why: string,
  ];
  const cases: Case[] = [
    [3, 2, 'up', { change: 1, changePct: 0.5, verdict: 'better' }, 'ROAS rose'],
    [1.5, 2, 'up', { change: -0.5, changePct: -0.25, verdict: 'worse' }, 'ROAS fell'],
    [150, 200, 'down', { change: -50, changePct: -0.25, verdict: 'better' }, 'CPA fell: better'],
    [250, 200, 'down', { change: 50, changePct: 0.25, verdict: 'worse' }, 'CPA rose: worse'],
    [4, 2, 'neutral', { change: 2, changePct: 1, verdict: 'neutral' }, 'frequency has no good way'],
    [2, 2, 'up', { change: 0, changePct: 0, verdict: 'unchanged' }, 'same value'],
    [2, 2, 'neutral', { change: 0, changePct: 0, verdict: 'unchanged' }, 'unchanged beats neutral'],
    [0, 0, 'down', { change: 0, changePct: null, verdict: 'unchanged' }, 'both zero'],
    [5, 0, 'up', { change: 5, changePct: null, verdict: 'better' }, 'from zero: no percent'],
    [-5, 0, 'up', { change: -5, changePct: null, verdict: 'worse' }, 'ROI below zero from zero'],
    [-1, -2, 'up', { change: 1, changePct: 0.5, verdict: 'better' }, 'negative ROI improved'],
    [-3, -2, 'up', { change: -1, changePct: -0.5, verdict: 'worse' }, 'negative ROI worsened'],
    [null, 2, 'up', { change: null, changePct: null, verdict: 'unknown' }, 'no current value'],
    [2, null, 'down', { change: null, changePct: null, verdict: 'unknown' }, 'no previous value'],
    [Number.NaN, 2, 'up', { change: null, changePct: null, verdict: 'unknown' }, 'NaN is no data'],
    [2, Number.POSITIVE_INFINITY, 'up', { change: null, changePct: null, verdict: 'unknown' }, '∞'],
  ];
  it.each(cases)('%s vs %s, good %s (%s)', (current, previous, good, expected) => {
    expect(compareValues(current, previous, good)).toEqual(expected);
  });

  it('treats float noise as unchanged but a real small move as a move', () => {
    // 0.1 + 0.2 = 0.30000000000000004: the same rate computed two ways.
    expect(compareValues(0.1 + 0.2, 0.3, 'up').verdict).toBe('unchanged');
    // One conversion in a million sessions more is still a change.
    expect(compareValues(0.020001, 0.02, 'up').verdict).toBe('better');
    expect(compareValues(0.019999, 0.02, 'up').verdict).toBe('worse');
  });
});

type Kpi = Pick<KpiDefinition, 'id' | 'name' | 'unit' | 'benchmark'>;

const roas: Kpi = {
  id: 'roas',
  name: { sv: 'Avkastning på annonskostnad', en: 'ROAS' },
  unit: 'multiple',
  benchmark: {
    comparator: '>=',
    value: 3,
    byModel: { ecommerce: 3, services: 5 },
    note: '≥ 3× for e-commerce, ≥ 5× for services',
  },
};
const ltvCac: Kpi = {
  id: 'ltv_cac',
  name: { sv: 'LTV/CAC', en: 'LTV/CAC' },
  unit: 'ratio',
  benchmark: { comparator: '>=', value: 3, note: 'below 3:1 loses money long term' },
};
const churn: Kpi = {
  id: 'churn_rate',
  name: { sv: 'Churn', en: 'Churn rate' },
  unit: 'percent',
  benchmark: { comparator: '<=', value: 0.05, note: '5 % a month compounds to 46 % a year' },
};
const cac: Kpi = {
  id: 'cac',
  name: { sv: 'Kundanskaffningskostnad', en: 'CAC' },
  unit: 'currency',
  benchmark: { comparator: '<=', value: 1500, note: 'a team cap' },
};
const cpa: Kpi = { id: 'cpa', name: { sv: 'Kostnad per förvärv', en: 'CPA' }, unit: 'currency' };

describe('benchmarkStatus', () => {
  type Case = [
    why: string,
    kpi: Kpi,
    value: number,
    model: 'ecommerce' | 'services',
    Omit<BenchmarkStatus, 'threshold'>,
  ];
  const cases: Case[] = [
    [
      'low ROAS',
      roas,
      2.1,
      'ecommerce',
      { status: 'below', text: 'below the 3× ROAS floor', short: 'below floor' },
    ],
    [
      'good ROAS',
      roas,
      3.4,
      'ecommerce',
      { status: 'meets', text: 'meets the 3× ROAS floor', short: 'meets floor' },
    ],
    [
      'ROAS on the floor',
      roas,
      3,
      'ecommerce',
      { status: 'meets', text: 'meets the 3× ROAS floor', short: 'meets floor' },
    ],
    [
      'services: 5× floor',
      roas,
      4,
      'services',
      { status: 'below', text: 'below the 5× ROAS floor', short: 'below floor' },
    ],
    [
      'services ROAS ok',
      roas,
      5.2,
      'services',
      { status: 'meets', text: 'meets the 5× ROAS floor', short: 'meets floor' },
    ],
    // LTV/CAC has one floor for both business models.
    [
      'LTV/CAC low',
      ltvCac,
      2.5,
      'ecommerce',
      { status: 'below', text: 'below the 3:1 LTV/CAC floor', short: 'below floor' },
    ],
    [
      'LTV/CAC ok',
      ltvCac,
      3.1,
      'services',
      { status: 'meets', text: 'meets the 3:1 LTV/CAC floor', short: 'meets floor' },
    ],
    // A `<=` benchmark: met when within, `above` otherwise.
    [
      'churn 6 %',
      churn,
      0.06,
      'ecommerce',
      { status: 'above', text: 'above the 5 % churn rate benchmark', short: 'above benchmark' },
    ],
    [
      'churn 4 %',
      churn,
      0.04,
      'services',
      { status: 'meets', text: 'within the 5 % churn rate benchmark', short: 'within benchmark' },
    ],
    [
      'churn 5 %',
      churn,
      0.05,
      'ecommerce',
      { status: 'meets', text: 'within the 5 % churn rate benchmark', short: 'within benchmark' },
    ],
    // Currency thresholds are plain numbers: the text is the same in every locale.
    [
      'CAC over cap',
      cac,
      1800,
      'ecommerce',
      { status: 'above', text: 'above the 1500 CAC benchmark', short: 'above benchmark' },
    ],
  ];
  it.each(cases)('%s', (_why, kpi, value, model, expected) => {
    expect(benchmarkStatus(kpi, value, model)).toEqual({
      ...expected,
      threshold: expect.any(Number),
    });
  });

  it('carries the threshold it judged against, by business model', () => {
    expect(benchmarkStatus(roas, 4, 'ecommerce')?.threshold).toBe(3);
    expect(benchmarkStatus(roas, 4, 'services')?.threshold).toBe(5);
    expect(benchmarkStatus(churn, 0.04, 'ecommerce')?.threshold).toBe(0.05);
  });

  it('is null without a value or without a benchmark', () => {
    expect(benchmarkStatus(roas, null, 'ecommerce')).toBeNull();
    expect(benchmarkStatus(roas, Number.NaN, 'ecommerce')).toBeNull();
    expect(benchmarkStatus(cpa, 200, 'ecommerce')).toBeNull();
  });

  it('writes a percent threshold without float noise', () => {
    const churn7: Kpi = { ...churn, benchmark: { comparator: '<=', value: 0.07, note: '' } };
    expect(benchmarkStatus(churn7, 0.08, 'ecommerce')?.text).toBe(
      'above the 7 % churn rate benchmark',
    );
  });
});
