// The built-in catalog against KPI-REFERENCE.md, custom KPIs and configuration errors.
import { describe, expect, it } from 'vitest';
import { buildCatalog, type CustomKpi } from '../../src/kpi/catalog.ts';
import { evaluateKpi } from '../../src/kpi/evaluate.ts';
import { resolveKpi } from '../../src/kpi/lookup.ts';
import { agg, catalog, values } from './helpers.ts';

const kpis = catalog();

// The reference's tables, restated: id, unit, good direction, tier.
const REFERENCE: Array<[string, string, string, string]> = [
  ['conversion_rate', 'percent', 'up', 'business'],
  ['cpa', 'currency', 'down', 'business'],
  ['cpl', 'currency', 'down', 'business'],
  ['cac', 'currency', 'down', 'business'],
  ['roi', 'percent', 'up', 'business'],
  ['roas', 'multiple', 'up', 'business'],
  ['poas', 'multiple', 'up', 'business'],
  ['aov', 'currency', 'up', 'business'],
  ['arpu', 'currency', 'up', 'business'],
  ['ltv', 'currency', 'up', 'business'],
  ['ltv_cac', 'ratio', 'up', 'business'],
  ['churn_rate', 'percent', 'down', 'business'],
  ['repeat_purchase_rate', 'percent', 'up', 'business'],
  ['lead_to_customer', 'percent', 'up', 'business'],
  ['time_to_conversion', 'days', 'down', 'business'],
  ['organic_traffic_growth', 'percent', 'up', 'business'],
  ['organic_conversion_rate', 'percent', 'up', 'business'],
  ['keyword_rank', 'position', 'down', 'business'],
  ['impressions', 'count', 'up', 'context'],
  ['reach', 'count', 'up', 'context'],
  ['frequency', 'multiple', 'neutral', 'context'],
  ['page_views', 'count', 'up', 'context'],
  ['traffic', 'count', 'up', 'context'],
  ['new_visitors', 'count', 'up', 'context'],
  ['ctr', 'percent', 'up', 'context'],
  ['cpc', 'currency', 'down', 'context'],
  ['engagement_rate', 'percent', 'up', 'context'],
  ['interactions', 'count', 'up', 'context'],
];

describe('built-in catalog', () => {
  it.each(REFERENCE)('%s: %s, good %s, %s tier', (id, unit, good, tier) => {
    const kpi = kpis.get(id);
    expect(kpi).toMatchObject({ id, unit, good, tier });
    expect(kpi?.name.sv.length).toBeGreaterThan(0);
    expect(kpi?.name.en.length).toBeGreaterThan(0);
  });

  it('restricts the organic KPIs to the organic channel', () => {
    expect(kpis.get('organic_traffic_growth')?.filter).toEqual({ channel: ['organic'] });
    expect(kpis.get('organic_conversion_rate')?.filter).toEqual({ channel: ['organic'] });
  });

  it('carries the floors the reference gives', () => {
    expect(kpis.get('roas')?.benchmark).toMatchObject({
      comparator: '>=',
      byModel: { ecommerce: 3, services: 5 },
    });
    expect(kpis.get('ltv_cac')?.benchmark).toMatchObject({ comparator: '>=', value: 3 });
    expect(kpis.get('churn_rate')?.benchmark).toMatchObject({ comparator: '<=', value: 0.05 });
  });

  it('lists business KPIs before context ones', () => {
    const tiers = kpis.list().map((k) => k.tier);
    expect(tiers.indexOf('context')).toBeGreaterThan(tiers.lastIndexOf('business'));
  });
});

describe('tier overrides', () => {
  it('moves a KPI between tiers', () => {
    const built = buildCatalog({ tierOverrides: { ctr: 'business', aov: 'context' } });
    expect(built.ok && built.catalog.tierOf('ctr')).toBe('business');
    expect(built.ok && built.catalog.tierOf('aov')).toBe('context');
    expect(built.ok && built.catalog.get('ctr')?.tier).toBe('business');
  });

  it('names an unknown KPI with a suggestion', () => {
    expect(buildCatalog({ tierOverrides: { rosa: 'context' } })).toEqual({
      ok: false,
      errors: ['tiers.rosa: no such KPI (did you mean roas?)'],
    });
  });
});

const custom = (over: Partial<CustomKpi>): CustomKpi => ({
  id: 'profit_margin',
  formula: '(revenue - ad_spend) / ad_spend',
  unit: 'percent',
  good: 'up',
  tier: 'business',
  aliases: [],
  ...over,
});

describe('custom KPIs', () => {
  it('are parsed, named and evaluated like built-ins, and found by alias', () => {
    const built = buildCatalog({
      customKpis: [
        custom({ aliases: ['marginal'], name: { sv: 'Marginal' } }),
        custom({ id: 'double_roas', formula: 'roas * 2', unit: 'multiple', aliases: [] }),
      ],
    });
    if (!built.ok) throw new Error(built.errors.join('\n'));
    const c = built.catalog;
    expect(c.get('profit_margin')?.name).toEqual({ sv: 'Marginal', en: 'Marginal' });
    const v = values({ revenue: agg(50_000), ad_spend: agg(10_000) });
    expect(evaluateKpi(c, 'profit_margin', v)).toBe(4); // (50 000 − 10 000) / 10 000
    expect(evaluateKpi(c, 'double_roas', v)).toBe(10); // 5× · 2
    expect(resolveKpi(c, 'Marginal')).toMatchObject({ ok: true, kpi: { id: 'profit_margin' } });
  });

  it.each([
    [
      custom({ formula: '(revenue - ad_spend // ad_spend' }),
      'profit_margin: expected a number, a measure or "(" but found "/" at position 22\n    (revenue - ad_spend // ad_spend\n                         ^',
    ],
    [
      custom({ formula: 'revenu / ad_spend' }),
      'profit_margin: unknown measure or KPI "revenu" (did you mean revenue?) at position 1\n    revenu / ad_spend\n    ^',
    ],
    [
      custom({ formula: 'opening(revenue) / 2' }),
      'profit_margin: opening() needs a snapshot measure (active_customers, active_users, followers), not "revenue" at position 9\n    opening(revenue) / 2\n            ^',
    ],
    [
      custom({ formula: 'organic_conversion_rate * 2' }),
      'profit_margin: "organic_conversion_rate" has its own channel filter and cannot be used inside another formula at position 1\n    organic_conversion_rate * 2\n    ^',
    ],
    [custom({ id: 'roas' }), 'kpis: "roas" is a built-in KPI; give the custom KPI another id'],
    [
      custom({ id: 'sessions_kpi', aliases: ['clv'] }),
      'kpis: "clv" of sessions_kpi is already the id or alias of ltv',
    ],
    [custom({ id: 'clicks' }), 'kpis: "clicks" is a measure; give the custom KPI another id'],
  ])('rejects %j', (kpi, error) => {
    const built = buildCatalog({ customKpis: [kpi] });
    expect(built.ok ? [] : built.errors).toContain(error);
  });

  it('rejects formulas that refer to each other in a circle', () => {
    const built = buildCatalog({
      customKpis: [
        custom({ id: 'a_kpi', formula: 'b_kpi + 1' }),
        custom({ id: 'b_kpi', formula: 'a_kpi * 2' }),
      ],
    });
    expect(built.ok ? [] : built.errors).toEqual([
      'kpis: formulas refer to each other in a circle: a_kpi → b_kpi → a_kpi',
    ]);
  });

  it('reports every error at once', () => {
    const built = buildCatalog({
      customKpis: [
        custom({ id: 'x_kpi', formula: 'nope' }),
        custom({ id: 'y_kpi', formula: '1 +' }),
      ],
      tierOverrides: { zzz_unknown: 'business' },
    });
    expect(built.ok ? 0 : built.errors.length).toBe(3);
  });
});
