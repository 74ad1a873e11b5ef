// Every worked example of KPI-REFERENCE.md, the rule of numbers and "no data".
import { describe, expect, it } from 'vitest';
import {
  annualiseChurn,
  evaluateKpi,
  isAdditiveTotal,
  requiredMeasures,
} from '../../src/kpi/evaluate.ts';
import { agg, catalog, snapshot, values } from './helpers.ts';

const kpis = catalog();
const kpi = (
  id: string,
  current: ReturnType<typeof values>,
  previous?: ReturnType<typeof values>,
) => evaluateKpi(kpis, id, current, previous);

describe('worked examples from the KPI reference', () => {
  it('conversion rate: 1 000 visitors, 20 purchases → 2 %', () => {
    expect(kpi('conversion_rate', values({ sessions: agg(1000), conversions: agg(20) }))).toBe(
      0.02,
    );
  });

  it('CPA: a 10 000 kr campaign winning 50 new customers → 200 kr', () => {
    expect(kpi('cpa', values({ ad_spend: agg(10_000), new_customers: agg(50) }))).toBe(200);
  });

  it('ROI: revenue 50 000 kr on a cost of 10 000 kr → 400 %', () => {
    expect(kpi('roi', values({ revenue: agg(50_000), marketing_cost: agg(10_000) }))).toBe(4);
  });

  it('churn: 5 % a month compounds to 46 % a year', () => {
    // 1 − 0.95¹² = 0.4596…
    expect(annualiseChurn(0.05)).toBeCloseTo(0.4596, 4);
    expect(annualiseChurn(0)).toBe(0);
    expect(annualiseChurn(null)).toBeNull();
    expect(annualiseChurn(1.5)).toBeNull();
  });
});

describe('the rule of numbers: aggregate first, then apply the formula', () => {
  it('a week’s ROAS is the ratio of sums, not the average of daily ratios', () => {
    // Day 1: spend 100, revenue 1 000 (10×). Day 2: spend 900, revenue 900 (1×).
    // Mean of daily ROAS = 5.5×; the week's ROAS = 1 900 / 1 000 = 1.9×.
    const days = [
      { spend: 100, revenue: 1000 },
      { spend: 900, revenue: 900 },
    ];
    const spend = days.reduce((s, d) => s + d.spend, 0);
    const revenue = days.reduce((s, d) => s + d.revenue, 0);
    const week = kpi('roas', values({ ad_spend: agg(spend), revenue: agg(revenue) }));
    expect(week).toBe(1.9);
    expect(week).not.toBe((10 + 1) / 2);
  });

  it('churn uses customers at the period’s start (opening), not at its end', () => {
    // 1 000 customers on the 1st, 50 lost, 200 won: 1 150 at the end. 50 / 1 000 = 5 %.
    const current = values({ churned_customers: agg(50), active_customers: snapshot(1000, 1150) });
    expect(kpi('churn_rate', current)).toBe(0.05);
  });

  it('ARPU divides by active users at the start; LTV = ARPU / churn; LTV/CAC = LTV / CAC', () => {
    const current = values({
      revenue: agg(200_000),
      active_users: snapshot(1000, 900),
      churned_customers: agg(40),
      active_customers: snapshot(1000, 980),
      marketing_cost: agg(30_000),
      sales_cost: agg(10_000),
      new_customers: agg(20),
    });
    expect(kpi('arpu', current)).toBe(200); // 200 000 / 1 000
    expect(kpi('churn_rate', current)).toBe(0.04); // 40 / 1 000
    expect(kpi('ltv', current)).toBe(5000); // 200 / 0.04
    expect(kpi('cac', current)).toBe(2000); // 40 000 / 20
    expect(kpi('ltv_cac', current)).toBe(2.5); // 5 000 / 2 000
  });

  it('a bare snapshot measure means its closing value; an average measure its mean', () => {
    expect(kpi('keyword_rank', values({ avg_position: agg(28, { avg: 4 }) }))).toBe(4);
  });

  it('organic traffic growth compares with the previous period', () => {
    const current = values({ sessions: agg(1200) });
    const previous = values({ sessions: agg(1000) });
    expect(kpi('organic_traffic_growth', current, previous)).toBeCloseTo(0.2, 12);
    expect(kpi('organic_traffic_growth', current)).toBeNull();
    expect(kpi('organic_traffic_growth', current, values({}))).toBeNull();
  });
});

describe('no data is null, never 0, NaN or Infinity', () => {
  it.each([
    ['roas', { revenue: agg(500), ad_spend: agg(0) }],
    ['roas', { revenue: agg(500) }],
    ['roas', { ad_spend: agg(100) }],
    ['roas', {}],
    ['churn_rate', { churned_customers: agg(3), active_customers: snapshot(0, 10) }],
    [
      'ltv',
      {
        revenue: agg(1000),
        active_users: snapshot(10, 10),
        churned_customers: agg(0),
        active_customers: snapshot(100, 100),
      },
    ],
    ['conversion_rate', { conversions: agg(0), sessions: agg(0) }],
  ])('%s with %j', (id, entries) => {
    expect(kpi(id, values(entries))).toBeNull();
  });

  it('a zero numerator over a real denominator is a real 0', () => {
    expect(kpi('conversion_rate', values({ conversions: agg(0), sessions: agg(500) }))).toBe(0);
  });
});

describe('requiredMeasures', () => {
  it.each([
    ['roas', ['revenue', 'ad_spend'], false],
    ['cac', ['marketing_cost', 'sales_cost', 'new_customers'], false],
    [
      'ltv_cac',
      [
        'revenue',
        'active_users',
        'churned_customers',
        'active_customers',
        'marketing_cost',
        'sales_cost',
        'new_customers',
      ],
      false,
    ],
    ['organic_traffic_growth', ['sessions'], true],
    ['organic_conversion_rate', ['conversions', 'sessions'], false],
    ['traffic', ['sessions'], false],
  ])('%s needs %j', (id, measures, needsPrevious) => {
    expect(requiredMeasures(kpis, id)).toEqual({ measures, needsPrevious });
  });
});

describe('isAdditiveTotal', () => {
  it('is true for plain totals of additive measures only', () => {
    expect(isAdditiveTotal(kpis, 'revenue')).toBe(true);
    expect(isAdditiveTotal(kpis, 'new_customers')).toBe(true);
    expect(isAdditiveTotal(kpis, 'roas')).toBe(false);
    expect(isAdditiveTotal(kpis, 'keyword_rank')).toBe(false);
  });
});
