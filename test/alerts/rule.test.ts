import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { defaultRules } from '../../src/alerts/default-rules.ts';
import {
  type AlertRule,
  alertRuleConfigSchema,
  alertRuleSchema,
  alertsConfigSchema,
  buildRule,
  type RuleSpec,
  suggestRuleId,
} from '../../src/alerts/rule.ts';
import { parseRuleText } from '../../src/alerts/rule-text.ts';

const NOW = new Date('2026-11-02T08:00:00.000Z');
const META = { id: 'r1', createdBy: 'U1', createdAt: NOW.toISOString(), currency: 'SEK' };
const spec = (extra: Partial<RuleSpec> = {}): RuleSpec => ({
  comparator: '<',
  thresholdText: '3x',
  window: 'last-7-days',
  filters: {},
  schedule: '0 9 * * *',
  for: 1,
  repeatIntervalMinutes: 1440,
  ...extra,
});

describe('buildRule', () => {
  it('parses the threshold in the KPI unit and fills the default hysteresis', () => {
    expect(buildRule(spec(), { id: 'roas', unit: 'multiple' }, META)).toEqual({
      ok: true,
      rule: {
        id: 'r1',
        kpi: 'roas',
        comparator: '<',
        threshold: 3,
        window: 'last-7-days',
        filters: {},
        schedule: '0 9 * * *',
        for: 1,
        repeatIntervalMinutes: 1440,
        hysteresis: 0.15,
        paused: false,
        createdBy: 'U1',
        createdAt: '2026-11-02T08:00:00.000Z',
      },
    });
  });

  it.each<
    [
      string,
      Partial<RuleSpec>,
      { id: string; unit: 'percent' | 'currency' | 'multiple' },
      Partial<AlertRule>,
    ]
  >([
    // percent threshold and a margin in percentage points
    [
      'churn 5% ± 0.5 pp',
      { comparator: '>', thresholdText: '5%', hysteresisText: '0.5%' },
      { id: 'churn_rate', unit: 'percent' },
      { threshold: 0.05, hysteresis: 0.005 },
    ],
    // percent default margin: 5 % of 5 % = 0.25 pp
    [
      'churn default margin',
      { comparator: '>', thresholdText: '5%' },
      { id: 'churn_rate', unit: 'percent' },
      { hysteresis: 0.0025 },
    ],
    // a Swedish amount
    [
      'cac in kr',
      { comparator: '>=', thresholdText: '1 234,50 kr' },
      { id: 'cac', unit: 'currency' },
      { threshold: 1234.5, hysteresis: 61.725 },
    ],
    // a zero margin is allowed
    ['no hysteresis', { hysteresisText: '0' }, { id: 'roas', unit: 'multiple' }, { hysteresis: 0 }],
  ])('%s', (_name, extra, kpi, expected) => {
    const result = buildRule(spec(extra), kpi, META);
    expect(result).toMatchObject({ ok: true, rule: expected });
  });

  it.each<[string, Partial<RuleSpec>, RegExp]>([
    // the threshold error names the KPI and what to write
    ['bad threshold', { thresholdText: '5%' }, /roas is a multiple: write e\.g\. 3x/],
    // the hysteresis error says it is about the hysteresis
    ['bad hysteresis', { hysteresisText: '10%' }, /^Hysteresis: .*roas is a multiple/],
    ['negative hysteresis', { hysteresisText: '-0.1x' }, /cannot be negative/],
    // a foreign currency
    ['wrong currency', { thresholdText: '$800' }, /is in \$, but/],
    // bad schedule, for, repeat, timezone from a programmatic caller
    ['bad cron', { schedule: 'daily' }, /^Schedule:/],
    ['for 0', { for: 0 }, /`for` must be a whole number/],
    ['repeat 0', { repeatIntervalMinutes: 0 }, /at least one minute/],
    ['bad timezone', { timeZone: 'Mars/Olympus' }, /not an IANA timezone/],
  ])('%s', (_name, extra, error) => {
    const kpi =
      extra.thresholdText === '$800'
        ? { id: 'cac', unit: 'currency' as const }
        : { id: 'roas', unit: 'multiple' as const };
    const result = buildRule(spec(extra), kpi, META);
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(error) });
  });

  it('builds a rule from Slack text end to end', () => {
    const parsed = parseRuleText('cac >= 800 kr over mtd channel=meta in <#C123|marketing> for 2');
    if (!parsed.ok) throw new Error(parsed.error);
    const result = buildRule(parsed.draft, { id: 'cac', unit: 'currency' }, META);
    expect(result).toMatchObject({
      ok: true,
      rule: {
        kpi: 'cac',
        threshold: 800,
        hysteresis: 40,
        channel: 'C123',
        filters: { channel: ['meta'] },
        for: 2,
      },
    });
  });
});

describe('alertRuleConfigSchema (kpibot.config.yml)', () => {
  const yaml = (text: string) => alertsConfigSchema.safeParse(parseYaml(text));

  it('notify: per-group keeps one alert per group; grouped (the default) is stored as absent', () => {
    const result = yaml(`
- { kpi: roas, comparator: '<', threshold: 3x, groupBy: campaign, notify: per-group }
- { kpi: roas, comparator: '<', threshold: 2x, groupBy: campaign, notify: grouped }
- { kpi: roas, comparator: '<', threshold: 1x, groupBy: campaign, notify: each }
`);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(
      'must be grouped (one message per rule) or per-group',
    );
    const ok = yaml(`
- { kpi: roas, comparator: '<', threshold: 3x, groupBy: campaign, notify: per-group }
- { kpi: roas, comparator: '<', threshold: 2x, groupBy: campaign, notify: grouped }
`);
    expect(ok.data?.map((r) => r.notify)).toEqual(['per-group', undefined]);
  });

  it('reads thresholds as people write them and fills defaults', () => {
    const result = yaml(`
- kpi: roas
  comparator: '<'
  threshold: 3x
  groupBy: channel
  channel: '#marketing'
- id: churn
  kpi: churn_rate
  comparator: '>'
  threshold: 5%
  window: last-month
  schedule: weekly monday 08:00
  repeat: 12h
  hysteresis: 0.5%
  filters: { channel: meta }
- kpi: cac
  comparator: '>='
  threshold: 1 234,50 kr
  for: 2
  repeatIntervalMinutes: 60
  timeZone: Europe/Stockholm
  paused: true
`);
    expect(result.success).toBe(true);
    expect(result.data).toEqual([
      {
        id: 'roas-below-3x-last-7-days-by-channel',
        kpi: 'roas',
        comparator: '<',
        thresholdText: '3x',
        window: 'last-7-days',
        filters: {},
        groupBy: 'channel',
        channel: '#marketing',
        schedule: '0 9 * * *',
        for: 1,
        repeatIntervalMinutes: 1440,
        paused: false,
      },
      {
        id: 'churn',
        kpi: 'churn_rate',
        comparator: '>',
        thresholdText: '5%',
        hysteresisText: '0.5%',
        window: 'last-month',
        filters: { channel: ['meta'] },
        schedule: '0 8 * * 1',
        for: 1,
        repeatIntervalMinutes: 720,
        paused: false,
      },
      {
        id: 'cac-at-least-1234.50kr-last-7-days',
        kpi: 'cac',
        comparator: '>=',
        thresholdText: '1 234,50 kr',
        window: 'last-7-days',
        filters: {},
        schedule: '0 9 * * *',
        timeZone: 'Europe/Stockholm',
        for: 2,
        repeatIntervalMinutes: 60,
        paused: true,
      },
    ]);
  });

  it('turns a YAML number into threshold text (checked later in the KPI unit)', () => {
    const entry = alertRuleConfigSchema.parse({ kpi: 'ltv_cac', comparator: '<', threshold: 3 });
    expect(entry.thresholdText).toBe('3');
  });

  it.each<[string, string, RegExp]>([
    // `#` starts a YAML comment: the channel became null
    [
      'unquoted #channel',
      "- { kpi: roas, comparator: '<', threshold: 3x }\n- kpi: cac\n  comparator: '>'\n  threshold: 800\n  channel: #marketing\n",
      /1\.channel.*write the Slack channel in quotes/,
    ],
    // a comparator YAML cannot read unquoted is caught with a hint
    [
      'bad comparator',
      "- { kpi: roas, comparator: '=', threshold: 3x }",
      /comparator.*one of <, <=, >, >=/,
    ],
    // a bad schedule names the problem
    [
      'bad schedule',
      "- { kpi: roas, comparator: '<', threshold: 3x, schedule: '0 25 * * *' }",
      /schedule.*hour field `25`/,
    ],
    // a typo in a key
    ['unknown key', "- { kpi: roas, comparator: '<', threshold: 3x, treshold: 2 }", /treshold/],
    // repeat given twice
    [
      'repeat twice',
      "- { kpi: roas, comparator: '<', threshold: 3x, repeat: 12h, repeatIntervalMinutes: 60 }",
      /either repeat/,
    ],
    // bad repeat
    [
      'bad repeat',
      "- { kpi: roas, comparator: '<', threshold: 3x, repeat: often }",
      /not a duration/,
    ],
    // two rules with the same id
    [
      'duplicate ids',
      "- { kpi: roas, comparator: '<', threshold: 3x }\n- { kpi: roas, comparator: '<', threshold: 3x }",
      /alerts 0 and 1 both have the id "roas-below-3x-last-7-days"/,
    ],
  ])('%s', (_name, text, error) => {
    const result = yaml(text);
    expect(result.success).toBe(false);
    const messages = result.error?.issues
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('\n');
    expect(messages).toMatch(error);
  });

  it('defaults to no alerts', () => {
    expect(alertsConfigSchema.parse(undefined)).toEqual([]);
  });
});

describe('alertRuleSchema (stored rows)', () => {
  it('accepts SQL nulls and Date timestamps, filling the defaults', () => {
    const row = {
      id: 'r1',
      kpi: 'roas',
      comparator: '<',
      threshold: 3,
      window: 'last-7-days',
      filters: null,
      groupBy: null,
      channel: null,
      schedule: null,
      timeZone: null,
      for: null,
      repeatIntervalMinutes: null,
      hysteresis: null,
      paused: null,
      createdBy: 'U1',
      createdAt: NOW,
    };
    expect(alertRuleSchema.parse(row)).toEqual({
      id: 'r1',
      kpi: 'roas',
      comparator: '<',
      threshold: 3,
      window: 'last-7-days',
      filters: {},
      schedule: '0 9 * * *',
      for: 1,
      repeatIntervalMinutes: 1440,
      hysteresis: 0.15,
      paused: false,
      createdBy: 'U1',
      createdAt: '2026-11-02T08:00:00.000Z',
    });
  });

  it('round-trips every default rule', () => {
    for (const rule of defaultRules('services', NOW)) {
      expect(alertRuleSchema.parse(JSON.parse(JSON.stringify(rule)))).toEqual(rule);
    }
  });

  it('refuses a broken row', () => {
    expect(alertRuleSchema.safeParse({ id: 'r1', kpi: 'roas', comparator: '!=' }).success).toBe(
      false,
    );
  });
});

describe('suggestRuleId', () => {
  it.each<[string, Partial<RuleSpec>, string]>([
    ['roas', {}, 'roas-below-3x-last-7-days'],
    [
      'churn_rate',
      { comparator: '>', thresholdText: '5%', window: 'last-month' },
      'churn_rate-above-5pct-last-month',
    ],
    [
      'cac',
      {
        comparator: '>=',
        thresholdText: '1 234,50 kr',
        groupBy: 'channel',
        filters: { campaign: ['Black Friday'] },
      },
      'cac-at-least-1234.50kr-last-7-days-by-channel-campaign-black-friday',
    ],
  ])('%s', (kpi, extra, id) => {
    expect(suggestRuleId(kpi, spec(extra))).toBe(id);
  });
});

describe('defaultRules', () => {
  it.each([
    ['ecommerce', 3, 0.15],
    ['services', 5, 0.25],
  ] as const)(
    '%s: ROAS floor %d, LTV/CAC 3, churn 5 percent, posting nowhere',
    (model, floor, margin) => {
      const rules = defaultRules(model, NOW);
      expect(
        rules.map((r) => [r.id, r.kpi, r.comparator, r.threshold, r.window, r.hysteresis]),
      ).toEqual([
        ['default-roas-floor', 'roas', '<', floor, 'last-7-days', margin],
        ['default-ltv-cac', 'ltv_cac', '<', 3, 'last-month', 0.15],
        ['default-churn', 'churn_rate', '>', 0.05, 'last-month', 0.0025],
      ]);
      for (const rule of rules) {
        expect(rule.channel).toBeUndefined();
        expect(rule).toMatchObject({
          schedule: '0 9 * * *',
          for: 1,
          repeatIntervalMinutes: 1440,
          paused: false,
          createdAt: NOW.toISOString(),
        });
      }
    },
  );
});
