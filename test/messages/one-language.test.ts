// One language per message (issue 10 §4): under sv-SE every word of a weekly summary (terminal
// text, the Slack message and its thread reply, goals included) and of KPI answers (terminal and
// Slack: comparisons, benchmarks, breakdowns, missing data, a period in progress) is Swedish,
// checked against a list of English words on a real store with the demo data. Under en-US the
// same messages do use those words, so the list can catch what it is meant to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/registry.ts';
import { renderForSlack } from '../../src/commands/views/slack.ts';
import { renderText } from '../../src/commands/views/text.ts';
import { loadConfig } from '../../src/config.ts';
import { generateDemoFacts } from '../../src/demo/generate.ts';
import { buildCatalog } from '../../src/kpi/catalog.ts';
import type { FactInput } from '../../src/kpi/types.ts';
import { createLogger } from '../../src/logger.ts';
import { buildSummaryReport } from '../../src/reports/build.ts';
import type { GoalConfig } from '../../src/reports/goal.ts';
import {
  renderBreakdownBlocks,
  renderSummaryBlocks,
  renderSummaryText,
} from '../../src/reports/summary.ts';
import { createServices, type Services } from '../../src/services.ts';
import type { Db } from '../../src/store/db.ts';
import { englishIn, messageText } from '../helpers/english-words.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { makeDeps, seed } from '../reports/deps.ts';

// Monday 23 November 2026, 08:00 in Stockholm: last week is ISO week 47.
const NOW = new Date('2026-11-23T08:00:00+01:00');
// Two days without sessions: the footer lists missing days, answers note the gap.
const GAP = ['2026-11-18', '2026-11-19'];
const facts: FactInput[] = generateDemoFacts({ end: '2026-11-22' }).filter(
  (f) => !(f.measure === 'sessions' && GAP.includes(f.day)),
);

/**
 * What the data and the catalog name (not words kpibot writes): channels, campaigns, measures,
 * KPI ids, the source.
 */
const DATA = [
  ...new Set(facts.flatMap((f) => [f.channel ?? '', f.campaign ?? '', f.measure])),
  ...catalogIds(),
  'demo',
  'Europe/Stockholm',
].filter(Boolean);

const GOALS: GoalConfig[] = [
  { id: 'revenue-month', kpi: 'revenue', targetText: '4000000 kr', per: 'month' },
  { id: 'roas-floor', kpi: 'roas', comparator: '>=', targetText: '12x' },
  { id: 'cac-cap', kpi: 'cac', comparator: '<=', targetText: '900 kr', per: 'month' },
];

const QUESTIONS = [
  'roas last-week vs previous by campaign',
  'churn_rate last-month vs last-year',
  'conversion_rate last-week vs previous by channel',
  'revenue mtd vs previous',
  'cac 2026-W47 by channel',
  'time_to_conversion last-week vs previous',
  'roas 2020-01',
  'sessions yesterday',
];

/** Questions kpibot refuses, each with a different reason. */
const REFUSED = [
  'raos last-week', // a typo: the corrected command offered
  'roas last-week channel=tiktok', // no such channel: the known ones listed
  'roas last-fortnight', // a period nothing reads
  'roas 2026-13', // no such month
  'roas 2026-W54', // no such week
  'roas 2030-01', // in the future
  'roas last-week vs', // a comparison with nothing to compare with
  'roas last-week by', // a breakdown with no dimension
  'roas last-week foo=bar', // an unknown filter
  'explain', // which KPI?
  'vad var flurp förra veckan', // a word that is no KPI
  'roas för bananas förra veckan', // a word that is no channel or campaign
];

function catalogIds(): string[] {
  const built = buildCatalog();
  if (!built.ok) throw new Error(built.errors.join('\n'));
  return built.catalog.list().map((k) => k.id);
}

let db: Db;
const services: Record<'sv' | 'en', Services | undefined> = { sv: undefined, en: undefined };

beforeAll(async () => {
  db = await createTestDb();
  await seed(db, facts, 'demo');
  for (const [lang, locale] of [
    ['sv', 'sv-SE'],
    ['en', 'en-US'],
  ] as const) {
    const config = loadConfig({ KPIBOT_LOCALE: locale, KPIBOT_CURRENCY: 'SEK' }, process.cwd());
    services[lang] = await createServices(config, createLogger('silent', 2), db);
  }
});
afterAll(async () => {
  await db.close();
});

async function summaryTexts(locale: string): Promise<string[]> {
  const deps = makeDeps(db, { now: NOW, locale, goals: GOALS });
  const report = await buildSummaryReport(deps, { breakdown: true, late: true });
  return [
    renderSummaryText(report.summary),
    messageText(renderSummaryBlocks(report.summary)),
    messageText(renderBreakdownBlocks(report.summary, report.breakdown)),
  ];
}

async function answerTexts(
  lang: 'sv' | 'en',
  question: string,
  kind: 'answer' | 'error' | 'help' | 'list' | 'status' = 'answer',
): Promise<string[]> {
  const s = services[lang];
  if (!s) throw new Error('services not built');
  const outcome = await runCommand(question, { userId: 'U1', now: NOW }, s);
  if (outcome.kind !== kind) throw new Error(`${question}: ${JSON.stringify(outcome)}`);
  const locale = lang === 'sv' ? 'sv-SE' : 'en-US';
  // Commands (offered ones, the terminal's examples, the retry button, the default period),
  // formulas and the person's own words, echoed back in quotes, are as typed: not words kpibot
  // writes in a language.
  const offered =
    outcome.kind === 'error' ? [...(outcome.suggestions ?? []), outcome.retry ?? ''] : [];
  const asTyped = (text: string) =>
    offered
      .filter(Boolean)
      .reduce((t, command) => t.replaceAll(command, ' '), text)
      .replace(/^\s*\/kpi .*$/gm, ' ')
      .replace(/\/kpi [^\n`"]*/g, ' ')
      .replace(/kpibot ask "[^"]*"/g, ' ')
      .replace(/= .*$/gm, ' ') // a formula in the terminal's catalog
      .replaceAll(s.config.defaultPeriod, ' ')
      .replace(/"[^"\n]*"/g, ' ');
  return [
    asTyped(renderText(outcome, locale)),
    asTyped(messageText(renderForSlack(outcome, { locale, withShareButton: true }))),
  ];
}

describe('under sv-SE every word kpibot writes is Swedish', () => {
  it('in the weekly summary: text, Slack message and thread, goals and footer', async () => {
    const texts = await summaryTexts('sv-SE');
    // The parts the check must reach are there: goals, the thread, the footer's missing days.
    expect(texts[0]).toContain('Veckosammanfattning — vecka 47, 2026');
    expect(texts[0]).toMatch(/i denna takt slutar intäkter månaden på/);
    expect(texts[0]).toContain('Dagar som saknas för sessions');
    expect(texts[2]).toContain('Per kanal — vecka 47, 2026');
    for (const text of texts) expect(englishIn(text, DATA), text).toEqual([]);
  });

  it.each(QUESTIONS)('in the answer to %s, in the terminal and in Slack', async (question) => {
    for (const text of await answerTexts('sv', question)) {
      expect(englishIn(text, DATA), text).toEqual([]);
    }
  });

  it.each(REFUSED)('in the refusal of %s, in the terminal and in Slack', async (question) => {
    for (const text of await answerTexts('sv', question, 'error')) {
      expect(englishIn(text, DATA), text).toEqual([]);
    }
  });

  it.each(['help', 'list', 'status'])(
    'in /kpi %s, in the terminal and in Slack',
    async (command) => {
      for (const text of await answerTexts('sv', command, command as 'help' | 'list' | 'status')) {
        expect(englishIn(text, DATA), text).toEqual([]);
      }
    },
  );
});

describe('under en-US the same messages are English', () => {
  it('the word list finds English in the English summary and answers', async () => {
    const [summary] = await summaryTexts('en-US');
    expect(summary).toContain('Weekly summary — week 47, 2026');
    expect(englishIn(summary ?? '', DATA)).toEqual(
      expect.arrayContaining(['weekly', 'summary', 'week', 'business', 'context', 'vs']),
    );
    const [answer] = await answerTexts('en', QUESTIONS[0] ?? '');
    expect(englishIn(answer ?? '', DATA)).toEqual(
      expect.arrayContaining(['meets', 'floor', 'campaigns', 'below', 'previous']),
    );
  });
});
