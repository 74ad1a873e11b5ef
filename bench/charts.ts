// `npm run bench -- charts`: one chart rendered to PNG (answer → SVG → resvg → PNG with the alt
// text inside), the trend and the bar chart, the way `kpibot ask --chart` renders them. Target:
// one chart ≤ 150 ms (issue 11), held against the p95 of warm renders; the first (cold) render,
// which loads the native module and the font files, is printed beside it.
import { answerPng } from '../src/charts/answer.ts';
import type { ChartContext } from '../src/charts/context.ts';
import { createFormatter } from '../src/kpi/format.ts';
import type { KpiAnswer } from '../src/query/answer.ts';
import { median, percentile, timeIt } from './measure.ts';
import { score } from './scoreboard.ts';

const TARGET_MS = 150;
const format = createFormatter({ locale: 'sv-SE', currency: 'SEK' });
const context: ChartContext = {
  locale: 'sv-SE',
  format,
  threshold: { value: 3, comparator: '>=', kind: 'floor' },
};

/** ROAS over twelve weeks against the previous one, and the same week by twelve campaigns. */
function answers(): KpiAnswer[] {
  const weeks = Array.from({ length: 12 }, (_, i) => {
    const start = new Date(Date.UTC(2026, 8, 7 + i * 7));
    const end = new Date(start.getTime() + 6 * 86_400_000);
    return { start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
  });
  const values = weeks.map((_, i) => (i === 4 ? null : 2.5 + Math.sin(i) * 1.5));
  const last = weeks.at(-1)!;
  const previous = weeks.at(-2)!;
  const value = values.at(-1) ?? null;
  const trend: KpiAnswer = {
    kpi: {
      id: 'roas',
      name: { sv: 'Avkastning på annonskostnad', en: 'Return on ad spend' },
      formula: 'revenue / ad_spend',
      unit: 'multiple',
      good: 'up',
      tier: 'business',
    },
    period: { ...last, phrase: 'last-week', label: 'week 47, 2026', grain: 'week' },
    value,
    formatted: format.value(value, 'multiple'),
    comparison: {
      against: 'previous',
      period: { ...previous, phrase: 'previous', label: 'week 46, 2026', grain: 'week' },
      value: values.at(-2) ?? null,
      formatted: format.value(values.at(-2) ?? null, 'multiple'),
      change: 0.4,
      changePct: 0.12,
      verdict: 'better',
      changeFormatted: format.change(0.4, 'multiple'),
      changePctFormatted: format.pct(0.12),
    },
    history: weeks.map((period, i) => ({ period, value: values[i] ?? null })),
    missingMeasures: [],
  };
  const bars: KpiAnswer = {
    ...trend,
    comparison: undefined,
    history: undefined,
    breakdown: {
      dimension: 'campaign',
      groups: Array.from({ length: 12 }, (_, i) => {
        const v = i % 5 === 4 ? null : 0.5 + i * 0.7;
        return { key: `campaign-${i + 1}`, value: v, formatted: format.value(v, 'multiple') };
      }),
    },
  };
  return [trend, bars];
}

export async function benchCharts(runs = 60): Promise<void> {
  const [trend, bars] = answers() as [KpiAnswer, KpiAnswer];
  const t = performance.now();
  answerPng(trend, context);
  const cold = performance.now() - t;
  const all: number[] = [];
  for (const [name, answer] of [
    ['trend', trend],
    ['bars', bars],
  ] as const) {
    const times = await timeIt(runs, async () => answerPng(answer, context));
    all.push(...times);
    const { width, height } = answerPng(answer, context);
    console.log(
      `one chart render (${name}, ${width}×${height} px): median ${median(times).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms over ${runs}`,
    );
  }
  const p95 = percentile(all, 95);
  console.log(
    `one chart render: cold (first) ${cold.toFixed(1)} ms, warm p95 ${p95.toFixed(1)} ms`,
  );
  score({
    measure: 'one chart render (answer → SVG → PNG, p95 of trend and bars)',
    figure: `${p95.toFixed(1)} ms (median ${median(all).toFixed(1)} ms, cold first ${cold.toFixed(0)} ms)`,
    ratio: p95 / TARGET_MS,
    target: `≤ ${TARGET_MS} ms`,
    met: p95 <= TARGET_MS,
  });
}
