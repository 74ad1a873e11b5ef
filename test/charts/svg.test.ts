// The chart SVGs from the answer objects: their outline against golden files, and the rules a
// picture must keep to agree with the text (no-data groups drawn as no bar, gaps not zeros,
// axis labels from the project's formatter, the threshold and comparison where they belong).
import { describe, expect, it } from 'vitest';
import { answerChart } from '../../src/charts/answer.ts';
import { breakdownChart, MAX_BARS } from '../../src/charts/breakdown.ts';
import { trendChart } from '../../src/charts/trend.ts';
import { createFormatter } from '../../src/kpi/format.ts';
import type { KpiAnswer } from '../../src/query/answer.ts';
import { breakdownAnswer, context, format, trendAnswer } from './fixtures.ts';
import { golden } from './golden.ts';
import { ofKind, svgElements, svgOutline } from './svg-parse.ts';

/** y of a value, read back from two axis tick labels (each drawn 4 px below its grid line). */
function yOf(svg: string, value: number): number {
  const ticks = svgElements(svg)
    .filter((e) => e.attrs['data-tick'] !== undefined)
    .map((e) => ({ t: Number(e.attrs['data-tick']), y: Number(e.attrs.y) - 4 }));
  const [a, b] = ticks;
  if (!a || !b) throw new Error('fewer than two ticks');
  return a.y + ((value - a.t) / (b.t - a.t)) * (b.y - a.y);
}

describe('the trend chart', () => {
  const chart = trendChart(trendAnswer, context);
  const els = svgElements(chart.svg);

  it('matches its golden outline', () => {
    expect(svgOutline(chart.svg).join('\n')).toBe(
      golden('trend.txt', `${svgOutline(chart.svg).join('\n')}`).toString(),
    );
  });

  it('draws every period with a value, the asked one as the current point', () => {
    const points = [...ofKind(els, 'point'), ...ofKind(els, 'current')];
    expect(points.map((p) => p.attrs['data-period']).sort()).toEqual(
      trendAnswer.history!.filter((h) => h.value !== null).map((h) => h.period.start),
    );
    expect(ofKind(els, 'current').map((p) => Number(p.attrs['data-value']))).toEqual([3.25]);
  });

  it('leaves a week without data as a named gap, not a point at zero', () => {
    expect(ofKind(els, 'no-data').map((e) => [e.attrs['data-period'], e.text])).toEqual([
      ['2026-10-12', 'inga data'],
    ]);
    // The line is broken there: two runs, none through the missing week.
    expect(ofKind(els, 'line')).toHaveLength(2);
  });

  it('marks the comparison period on its point and draws the floor at 3×', () => {
    const ring = ofKind(els, 'comparison');
    expect(ring.map((r) => [r.tag, r.attrs['data-period']])).toEqual([['circle', '2026-11-09']]);
    const [line] = ofKind(els, 'threshold');
    expect(Number(line?.attrs.y1)).toBeCloseTo(yOf(chart.svg, 3), 1);
    expect(els.some((e) => e.text === 'lägstanivå 3,0×')).toBe(true); // sv-SE
  });

  it('puts each point at its value on the axis', () => {
    for (const p of ofKind(els, 'point'))
      expect(Number(p.attrs.cy)).toBeCloseTo(yOf(chart.svg, Number(p.attrs['data-value'])), 1);
  });

  it('labels the axis with the formatter of the answer locale', () => {
    const ticks = els.filter((e) => e.attrs['data-tick'] !== undefined);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    for (const t of ticks)
      expect(t.text).toBe(format.value(Number(t.attrs['data-tick']), 'multiple'));
    const en = trendChart(trendAnswer, {
      ...context,
      locale: 'en-US',
      format: createFormatter({ locale: 'en-US', currency: 'USD' }),
    });
    expect(svgElements(en.svg).some((e) => e.text === 'floor 3.0×')).toBe(true);
    expect(svgElements(en.svg).some((e) => e.text === 'Nov 16')).toBe(true);
    expect(els.some((e) => e.text === '16 nov.')).toBe(true);
  });

  it('a comparison outside the history (last year) is a labelled line at its value', () => {
    const c = trendAnswer.comparison!;
    const lastYear: KpiAnswer = {
      ...trendAnswer,
      comparison: {
        ...c,
        against: 'last-year',
        period: { ...c.period, start: '2025-11-17', end: '2025-11-23' },
        value: 5,
      },
    };
    const svg = trendChart(lastYear, context).svg;
    const [line] = ofKind(svgElements(svg), 'comparison');
    expect(line?.tag).toBe('line');
    expect(Number(line?.attrs.y1)).toBeCloseTo(yOf(svg, 5), 1);
    expect(svgElements(svg).some((e) => e.text === 'vs last-year')).toBe(true);
  });

  it('an answer with no data at all draws no line and no NaN', () => {
    const empty: KpiAnswer = {
      ...trendAnswer,
      value: null,
      formatted: 'inga data',
      comparison: undefined,
      history: trendAnswer.history!.map((h) => ({ ...h, value: null })),
    };
    const svg = trendChart(empty, { ...context, threshold: undefined }).svg;
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(ofKind(svgElements(svg), 'line')).toHaveLength(0);
    expect(ofKind(svgElements(svg), 'no-data')).toHaveLength(8);
  });
});

describe('the breakdown chart', () => {
  const chart = breakdownChart(breakdownAnswer, context);
  const els = svgElements(chart.svg);

  it('matches its golden outline', () => {
    expect(svgOutline(chart.svg).join('\n')).toBe(
      golden('breakdown.txt', svgOutline(chart.svg).join('\n')).toString(),
    );
  });

  it('sorts the groups, largest first, the ones without data last', () => {
    expect(ofKind(els, 'group').map((g) => g.text)).toEqual([
      'google-ads',
      'meta',
      'direct',
      'email',
      'organic',
    ]);
  });

  it('draws no bar for a group without data: it is named "no data" instead', () => {
    const bars = ofKind(els, 'bar');
    expect(bars.map((b) => b.attrs['data-key'])).toEqual(['google-ads', 'meta']);
    expect(ofKind(els, 'no-data').map((e) => [e.attrs['data-key'], e.text])).toEqual([
      ['direct', 'inga data'],
      ['email', 'inga data'],
      ['organic', 'inga data'],
    ]);
    // No rectangle but the background and the two bars, and none of zero size.
    const rects = els.filter((e) => e.tag === 'rect');
    expect(rects).toHaveLength(3);
    for (const r of rects) expect(Number(r.attrs.width)).toBeGreaterThan(0);
  });

  it('bar lengths are proportional to the values; the floor line sits at 3×', () => {
    const [google, meta] = ofKind(els, 'bar');
    expect(Number(google!.attrs.width) / Number(meta!.attrs.width)).toBeCloseTo(4.0 / 1.6, 6);
    const zero = Number(google!.attrs.x);
    const perUnit = Number(google!.attrs.width) / 4.0;
    const [line] = ofKind(els, 'threshold');
    expect(Number(line!.attrs.x1)).toBeCloseTo(zero + 3 * perUnit, 1);
  });

  it(`shows at most ${MAX_BARS} groups and counts the rest`, () => {
    const many: KpiAnswer = {
      ...breakdownAnswer,
      breakdown: {
        dimension: 'campaign',
        groups: Array.from({ length: MAX_BARS + 3 }, (_, i) => ({
          key: `campaign <${i}> & co`,
          value: i + 1,
          formatted: format.value(i + 1, 'multiple'),
        })),
      },
    };
    const svg = breakdownChart(many, context).svg;
    expect(ofKind(svgElements(svg), 'bar')).toHaveLength(MAX_BARS);
    expect(svgElements(svg).some((e) => e.text === '… and 3 more')).toBe(true);
    // Keys are escaped: the names come back whole.
    expect(svgElements(svg).some((e) => e.text === 'campaign <22> & co')).toBe(true);
  });

  it('answerChart picks bars for a breakdown and the trend otherwise', () => {
    expect(answerChart(breakdownAnswer, context).kind).toBe('breakdown');
    expect(answerChart(trendAnswer, context).kind).toBe('trend');
  });
});
