// The answer as a trend: the KPI over its history (oldest first, ending with the asked period),
// the comparison period marked, the floor or benchmark as a horizontal line. Pure: answer in,
// SVG out. A period without a value is a gap named "no data", never a point at zero.
import type { KpiAnswer } from '../query/answer.ts';
import type { Chart, ChartContext } from './context.ts';
import { periodTick } from './dates.ts';
import { TITLE_HEIGHT, thresholdLabel, titleParts, WIDTH } from './frame.ts';
import { linearScale, readableDomain } from './scale.ts';
import { COLORS, el, svgDocument, text } from './svg.ts';

const HEIGHT = 360;
const PLOT = { left: 88, right: WIDTH - 120, top: TITLE_HEIGHT + 14, bottom: HEIGHT - 40 };

interface Point {
  start: string;
  end: string;
  value: number | null;
}

const usable = (v: number | null | undefined): v is number =>
  v !== null && v !== undefined && Number.isFinite(v);

/** The history, or just the asked period when the answer has none. */
function pointsOf(answer: KpiAnswer): Point[] {
  const history = answer.history ?? [
    { period: { start: answer.period.start, end: answer.period.end }, value: answer.value },
  ];
  return history.map((h) => ({ start: h.period.start, end: h.period.end, value: h.value }));
}

export function trendChart(answer: KpiAnswer, ctx: ChartContext): Chart {
  const points = pointsOf(answer);
  const unit = answer.kpi.unit;
  const comparison = answer.comparison;
  const comparedAt = comparison
    ? points.findIndex(
        (p) => p.start === comparison.period.start && p.end === comparison.period.end,
      )
    : -1;
  const offHistory =
    comparison && comparedAt < 0 && usable(comparison.value) ? comparison : undefined;

  const values = points.map((p) => p.value).filter(usable);
  const extra = [ctx.threshold?.value, offHistory?.value].filter(usable);
  const { domain, ticks } = readableDomain(
    [...values, ...extra],
    (t) => ctx.format.value(t, unit),
    { fromZero: values.length === 0 },
  );
  const y = linearScale(domain, [PLOT.bottom, PLOT.top]);
  const step = (PLOT.right - PLOT.left) / Math.max(points.length, 1);
  const x = (i: number) => PLOT.left + step * (i + 0.5);

  const parts: string[] = titleParts(answer, ctx);
  for (const t of ticks) {
    parts.push(
      el('line', { x1: PLOT.left, x2: PLOT.right, y1: y(t), y2: y(t), stroke: COLORS.grid }),
      text(ctx.format.value(t, unit), {
        x: PLOT.left - 8,
        y: y(t) + 4,
        'font-size': 11,
        'text-anchor': 'end',
        fill: COLORS.muted,
        'data-tick': t,
      }),
    );
  }
  const every = Math.ceil(points.length / 8);
  points.forEach((p, i) => {
    if (i % every !== 0 && i !== points.length - 1) return;
    parts.push(
      text(periodTick(p, answer.period.grain, ctx.locale), {
        x: x(i),
        y: PLOT.bottom + 18,
        'font-size': 11,
        'text-anchor': 'middle',
        fill: COLORS.muted,
      }),
    );
  });

  // The line, broken where a period has no value.
  let run: string[] = [];
  const flush = () => {
    if (run.length > 1)
      parts.push(
        el('polyline', {
          points: run.join(' '),
          fill: 'none',
          stroke: COLORS.series,
          'stroke-width': 2.5,
          'data-kind': 'line',
        }),
      );
    run = [];
  };
  points.forEach((p, i) => {
    if (usable(p.value))
      run.push(`${Math.round(x(i) * 100) / 100},${Math.round(y(p.value) * 100) / 100}`);
    else flush();
  });
  flush();

  if (ctx.threshold) {
    const ty = y(ctx.threshold.value);
    parts.push(
      el('line', {
        x1: PLOT.left,
        x2: PLOT.right,
        y1: ty,
        y2: ty,
        stroke: COLORS.threshold,
        'stroke-width': 2,
        'stroke-dasharray': '6 4',
        'data-kind': 'threshold',
        'data-value': ctx.threshold.value,
      }),
      text(thresholdLabel(ctx.threshold, answer, ctx), {
        x: PLOT.right + 6,
        y: ty + 4,
        'font-size': 11,
        fill: COLORS.threshold,
      }),
    );
  }
  if (offHistory && usable(offHistory.value)) {
    const cy = y(offHistory.value);
    parts.push(
      el('line', {
        x1: PLOT.left,
        x2: PLOT.right,
        y1: cy,
        y2: cy,
        stroke: COLORS.comparison,
        'stroke-width': 1.5,
        'stroke-dasharray': '2 3',
        'data-kind': 'comparison',
        'data-value': offHistory.value,
      }),
      text(`vs ${offHistory.against}`, {
        x: PLOT.right + 6,
        y: cy + 4,
        'font-size': 11,
        fill: COLORS.comparison,
      }),
    );
  }

  points.forEach((p, i) => {
    const last = i === points.length - 1;
    if (!usable(p.value)) {
      parts.push(
        text(ctx.format.noData, {
          x: x(i),
          y: PLOT.bottom - 6,
          'font-size': 10,
          'text-anchor': 'middle',
          fill: COLORS.muted,
          'data-kind': 'no-data',
          'data-period': p.start,
        }),
      );
      return;
    }
    const cx = x(i);
    const cy = y(p.value);
    const marks = { 'data-period': p.start, 'data-value': p.value };
    if (i === comparedAt) {
      parts.push(
        el('circle', {
          cx,
          cy,
          r: 8,
          fill: 'none',
          stroke: COLORS.comparison,
          'stroke-width': 2.5,
          'data-kind': 'comparison',
          ...marks,
        }),
        text(`vs ${comparison?.against ?? ''}`, {
          x: cx,
          y: cy + 24,
          'font-size': 11,
          'text-anchor': 'middle',
          fill: COLORS.comparison,
        }),
      );
    }
    parts.push(
      el('circle', {
        cx,
        cy,
        r: last ? 6 : 3.5,
        fill: last ? COLORS.current : COLORS.background,
        stroke: COLORS.series,
        'stroke-width': 2,
        'data-kind': last ? 'current' : 'point',
        ...marks,
      }),
    );
    if (last)
      parts.push(
        text(answer.formatted, {
          x: cx,
          y: cy - 14,
          'font-size': 12,
          'font-weight': 'bold',
          'text-anchor': 'middle',
          // A white outline under the letters keeps the value readable where the line crosses it.
          stroke: COLORS.background,
          'stroke-width': 4,
          'paint-order': 'stroke',
        }),
      );
  });
  parts.push(
    el('line', {
      x1: PLOT.left,
      x2: PLOT.right,
      y1: PLOT.bottom,
      y2: PLOT.bottom,
      stroke: COLORS.axis,
    }),
  );
  return { kind: 'trend', svg: svgDocument(WIDTH, HEIGHT, parts), width: WIDTH, height: HEIGHT };
}
