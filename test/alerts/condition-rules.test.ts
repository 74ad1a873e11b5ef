// Relative and anomaly conditions and volume guards as people write them: the `/kpi alert add`
// text, kpibot.config.yml entries, stored rows, and how a rule reads back in both languages.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { describeRule, statesLine } from '../../src/alerts/describe.ts';
import {
  alertRuleConfigSchema,
  alertRuleSchema,
  alertsConfigSchema,
  buildRule,
  type RuleSpec,
} from '../../src/alerts/rule.ts';
import { parseRuleText } from '../../src/alerts/rule-text.ts';
import type { AlertState } from '../../src/alerts/state-machine.ts';
import { createFormatter } from '../../src/kpi/format.ts';
import type { Unit } from '../../src/kpi/types.ts';
import { CONDITION_WORDS } from '../../src/messages/conditions.ts';

const META = { id: 'a1', createdBy: 'U1', createdAt: '2026-11-02T08:00:00.000Z', currency: 'SEK' };

function fromText(text: string, unit: Unit = 'multiple') {
  const parsed = parseRuleText(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return buildRule(parsed.draft, { id: parsed.draft.kpiWord, unit }, META);
}

function ruleOf(text: string, unit: Unit = 'multiple') {
  const built = fromText(text, unit);
  if (!built.ok) throw new Error(built.error);
  return built.rule;
}

describe('the text of /kpi alert add', () => {
  it('drops 20% vs previous: a change of at most −20 %, hysteresis 5 % of it', () => {
    const rule = ruleOf('roas drops 20% vs previous over yesterday in #marketing');
    expect(rule).toMatchObject({
      kpi: 'roas',
      comparator: '<=',
      threshold: -0.2,
      hysteresis: 0.01,
      window: 'yesterday',
      condition: { kind: 'change', vs: 'previous' },
    });
  });

  it('rises 15% vs last-year; `vs` defaults to previous', () => {
    expect(ruleOf('cac rises 15% vs last-year over last-month', 'currency')).toMatchObject({
      comparator: '>=',
      threshold: 0.15,
      condition: { kind: 'change', vs: 'last-year' },
    });
    expect(ruleOf('cac rises 15% over last-month', 'currency').condition).toEqual({
      kind: 'change',
      vs: 'previous',
    });
    expect(ruleOf('roas sjunker 20% mot föregående').comparator).toBe('<=');
  });

  it('is anomalous: outside 4 standard deviations of the baseline', () => {
    expect(ruleOf('roas is anomalous over last-7-days by channel in #marketing')).toMatchObject({
      comparator: '>',
      threshold: 4,
      hysteresis: 0.2,
      groupBy: 'channel',
      condition: { kind: 'anomaly' },
    });
  });

  it('a volume guard on any rule, in the measure’s unit', () => {
    expect(ruleOf('roas drops 20% vs previous when ad_spend >= 5000 kr').guard).toEqual({
      measure: 'ad_spend',
      comparator: '>=',
      value: 5000,
    });
    expect(ruleOf('roas < 3x over last-7-days when clicks > 100').guard).toEqual({
      measure: 'clicks',
      comparator: '>',
      value: 100,
    });
    expect(ruleOf('roas < 3x when ad_spend &gt;= 1 500 kr').guard?.value).toBe(1500);
  });

  it('`drops below 3x` is still a threshold rule', () => {
    const rule = ruleOf('roas drops below 3x');
    expect(rule.condition).toBeUndefined();
    expect(rule).toMatchObject({ comparator: '<', threshold: 3 });
  });

  it.each([
    ['roas drops 3x vs previous', /percentage/],
    ['roas drops 0% vs previous', /more than 0 %/],
    ['roas drops 20% vs yesterday', /previous.*last-year/],
    ['roas < 3x when ad_spend < 5000 kr', /minimum volume/],
    ['roas < 3x when ad_spend', /needs a volume/],
    ['roas < 3x when spend >= 5000 kr', /not a measure/],
    ['roas < 3x when ad_spend >= 5000 EUR', /amounts are in SEK/],
    ['roas < 3x when ad_spend >= 1 kr when clicks >= 1', /two guards/],
  ])('%s is refused, saying why', (text, why) => {
    const parsed = parseRuleText(text);
    const error = parsed.ok
      ? (() => {
          const built = buildRule(parsed.draft, { id: 'roas', unit: 'multiple' }, META);
          return built.ok ? 'built' : built.error;
        })()
      : parsed.error;
    expect(error).toMatch(why);
  });
});

describe('kpibot.config.yml alerts', () => {
  const build = (entry: Record<string, unknown>, unit: Unit = 'multiple') => {
    const parsed = alertRuleConfigSchema.parse(entry);
    const spec: RuleSpec = parsed;
    const built = buildRule(spec, { id: parsed.kpi, unit }, META);
    if (!built.ok) throw new Error(built.error);
    return { id: parsed.id, rule: built.rule };
  };

  it('drops / rises with vs, anomalous, and when', () => {
    expect(build({ kpi: 'roas', drops: '20%', when: 'ad_spend >= 5000 kr' })).toMatchObject({
      id: 'roas-drops-20pct-vs-previous-last-7-days-when-ad_spend-5000kr',
      rule: {
        comparator: '<=',
        threshold: -0.2,
        condition: { kind: 'change', vs: 'previous' },
        guard: { measure: 'ad_spend', comparator: '>=', value: 5000 },
      },
    });
    expect(build({ kpi: 'cac', rises: '15%', vs: 'last-year' }, 'currency').rule).toMatchObject({
      comparator: '>=',
      threshold: 0.15,
      condition: { kind: 'change', vs: 'last-year' },
    });
    expect(build({ kpi: 'roas', anomalous: true, groupBy: 'channel' })).toMatchObject({
      id: 'roas-anomalous-last-7-days-by-channel',
      rule: { comparator: '>', threshold: 4, condition: { kind: 'anomaly' } },
    });
  });

  it.each([
    [{ kpi: 'roas' }, /give one condition/],
    [{ kpi: 'roas', comparator: '<', threshold: '3x', drops: '20%' }, /give one condition/],
    [{ kpi: 'roas', comparator: '<' }, /both comparator and threshold/],
    [{ kpi: 'roas', comparator: '<', threshold: '3x', vs: 'previous' }, /vs goes with drops/],
    [{ kpi: 'roas', anomalous: true, when: 'ad_spend 5000' }, /guard as <measure> >= <amount>/],
  ])('refuses %j', (entry, why) => {
    const result = alertRuleConfigSchema.safeParse(entry);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(why);
  });
});

describe('README.md "Relative and anomaly conditions"', () => {
  it('its kpibot.config.yml alerts are valid and mean what the text says', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /```yaml\n(alerts:\n[\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const alerts = alertsConfigSchema.parse((parseYaml(block) as { alerts: unknown }).alerts);
    expect(alerts.map((a) => [a.kpi, a.comparator, a.thresholdText, a.condition])).toEqual([
      ['cac', '>=', '15%', { kind: 'change', vs: 'last-year' }],
      ['roas', '>', '4', { kind: 'anomaly' }],
    ]);
    expect(alerts[0]?.guard).toEqual({
      measure: 'new_customers',
      comparator: '>=',
      valueText: '20',
    });
  });
});

describe('stored rules', () => {
  const row = {
    id: 'a1',
    kpi: 'roas',
    comparator: '<',
    threshold: 3,
    window: 'last-7-days',
    createdBy: 'U1',
    createdAt: '2026-11-02T08:00:00.000Z',
  };

  it('a row from before conditions is still a threshold rule', () => {
    const rule = alertRuleSchema.parse(row);
    expect(rule.condition).toBeUndefined();
    expect(rule.guard).toBeUndefined();
  });

  it('keeps a condition and a guard; refuses a broken one', () => {
    const rule = alertRuleSchema.parse({
      ...row,
      condition: { kind: 'change', vs: 'last-year' },
      guard: { measure: 'clicks', comparator: '>=', value: 100 },
    });
    expect(rule.condition).toEqual({ kind: 'change', vs: 'last-year' });
    expect(alertRuleSchema.safeParse({ ...row, condition: { kind: 'trend' } }).success).toBe(false);
  });
});

describe('how a rule reads back', () => {
  const en = createFormatter({ locale: 'en-US', currency: 'SEK' });
  const sv = createFormatter({ locale: 'sv-SE', currency: 'SEK' });
  const words = (locale: string) => ({ kpiName: 'ROAS', unit: 'multiple' as const, locale });

  it('in English and in Swedish', () => {
    const change = ruleOf(
      'roas drops 20% vs previous over yesterday when ad_spend >= 5000 kr in #m',
    );
    expect(describeRule(change, words('en-US'), en)).toBe(
      'ROAS drops 20.0% vs previous over yesterday, when ad_spend ≥ SEK\u00a05,000 → #m',
    );
    expect(describeRule(change, words('sv-SE'), sv)).toBe(
      'ROAS sjunker 20,0\u00a0% mot föregående över yesterday, när ad_spend ≥ 5\u00a0000\u00a0kr → #m',
    );
    const anomaly = ruleOf('roas is anomalous over last-7-days by channel in #m');
    expect(describeRule(anomaly, words('en-US'), en)).toBe(
      'ROAS is anomalous (4 σ from the same days of the previous 8 weeks) over last-7-days, by channel → #m',
    );
  });

  it('/kpi alerts says which groups were not checked, and why', () => {
    const rule = ruleOf('roas drops 20% vs previous by channel when ad_spend >= 5000 kr in #m');
    const guard = rule.guard!;
    const base: AlertState = { status: 'ok', breachCount: 0, since: 'x', lastValue: 4 };
    const states = [
      { groupKey: 'google-ads', state: base },
      {
        groupKey: 'meta',
        state: {
          ...base,
          held: { kind: 'guard' as const, measure: 'ad_spend', value: 200, guard },
        },
      },
      {
        groupKey: 'email',
        state: {
          ...base,
          held: { kind: 'base' as const, vs: 'previous' as const, nearZero: true },
        },
      },
    ];
    expect(statesLine(rule, states, 'multiple', en, 'en-US')).toBe(
      'ok: google-ads 4.0× · not checked: meta (ad_spend SEK\u00a0200, checked from ≥ SEK\u00a05,000), ' +
        'email (the previous period is near zero: no percent change)',
    );
    expect(statesLine(rule, states, 'multiple', sv, 'sv-SE')).toContain(
      'kontrolleras inte: meta (ad_spend 200\u00a0kr, kontrolleras från ≥ 5\u00a0000\u00a0kr)',
    );
  });
});

describe('the Swedish words of conditions', () => {
  // English words that must not appear in a Swedish message (whole words: `behövs` is no `vs`).
  const ENGLISH = new Set(
    'vs when drops rises is anomalous expected got previous last year not checked from near zero baseline weeks none the of to for no value'.split(
      ' ',
    ),
  );
  const englishIn = (text: string) =>
    text
      .toLowerCase()
      .split(/[^\p{L}]+/u)
      .filter((w) => ENGLISH.has(w));

  it('use no English word', () => {
    const sv = CONDITION_WORDS.sv;
    const texts = [
      sv.changeRule('drops', '20 %', 'previous'),
      sv.changeRule('rises', '15 %', 'last-year'),
      sv.anomalyRule('4'),
      sv.guardRule('ad_spend', '≥', '5 000 kr'),
      sv.expected('3,8×', '4,6×', 8, '2,1×'),
      sv.change('−30 %', 'previous', '3,0×', '2,1×'),
      sv.change('−30 %', 'last-year', '3,0×', '2,1×'),
      sv.heldGuard('ad_spend', '200 kr', '≥', '5 000 kr'),
      sv.heldHistory(4, 6),
      sv.heldBase('previous', true),
      sv.heldBase('last-year', false),
      sv.notChecked,
      sv.none,
    ];
    for (const text of texts) expect(englishIn(text), text).toEqual([]);
    // …and the same check finds them in the English ones.
    expect(englishIn(CONDITION_WORDS.en.expected('3.8×', '4.6×', 8, '2.1×'))).toContain('expected');
  });
});
