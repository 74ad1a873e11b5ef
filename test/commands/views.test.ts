// Slack views from handmade outcomes: content, Block Kit limits, fallback text, sparkline.
import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { CommandOutcome } from '../../src/commands/outcome.ts';
import {
  decodeShareValue,
  encodeShareValue,
  POST_TO_CHANNEL_ACTION,
  RUN_RETRY_ACTION,
  renderForSlack,
} from '../../src/commands/views/slack.ts';
import { renderText } from '../../src/commands/views/text.ts';
import type { GroupAnswer, KpiAnswer } from '../../src/query/answer.ts';
import type { CatalogEntry } from '../../src/query/outcome.ts';
import {
  blockKitViolations,
  capBlocks,
  chunkLines,
  LIMITS,
  length,
  truncate,
} from '../../src/reply/limits.ts';
import { codeBlockText, escapeMrkdwn, fallbackText } from '../../src/reply/mrkdwn.ts';
import { SPARK_GAP, sparkline } from '../../src/reply/sparkline.ts';

const period = (label: string, start: string, end: string) => ({
  phrase: 'last-week',
  label,
  start,
  end,
  grain: 'week' as const,
});

function roasAnswer(overrides: Partial<KpiAnswer> = {}): KpiAnswer {
  return {
    kpi: {
      id: 'roas',
      name: { sv: 'Avkastning på annonsutgifter', en: 'Return on ad spend' },
      formula: 'revenue / ad_spend',
      unit: 'multiple',
      good: 'up',
      tier: 'business',
    },
    period: period('week 46 2026', '2026-11-09', '2026-11-15'),
    value: 3,
    formatted: '3,00×',
    missingMeasures: [],
    history: [1, 2, 3, null, 2.5, 2.8, 2.3, 3].map((value, i) => ({
      period: {
        start: `2026-09-${String(i + 10).padStart(2, '0')}`,
        end: `2026-09-${String(i + 16).padStart(2, '0')}`,
      },
      value,
    })),
    ...overrides,
  };
}

function answerOutcome(answers: KpiAnswer[], query = 'roas last-week'): CommandOutcome {
  return {
    kind: 'answer',
    result: { question: query, filters: {}, answers },
    query,
    now: '2026-11-18T09:00:00.000Z',
  };
}

const opts = { locale: 'en-US', withShareButton: true };

function allText(blocks: readonly KnownBlock[]): string {
  return JSON.stringify(blocks);
}

function groups(n: number): GroupAnswer[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `campaign-${String(i).padStart(3, '0')}-${'x'.repeat(i % 40)}`,
    value: n - i,
    formatted: `${n - i},00×`,
    comparison: {
      value: 1,
      change: i % 2 === 0 ? 1 : -1,
      changePct: 0.1,
      verdict: i % 2 === 0 ? 'better' : 'worse',
    },
  })) as GroupAnswer[];
}

describe('sparkline', () => {
  it.each([
    // rising values use the full range of blocks
    [[1, 2, 3, 4, 5, 6, 7, 8], '▁▂▃▄▅▆▇█'],
    // a missing period is a visible gap, never a low bar
    [[1, null, 8], `▁${SPARK_GAP}█`],
    // all equal: a flat line in the middle
    [[5, 5, 5], '▄▄▄'],
    // nothing at all: only gaps
    [[null, null], `${SPARK_GAP}${SPARK_GAP}`],
    // negative values scale too
    [[-2, 0, 2], '▁▅█'],
    [[], ''],
  ] as Array<[Array<number | null>, string]>)('%j → %s', (values, expected) => {
    expect(sparkline(values)).toBe(expected);
  });

  it('treats NaN and Infinity as gaps', () => {
    expect(sparkline([1, Number.NaN, Number.POSITIVE_INFINITY, 2])).toBe(
      `▁${SPARK_GAP}${SPARK_GAP}█`,
    );
  });
});

describe('limits helpers', () => {
  it('truncate cuts by characters (emoji count once) and marks the cut', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 3)).toBe('abc');
    expect(length(truncate('😀'.repeat(200), 150))).toBe(150);
  });

  it('chunkLines keeps every chunk within the limit', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i} ${'y'.repeat(i % 50)}`);
    const chunks = chunkLines(lines, 3000);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(length(c)).toBeLessThanOrEqual(3000);
    expect(chunks.join('\n').split('\n')).toEqual(lines);
  });

  it('capBlocks keeps 50 blocks, the last one saying how many were left out', () => {
    const blocks: KnownBlock[] = Array.from({ length: 80 }, () => ({ type: 'divider' }));
    const capped = capBlocks(blocks, (n) => ({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${n} more` }],
    }));
    expect(capped).toHaveLength(50);
    expect(JSON.stringify(capped.at(-1))).toContain('31 more');
  });

  it('fallbackText escapes, then cuts without leaving half an entity', () => {
    expect(fallbackText('a < b', 100)).toBe('a &lt; b');
    // 'x' × 6 then '&amp;' would be cut inside the entity: the fragment goes, the mark stays
    expect(fallbackText(`${'x'.repeat(6)}&zzzz`, 9)).toBe('xxxxxx…');
    expect(length(fallbackText('<'.repeat(5000), 3000))).toBeLessThanOrEqual(3000);
  });

  it('blockKitViolations names each broken limit', () => {
    const problems = blockKitViolations({
      text: 'x',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
        { type: 'section', text: { type: 'mrkdwn', text: 's'.repeat(3001) } },
        {
          type: 'section',
          fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn' as const, text: 'f' })),
        },
        ...Array.from({ length: 48 }, () => ({ type: 'divider' as const })),
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('51 blocks'),
        expect.stringContaining('151 characters (max 150)'),
        expect.stringContaining('3001 characters (max 3000)'),
        expect.stringContaining('11 fields'),
      ]),
    );
  });
});

describe('renderForSlack: answers', () => {
  it('shows name and period in a header, the value bold, the tier, the sparkline, a share button', () => {
    const { text, blocks } = renderForSlack(answerOutcome([roasAnswer()]), opts);
    expect(blocks[0]).toMatchObject({
      type: 'header',
      text: { type: 'plain_text', text: 'Return on ad spend — week 46 2026' },
    });
    expect(allText(blocks)).toContain('*3,00×*');
    expect(allText(blocks)).toContain(sparkline([1, 2, 3, null, 2.5, 2.8, 2.3, 3]));
    expect(allText(blocks)).toContain('last 8 weeks');
    expect(allText(blocks)).toContain('Business KPI');
    expect(allText(blocks)).toContain('2026-11-09 – 2026-11-15');
    const actions = blocks.find((b) => b.type === 'actions');
    expect(actions).toMatchObject({ elements: [{ action_id: POST_TO_CHANNEL_ACTION }] });
    expect(text).toBe('Return on ad spend, week 46 2026: 3,00×');
    expect(blockKitViolations({ text, blocks })).toEqual([]);
  });

  it('uses the Swedish name for a Swedish locale', () => {
    const { blocks } = renderForSlack(answerOutcome([roasAnswer()]), { ...opts, locale: 'sv-SE' });
    expect(blocks[0]).toMatchObject({
      text: { text: 'Avkastning på annonsutgifter — vecka 46 2026' },
    });
  });

  it('marks a comparison good or bad by the verdict, with absolute and percent change', () => {
    const better = roasAnswer({
      comparison: {
        against: 'previous',
        period: period('week 45 2026', '2026-11-02', '2026-11-08'),
        value: 2.5,
        formatted: '2,50×',
        change: 0.5,
        changePct: 0.2,
        verdict: 'better',
        changeFormatted: '+0,50×',
        changePctFormatted: '+20,0 %',
      } as KpiAnswer['comparison'],
    });
    const cpaWorse = roasAnswer({
      kpi: {
        ...roasAnswer().kpi,
        id: 'cpa',
        good: 'down',
        name: { sv: 'CPA', en: 'Cost per acquisition' },
      },
      formatted: '120 kr',
      comparison: {
        against: 'last-year',
        period: period('week 46 2025', '2025-11-10', '2025-11-16'),
        value: 100,
        formatted: '100 kr',
        change: 20,
        changePct: 0.2,
        verdict: 'worse',
        changeFormatted: '+20 kr',
        changePctFormatted: '+20,0 %',
      } as KpiAnswer['comparison'],
    });
    const { text, blocks } = renderForSlack(answerOutcome([better, cpaWorse]), opts);
    const json = allText(blocks);
    expect(json).toContain(
      ':large_green_circle: *+0,50×* (+20,0 %) vs the previous period — better',
    );
    expect(json).toContain(':red_circle: *+20 kr* (+20,0 %) vs last year — worse');
    expect(json).toContain('2,50×');
    expect(text).toContain(
      'Return on ad spend, week 46 2026: 3,00× (+0,50×, +20,0 % vs the previous period: better)',
    );
    expect(text).toContain(
      'Cost per acquisition, week 46 2026: 120 kr (+20 kr, +20,0 % vs last year: worse)',
    );
    // several KPIs in one message, separated
    expect(blocks.filter((b) => b.type === 'header')).toHaveLength(2);
    expect(blocks.some((b) => b.type === 'divider')).toBe(true);
  });

  it('states the benchmark', () => {
    const { blocks } = renderForSlack(
      answerOutcome([
        roasAnswer({
          value: 2,
          formatted: '2,00×',
          benchmark: {
            status: 'below',
            threshold: 3,
            text: 'below the 3× ROAS floor',
            short: 'below floor',
          },
        }),
      ]),
      opts,
    );
    expect(allText(blocks)).toContain(':warning: below the 3× ROAS floor');
  });

  it('says which measures have no data and how to import them', () => {
    const { text, blocks } = renderForSlack(
      answerOutcome([
        roasAnswer({
          value: null,
          formatted: 'no data',
          missingMeasures: ['revenue', 'ad_spend'],
          history: [],
        }),
      ]),
      opts,
    );
    const json = allText(blocks);
    expect(json).toContain('`revenue`, `ad_spend` have no data for week 46 2026');
    expect(json).toContain('npx kpibot import FILE.csv');
    expect(json).toContain('POST /api/v1/facts');
    expect(text).toContain('No data for revenue, ad_spend');
  });

  it('cuts a 200-campaign breakdown to the top rows by value, with "and N more", inside every limit', () => {
    const all = groups(200);
    const shuffled = [...all].reverse();
    const answer = roasAnswer({ breakdown: { dimension: 'campaign', groups: shuffled } });
    const { text, blocks } = renderForSlack(
      answerOutcome([answer], 'roas last-week by campaign'),
      opts,
    );
    expect(blockKitViolations({ text, blocks })).toEqual([]);
    const table = blocks.find(
      (b) => b.type === 'section' && b.text?.text.startsWith('*By campaign*'),
    );
    const tableText = table?.type === 'section' ? (table.text?.text ?? '') : '';
    expect(tableText).toContain('```');
    expect(tableText).toContain('campaign-000');
    expect(tableText).toContain('200,00×');
    expect(tableText).not.toContain('campaign-199');
    expect(tableText).toMatch(/…and 185 more campaigns/);
  });

  it('keeps many KPIs with big breakdowns within 50 blocks, the share button last', () => {
    const answers = Array.from({ length: 12 }, (_, i) =>
      roasAnswer({
        kpi: { ...roasAnswer().kpi, id: `k${i}` },
        breakdown: { dimension: 'channel', groups: groups(30) },
        missingMeasures: ['revenue'],
        coverageNote: 'x'.repeat(4000),
      }),
    );
    const { text, blocks } = renderForSlack(answerOutcome(answers), opts);
    expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    expect(blocks.at(-1)?.type).toBe('actions');
    expect(allText(blocks)).toContain('left out to stay within Slack');
    expect(blockKitViolations({ text, blocks })).toEqual([]);
  });

  it('shared copies say who shared them and carry no button', () => {
    const { text, blocks } = renderForSlack(answerOutcome([roasAnswer()]), {
      ...opts,
      withShareButton: false,
      sharedBy: 'U0ADA',
    });
    expect(allText(blocks)).toContain('Shared by <@U0ADA>');
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(text).toContain('shared by <@U0ADA>');
  });

  it('escapes what came from people or data so it cannot mention or link', () => {
    const answer = roasAnswer({
      breakdown: {
        dimension: 'campaign',
        groups: [{ key: '<!channel> & `x`', value: 1, formatted: '1,00×' }],
      },
    });
    const { blocks } = renderForSlack(answerOutcome([answer], 'roas <!channel>'), {
      ...opts,
      withShareButton: false,
      sharedBy: 'U0ADA',
    });
    const json = allText(blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('/kpi roas &lt;!channel&gt;');
    expect(json).toContain('&lt;!channel&gt; &amp; ˋxˋ');
    expect(escapeMrkdwn('<@U1>')).toBe('&lt;@U1&gt;');
    expect(codeBlockText('```')).toBe('ˋˋˋ');
  });

  it('omits the button when the question is too long for a button value', () => {
    const long = `roas ${'x'.repeat(2100)}`;
    expect(encodeShareValue({ q: long, now: '2026-11-18T09:00:00.000Z' })).toBeNull();
    const { blocks } = renderForSlack(answerOutcome([roasAnswer()], long), opts);
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('round-trips the share value and rejects anything else', () => {
    const value = encodeShareValue({ q: 'roas last-week', now: '2026-11-18T09:00:00.000Z' });
    expect(value).not.toBeNull();
    expect(decodeShareValue(value ?? '')).toEqual({
      q: 'roas last-week',
      now: '2026-11-18T09:00:00.000Z',
    });
    expect(decodeShareValue('not json')).toBeNull();
    expect(decodeShareValue('{"q":1}')).toBeNull();
    expect(decodeShareValue('{"q":"a","now":"yesterday-ish"}')).toBeNull();
  });
});

const entry = (id: string, tier: 'business' | 'context'): CatalogEntry => ({
  id,
  name: { sv: id.toUpperCase(), en: id.toUpperCase() },
  formula: `${id}_num / ${id}_den`,
  unit: 'ratio',
  good: 'up',
  tier,
  aliases: [`${id}-alias`],
  description: `The ${id} KPI`,
});

describe('renderForSlack: help, list, explain, errors', () => {
  it('help lists the usage, the default period and examples', () => {
    const { text, blocks } = renderForSlack(
      {
        kind: 'help',
        defaultPeriod: 'last-7-days',
        examples: ['roas last-week', '/kpi cac last-month'],
      },
      opts,
    );
    const json = allText(blocks);
    expect(json).toContain('`/kpi roas last-week`');
    expect(json).toContain('`/kpi cac last-month`');
    expect(json).toContain('`last-7-days`');
    expect(json).toContain('`/kpi status`');
    expect(text).toContain('last-7-days');
    expect(text).not.toContain('<kpi>');
    expect(blockKitViolations({ text, blocks })).toEqual([]);
  });

  it('list shows business KPIs before context metrics, split to fit', () => {
    const business = Array.from({ length: 80 }, (_, i) => entry(`biz_${i}`, 'business'));
    const context = [entry('impressions', 'context')];
    const { text, blocks } = renderForSlack({ kind: 'list', business, context }, opts);
    const json = allText(blocks);
    expect(json.indexOf('Business KPIs')).toBeLessThan(json.indexOf('Context metrics'));
    expect(json).toContain('`biz_79`');
    expect(blockKitViolations({ text, blocks })).toEqual([]);
  });

  it('explain shows formula, measures with their aggregation and freshness, benchmark', () => {
    const { text, blocks } = renderForSlack(
      {
        kind: 'explain',
        kpi: entry('roas', 'business'),
        measures: [
          {
            id: 'revenue',
            kind: 'additive',
            aggregation: 'summed over the period',
            lastDay: '2026-11-17',
          },
          {
            id: 'ad_spend',
            kind: 'additive',
            aggregation: 'summed over the period',
            lastDay: null,
          },
        ],
        benchmark: 'ROAS ≥ 3× (e-commerce floor)',
        conventions: ['Each measure is aggregated first.'],
      },
      opts,
    );
    const json = allText(blocks);
    expect(json).toContain('roas_num / roas_den');
    expect(json).toContain('`revenue` (additive): summed over the period; data until 2026-11-17');
    expect(json).toContain('`ad_spend` (additive): summed over the period; :warning: no data yet');
    expect(json).toContain('ROAS ≥ 3×');
    expect(text).toContain('benchmark: ROAS ≥ 3×');
    expect(blockKitViolations({ text, blocks })).toEqual([]);
  });

  it('an error says what was wrong, suggests, and gives examples', () => {
    const { text, blocks } = renderForSlack(
      {
        kind: 'error',
        message: "I don't know the KPI `roaz`.",
        suggestions: ['roas', 'roi'],
        examples: ['/kpi list', 'roas last-week'],
      },
      opts,
    );
    const json = allText(blocks);
    expect(json).toContain(":warning: I don't know the KPI `roaz`.");
    expect(json).toContain('Did you mean `roas` or `roi`?');
    expect(json).toContain('`/kpi roas last-week`');
    expect(text).toContain('Did you mean roas or roi?');
    expect(blockKitViolations({ text, blocks })).toEqual([]);
  });
});

type StatusOutcome = Extract<CommandOutcome, { kind: 'status' }>;

const freshRow = (measure: string, source = 'import'): StatusOutcome['rows'][number] => ({
  measure,
  source,
  lastDay: '2026-11-17',
  lastWrittenAt: '2026-11-18T06:05:09.123Z',
  daysBehind: 0,
  stale: false,
});

describe('renderForSlack: status (data freshness)', () => {
  it('shows a compact table, flags stale rows and names them first, warnings on top', () => {
    const outcome: StatusOutcome = {
      kind: 'status',
      today: '2026-11-18',
      rows: [
        { ...freshRow('ad_spend', 'api'), lastDay: '2026-11-10', daysBehind: 7, stale: true },
        freshRow('revenue'),
        { ...freshRow('sessions'), lastDay: '2026-11-16', daysBehind: 1 },
      ],
      sources: [],
      warnings: ['ad_spend from api has not arrived for 7 days'],
    };
    const { text, blocks } = renderForSlack(outcome, opts);
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Data freshness' } });
    // the warning comes before the table
    const json = allText(blocks);
    expect(json.indexOf(':warning: ad_spend from api')).toBeLessThan(json.indexOf('```'));
    expect(json).toContain('1 of 3 feeds stale* — no new data for `ad_spend` (api)');
    expect(json).toContain('⚠ stale: no new data');
    expect(json).toContain('`ad_spend` (api)');
    const table = blocks.find((b) => b.type === 'section' && b.text?.text.startsWith('```'));
    const lines = table?.type === 'section' ? (table.text?.text ?? '').split('\n') : [];
    // fence, head row, three rows, fence; columns aligned
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(/^\s+measure\s+source\s+last day\s+written \(UTC\)\s+behind$/);
    expect(lines[2]).toMatch(
      /^⚠\s+ad_spend\s+api\s+2026-11-10\s+2026-11-18 06:05\s+7 days behind$/,
    );
    expect(lines[3]).toMatch(/^\s+revenue\s+import\s+2026-11-17\s+2026-11-18 06:05\s+up to date$/);
    expect(lines[4]).toMatch(/1 day behind$/);
    expect(lines[2]?.indexOf('2026-11-10')).toBe(lines[3]?.indexOf('2026-11-17'));
    expect(text).toContain('ad_spend from api has not arrived for 7 days');
    expect(text).toContain('1 of 3 stale: ad_spend (api, last day 2026-11-10, 7 days behind)');
    expect(blockKitViolations({ text, blocks })).toEqual([]);
  });

  it('says all is well when nothing is stale', () => {
    const { text, blocks } = renderForSlack(
      {
        kind: 'status',
        today: '2026-11-18',
        rows: [freshRow('revenue')],
        sources: [],
        warnings: [],
      },
      opts,
    );
    expect(allText(blocks)).toContain(
      ':white_check_mark: The one feed (measure from a source) is arriving.',
    );
    expect(allText(blocks)).not.toContain('⚠ stale');
    expect(allText(blocks)).not.toContain('⚠ revenue');
    expect(text).toBe('The one feed (measure from a source) is arriving.');
  });

  it('with no rows says "No data yet" and how to import', () => {
    const { text, blocks } = renderForSlack(
      { kind: 'status', today: '2026-11-18', rows: [], sources: [], warnings: [] },
      opts,
    );
    const json = allText(blocks);
    expect(json).toContain('No data yet');
    expect(json).toContain('`npx kpibot import FILE.csv`');
    expect(json).toContain('`POST /api/v1/facts`');
    expect(json).not.toContain('```');
    expect(text).toContain('No data yet');
    expect(text).toContain('npx kpibot import FILE.csv');
    expect(blockKitViolations({ text, blocks })).toEqual([]);
  });

  it('lists SQL sources under the feeds, each failed one with its error, escaped', () => {
    const window = { start: '2026-11-27', end: '2026-12-03' };
    const outcome: StatusOutcome = {
      kind: 'status',
      today: '2026-12-03',
      rows: [freshRow('clicks', 'sql:google_ads')],
      sources: [
        {
          name: 'google_ads',
          lastRunAt: '2026-12-03T11:15:02.000Z',
          window,
          lastSuccessAt: '2026-12-03T11:15:02.000Z',
          rows: 42,
        },
        {
          name: 'meta',
          lastRunAt: '2026-12-03T11:15:03.000Z',
          window,
          rows: 0,
          lastSuccessAt: '2026-12-03T11:15:03.000Z',
        },
        {
          name: 'shop',
          lastRunAt: '2026-12-03T11:15:04.000Z',
          window,
          error: 'relation "<!channel> & x" does not exist',
        },
      ],
      warnings: [],
    };
    const { text, blocks } = renderForSlack(outcome, opts);
    expect(blockKitViolations({ text, blocks })).toEqual([]);
    const table = blocks
      .filter((b) => b.type === 'section' && b.text?.text.includes('SQL source'))
      .map((b) => (b.type === 'section' ? (b.text?.text ?? '') : ''))[0]
      ?.split('\n');
    expect(table?.[1]).toMatch(/^\s+SQL source\s+last run \(UTC\)\s+window\s+rows\s+result$/);
    expect(table?.[2]).toMatch(
      /^\s+google_ads\s+2026-12-03 11:15\s+2026-11-27 – 2026-12-03\s+42\s+ok$/,
    );
    expect(table?.[3]).toMatch(
      /^\s+meta\s+2026-12-03 11:15\s+2026-11-27 – 2026-12-03\s+0\s+no rows$/,
    );
    expect(table?.[4]).toMatch(
      /^⚠\s+shop\s+2026-12-03 11:15\s+2026-11-27 – 2026-12-03\s+–\s+failed$/,
    );
    const json = allText(blocks);
    expect(json).toContain(':x: *shop* (never synced): relation');
    expect(json).toContain('&lt;!channel&gt; &amp; x');
    expect(json).not.toContain('<!channel>');
  });

  it('splits a long table over sections, each with its head row, within every limit', () => {
    const rows = Array.from({ length: 400 }, (_, i) => ({
      ...freshRow(`measure_${i}_${'m'.repeat(i % 30)}`, `source-${i % 7}`),
      stale: i % 3 === 0,
    }));
    const { text, blocks } = renderForSlack(
      { kind: 'status', today: '2026-11-18', rows, sources: [], warnings: ['<!channel> & co'] },
      opts,
    );
    expect(blockKitViolations({ text, blocks })).toEqual([]);
    const tables = blocks.filter((b) => b.type === 'section' && b.text?.text.startsWith('```'));
    expect(tables.length).toBeGreaterThan(3);
    for (const t of tables)
      expect(t.type === 'section' && t.text?.text.split('\n')[1]).toMatch(/measure\s+source/);
    expect(allText(blocks)).not.toContain('<!channel>');
    expect(length(text)).toBeLessThanOrEqual(3000);
  });
});

describe('renderForSlack: message', () => {
  it.each([
    ['ok', ':white_check_mark:'],
    ['info', ':information_source:'],
    ['refused', ':no_entry:'],
  ] as const)('tone %s → %s, title bold, lines below', (tone, emoji) => {
    const { text, blocks } = renderForSlack(
      { kind: 'message', tone, title: 'Alert rule <saved>', lines: ['`roas < 3` in #marketing'] },
      opts,
    );
    expect(allText(blocks)).toContain(`${emoji} *Alert rule &lt;saved&gt;*`);
    expect(allText(blocks)).toContain('`roas < 3` in #marketing');
    expect(text).toBe('Alert rule &lt;saved&gt;\n`roas < 3` in #marketing');
    expect(blockKitViolations({ text, blocks })).toEqual([]);
  });
});

describe('free-form questions and corrected commands', () => {
  it('an answer to a free-form question says how it was read, first', () => {
    const outcome = { ...answerOutcome([roasAnswer()]), reading: 'roas last-week' };
    const { blocks, text } = renderForSlack(outcome, opts);
    expect(blocks[0]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Read as `/kpi roas last-week`' }],
    });
    expect(text.split('\n')[0]).toBe('Read as /kpi roas last-week');
    expect(renderText(outcome).split('\n')[0]).toBe('Read as: roas last-week');
  });

  it('an error with a corrected command offers it as a Run button, after "did you mean"', () => {
    const outcome: CommandOutcome = {
      kind: 'error',
      message: 'I read `raos` as `roas`.',
      suggestions: ['roas last-week'],
      examples: [],
      retry: 'roas last-week',
    };
    const { blocks } = renderForSlack(outcome, opts);
    const types = blocks.map((b) => b.type);
    expect(types.indexOf('actions')).toBe(types.lastIndexOf('section') + 1);
    expect(blocks).toContainEqual({
      type: 'actions',
      block_id: 'kpi_retry',
      elements: [
        {
          type: 'button',
          action_id: RUN_RETRY_ACTION,
          style: 'primary',
          text: { type: 'plain_text', text: 'Run /kpi roas last-week', emoji: false },
          value: 'roas last-week',
        },
      ],
    });
    expect(renderText(outcome)).toContain('Run it: kpibot ask "roas last-week"');
  });

  it('a corrected command too long for a button value is offered as text only', () => {
    const long = `roas last-week channel=${'x'.repeat(2100)}`;
    const { blocks } = renderForSlack(
      { kind: 'error', message: 'm', examples: [], retry: long },
      opts,
    );
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
  });
});
