// The chart's alt text: the numbers it shows (value, comparison, threshold, the groups), as the
// text views format them, built from the same answer, so a screen reader or a search finds them.
import { localName } from '../kpi/names.ts';
import { labelWithDates } from '../kpi/periods.ts';
import type { KpiAnswer } from '../query/answer.ts';
import { sortedGroups } from './breakdown.ts';
import type { ChartContext } from './context.ts';
import { thresholdLabel } from './frame.ts';

export function answerAltText(answer: KpiAnswer, ctx: ChartContext): string {
  const name = localName(answer.kpi.name, ctx.locale);
  const shape = answer.breakdown ? `bar chart by ${answer.breakdown.dimension}` : 'trend chart';
  const sentences = [
    `${name} (${answer.kpi.id}), ${shape}, ${labelWithDates(answer.period)}: ${answer.formatted}.`,
  ];
  const c = answer.comparison;
  if (c)
    sentences.push(
      `vs ${c.against} (${labelWithDates(c.period)}): ${c.formatted}, change ${c.changeFormatted} (${c.changePctFormatted}).`,
    );
  if (ctx.threshold) {
    const status = answer.benchmark ? ` (${answer.benchmark.short})` : '';
    sentences.push(`${capitalise(thresholdLabel(ctx.threshold, answer, ctx))}${status}.`);
  }
  if (answer.breakdown && answer.breakdown.groups.length > 0) {
    const groups = sortedGroups(answer.breakdown.groups).map(
      (g) => `${g.key || '(none)'} ${g.formatted}`,
    );
    sentences.push(`By ${answer.breakdown.dimension}: ${groups.join(', ')}.`);
  } else if (answer.history && answer.history.length > 1) {
    const earlier = answer.history
      .slice(0, -1)
      .map((h) => ctx.format.value(h.value, answer.kpi.unit));
    sentences.push(`Earlier periods, oldest first: ${earlier.join(', ')}.`);
  }
  return sentences.join(' ');
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
