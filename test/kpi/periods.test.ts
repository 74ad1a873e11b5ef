import { TZDate, tz } from '@date-fns/tz';
import {
  differenceInCalendarDays,
  addDays as fnsAddDays,
  format as fnsFormat,
  getISOWeek,
  getISOWeekYear,
  subYears,
} from 'date-fns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addDays,
  cutPartial,
  daysInRange,
  englishPeriodPhrase,
  isoWeekOf,
  isoWeekStart,
  isoWeeksInYear,
  labelWithDates,
  normalisePhrase,
  PERIOD_EXAMPLES,
  type PeriodContext,
  parsePeriod,
  precedingPeriods,
  previousPeriod,
  sameLastYear,
  todayIn,
} from '../../src/kpi/periods.ts';
import type { Period } from '../../src/kpi/types.ts';

const STHLM = 'Europe/Stockholm';
type WeekStart = PeriodContext['weekStartsOn'];

function ctx(now: string, timeZone = STHLM, weekStartsOn: WeekStart = 1): PeriodContext {
  return { now: new Date(now), timeZone, weekStartsOn };
}

/** Reference "now": Thursday 2026-11-12, 10:00 in Stockholm (ISO week 46; day 12 of 30). */
const REF = '2026-11-12T10:00:00+01:00';

function parse(phrase: string, c: PeriodContext = ctx(REF)): Period {
  const r = parsePeriod(phrase, c);
  if (!r.ok) throw new Error(`${phrase}: ${r.error}`);
  return r.period;
}

type Elapsed = [elapsedDays: number, totalDays: number];
const partialOf = (p: Elapsed | undefined) =>
  p ? { elapsedDays: p[0], totalDays: p[1] } : undefined;

// ---------------------------------------------------------------------------------------------
// Tables (module level so that the process-TZ section can replay them). One case per line:
// the first column says what the case is about.

type TodayCase = [comment: string, now: string, timeZone: string, today: string];
// biome-ignore format: one case per line
const TODAY_CASES: TodayCase[] = [
  ['midday in Stockholm', REF, STHLM, '2026-11-12'],
  ['23:30 UTC is already tomorrow in Stockholm', '2026-11-22T23:30:00Z', STHLM, '2026-11-23'],
  ['same instant, UTC zone: still the 22nd', '2026-11-22T23:30:00Z', 'UTC', '2026-11-22'],
  ['03:00 UTC is yesterday evening in Los Angeles', '2026-11-23T03:00:00Z', 'America/Los_Angeles', '2026-11-22'],
  ['10:00 UTC is midnight next day in Kiritimati (UTC+14)', '2026-11-22T10:00:00Z', 'Pacific/Kiritimati', '2026-11-23'],
  ['18:30 UTC is midnight next day in Kolkata (UTC+5:30)', '2026-11-22T18:30:00Z', 'Asia/Kolkata', '2026-11-23'],
  ['first half hour after spring-forward night (CEST)', '2026-03-30T00:30:00+02:00', STHLM, '2026-03-30'],
  ['the spring-forward day itself, after 03:00 CEST', '2026-03-29T03:30:00+02:00', STHLM, '2026-03-29'],
  ['last minute of the 25-hour October day (CET)', '2026-10-25T23:59:00+01:00', STHLM, '2026-10-25'],
  ['first minute after the 25-hour day', '2026-10-26T00:00:00+01:00', STHLM, '2026-10-26'],
  ['the repeated 02:30 hour on 2026-10-25 (first pass, CEST)', '2026-10-25T02:30:00+02:00', STHLM, '2026-10-25'],
  ['the repeated 02:30 hour on 2026-10-25 (second pass, CET)', '2026-10-25T02:30:00+01:00', STHLM, '2026-10-25'],
  ['New Year in Stockholm while UTC is still in the old year', '2026-12-31T23:30:00Z', STHLM, '2027-01-01'],
];

type ParseCase = [
  comment: string,
  phrase: string,
  start: string,
  end: string,
  grain: Period['grain'],
  label: string,
  partial?: Elapsed,
];

/** At REF (Thursday 2026-11-12, Stockholm, weeks start Monday). */
// biome-ignore format: one case per line
const PARSE_CASES: ParseCase[] = [
  // today / yesterday
  ['today is a one-day running period', 'today', '2026-11-12', '2026-11-12', 'day', '2026-11-12 (today)', [1, 1]],
  ['Swedish idag', 'idag', '2026-11-12', '2026-11-12', 'day', '2026-11-12 (today)', [1, 1]],
  ['yesterday is a complete day', 'yesterday', '2026-11-11', '2026-11-11', 'day', '2026-11-11 (yesterday)'],
  ['Swedish igår', 'igår', '2026-11-11', '2026-11-11', 'day', '2026-11-11 (yesterday)'],
  ['upper-case IGÅR', 'IGÅR', '2026-11-11', '2026-11-11', 'day', '2026-11-11 (yesterday)'],
  // weeks (Monday start: ISO week 46 = 2026-11-09..15)
  ['this-week: Monday through today, 4 of 7 days', 'this-week', '2026-11-09', '2026-11-12', 'week', 'week 46, 2026 to date', [4, 7]],
  ['wtd ≡ this-week', 'wtd', '2026-11-09', '2026-11-12', 'week', 'week 46, 2026 to date', [4, 7]],
  ['Swedish denna-veckan', 'denna-veckan', '2026-11-09', '2026-11-12', 'week', 'week 46, 2026 to date', [4, 7]],
  ['Swedish den-här-veckan', 'den-här-veckan', '2026-11-09', '2026-11-12', 'week', 'week 46, 2026 to date', [4, 7]],
  ['Swedish "den här veckan" with spaces', 'den här veckan', '2026-11-09', '2026-11-12', 'week', 'week 46, 2026 to date', [4, 7]],
  ['last-week: the previous complete ISO week', 'last-week', '2026-11-02', '2026-11-08', 'week', 'week 45, 2026'],
  ['space-separated "last week"', 'last week', '2026-11-02', '2026-11-08', 'week', 'week 45, 2026'],
  ['mixed case and padding', '  Last   Week ', '2026-11-02', '2026-11-08', 'week', 'week 45, 2026'],
  ['Swedish förra-veckan', 'förra-veckan', '2026-11-02', '2026-11-08', 'week', 'week 45, 2026'],
  ['Swedish "förra veckan" with a space', 'förra veckan', '2026-11-02', '2026-11-08', 'week', 'week 45, 2026'],
  ['Swedish without diacritics (US keyboard)', 'forra veckan', '2026-11-02', '2026-11-08', 'week', 'week 45, 2026'],
  // months
  ['this-month: 12 of 30 days', 'this-month', '2026-11-01', '2026-11-12', 'month', 'November 2026 to date', [12, 30]],
  ['mtd ≡ this-month', 'mtd', '2026-11-01', '2026-11-12', 'month', 'November 2026 to date', [12, 30]],
  ['upper-case MTD', 'MTD', '2026-11-01', '2026-11-12', 'month', 'November 2026 to date', [12, 30]],
  ['Swedish denna-månaden', 'denna-månaden', '2026-11-01', '2026-11-12', 'month', 'November 2026 to date', [12, 30]],
  ['Swedish den-här-månaden', 'den-här-månaden', '2026-11-01', '2026-11-12', 'month', 'November 2026 to date', [12, 30]],
  ['last-month: October complete', 'last-month', '2026-10-01', '2026-10-31', 'month', 'October 2026'],
  ['Swedish förra-månaden', 'förra-månaden', '2026-10-01', '2026-10-31', 'month', 'October 2026'],
  ['Swedish förra månaden, no diacritics', 'forra manaden', '2026-10-01', '2026-10-31', 'month', 'October 2026'],
  // quarters
  ['this-quarter: Oct 1..today, 43 of 92', 'this-quarter', '2026-10-01', '2026-11-12', 'quarter', 'Q4 2026 to date', [43, 92]],
  ['qtd ≡ this-quarter', 'qtd', '2026-10-01', '2026-11-12', 'quarter', 'Q4 2026 to date', [43, 92]],
  ['Swedish detta-kvartal', 'detta-kvartal', '2026-10-01', '2026-11-12', 'quarter', 'Q4 2026 to date', [43, 92]],
  ['last-quarter: Q3 complete', 'last-quarter', '2026-07-01', '2026-09-30', 'quarter', 'Q3 2026'],
  ['Swedish förra-kvartalet', 'förra-kvartalet', '2026-07-01', '2026-09-30', 'quarter', 'Q3 2026'],
  // years
  ['this-year: 316 of 365', 'this-year', '2026-01-01', '2026-11-12', 'year', '2026 to date', [316, 365]],
  ['ytd ≡ this-year', 'ytd', '2026-01-01', '2026-11-12', 'year', '2026 to date', [316, 365]],
  ['Swedish i-år', 'i-år', '2026-01-01', '2026-11-12', 'year', '2026 to date', [316, 365]],
  ['Swedish "i år" with a space', 'i år', '2026-01-01', '2026-11-12', 'year', '2026 to date', [316, 365]],
  ['last-year: 2025 complete', 'last-year', '2025-01-01', '2025-12-31', 'year', '2025'],
  ['Swedish förra-året', 'förra-året', '2025-01-01', '2025-12-31', 'year', '2025'],
  // last-N-days: complete days ending yesterday
  ['last-7-days ends yesterday', 'last-7-days', '2026-11-05', '2026-11-11', 'days', '2026-11-05 – 2026-11-11'],
  ['"last 7 days" with spaces', 'last 7 days', '2026-11-05', '2026-11-11', 'days', '2026-11-05 – 2026-11-11'],
  ['Swedish senaste-7-dagarna', 'senaste-7-dagarna', '2026-11-05', '2026-11-11', 'days', '2026-11-05 – 2026-11-11'],
  ['Swedish "senaste 7 dagarna" with spaces', 'senaste 7 dagarna', '2026-11-05', '2026-11-11', 'days', '2026-11-05 – 2026-11-11'],
  ['singular last-1-day is yesterday', 'last-1-day', '2026-11-11', '2026-11-11', 'days', '2026-11-11'],
  ['last-30-days crosses a month', 'last-30-days', '2026-10-13', '2026-11-11', 'days', '2026-10-13 – 2026-11-11'],
  // last-N-weeks: complete weeks ending last week (grain 'week', 7·N days)
  ['last-1-week ≡ last-week', 'last-1-week', '2026-11-02', '2026-11-08', 'week', 'week 45, 2026'],
  ['last-2-weeks', 'last-2-weeks', '2026-10-26', '2026-11-08', 'week', 'weeks 44–45, 2026'],
  ['Swedish senaste-4-veckorna', 'senaste-4-veckorna', '2026-10-12', '2026-11-08', 'week', 'weeks 42–45, 2026'],
  // last-N-months: complete calendar months ending last month (grain 'month')
  ['last-1-month ≡ last-month', 'last-1-month', '2026-10-01', '2026-10-31', 'month', 'October 2026'],
  ['last-3-months', 'last-3-months', '2026-08-01', '2026-10-31', 'month', 'August – October 2026'],
  ['Swedish senaste-12-månaderna crosses a year', 'senaste-12-månaderna', '2025-11-01', '2026-10-31', 'month', 'November 2025 – October 2026'],
  ['Swedish "senaste 3 månaderna" without diacritics', 'senaste 3 manaderna', '2026-08-01', '2026-10-31', 'month', 'August – October 2026'],
  // explicit days and ranges
  ['a past day', '2026-11-05', '2026-11-05', '2026-11-05', 'day', '2026-11-05'],
  ['today written as a date is running', '2026-11-12', '2026-11-12', '2026-11-12', 'day', '2026-11-12 (today)', [1, 1]],
  ['a leap day', '2024-02-29', '2024-02-29', '2024-02-29', 'day', '2024-02-29'],
  ['a range', '2026-11-01..2026-11-05', '2026-11-01', '2026-11-05', 'range', '2026-11-01 – 2026-11-05'],
  ['a range with spaces around ..', '2026-11-01 .. 2026-11-05', '2026-11-01', '2026-11-05', 'range', '2026-11-01 – 2026-11-05'],
  ['a range pasted from a label (en dash)', '2026-11-01 – 2026-11-05', '2026-11-01', '2026-11-05', 'range', '2026-11-01 – 2026-11-05'],
  ['a one-day range is a day', '2026-11-03..2026-11-03', '2026-11-03', '2026-11-03', 'day', '2026-11-03'],
  ['a range ending after today is kept as written', '2026-11-01..2026-11-30', '2026-11-01', '2026-11-30', 'range', '2026-11-01 – 2026-11-30'],
  // explicit months, weeks, quarters, years
  ['a past month', '2026-10', '2026-10-01', '2026-10-31', 'month', 'October 2026'],
  ['February of a leap year (parsed at a later now)', '2028-02', '2028-02-01', '2028-02-29', 'month', 'February 2028'],
  ['the current month is running', '2026-11', '2026-11-01', '2026-11-12', 'month', 'November 2026 to date', [12, 30]],
  ['ISO week 45', '2026-W45', '2026-11-02', '2026-11-08', 'week', 'week 45, 2026'],
  ['lower-case w', '2026-w45', '2026-11-02', '2026-11-08', 'week', 'week 45, 2026'],
  ['the current ISO week is running', '2026-W46', '2026-11-09', '2026-11-12', 'week', 'week 46, 2026 to date', [4, 7]],
  ['ISO week 1 of 2026 starts in 2025', '2026-W01', '2025-12-29', '2026-01-04', 'week', 'week 1, 2026'],
  ['single-digit week number', '2026-W1', '2025-12-29', '2026-01-04', 'week', 'week 1, 2026'],
  ['2020 has an ISO week 53', '2020-W53', '2020-12-28', '2021-01-03', 'week', 'week 53, 2020'],
  ['a past quarter', '2026-Q3', '2026-07-01', '2026-09-30', 'quarter', 'Q3 2026'],
  ['Q1 of a leap year (parsed at a later now)', '2028-Q1', '2028-01-01', '2028-03-31', 'quarter', 'Q1 2028'],
  ['lower-case q, current quarter running', '2026-q4', '2026-10-01', '2026-11-12', 'quarter', 'Q4 2026 to date', [43, 92]],
  ['a past year', '2025', '2025-01-01', '2025-12-31', 'year', '2025'],
  ['the current year is running', '2026', '2026-01-01', '2026-11-12', 'year', '2026 to date', [316, 365]],
];

// The 2028 rows above would be "in the future" at REF: they are parsed at a later now.
const LATER = '2029-06-01T12:00:00+02:00';
const needsLater = (phrase: string) => phrase.startsWith('2028');

/** Every alias resolves to the same dates as its English keyword (at REF). */
// biome-ignore format: one case per line
const ALIASES: [alias: string, english: string][] = [
  ['idag', 'today'], ['i dag', 'today'], ['I DAG', 'today'],
  ['igår', 'yesterday'], ['i går', 'yesterday'], ['igar', 'yesterday'],
  ['wtd', 'this-week'], ['denna-veckan', 'this-week'], ['denna vecka', 'this-week'], ['den-här-veckan', 'this-week'], ['den-har-veckan', 'this-week'],
  ['förra-veckan', 'last-week'], ['förra veckan', 'last-week'], ['forra-veckan', 'last-week'],
  ['mtd', 'this-month'], ['denna-månaden', 'this-month'], ['denna månad', 'this-month'], ['den-här-månaden', 'this-month'],
  ['förra-månaden', 'last-month'], ['förra månaden', 'last-month'],
  ['qtd', 'this-quarter'], ['detta-kvartal', 'this-quarter'], ['detta kvartalet', 'this-quarter'], ['det här kvartalet', 'this-quarter'],
  ['förra-kvartalet', 'last-quarter'], ['förra kvartal', 'last-quarter'],
  ['ytd', 'this-year'], ['i-år', 'this-year'], ['i år', 'this-year'], ['iår', 'this-year'], ['detta år', 'this-year'], ['det här året', 'this-year'],
  ['förra-året', 'last-year'], ['förra året', 'last-year'], ['i fjol', 'last-year'], ['ifjol', 'last-year'],
  ['senaste-7-dagarna', 'last-7-days'], ['senaste 7 dagar', 'last-7-days'], ['de senaste 7 dagarna', 'last-7-days'], ['past 7 days', 'last-7-days'], ['senaste 1 dagen', 'last-1-day'], ['last 1 days', 'last-1-day'],
  ['senaste-2-veckorna', 'last-2-weeks'], ['senaste 2 veckor', 'last-2-weeks'], ['last 2 week', 'last-2-weeks'], ['senaste 1 veckan', 'last-week'],
  ['senaste-3-månaderna', 'last-3-months'], ['senaste 3 månader', 'last-3-months'], ['senaste 1 månaden', 'last-month'], ['last 1 months', 'last-month'],
];

type NormCase = [comment: string, input: string, phrase: string];
// biome-ignore format: one case per line
const NORMALISED_PHRASES: NormCase[] = [
  ['lower-cased and trimmed', '  Last-Week ', 'last-week'],
  ['spaces become hyphens', 'last 7 days', 'last-7-days'],
  ['runs of spaces collapse', 'last   7    days', 'last-7-days'],
  ['underscores become hyphens', 'last_week', 'last-week'],
  ['leading zeros in N are dropped', 'last-07-days', 'last-7-days'],
  ['Swedish keeps its letters', 'Förra Veckan', 'förra-veckan'],
  ['decomposed ö (NFD) is composed', 'fo\u0308rra veckan', 'förra-veckan'],
  ['week phrase is canonical upper-case, two digits', '2026-w1', '2026-W01'],
  ['quarter phrase is canonical upper-case', '2026-q3', '2026-Q3'],
  ['range phrase uses ..', '2026-11-01 – 2026-11-05', '2026-11-01..2026-11-05'],
];

type ContextCase = [
  comment: string,
  now: string,
  timeZone: string,
  weekStartsOn: WeekStart,
  phrase: string,
  start: string,
  end: string,
  partial?: Elapsed,
];
// biome-ignore format: one case per line
const CONTEXT_CASES: ContextCase[] = [
  // Spring forward in Stockholm: 2026-03-29 has 23 hours.
  ['00:30 CEST Monday after spring-forward: last-week', '2026-03-30T00:30:00+02:00', STHLM, 1, 'last-week', '2026-03-23', '2026-03-29'],
  ['… yesterday is the 23-hour Sunday', '2026-03-30T00:30:00+02:00', STHLM, 1, 'yesterday', '2026-03-29', '2026-03-29'],
  ['… this-week is just Monday', '2026-03-30T00:30:00+02:00', STHLM, 1, 'this-week', '2026-03-30', '2026-03-30', [1, 7]],
  ['… last-7-days spans the DST change', '2026-03-30T00:30:00+02:00', STHLM, 1, 'last-7-days', '2026-03-23', '2026-03-29'],
  ['… mtd', '2026-03-30T00:30:00+02:00', STHLM, 1, 'mtd', '2026-03-01', '2026-03-30', [30, 31]],
  // Fall back in Stockholm: 2026-10-25 has 25 hours.
  ['23:59 CET on the 25-hour Sunday: this-week complete so far', '2026-10-25T23:59:00+01:00', STHLM, 1, 'this-week', '2026-10-19', '2026-10-25', [7, 7]],
  ['… last-week', '2026-10-25T23:59:00+01:00', STHLM, 1, 'last-week', '2026-10-12', '2026-10-18'],
  ['00:30 CET Monday after fall-back: last-week', '2026-10-26T00:30:00+01:00', STHLM, 1, 'last-week', '2026-10-19', '2026-10-25'],
  ['… yesterday is the 25-hour Sunday', '2026-10-26T00:30:00+01:00', STHLM, 1, 'yesterday', '2026-10-25', '2026-10-25'],
  ['… last-7-days spans the DST change', '2026-10-26T00:30:00+01:00', STHLM, 1, 'last-7-days', '2026-10-19', '2026-10-25'],
  // Near midnight: the UTC date differs from the Stockholm date.
  ['23:30Z Sunday = 00:30 Monday in Stockholm: today', '2026-11-22T23:30:00Z', STHLM, 1, 'today', '2026-11-23', '2026-11-23', [1, 1]],
  ['… this-week has just begun', '2026-11-22T23:30:00Z', STHLM, 1, 'this-week', '2026-11-23', '2026-11-23', [1, 7]],
  ['… last-week is week 47', '2026-11-22T23:30:00Z', STHLM, 1, 'last-week', '2026-11-16', '2026-11-22'],
  ['same instant in UTC: still Sunday, week 47 running', '2026-11-22T23:30:00Z', 'UTC', 1, 'this-week', '2026-11-16', '2026-11-22', [7, 7]],
  ['23:30Z Nov 30 = Dec 1 in Stockholm: mtd is one day', '2026-11-30T23:30:00Z', STHLM, 1, 'mtd', '2026-12-01', '2026-12-01', [1, 31]],
  ['… last-month is November', '2026-11-30T23:30:00Z', STHLM, 1, 'last-month', '2026-11-01', '2026-11-30'],
  ['same instant in UTC: mtd is all of November', '2026-11-30T23:30:00Z', 'UTC', 1, 'mtd', '2026-11-01', '2026-11-30', [30, 30]],
  ['evening in Los Angeles, already next day in UTC', '2026-11-23T03:00:00Z', 'America/Los_Angeles', 1, 'today', '2026-11-22', '2026-11-22', [1, 1]],
  // Year boundaries.
  ['New Year in Stockholm: ytd is one day', '2026-12-31T23:30:00Z', STHLM, 1, 'ytd', '2027-01-01', '2027-01-01', [1, 365]],
  ['… last-year is 2026', '2026-12-31T23:30:00Z', STHLM, 1, 'last-year', '2026-01-01', '2026-12-31'],
  ['… yesterday is New Year’s Eve', '2026-12-31T23:30:00Z', STHLM, 1, 'yesterday', '2026-12-31', '2026-12-31'],
  ['… last-quarter is Q4 2026', '2026-12-31T23:30:00Z', STHLM, 1, 'last-quarter', '2026-10-01', '2026-12-31'],
  ['… this-week is ISO week 53 of 2026', '2026-12-31T23:30:00Z', STHLM, 1, 'this-week', '2026-12-28', '2027-01-01', [5, 7]],
  ['last-week on 2027-01-05 is 2026-W53', '2027-01-05T09:00:00+01:00', STHLM, 1, 'last-week', '2026-12-28', '2027-01-03'],
  ['still New Year’s Eve in Los Angeles: ytd is all 2026', '2027-01-01T05:00:00Z', 'America/Los_Angeles', 1, 'ytd', '2026-01-01', '2026-12-31', [365, 365]],
  // Leap years.
  ['on 2028-02-29: mtd is 29 of 29', '2028-02-29T12:00:00+01:00', STHLM, 1, 'mtd', '2028-02-01', '2028-02-29', [29, 29]],
  ['on 2028-03-01: yesterday is the leap day', '2028-03-01T12:00:00+01:00', STHLM, 1, 'yesterday', '2028-02-29', '2028-02-29'],
  ['on 2028-03-01: last-month is a 29-day February', '2028-03-01T12:00:00+01:00', STHLM, 1, 'last-month', '2028-02-01', '2028-02-29'],
  ['on 2028-12-31: ytd is 366 of 366', '2028-12-31T12:00:00+01:00', STHLM, 1, 'ytd', '2028-01-01', '2028-12-31', [366, 366]],
  ['2028-Q1 on 2028-02-15 is running: 46 of 91', '2028-02-15T12:00:00+01:00', STHLM, 1, '2028-Q1', '2028-01-01', '2028-02-15', [46, 91]],
  // weekStartsOn.
  ['Sunday weeks, Thursday: this-week from Sunday, 5 of 7', REF, STHLM, 0, 'this-week', '2026-11-08', '2026-11-12', [5, 7]],
  ['Sunday weeks: last-week is Sunday..Saturday', REF, STHLM, 0, 'last-week', '2026-11-01', '2026-11-07'],
  ['Sunday weeks: last-2-weeks', REF, STHLM, 0, 'last-2-weeks', '2026-10-25', '2026-11-07'],
  ['Sunday weeks, on a Sunday: this-week is one day', '2026-11-15T12:00:00+01:00', STHLM, 0, 'this-week', '2026-11-15', '2026-11-15', [1, 7]],
  ['Sunday weeks, on a Saturday: this-week is 7 of 7', '2026-11-14T12:00:00+01:00', STHLM, 0, 'this-week', '2026-11-08', '2026-11-14', [7, 7]],
  ['Saturday weeks, Thursday: 6 of 7', REF, STHLM, 6, 'this-week', '2026-11-07', '2026-11-12', [6, 7]],
  ['Sunday weeks do not change an ISO week phrase', REF, STHLM, 0, '2026-W45', '2026-11-02', '2026-11-08'],
  ['2026 has an ISO week 53', '2027-02-01T12:00:00+01:00', STHLM, 1, '2026-W53', '2026-12-28', '2027-01-03'],
];

type DerivedCase = [
  comment: string,
  phrase: string,
  now: string,
  start: string,
  end: string,
  grain: Period['grain'],
  label: string,
  partial?: Elapsed,
];

// biome-ignore format: one case per line
const PREVIOUS_CASES: DerivedCase[] = [
  ['last-week → the week before', 'last-week', REF, '2026-10-26', '2026-11-01', 'week', 'week 44, 2026'],
  ['2026-W01 → 2025-W52 (across the year)', '2026-W01', REF, '2025-12-22', '2025-12-28', 'week', 'week 52, 2025'],
  ['2027-W01 → 2026-W53', '2027-W01', '2027-02-01T12:00:00+01:00', '2026-12-28', '2027-01-03', 'week', 'week 53, 2026'],
  ['last-month (October) → September', 'last-month', REF, '2026-09-01', '2026-09-30', 'month', 'September 2026'],
  ['March → February, with February’s own length', '2026-03', REF, '2026-02-01', '2026-02-28', 'month', 'February 2026'],
  ['2027-01 → December 2026 (across the year)', '2027-01', '2027-06-01T12:00:00+02:00', '2026-12-01', '2026-12-31', 'month', 'December 2026'],
  ['Q1 → Q4 of the previous year', '2026-Q1', REF, '2025-10-01', '2025-12-31', 'quarter', 'Q4 2025'],
  ['2025 → 2024', '2025', REF, '2024-01-01', '2024-12-31', 'year', '2024'],
  ['yesterday → the day before', 'yesterday', REF, '2026-11-10', '2026-11-10', 'day', '2026-11-10'],
  ['today → yesterday, still marked partial', 'today', REF, '2026-11-11', '2026-11-11', 'day', '2026-11-11', [1, 1]],
  ['last-7-days → the 7 days before', 'last-7-days', REF, '2026-10-29', '2026-11-04', 'days', '2026-10-29 – 2026-11-04'],
  ['a 5-day range → the 5 days before', '2026-11-01..2026-11-05', REF, '2026-10-27', '2026-10-31', 'range', '2026-10-27 – 2026-10-31'],
  ['last-2-weeks → the 2 weeks before', 'last-2-weeks', REF, '2026-10-12', '2026-10-25', 'week', 'weeks 42–43, 2026'],
  ['last-3-months → the 3 months before', 'last-3-months', REF, '2026-05-01', '2026-07-31', 'month', 'May – July 2026'],
  ['senaste-12-månaderna → the 12 months before', 'senaste-12-månaderna', REF, '2024-11-01', '2025-10-31', 'month', 'November 2024 – October 2025'],
  // Partial periods: the same elapsed days of the previous unit.
  ['mtd 12 of 30 → Oct 1..12, 12 of 31', 'mtd', REF, '2026-10-01', '2026-10-12', 'month', 'October 2026 (2026-10-01 – 2026-10-12)', [12, 31]],
  ['this-week 4 of 7 → Mon..Thu of last week', 'this-week', REF, '2026-11-02', '2026-11-05', 'week', 'week 45, 2026 (2026-11-02 – 2026-11-05)', [4, 7]],
  ['qtd 43 days → Q3 Jul 1..Aug 12', 'qtd', REF, '2026-07-01', '2026-08-12', 'quarter', 'Q3 2026 (2026-07-01 – 2026-08-12)', [43, 92]],
  ['ytd 316 days → 2025 Jan 1..Nov 12', 'ytd', REF, '2025-01-01', '2025-11-12', 'year', '2025 (2025-01-01 – 2025-11-12)', [316, 365]],
  ['mtd on 2028-03-31 → Feb 1..29 (clamped, leap year)', 'mtd', '2028-03-31T12:00:00+02:00', '2028-02-01', '2028-02-29', 'month', 'February 2028', [29, 29]],
  ['mtd on 2027-03-31 → Feb 1..28 (clamped)', 'mtd', '2027-03-31T12:00:00+02:00', '2027-02-01', '2027-02-28', 'month', 'February 2027', [28, 28]],
  ['qtd 61 days on 2026-05-31 → Jan 1..Mar 2', 'qtd', '2026-05-31T12:00:00+02:00', '2026-01-01', '2026-03-02', 'quarter', 'Q1 2026 (2026-01-01 – 2026-03-02)', [61, 90]],
  ['ytd 366 days on 2028-12-31 → all of 2027 (clamped)', 'ytd', '2028-12-31T12:00:00+01:00', '2027-01-01', '2027-12-31', 'year', '2027', [365, 365]],
];

// biome-ignore format: one case per line
const LAST_YEAR_CASES: DerivedCase[] = [
  ['a leap day → 28 Feb', '2028-02-29', '2028-06-01T12:00:00+02:00', '2027-02-28', '2027-02-28', 'day', '2027-02-28'],
  ['today on a leap day → 28 Feb, still partial', 'today', '2028-02-29T12:00:00+01:00', '2027-02-28', '2027-02-28', 'day', '2027-02-28', [1, 1]],
  ['2026-W53 → 2025-W52 (2025 has 52 weeks)', '2026-W53', '2027-02-01T12:00:00+01:00', '2025-12-22', '2025-12-28', 'week', 'week 52, 2025'],
  ['last-week on 2027-01-05 (W53) → 2025-W52', 'last-week', '2027-01-05T09:00:00+01:00', '2025-12-22', '2025-12-28', 'week', 'week 52, 2025'],
  ['a week 52 → week 52 of the previous ISO year', '2021-W52', REF, '2020-12-21', '2020-12-27', 'week', 'week 52, 2020'],
  ['ISO week 45 → week 45 of the previous ISO year', '2026-W45', REF, '2025-11-03', '2025-11-09', 'week', 'week 45, 2025'],
  ['2026-W01 → 2025-W01, which starts in 2024', '2026-W01', REF, '2024-12-30', '2025-01-05', 'week', 'week 1, 2025'],
  ['last-2-weeks (W44–45) → W44–45 of 2025', 'last-2-weeks', REF, '2025-10-27', '2025-11-09', 'week', 'weeks 44–45, 2025'],
  ['a month → the same month', '2026-10', REF, '2025-10-01', '2025-10-31', 'month', 'October 2025'],
  ['February of a leap year → 28-day February', '2028-02', '2028-06-01T12:00:00+02:00', '2027-02-01', '2027-02-28', 'month', 'February 2027'],
  ['last-3-months → the same months', 'last-3-months', REF, '2025-08-01', '2025-10-31', 'month', 'August – October 2025'],
  ['a quarter → the same quarter', '2026-Q3', REF, '2025-07-01', '2025-09-30', 'quarter', 'Q3 2025'],
  ['a year → the year before', '2025', REF, '2024-01-01', '2024-12-31', 'year', '2024'],
  ['last-7-days → same dates', 'last-7-days', REF, '2025-11-05', '2025-11-11', 'days', '2025-11-05 – 2025-11-11'],
  ['a range over a leap day → same dates, 29 Feb → 28 Feb', '2028-02-28..2028-03-01', '2028-06-01T12:00:00+02:00', '2027-02-28', '2027-03-01', 'range', '2027-02-28 – 2027-03-01'],
  // Partial periods keep their elapsed days.
  ['mtd 12 of 30 → Nov 1..12 2025', 'mtd', REF, '2025-11-01', '2025-11-12', 'month', 'November 2025 (2025-11-01 – 2025-11-12)', [12, 30]],
  ['mtd on 2028-02-29 (29 days) → Feb 2027, clamped to 28', 'mtd', '2028-02-29T12:00:00+01:00', '2027-02-01', '2027-02-28', 'month', 'February 2027', [28, 28]],
  ['this-week (ISO) 4 of 7 → same ISO week of 2025', 'this-week', REF, '2025-11-10', '2025-11-13', 'week', 'week 46, 2025 (2025-11-10 – 2025-11-13)', [4, 7]],
  ['qtd → same days of Q4 2025', 'qtd', REF, '2025-10-01', '2025-11-12', 'quarter', 'Q4 2025 (2025-10-01 – 2025-11-12)', [43, 92]],
  ['ytd on 2028-12-31 (366 days) → all of 2027', 'ytd', '2028-12-31T12:00:00+01:00', '2027-01-01', '2027-12-31', 'year', '2027', [365, 365]],
];

type ErrorCase = [comment: string, phrase: string, message: RegExp];
// biome-ignore format: one case per line
const ERROR_CASES: ErrorCase[] = [
  ['empty', '', /No period given/],
  ['only spaces', '   ', /No period given/],
  ['garbage is named', 'banana', /don't understand the period "banana"/],
  ['typo gets a suggestion', 'last-wek', /Did you mean "last-week"\?/],
  ['typo without hyphen', 'lastweek', /Did you mean "last-week"\?/],
  ['Swedish typo gets a Swedish suggestion', 'förra-vekan', /Did you mean "förra-veckan"\?/],
  ['typo in last-N unit keeps N', 'last-14-dayz', /Did you mean "last-14-days"\?/],
  ['unknown unit', 'last-3-fortnights', /"last-3-fortnights"/],
  ['next-week is not supported', 'next-week', /don't understand the period "next-week"/],
  ['N = 0', 'last-0-days', /number must be 1–3660/],
  ['N too large (days)', 'last-3661-days', /number must be 1–3660/],
  ['N too large (weeks)', 'last-523-weeks', /number must be 1–522/],
  ['N too large (months)', 'last-121-months', /number must be 1–120/],
  ['30 February', '2026-02-30', /2026-02-30 is not a valid date/],
  ['29 February in a common year', '2027-02-29', /2027-02-29 is not a valid date/],
  ['month 13 day', '2026-13-01', /2026-13-01 is not a valid date/],
  ['day 00', '2026-11-00', /2026-11-00 is not a valid date/],
  ['month 13', '2026-13', /2026-13 is not a valid month/],
  ['month 00', '2026-00', /2026-00 is not a valid month/],
  ['week 0', '2026-W00', /2026 has ISO weeks 1–53/],
  ['week 54', '2026-W54', /2026-W54 does not exist: 2026 has ISO weeks 1–53/],
  ['week 53 in a 52-week year', '2025-W53', /2025-W53 does not exist: 2025 has ISO weeks 1–52/],
  ['quarter 5', '2026-Q5', /quarters are Q1–Q4/],
  ['quarter 0', '2026-Q0', /quarters are Q1–Q4/],
  ['range backwards', '2026-11-15..2026-11-01', /starts after it ends/],
  ['range with a bad date', '2026-11-01..2026-11-31', /2026-11-31 is not a valid date/],
  ['range in the future', '2026-11-13..2026-11-20', /in the future \(today is 2026-11-12\)/],
  ['tomorrow', '2026-11-13', /in the future/],
  ['next month', '2026-12', /in the future/],
  ['next ISO week', '2026-W47', /in the future/],
  ['next year', '2027', /in the future/],
  ['next quarter', '2027-Q1', /in the future/],
  ['year before 1000', '0999', /not a valid year/],
  ['one-digit day', '2026-11-1', /don't understand/],
  ['two-digit year', '26-11', /don't understand/],
];

// ---------------------------------------------------------------------------------------------
// Checks (shared by the main tests and the process-TZ replay)

function checkParse([, phrase, start, end, grain, label, partial]: ParseCase): void {
  const p = parse(phrase, ctx(needsLater(phrase) ? LATER : REF));
  expect(p).toMatchObject({ start, end, grain, label });
  expect(p.partial).toEqual(partialOf(partial));
}

function checkContext([, now, timeZone, wso, phrase, start, end, partial]: ContextCase): void {
  const p = parse(phrase, ctx(now, timeZone, wso));
  expect(`${p.start}..${p.end}`).toBe(`${start}..${end}`);
  expect(p.partial).toEqual(partialOf(partial));
}

function checkDerived(
  fn: (p: Period) => Period,
  [, phrase, now, start, end, grain, label, partial]: DerivedCase,
): void {
  const q = fn(parse(phrase, ctx(now)));
  expect(q).toMatchObject({ start, end, grain, label });
  expect(q.partial).toEqual(partialOf(partial));
}

// ---------------------------------------------------------------------------------------------

describe('todayIn', () => {
  it.each(TODAY_CASES)('%s', (_c, now, timeZone, today) => {
    expect(todayIn(ctx(now, timeZone))).toBe(today);
  });

  it('throws on an unknown timezone (a config error, not user input)', () => {
    expect(() => todayIn(ctx(REF, 'Europe/Stokholm'))).toThrow(RangeError);
    expect(() => parsePeriod('today', ctx(REF, 'Mars/Olympus'))).toThrow(RangeError);
  });

  it('throws on an invalid now', () => {
    expect(() => todayIn({ now: new Date(Number.NaN), timeZone: STHLM, weekStartsOn: 1 })).toThrow(
      RangeError,
    );
  });
});

describe('parsePeriod', () => {
  it.each(PARSE_CASES)('%s: %s', (...c) => checkParse(c));

  it.each(ALIASES)('alias %j ≡ %j', (alias, english) => {
    const { phrase: _a, label: _la, ...a } = parse(alias);
    const { phrase: _b, label: _lb, ...b } = parse(english);
    expect(a).toEqual(b);
  });

  it.each(NORMALISED_PHRASES)('phrase: %s', (_c, input, phrase) => {
    expect(parse(input).phrase).toBe(phrase);
  });

  it.each(CONTEXT_CASES)('%s', (...c) => checkContext(c));

  it('this-month ≡ mtd, this-week ≡ wtd, this-quarter ≡ qtd, this-year ≡ ytd (dates)', () => {
    for (const [a, b] of [
      ['this-month', 'mtd'],
      ['this-week', 'wtd'],
      ['this-quarter', 'qtd'],
      ['this-year', 'ytd'],
    ] as const) {
      const { phrase: _a, ...pa } = parse(a);
      const { phrase: _b, ...pb } = parse(b);
      expect(pa).toEqual(pb);
    }
  });

  it('labels use the ISO week number and locale-neutral English', () => {
    expect(parse('2026-W47', ctx(LATER)).label).toBe('week 47, 2026');
    expect(parse('2026-11', ctx(LATER)).label).toBe('November 2026');
    expect(parse('2026-Q3').label).toBe('Q3 2026');
    expect(parse('2025').label).toBe('2025');
    expect(parse('2026-11-01..2026-11-05').label).toBe('2026-11-01 – 2026-11-05');
    expect(parse('today', ctx('2026-11-22T12:00:00+01:00')).label).toBe('2026-11-22 (today)');
  });

  it('labels a week that does not start on Monday by its first day', () => {
    expect(parse('last-week', ctx(REF, STHLM, 0)).label).toBe('week of 2026-11-01');
    expect(parse('this-week', ctx(REF, STHLM, 0)).label).toBe('week of 2026-11-08 to date');
  });

  it('last-3660-days is the longest and ends yesterday', () => {
    const p = parse('last-3660-days');
    expect(daysInRange(p)).toBe(3660);
    expect(p.end).toBe('2026-11-11');
    expect(parse('last-522-weeks').end).toBe('2026-11-08');
    expect(daysInRange(parse('last-522-weeks'))).toBe(3654);
    expect(parse('last-120-months').start).toBe('2016-11-01');
  });

  it.each(ERROR_CASES)('error: %s (%j)', (_c, phrase, message) => {
    const r = parsePeriod(phrase, ctx(REF));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(message);
    // Every error lists a few examples that work.
    expect(r.error).toMatch(/Try e\.g\. `last-week`, `mtd`, `last-7-days`/);
  });

  it('says it in Swedish under a Swedish locale', () => {
    const r = parsePeriod('banana', { ...ctx(REF), locale: 'sv-SE' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBe(
      'Jag förstår inte perioden "banana". Prova t.ex. `last-week`, `mtd`, `last-7-days`, `2026-W47`, `2026-11`, `2026-Q3`.',
    );
    const future = parsePeriod('2027', { ...ctx(REF), locale: 'sv-SE' });
    expect(future.ok ? '' : future.error).toMatch(
      /^"2027" ligger i framtiden \(i dag är 2026-11-12\)/,
    );
  });

  it('never echoes more than a short slice of a long phrase', () => {
    const r = parsePeriod('x'.repeat(5000), ctx(REF));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.length).toBeLessThan(250);
  });

  it('never throws on odd input', () => {
    for (const s of ['..', '–', '-', 'last-', 'last-days', '2026-W', '2026-Q', '\u0000', '🙂']) {
      expect(parsePeriod(s, ctx(REF)).ok).toBe(false);
    }
  });

  it('every PERIOD_EXAMPLES entry parses (at a later now)', () => {
    expect(PERIOD_EXAMPLES.length).toBeGreaterThanOrEqual(6);
    for (const example of PERIOD_EXAMPLES) {
      expect(parsePeriod(example, ctx('2027-06-01T12:00:00+02:00')).ok, example).toBe(true);
    }
  });

  it('every derived phrase parses back to the same dates', () => {
    const later = ctx('2030-01-01T12:00:00+01:00');
    for (const [, phrase, now] of [...PREVIOUS_CASES, ...LAST_YEAR_CASES]) {
      const p = parse(phrase, ctx(now));
      for (const q of [previousPeriod(p), sameLastYear(p), ...precedingPeriods(p, 4)]) {
        if (q === p) continue;
        const back = parse(q.phrase, later);
        expect(`${back.start}..${back.end}`, q.phrase).toBe(`${q.start}..${q.end}`);
      }
    }
  });
});

describe('previousPeriod', () => {
  it.each(PREVIOUS_CASES)('%s', (...c) => checkDerived(previousPeriod, c));

  it('gives complete units a canonical phrase', () => {
    expect(previousPeriod(parse('last-week')).phrase).toBe('2026-W44');
    expect(previousPeriod(parse('last-month')).phrase).toBe('2026-09');
    expect(previousPeriod(parse('2026-Q1')).phrase).toBe('2025-Q4');
    expect(previousPeriod(parse('2025')).phrase).toBe('2024');
    expect(previousPeriod(parse('yesterday')).phrase).toBe('2026-11-10');
    expect(previousPeriod(parse('mtd')).phrase).toBe('2026-10-01..2026-10-12');
    expect(previousPeriod(parse('last-7-days')).phrase).toBe('2026-10-29..2026-11-04');
  });

  it('Sunday weeks: previous of a partial this-week is the same weekdays a week earlier', () => {
    const q = previousPeriod(parse('this-week', ctx(REF, STHLM, 0)));
    expect(q).toMatchObject({
      start: '2026-11-01',
      end: '2026-11-05',
      label: 'week of 2026-11-01 (2026-11-01 – 2026-11-05)',
    });
    expect(q.partial).toEqual({ elapsedDays: 5, totalDays: 7 });
  });

  it('does not mutate its argument', () => {
    const p = parse('mtd');
    const copy = structuredClone(p);
    previousPeriod(p);
    sameLastYear(p);
    precedingPeriods(p, 3);
    expect(p).toEqual(copy);
  });
});

describe('sameLastYear', () => {
  it.each(LAST_YEAR_CASES)('%s', (...c) => checkDerived(sameLastYear, c));

  it('Sunday weeks → 52 weeks earlier (same weekdays)', () => {
    const q = sameLastYear(parse('this-week', ctx(REF, STHLM, 0)));
    expect(`${q.start}..${q.end}`).toBe('2025-11-09..2025-11-13');
    expect(q.partial).toEqual({ elapsedDays: 5, totalDays: 7 });
  });
});

describe('precedingPeriods', () => {
  it('n weeks, oldest first, p last', () => {
    const p = parse('last-week');
    const list = precedingPeriods(p, 4);
    expect(list.map((q) => q.label)).toEqual([
      'week 42, 2026',
      'week 43, 2026',
      'week 44, 2026',
      'week 45, 2026',
    ]);
    expect(list[3]).toEqual(p);
  });

  it('months keep their own lengths', () => {
    const list = precedingPeriods(parse('last-month'), 3);
    expect(list.map((q) => `${q.start}..${q.end}`)).toEqual([
      '2026-08-01..2026-08-31',
      '2026-09-01..2026-09-30',
      '2026-10-01..2026-10-31',
    ]);
  });

  it('mtd on 2028-03-31: clamping to February does not shrink January', () => {
    const list = precedingPeriods(parse('mtd', ctx('2028-03-31T12:00:00+02:00')), 4);
    expect(list.map((q) => `${q.start}..${q.end}`)).toEqual([
      '2027-12-01..2027-12-31',
      '2028-01-01..2028-01-31',
      '2028-02-01..2028-02-29',
      '2028-03-01..2028-03-31',
    ]);
    expect(list.every((q) => q.partial !== undefined)).toBe(true);
  });

  it('partial periods keep their elapsed days', () => {
    const list = precedingPeriods(parse('mtd'), 3);
    expect(list.map((q) => `${q.start}..${q.end}`)).toEqual([
      '2026-09-01..2026-09-12',
      '2026-10-01..2026-10-12',
      '2026-11-01..2026-11-12',
    ]);
  });

  it('last-7-days: contiguous 7-day blocks', () => {
    const list = precedingPeriods(parse('last-7-days'), 8);
    expect(list).toHaveLength(8);
    for (const [i, q] of list.entries()) {
      expect(daysInRange(q)).toBe(7);
      if (i > 0) expect(addDays(list[i - 1]!.end, 1)).toBe(q.start);
    }
    expect(list[0]!.start).toBe('2026-09-17');
  });

  it('agrees with previousPeriod for the step before p', () => {
    for (const phrase of [
      'last-week',
      'mtd',
      'qtd',
      'ytd',
      'last-7-days',
      'last-3-months',
      '2026-Q3',
    ]) {
      const p = parse(phrase);
      expect(precedingPeriods(p, 2)[0]).toEqual(previousPeriod(p));
    }
  });

  it('n = 1 is [p], n = 0 is [], a negative or fractional n throws', () => {
    const p = parse('last-week');
    expect(precedingPeriods(p, 1)).toEqual([p]);
    expect(precedingPeriods(p, 0)).toEqual([]);
    expect(() => precedingPeriods(p, -1)).toThrow(RangeError);
    expect(() => precedingPeriods(p, 1.5)).toThrow(RangeError);
  });
});

describe('date helpers', () => {
  it.each([
    ['across spring-forward', '2026-03-28', 2, '2026-03-30'],
    ['across fall-back', '2026-10-24', 2, '2026-10-26'],
    ['back onto a leap day', '2028-03-01', -1, '2028-02-29'],
    ['across the year', '2026-12-31', 1, '2027-01-01'],
    ['zero', '2026-11-12', 0, '2026-11-12'],
    ['a whole leap year', '2028-01-01', 366, '2029-01-01'],
    ['far back', '2026-11-12', -3660, '2016-11-04'],
  ] as const)('addDays %s', (_c, d, n, expected) => {
    expect(addDays(d, n)).toBe(expected);
  });

  it('addDays rejects a non-date', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('yesterday', 1)).toThrow(RangeError);
  });

  it.each([
    ['one day', '2026-11-12', '2026-11-12', 1],
    ['a week across spring-forward', '2026-03-23', '2026-03-29', 7],
    ['a week across fall-back', '2026-10-19', '2026-10-25', 7],
    ['leap February', '2028-02-01', '2028-02-29', 29],
    ['a leap year', '2028-01-01', '2028-12-31', 366],
    ['end before start', '2026-11-12', '2026-11-11', 0],
  ] as const)('daysInRange %s', (_c, start, end, n) => {
    expect(daysInRange({ start, end })).toBe(n);
  });

  it.each([
    ['Thursday in week 46', '2026-11-12', 2026, 46],
    ['31 Dec 2026 is in week 53', '2026-12-31', 2026, 53],
    ['3 Jan 2027 is still 2026-W53', '2027-01-03', 2026, 53],
    ['4 Jan 2027 is 2027-W01', '2027-01-04', 2027, 1],
    ['30 Dec 2024 is 2025-W01', '2024-12-30', 2025, 1],
    ['3 Jan 2021 is 2020-W53', '2021-01-03', 2020, 53],
    ['1 Jan 2026 (Thursday) is 2026-W01', '2026-01-01', 2026, 1],
  ] as const)('isoWeekOf: %s', (_c, d, year, week) => {
    expect(isoWeekOf(d)).toEqual({ year, week });
  });

  it('isoWeeksInYear / isoWeekStart', () => {
    expect([2020, 2024, 2025, 2026, 2027, 2032].map(isoWeeksInYear)).toEqual([
      53, 52, 52, 53, 52, 53,
    ]);
    expect(isoWeekStart(2026, 53)).toBe('2026-12-28');
    expect(isoWeekStart(2027, 1)).toBe('2027-01-04');
  });

  it('normalisePhrase', () => {
    expect(normalisePhrase('  Förra   Veckan ')).toBe('förra-veckan');
    expect(normalisePhrase('2026-11-01 .. 2026-11-05')).toBe('2026-11-01..2026-11-05');
  });
});

describe('calendar arithmetic agrees with date-fns (TZDate in UTC) on every day 2019–2029', () => {
  // Covers the 53-week ISO years 2020 and 2026 and the leap years 2020, 2024 and 2028.
  it('addDays, daysInRange, isoWeekOf and sameLastYear of a day', () => {
    const utc = { in: tz('UTC') };
    const first = new TZDate(2019, 0, 1, 'UTC');
    const mismatches: string[] = [];
    let day = '2019-01-01';
    let ref = first;
    while (day <= '2029-12-31') {
      const single: Period = { start: day, end: day, phrase: day, label: day, grain: 'day' };
      const ours = [
        day,
        isoWeekOf(day),
        sameLastYear(single).start,
        daysInRange({ start: '2019-01-01', end: day }),
      ];
      const theirs = [
        fnsFormat(ref, 'yyyy-MM-dd'),
        { year: getISOWeekYear(ref, utc), week: getISOWeek(ref, utc) },
        fnsFormat(subYears(ref, 1, utc), 'yyyy-MM-dd'),
        differenceInCalendarDays(ref, first, utc) + 1,
      ];
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) mismatches.push(JSON.stringify(ours));
      day = addDays(day, 1);
      ref = fnsAddDays(ref, 1, utc);
    }
    expect(mismatches).toEqual([]);
    expect(day).toBe('2030-01-01');
  });
});

describe('every day 2026–2028 in Stockholm, just after and before midnight', () => {
  it('resolves today and the common phrases consistently across DST changes', () => {
    let day = '2026-01-01';
    while (day <= '2028-12-31') {
      const [y, m, d] = day.split('-').map(Number) as [number, number, number];
      for (const [h, min] of [
        [0, 30],
        [23, 30],
      ] as const) {
        const now = new Date(new TZDate(y, m - 1, d, h, min, STHLM).getTime());
        const c: PeriodContext = { now, timeZone: STHLM, weekStartsOn: 1 };
        expect(todayIn(c)).toBe(day);
        const lastWeek = parse('last-week', c);
        expect(daysInRange(lastWeek)).toBe(7);
        expect(isoWeekOf(lastWeek.start)).toEqual(isoWeekOf(lastWeek.end));
        expect(addDays(lastWeek.end, 1)).toBe(parse('this-week', c).start);
        const l7 = parse('last-7-days', c);
        expect([l7.start, l7.end]).toEqual([addDays(day, -7), addDays(day, -1)]);
        const mtd = parse('mtd', c);
        expect(mtd.start).toBe(`${day.slice(0, 7)}-01`);
        expect(mtd.end).toBe(day);
        expect(mtd.partial?.elapsedDays).toBe(d);
        expect(addDays(parse('last-month', c).end, 1)).toBe(mtd.start);
        expect(addDays(addDays(day, 1), -1)).toBe(day);
      }
      day = addDays(day, 1);
    }
  });
});

// Pin independence from the process timezone: replay the tables under other TZ settings.
describe.each([
  ['America/Los_Angeles', 420],
  ['Pacific/Kiritimati', -840],
  ['Asia/Kolkata', -330],
  ['Europe/Stockholm', -120],
  ['Pacific/Chatham', -765],
])('with process TZ=%s', (zone, juneOffset) => {
  const saved = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = zone;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('the TZ change took effect', () => {
    expect(new Date('2026-06-01T00:00:00Z').getTimezoneOffset()).toBe(juneOffset);
  });

  it('gives the same results', () => {
    for (const [, now, timeZone, today] of TODAY_CASES)
      expect(todayIn(ctx(now, timeZone))).toBe(today);
    for (const c of PARSE_CASES) checkParse(c);
    for (const c of CONTEXT_CASES) checkContext(c);
    for (const c of PREVIOUS_CASES) checkDerived(previousPeriod, c);
    for (const c of LAST_YEAR_CASES) checkDerived(sameLastYear, c);
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(daysInRange({ start: '2026-10-19', end: '2026-10-25' })).toBe(7);
    expect(isoWeekOf('2027-01-03')).toEqual({ year: 2026, week: 53 });
  });
});

describe('englishPeriodPhrase, cutPartial and labelWithDates', () => {
  it.each([
    ['förra-veckan', 'last-week'],
    ['i går', 'yesterday'],
    ['mtd', 'this-month'],
    ['senaste-7-dagarna', 'last-7-days'],
    ['de senaste 3 månaderna', 'last-3-months'],
    ['2026-W47', undefined],
  ])('%s → %s', (phrase, english) => {
    expect(englishPeriodPhrase(phrase)).toBe(english);
  });

  it('cuts a running month to its days with data, and previous follows day for day', () => {
    // Thursday 12 November: mtd is 1–12 November; data until the 11th.
    const cut = cutPartial(parse('mtd'), '2026-11-11');
    expect(cut).toMatchObject({
      start: '2026-11-01',
      end: '2026-11-11',
      partial: { elapsedDays: 11, totalDays: 30 },
    });
    expect(previousPeriod(cut)).toMatchObject({ start: '2026-10-01', end: '2026-10-11' });
    expect(sameLastYear(cut)).toMatchObject({ start: '2025-11-01', end: '2025-11-11' });
  });

  it('leaves complete periods, and days outside the period, alone', () => {
    const lastMonth = parse('last-month');
    expect(cutPartial(lastMonth, '2026-10-15')).toBe(lastMonth);
    const mtd = parse('mtd');
    expect(cutPartial(mtd, '2026-11-12')).toBe(mtd);
    expect(cutPartial(mtd, '2026-10-31')).toBe(mtd);
  });

  it('prints a label with its dates once', () => {
    const q = sameLastYear(parse('this-quarter'));
    expect(q.label).toBe('Q4 2025 (2025-10-01 – 2025-11-12)');
    expect(labelWithDates(q)).toBe('Q4 2025 (2025-10-01 – 2025-11-12)');
    expect(labelWithDates(parse('last-month'))).toBe('October 2026 (2026-10-01 – 2026-10-31)');
    expect(labelWithDates(parse('yesterday'))).toBe('2026-11-11 (yesterday)');
  });
});
