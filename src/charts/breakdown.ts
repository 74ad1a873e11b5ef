// The answer by channel or campaign as horizontal bars, largest first. A group without a value
// is named with "no data" and drawn as no bar at all, never a bar of zero; the floor or
// benchmark is a vertical line. Pure: answer in, SVG out.
import { ANSWER_WORDS } from '../messages/answer.ts';
import { wordsFor } from '../messages/lang.ts';
import type { GroupAnswer, KpiAnswer } from '../query/answer.ts';
import type { Chart, ChartContext } from './context.ts';
import { TITLE_HEIGHT, thresholdLabel, titleParts, WIDTH } from './frame.ts';
import { linearScale, readableDomain } from './scale.ts';
import { COLORS, el, svgDocument, text } from './svg.ts';

/** More rows than this would not be readable in Slack; the rest are counted under the chart. */
export const MAX_BARS = 20;
const ROW = 28;
const LABEL_WIDTH = 150;
const PLOT = { left: 16 + LABEL_WIDTH, right: WIDTH - 110, top: TITLE_HEIGHT + 26 };

const usable = (v: number | null): v is number => v !== null && Number.isFinite(v);

/** Groups with a value, largest first, then those without (in the answer's order). */
export function sortedGroups(groups: readonly GroupAnswer[]): GroupAnswer[] {
  const withValue = groups.filter((g) => usable(g.value));
  const without = groups.filter((g) => !usable(g.value));
  return [...withValue.sort((a, b) => (b.value ?? 0) - (a.value ?? 0)), ...without];
}

export function breakdownChart(answer: KpiAnswer, ctx: ChartContext): Chart {
  const all = sortedGroups(answer.breakdown?.groups ?? []);
  const shown = all.slice(0, MAX_BARS);
  const hidden = all.length - shown.length;
  const unit = answer.kpi.unit;
  const bottom = PLOT.top + Math.max(shown.length, 1) * ROW;
  const height = bottom + 34 + (hidden > 0 ? 18 : 0);

  const values = shown.map((g) => g.value).filter(usable);
  const threshold = ctx.threshold?.value;
  const { domain, ticks } = readableDomain(
    [...values, ...(threshold !== undefined ? [threshold] : [])],
    (t) => ctx.format.value(t, unit),
    { fromZero: true },
  );
  const x = linearScale(domain, [PLOT.left, PLOT.right]);
  const zero = x(0);

  const parts: string[] = titleParts(answer, ctx);
  if (answer.breakdown)
    parts.push(
      text(wordsFor(ANSWER_WORDS, ctx.locale).by(answer.breakdown.dimension).toLowerCase(), {
        x: 16,
        y: PLOT.top - 8,
        'font-size': 11,
        fill: COLORS.muted,
      }),
    );
  for (const t of ticks) {
    parts.push(
      el('line', { x1: x(t), x2: x(t), y1: PLOT.top, y2: bottom, stroke: COLORS.grid }),
      text(ctx.format.value(t, unit), {
        x: x(t),
        y: bottom + 16,
        'font-size': 11,
        'text-anchor': 'middle',
        fill: COLORS.muted,
        'data-tick': t,
      }),
    );
  }
  shown.forEach((g, i) => {
    const top = PLOT.top + i * ROW;
    const middle = top + ROW / 2 + 4;
    parts.push(
      text(g.key || '(none)', {
        x: PLOT.left - 8,
        y: middle,
        'font-size': 12,
        'text-anchor': 'end',
        'data-kind': 'group',
        'data-key': g.key,
      }),
    );
    if (!usable(g.value)) {
      parts.push(
        text(ctx.format.noData, {
          x: zero + 6,
          y: middle,
          'font-size': 11,
          'font-style': 'italic',
          fill: COLORS.muted,
          'data-kind': 'no-data',
          'data-key': g.key,
        }),
      );
      return;
    }
    const end = x(g.value);
    parts.push(
      el('rect', {
        x: Math.min(zero, end),
        y: top + 5,
        width: Math.abs(end - zero),
        height: ROW - 10,
        fill: COLORS.series,
        'data-kind': 'bar',
        'data-key': g.key,
        'data-value': g.value,
      }),
      text(g.formatted, { x: Math.max(zero, end) + 6, y: middle, 'font-size': 11 }),
    );
  });
  parts.push(el('line', { x1: zero, x2: zero, y1: PLOT.top, y2: bottom, stroke: COLORS.axis }));
  if (ctx.threshold) {
    const tx = x(ctx.threshold.value);
    parts.push(
      el('line', {
        x1: tx,
        x2: tx,
        y1: PLOT.top - 4,
        y2: bottom,
        stroke: COLORS.threshold,
        'stroke-width': 2,
        'stroke-dasharray': '6 4',
        'data-kind': 'threshold',
        'data-value': ctx.threshold.value,
      }),
      text(thresholdLabel(ctx.threshold, answer, ctx), {
        x: tx,
        y: PLOT.top - 8,
        'font-size': 11,
        'text-anchor': 'middle',
        fill: COLORS.threshold,
      }),
    );
  }
  if (hidden > 0)
    parts.push(
      text(`… and ${hidden} more`, { x: 16, y: height - 10, 'font-size': 11, fill: COLORS.muted }),
    );
  return { kind: 'breakdown', svg: svgDocument(WIDTH, height, parts), width: WIDTH, height };
}
