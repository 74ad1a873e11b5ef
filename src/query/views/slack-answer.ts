// Block Kit for a KPI answer: name and period, the value large, the comparison judged by the
// KPI's good direction, the benchmark, a sparkline, the breakdown as a compact table, the tier.
// Numbers arrive formatted in the answer; nothing here formats a number.
import type { KnownBlock } from '@slack/types';
import { localName } from '../../kpi/names.ts';
import { labelWithDates } from '../../kpi/periods.ts';
import { FALLBACK_TEXT_MAX, LIMITS, length, truncate } from '../../reply/limits.ts';
import {
  channelReadingsText,
  code,
  codeBlockText,
  context,
  escapeMrkdwn,
  fallbackText,
  header,
  IMPORT_HINT,
  section,
} from '../../reply/mrkdwn.ts';
import { sparkline } from '../../reply/sparkline.ts';
import type { AskResult, ComparisonAnswer, GroupAnswer, KpiAnswer } from '../answer.ts';

/** Rows of a breakdown shown before "and N more". */
export const BREAKDOWN_ROWS = 15;
/** Group names longer than this are cut in the table so the columns stay readable. */
const KEY_WIDTH = 28;

interface VerdictLook {
  emoji: string;
  word: string;
}

const VERDICTS: Record<string, VerdictLook> = {
  better: { emoji: ':large_green_circle:', word: 'better' },
  worse: { emoji: ':red_circle:', word: 'worse' },
  unchanged: { emoji: ':white_circle:', word: 'unchanged' },
  neutral: { emoji: ':large_blue_circle:', word: 'changed (neither good nor bad for this KPI)' },
  unknown: { emoji: ':grey_question:', word: 'no comparison (missing data)' },
};

function verdictLook(verdict: string): VerdictLook {
  return VERDICTS[verdict] ?? { emoji: ':white_circle:', word: verdict };
}

const BENCHMARK_EMOJI: Record<string, string> = {
  meets: ':white_check_mark:',
  below: ':warning:',
  above: ':warning:',
};

const GRAIN_PLURAL: Record<string, string> = {
  day: 'days',
  week: 'weeks',
  month: 'months',
  quarter: 'quarters',
  year: 'years',
};

const DIMENSION_PLURAL: Record<string, string> = { channel: 'channels', campaign: 'campaigns' };

function againstLabel(c: ComparisonAnswer): string {
  if (c.against === 'previous') return 'the previous period';
  if (c.against === 'last-year') return 'last year';
  return c.against;
}

function dates(p: { start: string; end: string }): string {
  return p.start === p.end ? p.start : `${p.start} – ${p.end}`;
}

const UNEVEN: VerdictLook = { emoji: ':white_circle:', word: 'not judged (uneven data)' };

function comparisonLine(c: ComparisonAnswer): string {
  const look = c.unevenCoverage ? UNEVEN : verdictLook(c.verdict);
  const change =
    c.change === null
      ? ''
      : `*${escapeMrkdwn(c.changeFormatted)}* (${escapeMrkdwn(c.changePctFormatted)}) `;
  return `${look.emoji} ${change}vs ${escapeMrkdwn(againstLabel(c))} — ${look.word}\n      ${escapeMrkdwn(labelWithDates(c.period))}: ${escapeMrkdwn(c.formatted)}${[
    c.note,
    c.unevenCoverage,
  ]
    .filter(Boolean)
    .map((t) => `\n      _${escapeMrkdwn(t ?? '')}_`)
    .join('')}`;
}

function sparkLine(a: KpiAnswer): string | undefined {
  const history = a.history ?? [];
  if (history.length < 2 || history.every((h) => h.value === null)) return undefined;
  const unit = GRAIN_PLURAL[a.period.grain] ?? 'periods of the same length';
  return `\`${sparkline(history.map((h) => h.value))}\`  last ${history.length} ${unit}`;
}

function byValue(a: GroupAnswer, b: GroupAnswer): number {
  return (b.value ?? Number.NEGATIVE_INFINITY) - (a.value ?? Number.NEGATIVE_INFINITY);
}

function trendMark(g: GroupAnswer): string {
  const c = g.comparison;
  if (!c) return '';
  const arrow = c.change === null ? ' ' : c.change > 0 ? '▲' : c.change < 0 ? '▼' : '=';
  return `${arrow} ${c.verdict === 'unknown' ? 'no data before' : verdictLook(c.verdict).word.split(' ')[0]}`;
}

/** The breakdown as a monospace table of the top groups by value, then "and N more". */
export function breakdownText(breakdown: NonNullable<KpiAnswer['breakdown']>): string {
  const groups = [...breakdown.groups].sort(byValue);
  const title = `*By ${escapeMrkdwn(breakdown.dimension)}*`;
  if (groups.length === 0)
    return `${title}\n_no ${DIMENSION_PLURAL[breakdown.dimension] ?? 'groups'} with data_`;
  const shown = groups.slice(0, BREAKDOWN_ROWS);
  const cells = shown.map((g) => [
    truncate(g.key || '(none)', KEY_WIDTH),
    g.formatted,
    [trendMark(g), g.benchmark && g.benchmark.status !== 'meets' ? `⚠ ${g.benchmark.short}` : '']
      .filter(Boolean)
      .join('  '),
  ]);
  const keyWidth = Math.max(...cells.map((c) => length(c[0] ?? '')));
  const valueWidth = Math.max(...cells.map((c) => length(c[1] ?? '')));
  const rows = cells.map(([key = '', value = '', mark = '']) =>
    codeBlockText(
      `${key}${' '.repeat(keyWidth - length(key))}  ${' '.repeat(valueWidth - length(value))}${value}  ${mark}`.trimEnd(),
    ),
  );
  const plural = DIMENSION_PLURAL[breakdown.dimension] ?? 'groups';
  const more = (n: number) => `\n_…and ${n} more ${plural}_`;
  // Defensive: rows are short, but drop from the bottom until title, fences and the closing
  // line fit in one section whatever the data holds.
  const render = (n: number) => {
    const omitted = groups.length - n;
    return `${title}\n\`\`\`\n${rows.slice(0, n).join('\n')}\n\`\`\`${omitted > 0 ? more(omitted) : ''}`;
  };
  let n = rows.length;
  while (n > 1 && length(render(n)) > LIMITS.sectionText) n--;
  return render(n);
}

function missingText(a: KpiAnswer): string | undefined {
  if (a.missingMeasures.length === 0) return undefined;
  const measures = a.missingMeasures.map(code).join(', ');
  const verb = a.missingMeasures.length === 1 ? 'has' : 'have';
  return `:information_source: ${measures} ${verb} no data for ${escapeMrkdwn(labelWithDates(a.period))}. Import daily facts with ${IMPORT_HINT}.`;
}

function filterText(
  filters: AskResult['filters'],
  readings: AskResult['channelReadings'],
): string | undefined {
  const parts = Object.entries(filters)
    .filter(([, values]) => values && values.length > 0)
    .map(([dim, values]) => `${dim} = ${(values ?? []).join(', ')}`);
  if (parts.length === 0) return undefined;
  const read = channelReadingsText(readings ?? []);
  return `filtered: ${escapeMrkdwn(parts.join('; '))}${read ? ` (${read})` : ''}`;
}

/** The blocks for one KPI of an answer. */
export function answerBlocks(
  a: KpiAnswer,
  filters: AskResult['filters'],
  locale: string,
  readings?: AskResult['channelReadings'],
): KnownBlock[] {
  const blocks: KnownBlock[] = [header(`${localName(a.kpi.name, locale)} — ${a.period.label}`)];
  const blended = a.blended ? `  _blended: ${escapeMrkdwn(a.kpi.formula)} over all channels_` : '';
  const lines = [`*${escapeMrkdwn(a.formatted)}*${blended}`];
  const spark = sparkLine(a);
  if (spark) lines.push(spark);
  if (a.comparison) lines.push(comparisonLine(a.comparison));
  if (a.benchmark) {
    lines.push(
      `${BENCHMARK_EMOJI[a.benchmark.status] ?? ':white_circle:'} ${escapeMrkdwn(a.benchmark.text)}`,
    );
  }
  blocks.push(section(lines.join('\n')));
  if (a.breakdown) blocks.push(section(breakdownText(a.breakdown)));
  const missing = missingText(a);
  if (missing) blocks.push(section(missing));
  const tier = a.kpi.tier === 'business' ? ':dart: Business KPI' : ':bar_chart: Context metric';
  const facts = [tier, dates(a.period), code(a.kpi.formula), filterText(filters, readings)].filter(
    Boolean,
  );
  blocks.push(
    context(
      facts.join('  ·  '),
      ...(a.period.partial
        ? [`in progress: ${a.period.partial.elapsedDays} of ${a.period.partial.totalDays} days`]
        : []),
      ...(a.coverageNote ? [`:hourglass_flowing_sand: ${escapeMrkdwn(a.coverageNote)}`] : []),
    ),
  );
  return blocks;
}

/** One line per KPI with the numbers, for notifications and screen readers. */
export function answerFallback(result: AskResult, locale: string): string {
  const lines = result.answers.map((a) => {
    let line = `${localName(a.kpi.name, locale)}, ${a.period.label}: ${a.formatted}`;
    const c = a.comparison;
    if (c) {
      line +=
        c.change === null
          ? ` (vs ${againstLabel(c)}: ${c.formatted})`
          : ` (${c.changeFormatted}, ${c.changePctFormatted} vs ${againstLabel(c)}: ${verdictLook(c.verdict).word})`;
    }
    if (a.benchmark) line += `. ${a.benchmark.text}`;
    if (a.missingMeasures.length > 0) line += `. No data for ${a.missingMeasures.join(', ')}`;
    return line;
  });
  return fallbackText(lines.join('\n'), FALLBACK_TEXT_MAX);
}
