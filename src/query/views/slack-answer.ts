// Block Kit for a KPI answer: name and period, the value large, the comparison judged by the
// KPI's good direction, the benchmark, a sparkline, the breakdown as a compact table, the tier.
// Numbers arrive formatted in the answer; nothing here formats a number.
import type { KnownBlock } from '@slack/types';
import { localName } from '../../kpi/names.ts';
import { labelWithDates } from '../../kpi/periods.ts';
import { ANSWER_WORDS, type AnswerWords, type VerdictWord } from '../../messages/answer.ts';
import { wordsFor } from '../../messages/lang.ts';
import { localLabel } from '../../messages/periods.ts';
import { FALLBACK_TEXT_MAX, LIMITS, length, truncate } from '../../reply/limits.ts';
import {
  code,
  codeBlockText,
  context,
  escapeMrkdwn,
  fallbackText,
  header,
  section,
} from '../../reply/mrkdwn.ts';
import { sparkline } from '../../reply/sparkline.ts';
import type { AskResult, ComparisonAnswer, GroupAnswer, KpiAnswer } from '../answer.ts';

/** Rows of a breakdown shown before "and N more". */
export const BREAKDOWN_ROWS = 15;
/** Group names longer than this are cut in the table so the columns stay readable. */
const KEY_WIDTH = 28;

const VERDICT_EMOJI: Record<VerdictWord, string> = {
  better: ':large_green_circle:',
  worse: ':red_circle:',
  unchanged: ':white_circle:',
  neutral: ':large_blue_circle:',
  unknown: ':grey_question:',
};

const BENCHMARK_EMOJI: Record<string, string> = {
  meets: ':white_check_mark:',
  below: ':warning:',
  above: ':warning:',
};

function dates(p: { start: string; end: string }): string {
  return p.start === p.end ? p.start : `${p.start} – ${p.end}`;
}

function comparisonLine(c: ComparisonAnswer, locale: string): string {
  const w = wordsFor(ANSWER_WORDS, locale);
  const emoji = c.unevenCoverage ? VERDICT_EMOJI.unchanged : VERDICT_EMOJI[c.verdict];
  const word = c.unevenCoverage ? w.notJudged : w.verdictLong[c.verdict];
  const change =
    c.change === null || c.verdict === 'unchanged'
      ? ''
      : `*${escapeMrkdwn(c.changeFormatted)}* (${escapeMrkdwn(c.changePctFormatted)}) `;
  return `${emoji} ${change}${w.vs} ${escapeMrkdwn(w.against(c.against))} — ${word}\n      ${escapeMrkdwn(labelWithDates(c.period, locale))}: ${escapeMrkdwn(c.formatted)}${[
    c.note,
    c.unevenCoverage,
  ]
    .filter(Boolean)
    .map((t) => `\n      _${escapeMrkdwn(t ?? '')}_`)
    .join('')}`;
}

function sparkLine(a: KpiAnswer, locale: string): string | undefined {
  const history = a.history ?? [];
  if (history.length < 2 || history.every((h) => h.value === null)) return undefined;
  const last = wordsFor(ANSWER_WORDS, locale).lastPeriods(history.length, a.period.grain);
  return `\`${sparkline(history.map((h) => h.value))}\`  ${last}`;
}

function byValue(a: GroupAnswer, b: GroupAnswer): number {
  return (b.value ?? Number.NEGATIVE_INFINITY) - (a.value ?? Number.NEGATIVE_INFINITY);
}

function trendMark(g: GroupAnswer, w: AnswerWords): string {
  const c = g.comparison;
  if (!c) return '';
  const arrow =
    c.change === null
      ? ' '
      : c.verdict === 'unchanged' || c.change === 0
        ? '='
        : c.change > 0
          ? '▲'
          : '▼';
  return `${arrow} ${c.verdict === 'unknown' ? w.noDataBefore : (w.verdictLong[c.verdict].split(' ')[0] ?? '')}`;
}

/** The breakdown as a monospace table of the top groups by value, then "and N more". */
export function breakdownText(
  breakdown: NonNullable<KpiAnswer['breakdown']>,
  locale: string,
): string {
  const w = wordsFor(ANSWER_WORDS, locale);
  const groups = [...breakdown.groups].sort(byValue);
  const title = `*${escapeMrkdwn(w.by(breakdown.dimension))}*`;
  if (groups.length === 0) return `${title}\n_${w.noGroups(breakdown.dimension)}_`;
  const shown = groups.slice(0, BREAKDOWN_ROWS);
  const cells = shown.map((g) => [
    truncate(g.key || w.none, KEY_WIDTH),
    g.formatted,
    [trendMark(g, w), g.benchmark && g.benchmark.status !== 'meets' ? `⚠ ${g.benchmark.short}` : '']
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
  const more = (n: number) => `\n_${w.moreGroups(n, breakdown.dimension)}_`;
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

function missingText(a: KpiAnswer, locale: string): string | undefined {
  if (a.missingMeasures.length === 0) return undefined;
  const measures = a.missingMeasures.map(code).join(', ');
  const period = escapeMrkdwn(labelWithDates(a.period, locale));
  return `:information_source: ${wordsFor(ANSWER_WORDS, locale).missingInPeriod(measures, a.missingMeasures.length, period)}`;
}

function filterText(
  filters: AskResult['filters'],
  readings: AskResult['channelReadings'],
  w: AnswerWords,
): string | undefined {
  const parts = Object.entries(filters)
    .filter(([, values]) => values && values.length > 0)
    .map(([dim, values]) => `${dim} = ${(values ?? []).join(', ')}`);
  if (parts.length === 0) return undefined;
  const read = (readings ?? []).map((r) => w.reads(code(r.written), code(r.channel))).join(', ');
  return `${w.filtered(escapeMrkdwn(parts.join('; ')))}${read ? ` (${read})` : ''}`;
}

/** The blocks for one KPI of an answer. */
export function answerBlocks(
  a: KpiAnswer,
  filters: AskResult['filters'],
  locale: string,
  readings?: AskResult['channelReadings'],
): KnownBlock[] {
  const w = wordsFor(ANSWER_WORDS, locale);
  const blocks: KnownBlock[] = [
    header(`${localName(a.kpi.name, locale)} — ${localLabel(a.period.label, locale)}`),
  ];
  const blended = a.blended ? `  _${escapeMrkdwn(w.blendedOver(a.kpi.formula))}_` : '';
  const lines = [`*${escapeMrkdwn(a.formatted)}*${blended}`];
  const spark = sparkLine(a, locale);
  if (spark) lines.push(spark);
  if (a.comparison) lines.push(comparisonLine(a.comparison, locale));
  if (a.benchmark) {
    lines.push(
      `${BENCHMARK_EMOJI[a.benchmark.status] ?? ':white_circle:'} ${escapeMrkdwn(a.benchmark.text)}`,
    );
  }
  blocks.push(section(lines.join('\n')));
  if (a.breakdown) blocks.push(section(breakdownText(a.breakdown, locale)));
  const missing = missingText(a, locale);
  if (missing) blocks.push(section(missing));
  const tier = `${a.kpi.tier === 'business' ? ':dart:' : ':bar_chart:'} ${w.tierTitle(a.kpi.tier)}`;
  const facts = [
    tier,
    dates(a.period),
    code(a.kpi.formula),
    filterText(filters, readings, w),
  ].filter(Boolean);
  blocks.push(
    context(
      facts.join('  ·  '),
      ...(a.period.partial
        ? [w.inProgress(a.period.partial.elapsedDays, a.period.partial.totalDays)]
        : []),
      ...(a.coverageNote ? [`:hourglass_flowing_sand: ${escapeMrkdwn(a.coverageNote)}`] : []),
    ),
  );
  return blocks;
}

/** One line per KPI with the numbers, for notifications and screen readers. */
export function answerFallback(result: AskResult, locale: string): string {
  const w = wordsFor(ANSWER_WORDS, locale);
  const lines = result.answers.map((a) => {
    let line = `${localName(a.kpi.name, locale)}, ${localLabel(a.period.label, locale)}: ${a.formatted}`;
    const c = a.comparison;
    if (c) {
      const against = w.against(c.against);
      const word = w.verdictLong[c.verdict];
      line +=
        c.change === null || c.verdict === 'unchanged'
          ? ` (${w.vs} ${against}: ${c.formatted}, ${word})`
          : ` (${c.changeFormatted}, ${c.changePctFormatted} ${w.vs} ${against}: ${word})`;
    }
    if (a.benchmark) line += `. ${a.benchmark.text}`;
    if (a.missingMeasures.length > 0) {
      const missing = w.noDataFor(a.missingMeasures);
      line += `. ${missing.charAt(0).toUpperCase()}${missing.slice(1)}`;
    }
    return line;
  });
  return fallbackText(lines.join('\n'), FALLBACK_TEXT_MAX);
}
