// Goals: the text after `/kpi goal set`, the kpibot.config.yml `goals:` schema, the stored-goal
// schema and buildGoal (comparator defaults, target parsed in the KPI's unit, `per` rules).
import { describe, expect, it } from 'vitest';
import {
  buildGoal,
  type GoalKpi,
  goalSchema,
  goalsConfigSchema,
  isGoalOnTrack,
} from '../../src/reports/goal.ts';
import { parseGoalText } from '../../src/reports/goal-text.ts';

describe('parseGoalText: accepted goals', () => {
  it.each<[string, Record<string, unknown>]>([
    // the issue's first example: a total per month, comparator left to the KPI
    ['revenue 500000 kr per month', { kpiWord: 'revenue', targetText: '500000 kr', per: 'month' }],
    // a cost ceiling
    ['cac <= 800 kr', { kpiWord: 'cac', comparator: '<=', targetText: '800 kr' }],
    // a multiple
    ['roas >= 4x', { kpiWord: 'roas', comparator: '>=', targetText: '4x' }],
    // a percentage
    [
      'conversion_rate >= 2.5%',
      { kpiWord: 'conversion_rate', comparator: '>=', targetText: '2.5%' },
    ],
    // a count per quarter
    [
      'new_customers 1200 per quarter',
      { kpiWord: 'new_customers', targetText: '1200', per: 'quarter' },
    ],
    // Swedish periods, thousands written with a space
    [
      'revenue 500 000 kr per månad',
      { kpiWord: 'revenue', targetText: '500 000 kr', per: 'month' },
    ],
    ['leads 300 per vecka', { kpiWord: 'leads', targetText: '300', per: 'week' }],
    [
      'new_customers 1200 per kvartal',
      { kpiWord: 'new_customers', targetText: '1200', per: 'quarter' },
    ],
    ['revenue 6 mkr per år', { kpiWord: 'revenue', targetText: '6 mkr', per: 'year' }],
    // Swedish colloquial "i månaden", a cap with tkr
    [
      'ad_spend <= 100 tkr i månaden',
      { kpiWord: 'ad_spend', comparator: '<=', targetText: '100 tkr', per: 'month' },
    ],
    // Slack's escaped comparator, symbol without spaces, `/month`
    ['cac &lt;=800kr', { kpiWord: 'cac', comparator: '<=', targetText: '800kr' }],
    [
      'revenue>=500000kr/month',
      { kpiWord: 'revenue', comparator: '>=', targetText: '500000kr', per: 'month' },
    ],
    // words for comparators; `>` read as `>=`
    ['roas at least 4x', { kpiWord: 'roas', comparator: '>=', targetText: '4x' }],
    ['cac högst 800 kr', { kpiWord: 'cac', comparator: '<=', targetText: '800 kr' }],
    ['roas > 4x', { kpiWord: 'roas', comparator: '>=', targetText: '4x' }],
    ['roas ≥ 4x', { kpiWord: 'roas', comparator: '>=', targetText: '4x' }],
    // an adverb for the period; a multi-word KPI is hyphen-joined
    ['revenue 500000 kr monthly', { kpiWord: 'revenue', targetText: '500000 kr', per: 'month' }],
    [
      'new customers 1200 a quarter',
      { kpiWord: 'new-customers', targetText: '1200', per: 'quarter' },
    ],
    // `10 k kr`
    ['revenue 10 k kr per week', { kpiWord: 'revenue', targetText: '10 k kr', per: 'week' }],
  ])('%s', (text, draft) => {
    const result = parseGoalText(text);
    expect(result).toEqual({ ok: true, draft });
  });
});

describe('parseGoalText: default comparator from the KPI good direction', () => {
  const goodOf = (w: string) =>
    ({ revenue: 'up', cac: 'down', frequency: 'neutral' })[w] as
      | 'up'
      | 'down'
      | 'neutral'
      | undefined;
  it.each<[string, string | undefined]>([
    // up-good total → at least
    ['revenue 500000 kr per month', '>='],
    // down-good → at most
    ['cac 800 kr', '<='],
    // neutral KPI: no default, buildGoal asks for one
    ['frequency 3x', undefined],
    // unknown KPI word: left to the caller
    ['bogus 3', undefined],
    // a written comparator wins over the default
    ['cac >= 800 kr', '>='],
  ])('%s → %s', (text, comparator) => {
    const result = parseGoalText(text, goodOf);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.draft.comparator).toBe(comparator);
  });
});

describe('parseGoalText: refused', () => {
  it.each<[string, RegExp]>([
    // nothing at all
    ['', /Which goal/],
    // no KPI
    ['>= 4x', /Which KPI/],
    // no target
    ['roas >=', /expected a target/],
    ['roas', /expected a target/],
    // two comparisons
    ['roas >= <= 4x', /two comparisons/],
    // a period word without a unit
    ['revenue 500000 kr per', /needs a period/],
    // a period that is not one
    ['revenue 500000 kr per fortnight', /needs a period/],
    // trailing words
    ['roas >= 4x please', /did not understand `please`/],
  ])('%s', (text, error) => {
    const result = parseGoalText(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(error);
      expect(result.hint).toContain('per week|month|quarter|year');
    }
  });
});

const meta = {
  id: 'g1',
  createdBy: 'U123',
  createdAt: '2026-11-23T07:00:00.000Z',
  currency: 'SEK',
};
const revenue: GoalKpi = { id: 'revenue', unit: 'currency', good: 'up', additive: true };
const roas: GoalKpi = { id: 'roas', unit: 'multiple', good: 'up', additive: false };
const cac: GoalKpi = { id: 'cac', unit: 'currency', good: 'down', additive: false };
const conversion: GoalKpi = { id: 'conversion_rate', unit: 'percent', good: 'up', additive: false };
const frequency: GoalKpi = { id: 'frequency', unit: 'multiple', good: 'neutral', additive: false };

describe('buildGoal', () => {
  it.each<[string, Parameters<typeof buildGoal>[0], GoalKpi, Record<string, unknown>]>([
    // a total per month, comparator from the good direction, kr parsed
    [
      'revenue per month',
      { targetText: '500 000 kr', per: 'month' },
      revenue,
      { kpi: 'revenue', comparator: '>=', target: 500_000, per: 'month' },
    ],
    // a multiple
    ['roas 4x', { comparator: '>=', targetText: '4x' }, roas, { kpi: 'roas', target: 4 }],
    // a cost ceiling by default
    ['cac 800 kr', { targetText: '800 kr' }, cac, { comparator: '<=', target: 800 }],
    // percent in its base unit: a fraction
    ['conversion 2.5%', { targetText: '2.5%' }, conversion, { target: 0.025 }],
    // a ratio goal may name its period
    ['cac per month', { targetText: '800', per: 'month' }, cac, { per: 'month' }],
  ])('%s', (_name, draft, kpi, expected) => {
    const result = buildGoal(draft, kpi, meta);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.goal).toMatchObject({ ...expected, id: 'g1', createdBy: 'U123' });
  });

  it.each<[string, Parameters<typeof buildGoal>[0], GoalKpi, RegExp]>([
    // a total without a period cannot be paced
    ['total without per', { targetText: '500000 kr' }, revenue, /needs a period/],
    // a neutral KPI needs a written comparator
    ['neutral', { targetText: '3x' }, frequency, /say which way/],
    // a bare number for a percent KPI is ambiguous (the threshold parser's rule)
    ['bare percent', { targetText: '2.5' }, conversion, /percentage/],
    // another currency than the configured one
    ['wrong currency', { targetText: '800 EUR' }, cac, /EUR|currency/i],
    // a zero total
    ['zero total', { targetText: '0 kr', per: 'month' }, revenue, /above 0/],
  ])('refuses %s', (_name, draft, kpi, error) => {
    const result = buildGoal(draft, kpi, meta);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(error);
  });
});

describe('goals config schema (kpibot.config.yml `goals:`)', () => {
  it('reads entries, derives stable ids and keeps targets as text', () => {
    const parsed = goalsConfigSchema.parse([
      { kpi: 'revenue', target: '500000 kr', per: 'month' },
      { id: 'roas-floor', kpi: 'roas', comparator: '>=', target: 4 },
      { kpi: 'cac', comparator: '<=', target: '800 kr', per: 'månad' },
    ]);
    expect(parsed).toEqual([
      { id: 'revenue-500000kr-per-month', kpi: 'revenue', targetText: '500000 kr', per: 'month' },
      { id: 'roas-floor', kpi: 'roas', comparator: '>=', targetText: '4' },
      {
        id: 'cac-at-most-800kr-per-month',
        kpi: 'cac',
        comparator: '<=',
        targetText: '800 kr',
        per: 'month',
      },
    ]);
  });

  it('defaults to an empty list', () => {
    expect(goalsConfigSchema.parse(undefined)).toEqual([]);
  });

  it.each<[string, unknown, RegExp]>([
    // duplicate ids
    [
      'duplicate ids',
      [
        { id: 'a', kpi: 'roas', target: '4x' },
        { id: 'a', kpi: 'cac', target: '800 kr' },
      ],
      /both have the id "a"/,
    ],
    // a strict comparator
    ['strict comparator', [{ kpi: 'roas', comparator: '>', target: '4x' }], />= or <=/],
    // an unknown period
    [
      'bad per',
      [{ kpi: 'revenue', target: '1', per: 'fortnight' }],
      /week, month, quarter or year/,
    ],
    // an unknown key
    ['unknown key', [{ kpi: 'roas', target: '4x', window: 'mtd' }], /window|Unrecognized/i],
  ])('refuses %s', (_name, input, error) => {
    const result = goalsConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join('\n')).toMatch(error);
  });
});

describe('stored goal schema', () => {
  it('accepts a row with SQL nulls and a Date timestamp', () => {
    const goal = goalSchema.parse({
      id: 'g1',
      kpi: 'roas',
      comparator: '>=',
      target: 4,
      per: null,
      createdBy: 'U1',
      createdAt: new Date('2026-11-23T07:00:00Z'),
    });
    expect(goal).toEqual({
      id: 'g1',
      kpi: 'roas',
      comparator: '>=',
      target: 4,
      createdBy: 'U1',
      createdAt: '2026-11-23T07:00:00.000Z',
    });
  });

  it('counts on_track and met as on track', () => {
    expect(
      ['on_track', 'met', 'at_risk', 'too_early'].map((s) => isGoalOnTrack(s as 'met')),
    ).toEqual([true, true, false, false]);
  });
});
