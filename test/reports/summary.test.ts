// The summary: business KPIs before context metrics (with and without tier overrides, and on
// random tier assignments), goals first, headline counts and movers, the footer, and the
// renderers (terminal, Block Kit within Slack's limits, the thread breakdown).
import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { Tier } from '../../src/kpi/types.ts';
import type { KpiAnswer } from '../../src/query/answer.ts';
import { blockKitViolations, LIMITS, length } from '../../src/reply/limits.ts';
import type { GoalReport, GoalStatus } from '../../src/reports/goal.ts';
import {
  composeSummary,
  dayRanges,
  renderBreakdownBlocks,
  renderSummaryBlocks,
  renderSummaryText,
  type Summary,
  type SummaryInput,
} from '../../src/reports/summary.ts';
import { type AnswerSpec, answer, random, week46, week47 } from './helpers.ts';

const CATALOG: AnswerSpec[] = [
  { id: 'roas', unit: 'multiple', value: 4.2, changePct: 0.05 },
  { id: 'cac', unit: 'currency', value: 750, changePct: -0.3, verdict: 'better' },
  { id: 'conversion_rate', unit: 'percent', value: 0.021, changePct: -0.12, verdict: 'worse' },
  { id: 'ltv_cac', unit: 'ratio', value: 3.2, changePct: 0.02 },
  { id: 'impressions', tier: 'context', value: 120_000, changePct: 0.9 },
  { id: 'reach', tier: 'context', value: 80_000, changePct: -0.8, verdict: 'worse' },
  { id: 'cpc', tier: 'context', unit: 'currency', value: 9, changePct: 0.01, verdict: 'worse' },
  { id: 'ctr', tier: 'context', unit: 'percent', value: 0.012, changePct: 0 },
];
const DEFAULT_TIERS = new Map(CATALOG.map((s) => [s.id, s.tier ?? 'business']));

function goal(kpi: string, status: GoalStatus, text = `${kpi} goal is ${status}`): GoalReport {
  return {
    goal: {
      id: `${kpi}-goal`,
      kpi,
      comparator: '>=',
      target: 1,
      createdBy: 'U',
      createdAt: '2026-11-01T00:00:00Z',
    },
    status,
    text,
  };
}

/** A summary's input; unless `pinned` is given every business KPI is pinned (all in the message). */
function input(overrides: Partial<SummaryInput> = {}): SummaryInput {
  const base: Omit<SummaryInput, 'pinned'> = {
    period: week47,
    previousPeriod: week46,
    timeZone: 'Europe/Stockholm',
    answers: CATALOG.map(answer),
    goals: [],
    tiers: (id) => DEFAULT_TIERS.get(id) ?? 'business',
    drivers: new Map(),
    freshness: [],
    missingDays: [],
    ...overrides,
  };
  const allBusiness = base.answers
    .map((a) => a.kpi.id)
    .filter((id) => base.tiers(id) === 'business');
  return { ...base, pinned: overrides.pinned ?? allBusiness };
}

const ids = (rows: Summary['business']) => rows.map((r) => r.id);

/** Every business KPI name comes before every context name in `text`. */
function businessBeforeContext(s: Summary, text: string): void {
  const at = (name: string) => text.indexOf(name);
  const lastBusiness = Math.max(
    -1,
    ...s.business.map((k) => (at(`${k.name}:`) >= 0 ? at(`${k.name}:`) : at(`*${k.name}*`))),
  );
  const contextPositions = s.context.map((k) => at(`${k.name} `)).filter((i) => i >= 0);
  for (const i of contextPositions) expect(i).toBeGreaterThan(lastBusiness);
}

/** The block index of every KPI name: all business ones lower than all context ones. */
function blocksBusinessBeforeContext(s: Summary, blocks: readonly KnownBlock[]): void {
  const json = blocks.map((b) => JSON.stringify(b));
  const blockOf = (name: string) => json.findIndex((j) => j.includes(name));
  const business = s.business.map((k) => blockOf(`*${k.name}*`)).filter((i) => i >= 0);
  const context = s.context.map((k) => blockOf(`${k.name} `)).filter((i) => i >= 0);
  const divider = blocks.findIndex((b) => b.type === 'divider');
  for (const b of business) {
    for (const c of context) expect(b).toBeLessThan(c);
    if (divider >= 0) expect(b).toBeLessThan(divider);
  }
  for (const c of context) expect(c).toBeGreaterThan(divider);
}

describe('ordering: no context metric above a business KPI', () => {
  it.each<[string, Record<string, Tier>, string[], string[]]>([
    // the catalog's tiers
    [
      'no overrides',
      {},
      ['roas', 'cac', 'conversion_rate', 'ltv_cac'],
      ['impressions', 'reach', 'cpc', 'ctr'],
    ],
    // a team promotes impressions to business and demotes cac to context
    [
      'impressions → business, cac → context',
      { impressions: 'business', cac: 'context' },
      ['roas', 'conversion_rate', 'ltv_cac', 'impressions'],
      ['cac', 'reach', 'cpc', 'ctr'],
    ],
    // cpc promoted, conversion_rate demoted
    [
      'cpc → business, conversion_rate → context',
      { cpc: 'business', conversion_rate: 'context' },
      ['roas', 'cac', 'ltv_cac', 'cpc'],
      ['conversion_rate', 'impressions', 'reach', 'ctr'],
    ],
    // everything context: an empty business section, still rendered first
    [
      'all context',
      Object.fromEntries(CATALOG.map((s) => [s.id, 'context' as Tier])),
      [],
      CATALOG.map((s) => s.id),
    ],
  ])('%s', (_name, overrides, business, context) => {
    const tiers = (id: string) => overrides[id] ?? DEFAULT_TIERS.get(id) ?? 'business';
    const s = composeSummary(input({ tiers }));
    expect(ids(s.business)).toEqual(business);
    expect(ids(s.context)).toEqual(context);
    expect(s.business.every((k) => k.tier === 'business')).toBe(true);
    expect(s.context.every((k) => k.tier === 'context')).toBe(true);
    businessBeforeContext(s, renderSummaryText(s));
    blocksBusinessBeforeContext(s, renderSummaryBlocks(s).blocks);
  });

  it('property: random tier assignments and random goals never put context above business', () => {
    const rand = random(47);
    for (let trial = 0; trial < 200; trial++) {
      const assigned = new Map(
        CATALOG.map((s) => [s.id, (rand() < 0.5 ? 'business' : 'context') as Tier]),
      );
      // the answers' own tier is deliberately random too: only `tiers` may decide
      const answers = CATALOG.map((s) =>
        answer({ ...s, tier: rand() < 0.5 ? 'business' : 'context' }),
      );
      const goals = CATALOG.filter(() => rand() < 0.3).map((s) => goal(s.id, 'on_track'));
      const s = composeSummary(
        input({ answers, goals, tiers: (id) => assigned.get(id) ?? 'business' }),
      );
      expect(s.business.length + s.context.length).toBe(CATALOG.length);
      for (const k of s.business) expect(assigned.get(k.id)).toBe('business');
      for (const k of s.context) expect(assigned.get(k.id)).toBe('context');
      businessBeforeContext(s, renderSummaryText(s));
      blocksBusinessBeforeContext(s, renderSummaryBlocks(s).blocks);
    }
  });
});

describe('goals first', () => {
  it.each<[string, GoalReport[], string[]]>([
    // goals on ltv_cac and cac lead, in the goals' order; the rest keep the answers' order
    [
      'two goals',
      [goal('ltv_cac', 'on_track'), goal('cac', 'met')],
      ['ltv_cac', 'cac', 'roas', 'conversion_rate'],
    ],
    // two goals on one KPI make one row with both
    [
      'two goals, one KPI',
      [goal('conversion_rate', 'at_risk'), goal('conversion_rate', 'met')],
      ['conversion_rate', 'roas', 'cac', 'ltv_cac'],
    ],
    // a goal on a KPI without an answer still gets a row, first
    [
      'goal without answer',
      [goal('revenue', 'off_track')],
      ['revenue', 'roas', 'cac', 'conversion_rate', 'ltv_cac'],
    ],
  ])('%s', (_name, goals, order) => {
    const s = composeSummary(input({ goals }));
    expect(ids(s.business)).toEqual(order);
  });

  it('a goal on a context metric stays in context', () => {
    const s = composeSummary(input({ goals: [goal('impressions', 'on_track')] }));
    expect(ids(s.business)).not.toContain('impressions');
    expect(ids(s.context)[0]).toBe('impressions');
    expect(s.context[0]?.goals).toEqual([
      { status: 'on_track', text: 'impressions goal is on_track' },
    ]);
  });

  it('a goal row without an answer says so', () => {
    const s = composeSummary(input({ goals: [goal('revenue', 'off_track')] }));
    expect(s.business[0]).toMatchObject({ id: 'revenue', formatted: '—', value: null });
    expect(s.business[0]?.note).toMatch(/not in/);
  });
});

describe('headline', () => {
  it.each<[string, GoalStatus[], string]>([
    // the example
    [
      '4 of 6',
      ['on_track', 'met', 'on_track', 'met', 'at_risk', 'off_track'],
      '4 of 6 goals on track (1 at risk, 1 off track)',
    ],
    // missed counts as off track; too early and no data are named
    [
      'mixed',
      ['missed', 'too_early', 'no_data'],
      '0 of 3 goals on track (1 off track, 1 too early to tell, 1 without data)',
    ],
    // a single goal
    ['one', ['on_track'], '1 of 1 goal on track'],
    // no goals
    ['none', [], 'No goals set'],
  ])('%s', (_name, statuses, text) => {
    const goals = statuses.map((status, i) => goal(CATALOG[i % 4]?.id ?? 'roas', status));
    const s = composeSummary(input({ goals }));
    expect(s.headline.text.split(' · ')[0]).toBe(text);
  });

  it('names the biggest mover good and bad among business KPIs only', () => {
    const s = composeSummary(input());
    // impressions (+90 %) and reach (−80 %) moved more, but are context metrics; cac fell 30 %,
    // which is better for a cost (down is good), and beats roas's +5 %
    expect(s.headline.best).toMatchObject({ id: 'cac', verdict: 'better', pctFormatted: '−30 %' });
    expect(s.headline.worst).toMatchObject({ id: 'conversion_rate', verdict: 'worse' });
    // from the previous value (value / (1 + change)): cac 750 / 0.7 = 1 071 kr, −321 kr;
    // conversion rate 2.1 % / 0.88 = 2.4 %, both shown as 2 % by this test's formatter
    expect(s.headline.text).toBe(
      'No goals set · best: Name of cac 1 071 kr → 750 kr (−321 kr, −30 %) · worst: Name of conversion_rate 2 % → 2 % (0 %, −12 %)',
    );
  });

  it('skips movers without a comparison', () => {
    const s = composeSummary(input({ answers: [answer({ id: 'roas', changePct: null })] }));
    expect(s.headline.best).toBeUndefined();
    expect(s.headline.worst).toBeUndefined();
  });
});

describe('rows and footer', () => {
  it('a business row has value, change with verdict, goal status, sparkline (last 8) and drivers', () => {
    const s = composeSummary(
      input({
        goals: [goal('roas', 'met', 'goal ≥ 4.0×: met (4.2×, 5 % above)')],
        drivers: new Map([['roas', 'ROAS +0.2×: meta/retarget +40 %']]),
      }),
    );
    expect(s.business[0]).toMatchObject({
      id: 'roas',
      name: 'Name of roas',
      formatted: '4.2×',
      change: { pctFormatted: '+5 %', verdict: 'better' },
      goals: [{ status: 'met', text: 'goal ≥ 4.0×: met (4.2×, 5 % above)' }],
      spark: [3, 4, 5, 6, 7, 8, 9, 10],
      driver: 'ROAS +0.2×: meta/retarget +40 %',
    });
  });

  it('uses Swedish names with a Swedish locale', () => {
    expect(composeSummary(input({ locale: 'sv-SE' })).business[0]?.name).toBe('roas (sv)');
  });

  it('footer: period, timezone, freshness per source, missing days as ranges, late', () => {
    const s = composeSummary(
      input({
        freshness: [
          { source: 'meta', measure: 'ad_spend', lastDay: '2026-11-22' },
          { source: 'meta', measure: 'impressions', lastDay: '2026-11-21' },
          { source: 'shop', measure: 'revenue', lastDay: '2026-11-20' },
          { source: 'crm', measure: 'leads', lastDay: null },
        ],
        missingDays: [
          { measure: 'revenue', days: ['2026-11-21', '2026-11-18', '2026-11-19'] },
          { measure: 'sessions', days: [] },
        ],
        late: true,
      }),
    );
    expect(s.footer).toEqual({
      period: 'week 47 2026 (2026-11-16 – 2026-11-22)',
      previous: 'week 46 2026 (2026-11-09 – 2026-11-15)',
      timeZone: 'Europe/Stockholm',
      freshness: [
        { source: 'meta', lastDay: '2026-11-22', behind: false },
        { source: 'shop', lastDay: '2026-11-20', behind: true },
        { source: 'crm', lastDay: null, behind: true },
      ],
      missing: [
        {
          measure: 'revenue',
          days: ['2026-11-18', '2026-11-19', '2026-11-21'],
          ranges: '2026-11-18 – 2026-11-19, 2026-11-21',
        },
      ],
      late: true,
    });
    const text = renderSummaryText(s);
    expect(text).toContain('Weekly summary — week 47 2026  [late]');
    expect(text).toContain(
      'Data: meta through 2026-11-22; shop through 2026-11-20 (behind); crm: no data',
    );
    expect(text).toContain(
      'Missing days for revenue: 2026-11-18 – 2026-11-19, 2026-11-21 (not filled in or averaged)',
    );
    const blocks = JSON.stringify(renderSummaryBlocks(s).blocks);
    expect(blocks).toContain('Missing days');
    expect(blocks).toContain('posted late');
    expect(blocks).toContain('(late)');
  });

  it.each<[string[], string]>([
    // unsorted, a run and a single day, a duplicate
    [
      ['2026-11-03', '2026-11-01', '2026-11-02', '2026-11-05', '2026-11-05'],
      '2026-11-01 – 2026-11-03, 2026-11-05',
    ],
    // across a month end
    [['2026-10-31', '2026-11-01'], '2026-10-31 – 2026-11-01'],
    [[], ''],
  ])('dayRanges(%j)', (days, text) => {
    expect(dayRanges(days)).toBe(text);
  });
});

describe('renderSummaryText', () => {
  it('prints the summary for the terminal', () => {
    const s = composeSummary(
      input({
        answers: [
          answer({ id: 'roas', unit: 'multiple', value: 4.2, changePct: 0.05 }),
          answer({ id: 'impressions', tier: 'context', value: 120_000, changePct: 0.9 }),
        ],
        goals: [goal('roas', 'met', 'goal ≥ 4.0×: met (4.2×, 5 % above)')],
        drivers: new Map([['roas', 'ROAS +0.2×: meta/retarget +40 %']]),
      }),
    );
    expect(renderSummaryText(s)).toBe(
      [
        'Weekly summary — week 47 2026',
        '1 of 1 goal on track · best: Name of roas 4.0× → 4.2× (+0.2×, +5 %)',
        '',
        'Business KPIs',
        '  Name of roas: 4.2×  +0.2× (+5 %) better  ▁▂▃▄▅▆▇█',
        '      [met] goal ≥ 4.0×: met (4.2×, 5 % above)',
        '      drivers: ROAS +0.2×: meta/retarget +40 %',
        '',
        'Context',
        '  Name of impressions: 120 000 (+90 %)',
        '',
        'Period: week 47 2026 (2026-11-16 – 2026-11-22) vs week 46 2026 (2026-11-09 – 2026-11-15), Europe/Stockholm',
      ].join('\n'),
    );
  });
});

describe('renderSummaryBlocks: Block Kit', () => {
  const catalog = (business: number, context: number): KpiAnswer[] => [
    ...Array.from({ length: business }, (_, i) =>
      answer({ id: `business_${i}`, changePct: i / 100 }),
    ),
    ...Array.from({ length: context }, (_, i) => answer({ id: `context_${i}`, tier: 'context' })),
  ];
  const tierByPrefix = (id: string): Tier => (id.startsWith('context') ? 'context' : 'business');

  it('shape: header, headline, business fields, divider, context blocks, footer', () => {
    const s = composeSummary(
      input({ freshness: [{ source: 'meta', measure: 'ad_spend', lastDay: '2026-11-22' }] }),
    );
    const { text, blocks } = renderSummaryBlocks(s);
    expect(blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'divider',
      'context',
      'context',
    ]);
    expect(blocks[2]).toMatchObject({ type: 'section' });
    expect((blocks[2] as { fields: unknown[] }).fields).toHaveLength(4);
    expect(JSON.stringify(blocks[4])).toContain('Context');
    expect(text).toContain('Name of roas: 4.2×');
    expect(text).not.toContain('impressions');
    expect(blockKitViolations({ text, blocks })).toEqual([]);
  });

  it('a large catalog (60 business KPIs, 40 context metrics) fits, every KPI shown', () => {
    const s = composeSummary(input({ answers: catalog(60, 40), tiers: tierByPrefix }));
    const message = renderSummaryBlocks(s);
    expect(blockKitViolations(message)).toEqual([]);
    const json = JSON.stringify(message.blocks);
    for (let i = 0; i < 60; i++) expect(json).toContain(`*Name of business_${i}*`);
    for (let i = 0; i < 40; i++) expect(json).toContain(`Name of context_${i} `);
    expect(json).not.toContain('more');
    blocksBusinessBeforeContext(s, message.blocks);
  });

  it('a huge catalog is cut to 50 blocks: context first, then business, each with "and N more"', () => {
    const s = composeSummary(input({ answers: catalog(600, 200), tiers: tierByPrefix }));
    const message = renderSummaryBlocks(s);
    expect(blockKitViolations(message)).toEqual([]);
    expect(message.blocks).toHaveLength(LIMITS.blocks);
    const json = JSON.stringify(message.blocks);
    // 45 sections of 10 fields: 449 KPIs and a closing field
    expect(json).toContain('*Name of business_448*');
    expect(json).not.toContain('*Name of business_449*');
    expect(json).toContain('…and 151 more business KPIs');
    // one context block: its label, 8 metrics and a closing element
    expect(json).toContain('Name of context_7 ');
    expect(json).toContain('…and 192 more context metrics');
    blocksBusinessBeforeContext(s, message.blocks);
    expect(length(message.text)).toBeLessThanOrEqual(3000);
  });

  it('long names, drivers and titles are cut to the limits', () => {
    const long = 'x'.repeat(4000);
    const s = composeSummary(
      input({
        title: `Summary ${long}`,
        drivers: new Map([['roas', long]]),
        goals: [goal('roas', 'at_risk', long)],
        missingDays: [
          {
            measure: 'revenue',
            days: Array.from(
              { length: 400 },
              (_, i) =>
                `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
            ),
          },
        ],
      }),
    );
    const message = renderSummaryBlocks(s);
    expect(blockKitViolations(message)).toEqual([]);
  });

  it('escapes mrkdwn in names and texts', () => {
    const evil = answer({ id: 'roas' });
    evil.kpi.name.en = '<!channel> & <@U1>';
    const s = composeSummary(input({ answers: [evil] }));
    const json = JSON.stringify(renderSummaryBlocks(s));
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('&lt;!channel&gt; &amp; &lt;@U1&gt;');
  });
});

describe('renderBreakdownBlocks: the thread reply', () => {
  const withBreakdown = (spec: AnswerSpec): KpiAnswer => ({
    ...answer(spec),
    breakdown: {
      dimension: 'channel',
      groups: [
        { key: 'meta', value: 3, formatted: '3.0×' },
        { key: 'google-ads', value: 5, formatted: '5.0×' },
      ],
    },
  });

  it('breaks the business KPIs down by channel, in the summary order, without context metrics', () => {
    const s = composeSummary(input({ goals: [goal('cac', 'met')] }));
    const answers = CATALOG.map(withBreakdown);
    const { text, blocks } = renderBreakdownBlocks(s, answers);
    expect(blockKitViolations({ text, blocks })).toEqual([]);
    expect(blocks[0]).toMatchObject({
      type: 'header',
      text: { text: 'By channel — week 47 2026' },
    });
    const sections = blocks.slice(1).map((b) => JSON.stringify(b));
    expect(sections).toHaveLength(4);
    expect(sections[0]).toContain('*Name of cac*');
    expect(sections[1]).toContain('*Name of roas*');
    expect(sections[0]).toContain('google-ads');
    expect(JSON.stringify(blocks)).not.toContain('impressions');
    expect(text).toBe(
      'By channel, week 47 2026: Name of cac, Name of roas, Name of conversion_rate, Name of ltv_cac',
    );
  });

  it('stays within 50 blocks with 60 business KPIs', () => {
    const answers = Array.from({ length: 60 }, (_, i) => withBreakdown({ id: `k${i}` }));
    const s = composeSummary(input({ answers }));
    const message = renderBreakdownBlocks(s, answers);
    expect(blockKitViolations(message)).toEqual([]);
    expect(message.blocks).toHaveLength(LIMITS.blocks);
    expect(JSON.stringify(message.blocks.at(-1))).toContain('and 12 more KPIs');
  });

  it('says so when there is no breakdown', () => {
    const s = composeSummary(input());
    const message = renderBreakdownBlocks(s, []);
    expect(JSON.stringify(message.blocks)).toContain('No breakdown by channel');
    expect(blockKitViolations(message)).toEqual([]);
  });
});
