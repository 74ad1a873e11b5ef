// The chart's alt text: the numbers it shows (value, comparison, threshold, the groups), as the
// text views format them, built from the same answer, so a screen reader or a search finds them.
import { localName } from '../kpi/names.ts';
import { labelWithDates } from '../kpi/periods.ts';
import { ANSWER_WORDS } from '../messages/answer.ts';
import { wordsFor } from '../messages/lang.ts';
import type { KpiAnswer } from '../query/answer.ts';
import { sortedGroups } from './breakdown.ts';
import type { ChartContext } from './context.ts';
import { thresholdLabel } from './frame.ts';

export function answerAltText(answer: KpiAnswer, ctx: ChartContext): string {
  const w = wordsFor(ANSWER_WORDS, ctx.locale);
  const name = localName(answer.kpi.name, ctx.locale);
  const shape = w.chartShape(answer.breakdown?.dimension);
  const period = labelWithDates(answer.period, ctx.locale);
  const sentences = [`${name} (${answer.kpi.id}), ${shape}, ${period}: ${answer.formatted}.`];
  const c = answer.comparison;
  if (c)
    sentences.push(
      `${w.vs} ${w.againstShort(c.against)} (${labelWithDates(c.period, ctx.locale)}): ${c.formatted}, ${w.change} ${c.changeFormatted} (${c.changePctFormatted}).`,
    );
  if (ctx.threshold) {
    const status = answer.benchmark ? ` (${answer.benchmark.short})` : '';
    sentences.push(`${capitalise(thresholdLabel(ctx.threshold, answer, ctx))}${status}.`);
  }
  if (answer.breakdown && answer.breakdown.groups.length > 0) {
    const groups = sortedGroups(answer.breakdown.groups).map(
      (g) => `${g.key || w.none} ${g.formatted}`,
    );
    sentences.push(`${w.by(answer.breakdown.dimension)}: ${groups.join(', ')}.`);
  } else if (answer.history && answer.history.length > 1) {
    const earlier = answer.history
      .slice(0, -1)
      .map((h) => ctx.format.value(h.value, answer.kpi.unit));
    sentences.push(`${w.earlierPeriods}: ${earlier.join(', ')}.`);
  }
  return sentences.join(' ');
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
