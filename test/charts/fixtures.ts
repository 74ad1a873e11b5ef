// Answers as src/query/ask.ts builds them, written out by hand so the chart tests need no store:
// ROAS over eight weeks (one week without data) against the previous week, and ROAS by channel
// with three channels that have no ad spend (no ROAS: null, never 0).
import type { ChartContext } from '../../src/charts/context.ts';
import { createFormatter } from '../../src/kpi/format.ts';
import type { KpiAnswer } from '../../src/query/answer.ts';

export const format = createFormatter({ locale: 'sv-SE', currency: 'SEK' });

export const context: ChartContext = {
  locale: 'sv-SE',
  format,
  threshold: { value: 3, comparator: '>=', kind: 'floor' },
};

const kpi: KpiAnswer['kpi'] = {
  id: 'roas',
  name: { sv: 'Avkastning på annonskostnad', en: 'Return on ad spend' },
  formula: 'revenue / ad_spend',
  unit: 'multiple',
  good: 'up',
  tier: 'business',
};

const week = (start: string, end: string) => ({ start, end });
const WEEKS = [
  week('2026-09-28', '2026-10-04'),
  week('2026-10-05', '2026-10-11'),
  week('2026-10-12', '2026-10-18'),
  week('2026-10-19', '2026-10-25'),
  week('2026-10-26', '2026-11-01'),
  week('2026-11-02', '2026-11-08'),
  week('2026-11-09', '2026-11-15'),
  week('2026-11-16', '2026-11-22'),
];
const VALUES = [4.2, 3.8, null, 2.6, 3.1, 3.5, 2.4, 3.25];

export const trendAnswer: KpiAnswer = {
  kpi,
  period: {
    start: '2026-11-16',
    end: '2026-11-22',
    phrase: 'last-week',
    label: 'week 47, 2026',
    grain: 'week',
  },
  value: 3.25,
  formatted: format.value(3.25, 'multiple'),
  comparison: {
    against: 'previous',
    period: {
      start: '2026-11-09',
      end: '2026-11-15',
      phrase: 'previous',
      label: 'week 46, 2026',
      grain: 'week',
    },
    value: 2.4,
    formatted: format.value(2.4, 'multiple'),
    change: 0.85,
    changePct: 0.85 / 2.4,
    verdict: 'better',
    changeFormatted: format.change(0.85, 'multiple'),
    changePctFormatted: format.pct(0.85 / 2.4),
  },
  benchmark: {
    status: 'meets',
    threshold: 3,
    text: 'når lägstanivån 3× för avkastning på annonskostnad',
    short: 'når lägstanivån',
  },
  history: WEEKS.map((period, i) => ({ period, value: VALUES[i] ?? null })),
  missingMeasures: [],
};

const group = (key: string, value: number | null) => ({
  key,
  value,
  formatted: format.value(value, 'multiple'),
});

export const breakdownAnswer: KpiAnswer = {
  ...trendAnswer,
  comparison: undefined,
  history: undefined,
  breakdown: {
    dimension: 'channel',
    groups: [
      group('direct', null),
      group('meta', 1.6),
      group('email', null),
      group('google-ads', 4.0),
      group('organic', null),
    ],
  },
};
