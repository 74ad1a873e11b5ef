// Block Kit for the replies that are not answers: help, the catalog by tier, explain, data
// freshness (status), short messages from managing commands, and the "that did not work, try
// this" reply for something we could not understand.

import type { KnownBlock } from '@slack/types';
import { localName } from '../../kpi/names.ts';
import { ANSWER_WORDS } from '../../messages/answer.ts';
import { CATALOG_WORDS } from '../../messages/catalog.ts';
import { ERROR_WORDS, type ErrorWords } from '../../messages/errors.ts';
import { wordsFor } from '../../messages/lang.ts';
import { STATUS_WORDS, type StatusWords } from '../../messages/status.ts';
import type { MessageOutcome } from '../../reply/command.ts';
import { chunkLines, FALLBACK_TEXT_MAX, LIMITS, length, truncate } from '../../reply/limits.ts';
import {
  asCommand,
  code,
  codeBlockText,
  context,
  escapeMrkdwn,
  fallbackText,
  header,
  section,
} from '../../reply/mrkdwn.ts';
import type { CatalogEntry, ExplainOutcome, QueryOutcome, StatusOutcome } from '../outcome.ts';

type Outcome<K extends QueryOutcome['kind']> = Extract<QueryOutcome, { kind: K }>;

export interface Rendered {
  text: string;
  blocks: KnownBlock[];
}

export const USAGE =
  '/kpi <kpi>[,<kpi>…] [period] [vs previous|last-year|<period>] [by channel|campaign] [channel=…] [campaign=…]';

function bullets(items: readonly string[]): string {
  return items.map((i) => `• ${i}`).join('\n');
}

export function helpView(o: Outcome<'help'>, locale: string): Rendered {
  const w = wordsFor(CATALOG_WORDS, locale);
  return {
    text: fallbackText(w.helpFallback(USAGE, o.defaultPeriod), FALLBACK_TEXT_MAX),
    blocks: [
      header(w.helpTitle),
      section(`*${w.askHeading}*\n${code(USAGE)}\n${w.withoutPeriod(code(o.defaultPeriod))}`),
      section(`*${w.examples}*\n${bullets(o.examples.map((e) => code(asCommand(e))))}`),
      section(
        `*${w.more}*\n${bullets([
          `${code('/kpi list')} — ${w.listLine}`,
          `${code('/kpi explain roas')} — ${w.explainLine}`,
          `${code('/kpi status')} — ${w.statusLine}`,
          `${code('/kpi help')} — ${w.helpLine}`,
        ])}`,
      ),
      context(w.onlyYou(wordsFor(ANSWER_WORDS, locale).postToChannel)),
    ],
  };
}

function catalogLines(entries: readonly CatalogEntry[], locale: string): string[] {
  return entries.map(
    (k) => `• ${code(k.id)} ${escapeMrkdwn(localName(k.name, locale))} — ${code(k.formula)}`,
  );
}

function tierBlocks(
  title: string,
  entries: readonly CatalogEntry[],
  none: string,
  locale: string,
): KnownBlock[] {
  if (entries.length === 0) return [section(`${title}\n_${none}_`)];
  const chunks = chunkLines([title, ...catalogLines(entries, locale)], LIMITS.sectionText);
  return chunks.map((chunk) => section(chunk));
}

export function listView(o: Outcome<'list'>, locale: string): Rendered {
  const w = wordsFor(CATALOG_WORDS, locale);
  const heading = (t: 'business' | 'context') => `*${w.tier[t].name}* — ${w.tier[t].note}`;
  const blocks = [
    header(w.listTitle),
    ...tierBlocks(heading('business'), o.business, w.none, locale),
    ...tierBlocks(heading('context'), o.context, w.none, locale),
    context(w.explainHint(code('/kpi explain <kpi>'))),
  ];
  const text = w.listFallback(
    o.business.map((k) => k.id).join(', '),
    o.context.map((k) => k.id).join(', '),
  );
  return { text: fallbackText(text, FALLBACK_TEXT_MAX), blocks };
}

const GOOD_WORDS: Record<string, string> = {
  up: 'higher is better',
  down: 'lower is better',
  neutral: 'neither higher nor lower is better by itself',
};

export function explainView(o: ExplainOutcome): Rendered {
  const k = o.kpi;
  const fields = [
    `*Formula*\n${code(k.formula)}`,
    `*Unit*\n${escapeMrkdwn(k.unit)}`,
    `*Good direction*\n${GOOD_WORDS[k.good] ?? escapeMrkdwn(k.good)}`,
    `*Tier*\n${k.tier === 'business' ? 'business KPI' : 'context metric'}`,
    ...(o.benchmark ? [`*Benchmark*\n${escapeMrkdwn(o.benchmark)}`] : []),
    ...(k.aliases.length > 0 ? [`*Also called*\n${k.aliases.map(code).join(', ')}`] : []),
  ];
  const measures = o.measures.map(
    (m) =>
      `• ${code(m.id)} (${escapeMrkdwn(m.kind)}): ${escapeMrkdwn(m.aggregation)}; ${
        m.lastDay ? `data until ${m.lastDay}` : ':warning: no data yet'
      }`,
  );
  const blocks: KnownBlock[] = [
    header(`${k.name.en} / ${k.name.sv} (${k.id})`),
    ...(k.description ? [section(escapeMrkdwn(k.description))] : []),
    {
      type: 'section',
      fields: fields.slice(0, LIMITS.fields).map((text) => ({ type: 'mrkdwn' as const, text })),
    },
    ...chunkLines(['*Measures*', ...measures], LIMITS.sectionText).map((chunk) => section(chunk)),
    ...(o.example ? [section(`*Example*\n${escapeMrkdwn(o.example)}`)] : []),
    ...(o.conventions.length > 0 ? [context(...o.conventions.map(escapeMrkdwn))] : []),
  ];
  const text = `${k.name.en} (${k.id}) = ${k.formula}; unit ${k.unit}; ${GOOD_WORDS[k.good] ?? k.good}; ${k.tier} KPI${
    o.benchmark ? `; benchmark: ${o.benchmark}` : ''
  }`;
  return { text: fallbackText(text, FALLBACK_TEXT_MAX), blocks };
}

/** `action_id` of the button that runs an error's corrected command; the Slack listener registers for it. */
export const RUN_RETRY_ACTION = 'run_retry';

/** The button running `command` as `/kpi` would, or none when it would not fit a button value. */
function retryButton(command: string, w: ErrorWords): KnownBlock[] {
  if (length(command) > LIMITS.buttonValue) return [];
  return [
    {
      type: 'actions',
      block_id: 'kpi_retry',
      elements: [
        {
          type: 'button',
          action_id: RUN_RETRY_ACTION,
          style: 'primary',
          text: { type: 'plain_text', text: truncate(w.runButton(command), 75), emoji: false },
          value: command,
        },
      ],
    },
  ];
}

export function errorView(o: Outcome<'error'>, locale: string): Rendered {
  const w = wordsFor(ERROR_WORDS, locale);
  const blocks: KnownBlock[] = [section(`:warning: ${escapeMrkdwn(o.message)}`)];
  if (o.suggestions && o.suggestions.length > 0) {
    blocks.push(section(w.didYouMean(o.suggestions.map(code).join(` ${w.or} `)).trim()));
  }
  if (o.retry) blocks.push(...retryButton(o.retry, w));
  if (o.examples && o.examples.length > 0) {
    blocks.push(
      section(`*${w.tryHeading}*\n${bullets(o.examples.map((e) => code(asCommand(e))))}`),
    );
  }
  blocks.push(context(w.helpHint(code('/kpi help'))));
  const text = [
    o.message,
    o.suggestions?.length ? w.didYouMean(o.suggestions.join(` ${w.or} `)).trim() : '',
  ]
    .filter(Boolean)
    .join(' ');
  return { text: fallbackText(text, FALLBACK_TEXT_MAX), blocks };
}

// ---------------------------------------------------------------------------------------------
// /kpi status: how fresh the data is, per measure and source

type StatusRow = StatusOutcome['rows'][number];

/** `2026-11-18T07:05:09.123Z` → `2026-11-18 07:05` (UTC); anything else as it came. */
function writtenAt(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace('T', ' ');
}

function behindText(r: StatusRow, w: StatusWords): string {
  return r.daysBehind <= 0 ? w.upToDate : w.behind(r.daysBehind);
}

/** Lines of a monospace table, columns padded to the widest cell. */
function padTable(rows: readonly string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, length(cell));
    });
  return rows.map((row) =>
    row
      .map((cell, i) =>
        i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - length(cell)),
      )
      .join('  ')
      .trimEnd(),
  );
}

/** Sections holding the table in code blocks, each within the section limit, head row repeated. */
function tableSections(head: string, lines: readonly string[]): KnownBlock[] {
  const fence = '```';
  // Room for the fences, the newlines around them and the repeated head row.
  const room = LIMITS.sectionText - (2 * fence.length + 3 + length(head));
  return chunkLines(lines, room).map((chunk) => section(`${fence}\n${head}\n${chunk}\n${fence}`));
}

const STALE_MARK = '⚠';

/** Each SQL source's last sync as a table, then each failed source's error. */
function sourceBlocks(sources: StatusOutcome['sources'], w: StatusWords): KnownBlock[] {
  if (sources.length === 0) return [];
  const c = w.sqlColumns;
  const [head = '', ...lines] = padTable([
    ['', c.source, `${c.lastRun} (UTC)`, c.window, c.rows, c.result],
    ...sources.map((s) => [
      s.error !== undefined ? STALE_MARK : ' ',
      s.name,
      writtenAt(s.lastRunAt),
      `${s.window.start} – ${s.window.end}`,
      s.error !== undefined ? '–' : String(s.rows ?? 0),
      s.error !== undefined ? w.failed : s.rows === 0 ? w.noRows : w.ok,
    ]),
  ]).map(codeBlockText);
  const errors = sources
    .filter((s) => s.error !== undefined)
    .map((s) => {
      const since = s.lastSuccessAt ? w.lastGoodSync(writtenAt(s.lastSuccessAt)) : w.neverSynced;
      return `:x: *${escapeMrkdwn(s.name)}* (${since}): ${escapeMrkdwn(s.error ?? '')}`;
    });
  return [
    ...tableSections(head, lines),
    ...chunkLines(errors, LIMITS.sectionText).map((c) => section(c)),
  ];
}

/** Each source's cadence (learned or configured), newest day, and whether it is late. */
function arrivalLines(arrivals: NonNullable<StatusOutcome['arrivals']>, w: StatusWords): string {
  const lines = arrivals.map((a) => {
    const cadence = a.cadence === null ? w.noRegularCadence : w.cadence(a.cadence, a.by, a.learned);
    const newest = a.lastDay ? `, ${w.newest(a.lastDay)}` : '';
    return `• ${code(a.source)}: ${cadence}${newest}${a.late ? ` — *${w.late}*` : ''}`;
  });
  return [`*${w.arrivals}*`, ...lines].join('\n');
}

export function statusView(o: StatusOutcome, locale: string): Rendered {
  const w = wordsFor(STATUS_WORDS, locale);
  const blocks: KnownBlock[] = [header(w.title)];
  const warnings = o.warnings.map((w) => `:warning: ${escapeMrkdwn(w)}`);
  if (warnings.length > 0)
    blocks.push(...chunkLines(warnings, LIMITS.sectionText).map((c) => section(c)));

  if (o.rows.length === 0) {
    blocks.push(section(w.noDataSlack(code('/kpi status'))));
    blocks.push(...sourceBlocks(o.sources, w));
    blocks.push(context(w.today(escapeMrkdwn(o.today))));
    const text = w.noDataFallback(o.today);
    return {
      text: fallbackText([...o.warnings, text].join(' '), FALLBACK_TEXT_MAX),
      blocks,
    };
  }

  const stale = o.rows.filter((r) => r.stale);
  const staleNames = stale.map((r) => `${code(r.measure)} (${escapeMrkdwn(r.source)})`);
  blocks.push(
    section(
      stale.length > 0
        ? `:warning: ${w.staleSummary(stale.length, o.rows.length, staleNames.join(', '))}`
        : `:white_check_mark: ${w.allArriving(o.rows.length)}`,
    ),
  );
  const [head = '', ...lines] = padTable([
    [
      '',
      w.columns.measure,
      w.columns.source,
      w.columns.lastDay,
      `${w.columns.written} (UTC)`,
      w.columns.behind,
    ],
    ...o.rows.map((r) => [
      r.stale ? STALE_MARK : ' ',
      r.measure,
      r.source,
      r.lastDay,
      writtenAt(r.lastWrittenAt),
      behindText(r, w),
    ]),
  ]).map(codeBlockText);
  blocks.push(...tableSections(head, lines));
  blocks.push(...sourceBlocks(o.sources, w));
  if (o.arrivals && o.arrivals.length > 0) blocks.push(section(arrivalLines(o.arrivals, w)));
  blocks.push(
    context(
      [
        w.today(escapeMrkdwn(o.today)),
        ...(stale.length > 0 ? [w.staleLegend(STALE_MARK)] : []),
        w.explainHint(code('/kpi explain <kpi>')),
      ].join('  ·  '),
    ),
  );

  const staleText = stale.map((r) => w.staleRow(r.measure, r.source, r.lastDay, behindText(r, w)));
  const text = [
    ...o.warnings,
    stale.length > 0
      ? w.staleFallback(stale.length, o.rows.length, staleText.join('; '))
      : w.allArriving(o.rows.length),
  ].join(' ');
  return { text: fallbackText(text, FALLBACK_TEXT_MAX), blocks };
}

// ---------------------------------------------------------------------------------------------
// Short replies from managing commands (alert rules, goals, subscriptions)

const TONE_EMOJI: Record<MessageOutcome['tone'], string> = {
  ok: ':white_check_mark:',
  info: ':information_source:',
  refused: ':no_entry:',
};

/** `lines` arrive mrkdwn-safe (the producer escaped what came from people); the title is plain text. */
export function messageView(o: MessageOutcome): Rendered {
  const first = `${TONE_EMOJI[o.tone]} *${escapeMrkdwn(o.title)}*`;
  const blocks = chunkLines([first, ...o.lines], LIMITS.sectionText).map((c) => section(c));
  const text = [escapeMrkdwn(o.title), ...o.lines].join('\n');
  return { text: truncate(text, FALLBACK_TEXT_MAX), blocks };
}
