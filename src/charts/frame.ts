// The parts every chart shares: title and subtitle, the threshold's label text.

import { localName } from '../kpi/names.ts';
import { ANSWER_WORDS } from '../messages/answer.ts';
import { wordsFor } from '../messages/lang.ts';
import { localLabel } from '../messages/periods.ts';
import type { KpiAnswer } from '../query/answer.ts';
import type { ChartContext, Threshold } from './context.ts';
import { COLORS, text } from './svg.ts';

export const WIDTH = 720;
export const TITLE_HEIGHT = 58;

/** `floor 3,0×` / `benchmark 5,0 %`, the number through the project's formatter. */
export function thresholdLabel(t: Threshold, answer: KpiAnswer, ctx: ChartContext): string {
  const kind = wordsFor(ANSWER_WORDS, ctx.locale).thresholdKind(t.kind);
  return `${kind} ${ctx.format.value(t.value, answer.kpi.unit)}`;
}

/** Title (KPI and period) and subtitle (the value, and the comparison when there is one). */
export function titleParts(answer: KpiAnswer, ctx: ChartContext): string[] {
  const w = wordsFor(ANSWER_WORDS, ctx.locale);
  const label = localLabel(answer.period.label, ctx.locale);
  const title = `${localName(answer.kpi.name, ctx.locale)} (${answer.kpi.id}) — ${label}`;
  const c = answer.comparison;
  const versus = c
    ? `   ${w.vs} ${w.againstShort(c.against)}: ${c.formatted} (${c.changePctFormatted})`
    : '';
  return [
    text(title, { x: 16, y: 24, 'font-size': 15, 'font-weight': 'bold' }),
    text(`${answer.formatted}${versus}`, { x: 16, y: 46, 'font-size': 13, fill: COLORS.muted }),
  ];
}
