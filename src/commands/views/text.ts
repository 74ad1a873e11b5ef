// Terminal rendering of command outcomes: the same content the Slack reply shows, as plain text.
import { localName } from '../../kpi/names.ts';
import { labelWithDates } from '../../kpi/periods.ts';
import { ANSWER_WORDS } from '../../messages/answer.ts';
import { CATALOG_WORDS } from '../../messages/catalog.ts';
import { ERROR_WORDS } from '../../messages/errors.ts';
import { wordsFor } from '../../messages/lang.ts';
import { STATUS_WORDS, type StatusWords } from '../../messages/status.ts';
import type { KpiAnswer } from '../../query/answer.ts';
import type { CatalogEntry, StatusOutcome } from '../../query/outcome.ts';
import { sparkline } from '../../reply/sparkline.ts';
import { renderSummaryText } from '../../reports/summary.ts';
import type { CommandOutcome } from '../outcome.ts';

function table(rows: string[][], indent = '    '): string[] {
  const widths =
    rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length))) ?? [];
  return rows.map(
    (r) =>
      indent +
      r
        .map((cell, col) => cell.padEnd(widths[col] ?? 0))
        .join('  ')
        .trimEnd(),
  );
}

export function answerText(a: KpiAnswer, locale = 'en'): string {
  const w = wordsFor(ANSWER_WORDS, locale);
  const period = (p: KpiAnswer['period']) => labelWithDates(p, locale);
  const lines = [`${localName(a.kpi.name, locale)} (${a.kpi.id}) — ${period(a.period)}`];
  const spark = a.history ? `   ${sparkline(a.history.map((h) => h.value))}` : '';
  const blended = a.blended ? ` ${w.blendedOver(a.kpi.formula)}` : '';
  lines.push(`  ${a.formatted}${blended}${spark}   ${w.tier(a.kpi.tier)}`);
  if (a.comparison) {
    const c = a.comparison;
    const verdict = w.verdict[c.verdict] ? `, ${w.verdict[c.verdict]}` : '';
    // A change that rounds to zero is the one word ("unchanged"), no percent or verdict beside it.
    const change =
      c.verdict === 'unchanged'
        ? c.changeFormatted
        : `${c.changeFormatted} (${c.changePctFormatted})${verdict}`;
    lines.push(
      `  ${w.vs} ${w.againstShort(c.against)} (${period(c.period)}): ${c.formatted} → ${change}`,
    );
    if (c.note) lines.push(`  ${c.note}`);
    if (c.unevenCoverage) lines.push(`  ${c.unevenCoverage}`);
  }
  if (a.annualised) lines.push(`  ${w.annualised(a.annualised.formatted)}`);
  if (a.benchmark) lines.push(`  ${a.benchmark.text}`);
  if (a.breakdown) {
    lines.push(`  ${w.by(a.breakdown.dimension).toLowerCase()}:`);
    lines.push(
      ...table(
        a.breakdown.groups.map((g) => [
          g.key || w.none,
          g.formatted,
          ...(g.comparison ? [w.verdict[g.comparison.verdict]] : []),
          g.benchmark?.short ?? '',
        ]),
      ),
    );
  }
  if (a.missingMeasures.length > 0) lines.push(`  ${w.missingInPeriodText(a.missingMeasures)}`);
  if (a.coverageNote) lines.push(`  ${w.note}: ${a.coverageNote}`);
  return lines.join('\n');
}

function catalogLines(entries: CatalogEntry[], locale: string): string[] {
  return table(
    entries.map((k) => [k.id, localName(k.name, locale), `= ${k.formula}`]),
    '  ',
  );
}

function sourceLines(sources: StatusOutcome['sources'], w: StatusWords): string[] {
  if (sources.length === 0) return [];
  const c = w.sqlColumns;
  return [
    `${w.sqlSources}:`,
    ...table(
      [
        [w.columns.source, c.lastRun, c.window, c.rows, c.result],
        ...sources.map((s) => [
          s.name,
          s.lastRunAt.slice(0, 16).replace('T', ' '),
          `${s.window.start} – ${s.window.end}`,
          s.error !== undefined ? '-' : String(s.rows ?? 0),
          s.error !== undefined ? w.failedWith(s.error) : s.rows === 0 ? w.noRows : w.ok,
        ]),
      ],
      '  ',
    ),
  ];
}

/** Each source's cadence (learned or configured) and whether it is late. */
function arrivalLines(arrivals: StatusOutcome['arrivals'], w: StatusWords): string[] {
  if (!arrivals || arrivals.length === 0) return [];
  const c = w.arrivalColumns;
  return [
    `${w.arrivals}:`,
    ...table(
      [
        [c.source, c.cadence, c.newest, ''],
        ...arrivals.map((a) => [
          a.source,
          a.cadence === null ? w.irregular : w.cadence(a.cadence, a.by, a.learned),
          a.lastDay ?? '-',
          a.late ? w.late : '',
        ]),
      ],
      '  ',
    ),
  ];
}

function statusText(outcome: StatusOutcome, locale: string): string {
  const w = wordsFor(STATUS_WORDS, locale);
  const warnings = outcome.warnings.map((warning) => `  ! ${warning}`);
  if (outcome.rows.length === 0) {
    return [
      w.noDataText,
      ...warnings,
      ...sourceLines(outcome.sources, w),
      ...arrivalLines(outcome.arrivals, w),
    ].join('\n');
  }
  const c = w.columns;
  return [
    w.titleToday(outcome.today),
    ...warnings,
    ...table(
      [
        [c.measure, c.source, c.lastDay, c.written, ''],
        ...outcome.rows.map((r) => [
          r.measure,
          r.source,
          r.lastDay,
          r.lastWrittenAt.slice(0, 16).replace('T', ' '),
          r.stale ? w.staleDays(r.daysBehind) : '',
        ]),
      ],
      '  ',
    ),
    ...sourceLines(outcome.sources, w),
    ...arrivalLines(outcome.arrivals, w),
  ].join('\n');
}

/** The outcome as terminal text; KPI names in the locale's language, like the Slack reply. */
export function renderText(outcome: CommandOutcome, locale = 'en'): string {
  switch (outcome.kind) {
    case 'answer': {
      const w = wordsFor(ANSWER_WORDS, locale);
      const readings = (outcome.result.channelReadings ?? []).map((r) =>
        w.channelReads(r.written, r.channel),
      );
      const answers = outcome.result.answers.map((a) => answerText(a, locale));
      const body = [...(readings.length > 0 ? [`(${readings.join('; ')})`] : []), ...answers].join(
        '\n\n',
      );
      return outcome.reading ? `${w.readAs}: ${outcome.reading}\n\n${body}` : body;
    }
    case 'help': {
      const w = wordsFor(CATALOG_WORDS, locale);
      return [
        w.askLine(
          '/kpi <kpi>[,<kpi>…] [period] [vs previous|last-year|<period>] [by channel|campaign] [channel=…]',
        ),
        w.withoutPeriod(outcome.defaultPeriod),
        w.otherCommands,
        `${w.examples}:`,
        ...outcome.examples.map((e) => `  /kpi ${e}`),
      ].join('\n');
    }
    case 'list': {
      const w = wordsFor(CATALOG_WORDS, locale);
      return [
        `${w.tier.business.name} — ${w.tier.business.note}:`,
        ...catalogLines(outcome.business, locale),
        '',
        `${w.tier.context.name} — ${w.tier.context.note}:`,
        ...catalogLines(outcome.context, locale),
      ].join('\n');
    }
    case 'explain': {
      const k = outcome.kpi;
      return [
        `${k.name.en}${k.name.sv !== k.name.en ? ` / ${k.name.sv}` : ''} (${k.id}) — ${k.tier} KPI`,
        `  formula: ${k.formula}`,
        `  unit: ${k.unit}; good direction: ${k.good}`,
        ...(outcome.benchmark ? [`  benchmark: ${outcome.benchmark}`] : []),
        ...(outcome.example ? [`  example: ${outcome.example}`] : []),
        '  measures:',
        ...outcome.measures.map(
          (m) =>
            `    ${m.id} (${m.kind}): ${m.aggregation}; last day with data: ${m.lastDay ?? 'none'}`,
        ),
        ...outcome.conventions.map((c) => `  ${c}`),
      ].join('\n');
    }
    case 'status':
      return statusText(outcome, locale);
    case 'message':
      return [outcome.title, ...outcome.lines.map((l) => `  ${l}`)].join('\n');
    case 'summary':
      return renderSummaryText(outcome.summary);
    case 'error': {
      const w = wordsFor(ERROR_WORDS, locale);
      return [
        outcome.message,
        ...(outcome.suggestions?.length ? [w.didYouMeanLine(outcome.suggestions.join(', '))] : []),
        ...(outcome.retry ? [w.runIt(outcome.retry)] : []),
        ...(outcome.examples?.length
          ? [`${w.tryHeading}:`, ...outcome.examples.map((e) => `  ${e}`)]
          : []),
      ].join('\n');
    }
  }
}
