// The focused summary, composed from a fixture whose numbers are worked out by hand: which KPIs
// the message shows (goals, then the pinned ones) and in which order, which go to the thread,
// which movers the headline names and why the bigger moves of two others were left out.
import { describe, expect, it } from 'vitest';
import type { KpiAnswer } from '../../src/query/answer.ts';
import type { GoalReport } from '../../src/reports/goal.ts';
import { moverExclusion, type VolumeReading } from '../../src/reports/movers.ts';
import { DEFAULT_MIN_VOLUME, DEFAULT_PINS } from '../../src/reports/pins.ts';
import {
  composeSummary,
  renderBreakdownBlocks,
  renderSummaryBlocks,
  renderSummaryText,
  type SummaryInput,
} from '../../src/reports/summary.ts';
import { answer, week46, week47 } from './helpers.ts';

// Week 47 against week 46. The helper derives the previous value as value / (1 + change):
//   roas      3.6× from 4.2×     (−0.6×, −1/7 = −14 %)  worse
//   cac       750 kr from 1 000 kr (−250 kr, −25 %)       better (a cost: down is good)
//   conversion_rate 3 % from 2.5 %  (+20 %)               better
//   ltv_cac   3.2 unchanged
//   orders    no data
//   organic_traffic_growth 94.9 % from 10 %  (+849 %)     better, but a growth of a growth
//   cpl       400 kr from 200 kr (+100 %)                 worse, but on 15 leads
//   revenue   880 000 kr from 800 000 kr (+10 %)          better
//   aov       950 kr from 1 000 kr (−5 %)                 worse; has a goal (at risk)
const ANSWERS: KpiAnswer[] = [
  answer({ id: 'roas', unit: 'multiple', value: 3.6, changePct: -1 / 7 }),
  answer({ id: 'cac', unit: 'currency', value: 750, changePct: -0.25, verdict: 'better' }),
  answer({ id: 'conversion_rate', unit: 'percent', value: 0.03, changePct: 0.2 }),
  answer({ id: 'ltv_cac', unit: 'ratio', value: 3.2, changePct: 0, verdict: 'unchanged' }),
  answer({ id: 'orders', value: null, changePct: null }),
  answer({ id: 'organic_traffic_growth', unit: 'percent', value: 0.949, changePct: 8.49 }),
  answer({ id: 'cpl', unit: 'currency', value: 400, changePct: 1, verdict: 'worse' }),
  answer({ id: 'revenue', unit: 'currency', value: 880_000, changePct: 0.1 }),
  answer({ id: 'aov', unit: 'currency', value: 950, changePct: -0.05 }),
  answer({ id: 'impressions', tier: 'context', value: 120_000, changePct: 0.9 }),
  answer({ id: 'ctr', tier: 'context', unit: 'percent', value: 0.012, changePct: -0.6 }),
];

// The base measures with a floor, this week and the week before (the order formulas name them).
const VOLUMES: Record<string, { needsPrevious: boolean; volumes: VolumeReading[] }> = {
  roas: {
    needsPrevious: false,
    volumes: [{ measure: 'ad_spend', current: 10_000, previous: 9_000 }],
  },
  cac: { needsPrevious: false, volumes: [{ measure: 'new_customers', current: 40, previous: 30 }] },
  conversion_rate: {
    needsPrevious: false,
    volumes: [
      { measure: 'conversions', current: 300, previous: 250 },
      { measure: 'sessions', current: 10_000, previous: 10_000 },
    ],
  },
  organic_traffic_growth: {
    needsPrevious: true,
    volumes: [{ measure: 'sessions', current: 4_000, previous: 2_000 }],
  },
  // 15 leads this week, under the floor of 30 (ad spend 6 000 kr both weeks is enough)
  cpl: {
    needsPrevious: false,
    volumes: [
      { measure: 'ad_spend', current: 6_000, previous: 6_000 },
      { measure: 'leads', current: 15, previous: 30 },
    ],
  },
  revenue: { needsPrevious: false, volumes: [] },
  aov: { needsPrevious: false, volumes: [{ measure: 'orders', current: 926, previous: 800 }] },
};

const exclusions = new Map(
  Object.entries(VOLUMES).flatMap(([id, v]) => {
    const e = moverExclusion(v.needsPrevious, v.volumes, DEFAULT_MIN_VOLUME);
    return e ? [[id, e] as const] : [];
  }),
);

const AOV_GOAL: GoalReport = {
  goal: {
    id: 'g1',
    kpi: 'aov',
    comparator: '>=',
    target: 1000,
    createdBy: 'U',
    createdAt: '2026-11-01T00:00:00Z',
  },
  status: 'at_risk',
  text: 'goal ≥ 1 000 kr: at risk',
};

function input(overrides: Partial<SummaryInput> = {}): SummaryInput {
  return {
    period: week47,
    previousPeriod: week46,
    timeZone: 'Europe/Stockholm',
    answers: ANSWERS,
    goals: [AOV_GOAL],
    tiers: (id) => (id === 'impressions' || id === 'ctr' ? 'context' : 'business'),
    drivers: new Map(),
    freshness: [],
    missingDays: [],
    pinned: DEFAULT_PINS,
    moverExclusions: exclusions,
    ...overrides,
  };
}

describe('the focused summary: goals, then the pinned KPIs; the rest in the thread', () => {
  const s = composeSummary(input());

  it('the message: the goal KPI, then the default pins in their order (CAC, CR, LTV/CAC, ROAS, revenue)', () => {
    expect(DEFAULT_PINS).toEqual(['cac', 'conversion_rate', 'ltv_cac', 'roas', 'revenue']);
    expect(s.business.map((k) => k.id)).toEqual([
      'aov',
      'cac',
      'conversion_rate',
      'ltv_cac',
      'roas',
      'revenue',
    ]);
  });

  it('the thread: every other business KPI in the answers’ order, no data last; context stays context', () => {
    expect(s.more.kpis.map((k) => k.id)).toEqual(['organic_traffic_growth', 'cpl', 'orders']);
    expect(s.context.map((k) => k.id)).toEqual(['impressions', 'ctr']);
  });

  it('a pinned KPI with a goal is shown once, among the goals', () => {
    const pinnedAov = composeSummary(input({ pinned: ['aov', 'roas'] }));
    expect(pinnedAov.business.map((k) => k.id)).toEqual(['aov', 'roas']);
    expect(pinnedAov.more.kpis.map((k) => k.id)).not.toContain('aov');
  });

  it('the guard: growth of a growth and a move on 15 leads are not movers', () => {
    expect(exclusions).toEqual(
      new Map([
        ['organic_traffic_growth', { reason: 'change-of-change' }],
        [
          'cpl',
          { reason: 'low-volume', measure: 'leads', period: 'current', value: 15, floor: 30 },
        ],
      ]),
    );
  });

  it('movers: the biggest better and worse moves that pass the guard, absolute and relative', () => {
    // organic traffic growth (+849 %) and cost per lead (+100 %, worse) moved most, but are
    // excluded; then cac (−25 %) beats conversion rate (+20 %) and revenue (+10 %), and roas
    // (−14 %) beats aov (−5 %)
    expect(s.headline.best).toMatchObject({ id: 'cac', from: '1 000 kr', to: '750 kr' });
    expect(s.headline.worst).toMatchObject({ id: 'roas', from: '4.2×', to: '3.6×' });
    expect(s.headline.text).toBe(
      '0 of 1 goal on track (1 at risk) · best: Name of cac 1 000 kr → 750 kr (−250 kr, −25 %) · worst: Name of roas 4.2× → 3.6× (−0.6×, −14 %)',
    );
  });

  it('without the guard the headline would name the growth of a growth and the 15-lead move', () => {
    const unguarded = composeSummary(input({ moverExclusions: new Map() }));
    expect(unguarded.headline.best?.id).toBe('organic_traffic_growth');
    expect(unguarded.headline.worst?.id).toBe('cpl');
  });

  it('Slack: the message has the six KPIs as fields, the thread the other three, then the breakdown', () => {
    const message = renderSummaryBlocks(s);
    const fields = message.blocks.flatMap((b) =>
      b.type === 'section' ? (b.fields ?? []).map((f) => f.text.split('  ')[0]) : [],
    );
    expect(fields).toEqual([
      '*Name of aov*',
      '*Name of cac*',
      '*Name of conversion_rate*',
      '*Name of ltv_cac*',
      '*Name of roas*',
      '*Name of revenue*',
    ]);
    // one line names what the message leaves out, after the fields and above the divider
    const line = message.blocks.findIndex(
      (b) =>
        JSON.stringify(b) ===
        JSON.stringify({
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: '3 more business KPIs: Name of organic_traffic_growth, Name of cpl, Name of orders',
            },
          ],
        }),
    );
    expect(line).toBe(3);
    expect(message.blocks[4]?.type).toBe('divider');
    const thread = renderBreakdownBlocks(s, []);
    expect(thread.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: 'More business KPIs — week 47 2026' },
    });
    const threadFields = thread.blocks.flatMap((b) =>
      b.type === 'section' ? (b.fields ?? []).map((f) => f.text) : [],
    );
    expect(threadFields.map((t) => t.split('  ')[0])).toEqual([
      '*Name of organic_traffic_growth*',
      '*Name of cpl*',
      '*Name of orders*',
    ]);
    expect(threadFields[1]).toContain('+200 kr (+100 %) worse');
    expect(thread.blocks[2]).toMatchObject({
      type: 'header',
      text: { text: 'By channel — week 47 2026' },
    });
    expect(thread.text).toContain(
      'More business KPIs — week 47 2026: Name of organic_traffic_growth, Name of cpl, Name of orders',
    );
  });

  it('the terminal: the thread’s KPIs under their own heading, before the context metrics', () => {
    const lines = renderSummaryText(s).split('\n');
    const heading = lines.indexOf('More business KPIs (in the thread in Slack)');
    const revenue = lines.findIndex((l) =>
      l.startsWith('  Name of revenue: 880 000 kr  +80 000 kr (+10 %) better'),
    );
    expect(revenue).toBeGreaterThan(0);
    expect(heading).toBeGreaterThan(revenue);
    expect(lines[heading + 1]).toMatch(/^ {2}Name of organic_traffic_growth: 95 %/);
    expect(lines.indexOf('Context')).toBeGreaterThan(heading);
  });

  it('Swedish: the thread’s heading in Swedish', () => {
    const sv = composeSummary(input({ locale: 'sv-SE' }));
    expect(sv.more.title).toBe('Fler affärsnyckeltal — vecka 47 2026');
    expect(sv.more.heading).toBe('Fler affärsnyckeltal (i tråden i Slack)');
  });
});
