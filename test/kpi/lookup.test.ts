// Finding the KPI a person means, and "did you mean" for typos.
import { describe, expect, it } from 'vitest';
import { resolveKpi } from '../../src/kpi/lookup.ts';
import { editDistance, normaliseName } from '../../src/kpi/names.ts';
import { catalog } from './helpers.ts';

const kpis = catalog();
const idOf = (text: string) => {
  const found = resolveKpi(kpis, text);
  return found.ok ? found.kpi.id : { suggestions: found.suggestions };
};

describe('resolveKpi', () => {
  it.each([
    ['roas', 'roas'],
    ['ROAS', 'roas'],
    ['ltv-cac', 'ltv_cac'],
    ['ltv/cac', 'ltv_cac'],
    ['ltv:cac', 'ltv_cac'],
    ['LTV/CAC', 'ltv_cac'],
    ['clv', 'ltv'],
    ['konverteringsgrad', 'conversion_rate'],
    ['Konverteringsgrad', 'conversion_rate'],
    ['conversion rate', 'conversion_rate'],
    ['Kostnad per förvärv', 'cpa'],
    ['churn', 'churn_rate'],
    ['klickfrekvens', 'ctr'],
    ['sessions', 'traffic'],
    ['återköpsfrekvens', 'repeat_purchase_rate'],
  ])('%s → %s', (text, id) => {
    expect(idOf(text)).toBe(id);
  });

  it.each([
    ['rosa', ['roas']],
    ['ro', ['roi']],
    ['roass', ['roas']],
    ['chrun', ['churn_rate']],
    ['konverteringsgrd', ['conversion_rate']],
    ['cpx', ['cpa', 'cpc', 'cpl']],
    ['ltvcca', ['ltv_cac']],
    ['xyzzy', []],
  ])('%s suggests %j', (text, suggestions) => {
    expect(idOf(text)).toEqual({ suggestions });
  });
});

describe('names', () => {
  it('normalises case, separators and spacing', () => {
    expect(normaliseName('  LTV / CAC ')).toBe('ltv_cac');
    expect(normaliseName('lead-till-kund')).toBe('lead_till_kund');
  });

  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('rosa', 'roas')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
