// The answer as a trend: the KPI over its history (oldest first, ending with the asked period),
// the comparison period marked, the floor or benchmark as a horizontal line. Pure: answer in,
// SVG out. A period without a value is a gap named "no data", never a point at zero.
import type { KpiAnswer } from '../query/answer.ts';
import type { Chart, ChartContext } from './context.ts';
import { periodTick } from './dates.ts';
import { TITLE_HEIGHT, thresholdLabel, titleParts, WIDTH } from './frame.ts';
import { type LinearScale, linearScale, readableDomain } from './scale.ts';
import { COLORS, el, svgDocument, text } from './svg.ts';

const HEIGHT = 360;
const PLOT = { left: 88, right: WIDTH - 120, top: TITLE_HEIGHT + 14, bottom: HEIGHT - 40 };
/** At most this many period labels under the axis; the asked period's is always there. */
const MAX_TICKS_X = 8;

interface Point {
  start: string;
  end: string;
  value: number | null;
}

/** What the drawing steps share: the answer, its points and the two scales. */
interface Frame {
  answer: KpiAnswer;
  ctx: ChartContext;
  points: Point[];
  x: (index: number) => number;
  y: LinearScale;
}

const usable = (v: number | null | undefined): v is number =>
  v !== null && v !== undefined && Number.isFinite(v);

const round = (n: number) => Math.round(n * 100) / 100;

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
  // A comparison period outside the history (last year, an explicit one) is a line at its value.
  const offHistory = comparison && comparedAt < 0 ? comparison : undefined;

  const values = points.map((p) => p.value).filter(usable);
  const extra = [ctx.threshold?.value, offHistory?.value].filter(usable);
  const { domain, ticks } = readableDomain(
    [...values, ...extra],
    (t) => ctx.format.value(t, unit),
    { fromZero: values.length === 0 },
  );
  const step = (PLOT.right - PLOT.left) / Math.max(points.length, 1);
  const frame: Frame = {
    answer,
    ctx,
    points,
    x: (i) => PLOT.left + step * (i + 0.5),
    y: linearScale(domain, [PLOT.bottom, PLOT.top]),
  };

  const parts = [
    ...titleParts(answer, ctx),
    ...valueAxis(frame, ticks),
    ...periodAxis(frame),
    ...lineRuns(frame),
  ];
  if (ctx.threshold)
    parts.push(
      ...horizontal(frame, ctx.threshold.value, {
        kind: 'threshold',
        label: thresholdLabel(ctx.threshold, answer, ctx),
        colour: COLORS.threshold,
        width: 2,
        dash: '6 4',
      }),
    );
  if (offHistory && usable(offHistory.value))
    parts.push(
      ...horizontal(frame, offHistory.value, {
        kind: 'comparison',
        label: `vs ${offHistory.against}`,
        colour: COLORS.comparison,
        width: 1.5,
        dash: '2 3',
      }),
    );
  parts.push(...markers(frame, comparedAt));
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

/** Grid lines with their values, formatted as the text formats the KPI. */
function valueAxis({ answer, ctx, y }: Frame, ticks: number[]): string[] {
  return ticks.flatMap((t) => [
    el('line', { x1: PLOT.left, x2: PLOT.right, y1: y(t), y2: y(t), stroke: COLORS.grid }),
    text(ctx.format.value(t, answer.kpi.unit), {
      x: PLOT.left - 8,
      y: y(t) + 4,
      'font-size': 11,
      'text-anchor': 'end',
      fill: COLORS.muted,
      'data-tick': t,
    }),
  ]);
}

/** Period labels under the axis: every one up to MAX_TICKS_X, else every n-th and the last. */
function periodAxis({ answer, ctx, points, x }: Frame): string[] {
  const every = Math.ceil(points.length / MAX_TICKS_X);
  return points.flatMap((p, i) =>
    i % every !== 0 && i !== points.length - 1
      ? []
      : [
          text(periodTick(p, answer.period.grain, ctx.locale), {
            x: x(i),
            y: PLOT.bottom + 18,
            'font-size': 11,
            'text-anchor': 'middle',
            fill: COLORS.muted,
          }),
        ],
  );
}

/** The line through the values, broken where a period has none. */
function lineRuns({ points, x, y }: Frame): string[] {
  const runs: string[][] = [[]];
  points.forEach((p, i) => {
    if (usable(p.value)) runs.at(-1)?.push(`${round(x(i))},${round(y(p.value))}`);
    else runs.push([]);
  });
  return runs
    .filter((run) => run.length > 1)
    .map((run) =>
      el('polyline', {
        points: run.join(' '),
        fill: 'none',
        stroke: COLORS.series,
        'stroke-width': 2.5,
        'data-kind': 'line',
      }),
    );
}

/** A dashed line across the plot at `value`, labelled in the right margin. */
function horizontal(
  { y }: Frame,
  value: number,
  look: { kind: string; label: string; colour: string; width: number; dash: string },
): string[] {
  const at = y(value);
  return [
    el('line', {
      x1: PLOT.left,
      x2: PLOT.right,
      y1: at,
      y2: at,
      stroke: look.colour,
      'stroke-width': look.width,
      'stroke-dasharray': look.dash,
      'data-kind': look.kind,
      'data-value': value,
    }),
    text(look.label, { x: PLOT.right + 6, y: at + 4, 'font-size': 11, fill: look.colour }),
  ];
}

/** Each period's point (the asked one filled and labelled), the compared one ringed, gaps named. */
function markers({ answer, ctx, points, x, y }: Frame, comparedAt: number): string[] {
  const parts: string[] = [];
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
        text(`vs ${answer.comparison?.against ?? ''}`, {
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
  return parts;
}
