// The questions of issue 16's table ("ask as people talk"), asked on Thursday 3 December 2026
// of the demo data (which ends yesterday, 2 December), with what each answer must now say.
// Every number is worked out here from the demo facts with plain sums, not by the engine; the
// app's formatter only writes them the way the app does (sv-SE, SEK: the defaults), and the
// words are the Swedish the app writes under sv-SE.
import { generateDemoFacts } from '../../src/demo/generate.ts';
import { createFormatter } from '../../src/kpi/format.ts';
import type { FactInput } from '../../src/kpi/types.ts';

export const NOW = '2026-12-03T09:00:00+01:00';
export const YESTERDAY = '2026-12-02';

export interface IssueRow {
  typed: string;
  /** The canonical command the answer says it read (free-form questions only). */
  reading?: string;
  /** Refused with a helpful message (exit code 2 from the CLI). */
  refused?: boolean;
  /** A corrected command offered, ready to run (a button in Slack). */
  retry?: string;
  /** Text the answer must contain. */
  says: string[];
  /** Text it must not contain. */
  never?: string[];
}

export function demoFacts(): FactInput[] {
  return generateDemoFacts({ end: YESTERDAY });
}

export function issueRows(facts: FactInput[]): IssueRow[] {
  const f = createFormatter({ locale: 'sv-SE', currency: 'SEK' });
  const sum = (measure: string, start: string, end: string, where: Partial<FactInput> = {}) =>
    facts
      .filter(
        (x) =>
          x.measure === measure &&
          x.day >= start &&
          x.day <= end &&
          (where.channel === undefined || x.channel === where.channel) &&
          (where.campaign === undefined || x.campaign === where.campaign),
      )
      .reduce((a, x) => a + x.value, 0);
  const roas = (start: string, end: string, where: Partial<FactInput> = {}) =>
    sum('revenue', start, end, where) / sum('ad_spend', start, end, where);
  const cr = (start: string, end: string) =>
    sum('conversions', start, end) / sum('sessions', start, end);
  const x = (v: number) => f.value(v, 'multiple');

  // Week 48 of 2026 is 23–29 November; week 47 is 16–22 November.
  const week48 = ['2026-11-23', '2026-11-29'] as const;
  const campaigns = [...new Set(facts.map((c) => c.campaign ?? ''))]
    .filter((c) => sum('ad_spend', ...week48, { campaign: c }) > 0)
    .map((c) => ({ c, v: roas(...week48, { campaign: c }) }));
  const below = campaigns.filter((c) => c.v < 3).sort((a, b) => a.v - b.v);

  const decNow = sum('revenue', '2026-12-01', '2026-12-02');
  const novThen = sum('revenue', '2026-11-01', '2026-11-02');

  return [
    {
      typed: 'vad var roas förra veckan',
      reading: 'roas last-week',
      says: [x(roas(...week48)), '2026-11-23 – 2026-11-29'],
    },
    {
      typed: 'what was our revenue yesterday',
      reading: 'revenue yesterday',
      says: [f.value(sum('revenue', YESTERDAY, YESTERDAY), 'currency'), '2026-12-02 (i går)'],
    },
    {
      typed: 'ROAS för google-ads i oktober',
      reading: 'roas 2026-10 channel=google-ads',
      says: [x(roas('2026-10-01', '2026-10-31', { channel: 'google-ads' })), 'oktober 2026'],
    },
    {
      typed: 'roas in october by channel',
      reading: 'roas 2026-10 by channel',
      says: [
        x(roas('2026-10-01', '2026-10-31')),
        x(roas('2026-10-01', '2026-10-31', { channel: 'google-ads' })),
        x(roas('2026-10-01', '2026-10-31', { channel: 'meta' })),
      ],
    },
    {
      typed: 'konverteringsgrad per kanal förra månaden jämfört med året innan',
      reading: 'conversion_rate last-month vs last-year by channel',
      says: [
        f.value(cr('2026-11-01', '2026-11-30'), 'percent'),
        f.value(cr('2025-11-01', '2025-11-30'), 'percent'),
        'november 2025',
      ],
    },
    {
      typed: 'raos last-week',
      refused: true,
      retry: 'roas last-week',
      says: ['Jag läste `raos` som `roas`.'],
    },
    // `facebook` is an alias of meta in the channel vocabulary (issue 18): answered on meta.
    {
      typed: 'roas last-week channel=facebook',
      says: ['läses som', x(roas(...week48, { channel: 'meta' }))],
      never: ['Det finns ingen kanal', 'import'],
    },
    {
      typed: 'vad var roas för facebook förra veckan',
      reading: 'roas last-week channel=facebook',
      says: ['läses som', x(roas(...week48, { channel: 'meta' }))],
      never: ['Det finns ingen kanal'],
    },
    {
      typed: 'roas last-week channel=tiktok',
      refused: true,
      says: [
        'Det finns ingen kanal `tiktok`.',
        'Kända kanaler: `direct`, `email`, `google-ads`, `meta`, `organic`.',
      ],
      never: ['import'],
    },
    {
      typed: 'revenue mtd vs previous',
      says: [
        f.value(decNow, 'currency'),
        f.value(novThen, 'currency'),
        f.pct((decNow - novThen) / novThen),
        'Jämfört över dagarna båda perioderna har data: 2026-12-01 – 2026-12-02 mot 2026-11-01 – 2026-11-02 (2026-12-03 har inga data ännu).',
      ],
    },
    {
      typed: 'cac by channel this-quarter vs last-year',
      says: ['Q4 2025 (2025-10-01 – 2025-12-02)'],
      never: ['(2025-10-01 – 2025-12-02) (', '2025-12-03'],
    },
    {
      typed: 'roas last-week vs previous by campaign',
      says: [
        `sammanvägt ${x(roas(...week48))} når lägstanivån 3× för avkastning på annonskostnad; ${below.length} av ${campaigns.length} kampanjer ligger under: ${below.map((c) => `${c.c} ${x(c.v)}`).join(', ')}`,
      ],
    },
  ];
}
