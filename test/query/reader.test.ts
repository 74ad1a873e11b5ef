// The natural-language reader: questions as people type them → the canonical command the strict
// grammar answers. Asked on Thursday 3 December 2026 in Stockholm (ISO week 49), with the demo's
// channels and campaigns in the store. Every expected command was written by hand.
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/query/grammar.ts';
import { type KnownValues, readQuestion } from '../../src/query/reader.ts';
import { catalog } from '../kpi/helpers.ts';

const known: KnownValues = {
  channel: ['direct', 'email', 'google-ads', 'meta', 'organic'],
  campaign: ['brand', 'generic', 'prospecting', 'retarget', 'shopping'],
};
const deps = {
  catalog: catalog(),
  periodContext: {
    now: new Date('2026-12-03T09:00:00+01:00'),
    timeZone: 'Europe/Stockholm',
    weekStartsOn: 1 as const,
  },
  known,
};

const read = (text: string) => readQuestion(text, deps);

// [typed, canonical reading]
const READINGS: Array<[string, string]> = [
  // Swedish
  ['vad var roas förra veckan', 'roas last-week'],
  ['Vad var ROAS förra veckan?', 'roas last-week'],
  ['ROAS för google-ads i oktober', 'roas 2026-10 channel=google-ads'],
  ['roas för google ads i oktober 2025', 'roas 2025-10 channel=google-ads'],
  [
    'konverteringsgrad per kanal förra månaden jämfört med året innan',
    'conversion_rate last-month vs last-year by channel',
  ],
  ['hur går det för roas den här månaden', 'roas this-month'],
  ['visa intäkter igår', 'revenue yesterday'],
  ['visa intäkter i går', 'revenue yesterday'],
  ['intäkter hittills i år', 'revenue this-year'],
  ['omsättning hittills i månaden per kampanj', 'revenue this-month by campaign'],
  ['cac förra kvartalet', 'cac last-quarter'],
  ['kostnad per lead vecka 47', 'cpl 2026-W47'],
  ['kostnad per lead v47', 'cpl 2026-W47'],
  ['kostnad per klick vecka 47 2025', 'cpc 2025-W47'],
  ['roas på meta och google-ads förra veckan', 'roas last-week channel=meta,google-ads'],
  ['roas kanal meta förra veckan', 'roas last-week channel=meta'],
  ['roas kampanj retarget förra veckan', 'roas last-week campaign=retarget'],
  ['roas förra veckan mot veckan innan', 'roas last-week vs previous'],
  ['roas förra veckan mot föregående per kanal', 'roas last-week vs previous by channel'],
  ['intäkter oktober jämfört med samma månad förra året', 'revenue 2026-10 vs last-year'],
  ['intäkter i oktober mot september', 'revenue 2026-10 vs 2026-09'],
  ['churn förra månaden jämfört med i fjol', 'churn_rate last-month vs last-year'],
  ['genomsnittligt ordervärde senaste 7 dagarna', 'aov last-7-days'],
  ['ordervärde de senaste 30 dagarna', 'aov last-30-days'],
  ['nya kunder i år', 'new_customers this-year'],
  ['annonskostnad idag', 'ad_spend today'],
  ['visa mig klickfrekvens för meta denna vecka', 'ctr this-week channel=meta'],
  ['ltv till cac förra kvartalet', 'ltv_cac last-quarter'],
  ['roas i december', 'roas 2026-12'],
  ['roas i januari', 'roas 2026-01'],
  ['roas i maj', 'roas 2026-05'],
  ['intäkter per kanal i november', 'revenue 2026-11 by channel'],
  ['kundanskaffningskostnad q3', 'cac 2026-Q3'],
  ['intäkter 2025', 'revenue 2025'],
  ['roas förra månaden jämfört med månaden innan', 'roas last-month vs previous'],
  ['roas förra månaden år mot år', 'roas last-month vs last-year'],
  ['trafik för organic förra veckan', 'traffic last-week channel=organic'],
  ['intäkter för kampanjen brand förra veckan', 'revenue last-week campaign=brand'],
  ['ordrar, intäkter och roas förra veckan', 'orders,revenue,roas last-week'],
  ['roas vecka 47 mot vecka 46', 'roas 2026-W47 vs 2026-W46'],
  // English
  ['what was our revenue yesterday', 'revenue yesterday'],
  ['What was our revenue yesterday?', 'revenue yesterday'],
  ['roas in october by channel', 'roas 2026-10 by channel'],
  ['roas in October 2026', 'roas 2026-10'],
  ['how is roas doing this month', 'roas this-month'],
  ['how is ROAS doing this month?', 'roas this-month'],
  ['show me revenue for google ads last week', 'revenue last-week channel=google-ads'],
  ['show me the LTV to CAC last quarter', 'ltv_cac last-quarter'],
  ['average order value last month', 'aov last-month'],
  ['average order value last month compared to the month before', 'aov last-month vs previous'],
  ['revenue october vs same month last year', 'revenue 2026-10 vs last-year'],
  ['revenue in october compared with the same period a year ago', 'revenue 2026-10 vs last-year'],
  ['cost per lead week 47', 'cpl 2026-W47'],
  ['cost per lead in week 47 of 2025', 'cpl 2025-W47'],
  ['conversion rate by campaign last week', 'conversion_rate last-week by campaign'],
  ['conversion rate for each channel last week', 'conversion_rate last-week by channel'],
  ['revenue split by channel this quarter', 'revenue this-quarter by channel'],
  ['roas on meta and google ads last week', 'roas last-week channel=meta,google-ads'],
  ['roas for the retarget campaign last week', 'roas last-week campaign=retarget'],
  ['revenue year to date', 'revenue this-year'],
  ['revenue so far this month', 'revenue this-month'],
  ['revenue month to date vs previous', 'revenue this-month vs previous'],
  ['revenue mtd vs previous', 'revenue this-month vs previous'],
  ['cac by channel this quarter vs last year', 'cac this-quarter vs last-year by channel'],
  ['roas last week vs previous by campaign', 'roas last-week vs previous by campaign'],
  ['roas last week versus the week before', 'roas last-week vs previous'],
  ['roas last week year over year', 'roas last-week vs last-year'],
  ['revenue in the last 7 days', 'revenue last-7-days'],
  ['revenue past 30 days on meta', 'revenue last-30-days channel=meta'],
  ['revenue 2026-11-01..2026-11-15', 'revenue 2026-11-01..2026-11-15'],
  ['churn rate in Q3 2026', 'churn_rate 2026-Q3'],
  ['churn last month vs the previous month', 'churn_rate last-month vs previous'],
  ['return on ad spend last week', 'roas last-week'],
  ['what were impressions and reach... last week', 'impressions,reach last-week'],
  ['ctr for email last week', 'ctr last-week channel=email'],
  ['revenue in november vs october', 'revenue 2026-11 vs 2026-10'],
  ['revenue this week so far', 'revenue this-week'],
  ['roas today', 'roas today'],
  // everyday phrasings
  ['Hur har ROAS utvecklats förra månaden?', 'roas last-month'],
  ['vad blev intäkterna igår', 'revenue yesterday'],
  ['hur många ordrar fick vi förra veckan', 'orders last-week'],
  ['how many orders did we get last week?', 'orders last-week'],
  ["what's our cac this quarter", 'cac this-quarter'],
  ['whats the roas for google ads in november', 'roas 2026-11 channel=google-ads'],
  ['can you show me revenue by channel for last month', 'revenue last-month by channel'],
  ['roas i november jämfört med oktober', 'roas 2026-11 vs 2026-10'],
  ['cpc för meta senaste 14 dagarna', 'cpc last-14-days channel=meta'],
  ['impressions last 2 weeks', 'impressions last-2-weeks'],
  ['churn for october', 'churn_rate 2026-10'],
  ['LTV:CAC förra kvartalet', 'ltv_cac last-quarter'],
  ['vad kostar ett lead förra veckan', 'cpl last-week'],
  ['revenue on 2026-11-20', 'revenue 2026-11-20'],
  ['revenue from 2026-11-01 to 2026-11-15', 'revenue 2026-11-01..2026-11-15'],
  ['intäkter mellan 2026-11-01 och 2026-11-15', 'revenue 2026-11-01..2026-11-15'],
  ['intäkter vecka 47 jämfört med vecka 47 förra året', 'revenue 2026-W47 vs last-year'],
  [
    'nya kunder per kanal i år jämfört med förra året',
    'new_customers this-year vs last-year by channel',
  ],
  ['conversion rate this week compared to last week', 'conversion_rate this-week vs last-week'],
  ['roas previous week', 'roas last-week'],
  ['roas föregående månad', 'roas last-month'],
  ['revenue last week, email only', 'revenue last-week channel=email'],
  ['roas in the third quarter', 'roas 2026-Q3'],
  ['roas tredje kvartalet 2025', 'roas 2025-Q3'],
  ['roas yesterday vs the day before', 'roas yesterday vs previous'],
  ['intäkter i går mot dagen innan', 'revenue yesterday vs previous'],
  ['trafiken per kanal förra veckan', 'traffic last-week by channel'],
  ['ROAS för retarget-kampanjen förra veckan', 'roas last-week campaign=retarget'],
  ['roas for all channels last week', 'roas last-week'],
  ['intäkter för alla kampanjer i oktober', 'revenue 2026-10'],
  // the strict form reads as itself
  ['roas last-week vs previous by channel', 'roas last-week vs previous by channel'],
  ['roas last-week channel=meta', 'roas last-week channel=meta'],
  [
    'cac,conversion_rate,ltv_cac last-month vs last-year',
    'cac,conversion_rate,ltv_cac last-month vs last-year',
  ],
  ['roas 2026-W47 vs 2026-W46', 'roas 2026-W47 vs 2026-W46'],
  // typos: read as the corrected command, and the corrections are kept
  ['raos last-week', 'roas last-week'],
  ['vad var raos förra vekan', 'roas last-week'],
  ['revnue yesterday', 'revenue yesterday'],
  ['roas in octber', 'roas 2026-10'],
  ['roas i oktber per kanal', 'roas 2026-10 by channel'],
  ['konverteringsgrd förra veckan', 'conversion_rate last-week'],
  ['roas for retargt last week', 'roas last-week campaign=retarget'],
  ['revenue by chanel last week', 'revenue last-week by channel'],
  ['roas last week compared to the previus week', 'roas last-week vs previous'],
  ['what was our revenu yesterday', 'revenue yesterday'],
];

describe('reading questions as people type them', () => {
  it('has at least 80 phrasings', () => {
    expect(READINGS.length).toBeGreaterThanOrEqual(80);
  });

  it.each(READINGS)('%s → %s', (typed, command) => {
    const result = read(typed);
    expect(result).toMatchObject({ kind: 'reading', command });
    // The reading is a command the strict grammar parses without an error.
    expect(parseCommand(command).kind).toBe('query');
  });

  it('keeps the corrections it made, and only those', () => {
    const fixed = read('vad var raos förra vekan');
    expect(fixed).toMatchObject({
      corrections: [
        { from: 'raos', to: 'roas' },
        { from: 'vekan', to: 'veckan' },
      ],
    });
    expect(read('vad var roas förra veckan')).toMatchObject({ corrections: [] });
    // A Swedish definite form is the word itself, not a typo.
    expect(read('vad blev intäkterna igår')).toMatchObject({ corrections: [] });
  });

  it('names words after for/på as unknown channel or campaign values', () => {
    expect(read('roas for facebook last week')).toMatchObject({
      kind: 'reading',
      command: 'roas last-week',
      unknownValues: ['facebook'],
    });
    expect(read('roas kanal facebook förra veckan')).toMatchObject({
      command: 'roas last-week channel=facebook',
    });
  });
});

// [typed, what the refusal must say]
const REFUSALS: Array<[string, RegExp]> = [
  ['vad var blorf förra veckan', /could not place `blorf`/],
  ['roas last week zzqx', /could not place `zzqx`/],
  ['what was it last week', /Which KPI\?/],
  ['hur gick det igår', /Which KPI\?/],
  ['roas last week yesterday', /Two periods: `last-week` and `yesterday`/],
  ['roas last week vs', /needs something to compare with/],
  ['roas last week vs previous vs last year', /Only one comparison/],
  ['roas by channel by campaign', /One breakdown at a time/],
  ['roas region=north', /Unknown filter `region`/],
  ['roas 2026-13', /could not place `2026-13`/],
  ['top 5 campaigns by roas last week', /could not place `top`, `5`/],
  ['roas last week except meta', /could not place `except`/],
  ['roas per dag förra veckan', /could not place `per`, `dag`/],
];

describe('questions that are refused with a helpful message', () => {
  it.each(REFUSALS)('%s', (typed, message) => {
    const result = read(typed);
    expect(result.kind).toBe('refused');
    if (result.kind === 'refused') expect(result.message).toMatch(message);
  });

  it('offers what it could read when a word does not fit', () => {
    expect(read('roas last week zzqx')).toMatchObject({
      unplaced: ['zzqx'],
      partial: 'roas last-week',
    });
  });
});
