// Block Kit for the replies that are not answers: help, the catalog by tier, explain, and the
// "that did not work, try this" reply for something we could not understand.
import type { KnownBlock } from '@slack/types';
import type { CatalogEntry, CommandOutcome, ExplainOutcome } from '../outcome.ts';
import { chunkLines, LIMITS } from './limits.ts';
import { asCommand, code, context, escapeMrkdwn, header, section } from './mrkdwn.ts';

type Outcome<K extends CommandOutcome['kind']> = Extract<CommandOutcome, { kind: K }>;

export interface Rendered {
  text: string;
  blocks: KnownBlock[];
}

export const USAGE =
  '/kpi <kpi>[,<kpi>…] [period] [vs previous|last-year|<period>] [by channel|campaign] [channel=…] [campaign=…]';

function bullets(items: readonly string[]): string {
  return items.map((i) => `• ${i}`).join('\n');
}

export function helpView(o: Outcome<'help'>): Rendered {
  return {
    text: escapeMrkdwn(
      `Ask for a KPI: ${USAGE}. Without a period: ${o.defaultPeriod}. Also: /kpi list, /kpi explain <kpi>.`,
    ),
    blocks: [
      header('kpibot — KPIs in Slack'),
      section(
        `*Ask for a KPI*\n${code(USAGE)}\nWithout a period you get ${code(o.defaultPeriod)}.`,
      ),
      section(`*Examples*\n${bullets(o.examples.map((e) => code(asCommand(e))))}`),
      section(
        `*More*\n${bullets([
          `${code('/kpi list')} — every KPI, the business KPIs first`,
          `${code('/kpi explain roas')} — formula, measures, benchmark and how fresh the data is`,
          `${code('/kpi help')} — this message`,
        ])}`,
      ),
      context('Answers are shown only to you; press *Post to channel* to share one.'),
    ],
  };
}

function catalogLines(entries: readonly CatalogEntry[]): string[] {
  return entries.map((k) => `• ${code(k.id)} ${escapeMrkdwn(k.name.en)} — ${code(k.formula)}`);
}

function tierBlocks(title: string, entries: readonly CatalogEntry[]): KnownBlock[] {
  if (entries.length === 0) return [section(`${title}\n_none_`)];
  const chunks = chunkLines([title, ...catalogLines(entries)], LIMITS.sectionText);
  return chunks.map((chunk) => section(chunk));
}

export function listView(o: Outcome<'list'>): Rendered {
  const blocks = [
    header('KPI catalog'),
    ...tierBlocks('*Business KPIs* — tied to goals; they lead every report', o.business),
    ...tierBlocks('*Context metrics* — shown below the business KPIs', o.context),
    context(`${code('/kpi explain <kpi>')} shows a KPI's formula, measures and benchmark.`),
  ];
  const text = `Business KPIs: ${o.business.map((k) => k.id).join(', ')}. Context metrics: ${o.context.map((k) => k.id).join(', ')}.`;
  return { text: escapeMrkdwn(text), blocks };
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
  return { text: escapeMrkdwn(text), blocks };
}

export function errorView(o: Outcome<'error'>): Rendered {
  const blocks: KnownBlock[] = [section(`:warning: ${escapeMrkdwn(o.message)}`)];
  if (o.suggestions && o.suggestions.length > 0) {
    blocks.push(section(`Did you mean ${o.suggestions.map(code).join(' or ')}?`));
  }
  if (o.examples && o.examples.length > 0) {
    blocks.push(section(`*Try*\n${bullets(o.examples.map((e) => code(asCommand(e))))}`));
  }
  blocks.push(context(`${code('/kpi help')} shows everything you can ask.`));
  const text = [
    o.message,
    o.suggestions?.length ? `Did you mean ${o.suggestions.join(' or ')}?` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return { text: escapeMrkdwn(text), blocks };
}
