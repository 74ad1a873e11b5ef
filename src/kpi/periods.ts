// Period phrases (`last-week`, `mtd`, `2026-W47`, `förra-veckan`…) resolved to inclusive
// calendar dates in a configured IANA timezone. Pure: no I/O, no clock (the caller passes `now`).
//
// Only "today" depends on the instant and the timezone (resolved with @date-fns/tz); everything
// after that is calendar arithmetic on (year, month, day), so nothing here depends on the
// process timezone and no day is ever stepped by adding 24 hours.
//
// Semantics worth knowing:
// - Running periods (today, this-week/wtd, this-month/mtd, this-quarter/qtd, this-year/ytd,
//   and an explicit unit such as `2026-11` that contains today) end today and carry
//   `partial: { elapsedDays, totalDays }`.
// - `last-N-days` = N complete days ending yesterday (grain 'days').
// - `last-N-weeks` = N complete weeks ending with last week (grain 'week', 7·N days);
//   `last-N-months` = N complete calendar months ending with last month (grain 'month').
//   A 'week'/'month'/'quarter'/'year' period may therefore span several whole units;
//   previousPeriod and sameLastYear shift it by its own length in units.
// - Explicit periods (dates, ranges, weeks, months, quarters, years) that start after today
//   are errors. Explicit ranges are kept as written (not clamped to today).
// - Derived periods (previousPeriod, sameLastYear, precedingPeriods) get a canonical phrase
//   that parses back to the same dates: `2026-10`, `2026-W46`, `2026-Q3`, `2026`,
//   `2026-11-21`, or `start..end`.

import { tz } from '@date-fns/tz';
import { format } from 'date-fns';
import { ERROR_WORDS, type ErrorWords } from '../messages/errors.ts';
import { wordsFor } from '../messages/lang.ts';
import { localLabel } from '../messages/periods.ts';
import { editDistance } from './names.ts';
import type { DateRange, IsoDate, Period, PeriodGrain } from './types.ts';

export interface PeriodContext {
  /** The instant "now"; only its calendar date in `timeZone` matters. */
  now: Date;
  /** IANA timezone, e.g. `Europe/Stockholm`. */
  timeZone: string;
  /** First day of the week for this-week/last-week: 0 = Sunday, 1 = Monday (the default). */
  weekStartsOn: 0 | 1 | 2 | 3 | 4 | 5 | 6;
  /** The language of a period's error (src/messages/errors.ts); English when not given. */
  locale?: string;
}

export type PeriodResult = { ok: true; period: Period } | { ok: false; error: string };

export const PERIOD_EXAMPLES: readonly string[] = [
  'last-week',
  'mtd',
  'last-7-days',
  '2026-W47',
  '2026-11',
  '2026-Q3',
  '2026-11-01..2026-11-15',
  'förra-veckan',
];

/** Longest `last-N-…` accepted, in days (weeks and months are capped at the same span). */
export const MAX_LAST_N_DAYS = 3660;
const MAX_LAST_N: Record<'days' | 'weeks' | 'months', number> = {
  days: MAX_LAST_N_DAYS,
  weeks: Math.floor(MAX_LAST_N_DAYS / 7), // 522
  months: Math.floor(MAX_LAST_N_DAYS / 30.5), // 120
};

// ---------------------------------------------------------------------------------------------
// Today in the configured timezone (the only step that depends on a zone)

const zoneValidity = new Map<string, boolean>();

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  let valid = zoneValidity.get(timeZone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone });
      valid = true;
    } catch {
      valid = false;
    }
    zoneValidity.set(timeZone, valid);
  }
  return valid;
}

/** Today's calendar date in `ctx.timeZone`. Throws RangeError on an invalid zone or `now`. */
export function todayIn(ctx: PeriodContext): IsoDate {
  if (!isValidTimeZone(ctx.timeZone)) {
    throw new RangeError(`Unknown timezone: ${JSON.stringify(ctx.timeZone)}`);
  }
  if (Number.isNaN(ctx.now.getTime())) throw new RangeError('Invalid "now" date');
  return format(ctx.now, 'yyyy-MM-dd', { in: tz(ctx.timeZone) });
}

// ---------------------------------------------------------------------------------------------
// Calendar dates
//
// Pure calendar arithmetic on (year, month, day). A `Date` appears only as the instant of
// 00:00 UTC of a calendar day, read and written through UTC methods, so there is no DST and no
// dependence on the process timezone; days are stepped with `setUTCFullYear(y, m, d + n)`
// (calendar normalisation), never by adding hours. (date-fns on `TZDate('UTC')` gives the same
// results at ~50× the cost, since every operation goes through `Intl`.)

interface Ymd {
  y: number;
  /** 1–12 */
  m: number;
  d: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** Midnight UTC of a calendar day; month and day may overflow (they normalise). */
function utcMidnight(y: number, m: number, d: number): Date {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d); // unlike Date.UTC, no 0–99 → 1900s mapping
  return t;
}

function fromUtc(t: Date): IsoDate {
  return fmt(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

function fmt(y: number, m: number, d: number): IsoDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Parses `YYYY-MM-DD` (year 1000–9999), or undefined if it is not a real calendar date. */
function tryYmd(s: string): Ymd | undefined {
  const match = ISO_DATE.exec(s);
  if (!match) return undefined;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (y < 1000 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return { y, m, d };
}

function ymd(date: IsoDate): Ymd {
  const parsed = tryYmd(date);
  if (!parsed) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return parsed;
}

/** Days since 1970-01-01 (exact: both are UTC midnights). */
function dayNumber(date: IsoDate): number {
  const { y, m, d } = ymd(date);
  return Math.round(utcMidnight(y, m, d).getTime() / 86_400_000);
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(date: IsoDate): number {
  const { y, m, d } = ymd(date);
  return utcMidnight(y, m, d).getUTCDay();
}

/** `d` moved by `n` calendar days (negative = back). Throws RangeError on a non-date. */
export function addDays(d: IsoDate, n: number): IsoDate {
  const p = ymd(d);
  return fromUtc(utcMidnight(p.y, p.m, p.d + n));
}

/** `d` moved by `n` calendar months, the day clamped to the target month (31 Mar − 1 → 28/29 Feb). */
function addMonths(date: IsoDate, n: number): IsoDate {
  const { y, m, d } = ymd(date);
  const index = y * 12 + (m - 1) + n;
  const ty = Math.floor(index / 12);
  const tm = index - ty * 12 + 1;
  return fmt(ty, tm, Math.min(d, daysInMonth(ty, tm)));
}

function lastDayOfMonth(date: IsoDate): IsoDate {
  const { y, m } = ymd(date);
  return fmt(y, m, daysInMonth(y, m));
}

/** Number of days in the inclusive range (1 for a single day; ≤ 0 if end < start). */
export function daysInRange(r: DateRange): number {
  return dayNumber(r.end) - dayNumber(r.start) + 1;
}

/** The first day on or before `date` that is weekday `weekStartsOn` (0 = Sunday). */
function startOfWeek(date: IsoDate, weekStartsOn: number): IsoDate {
  return addDays(date, -((weekday(date) - weekStartsOn + 7) % 7));
}

/** ISO-8601 week-numbering year and week (weeks start on Monday; week 1 holds 4 January). */
export function isoWeekOf(d: IsoDate): { year: number; week: number } {
  // The ISO week belongs to the year of its Thursday.
  const thursday = addDays(startOfWeek(d, 1), 3);
  const year = ymd(thursday).y;
  return { year, week: Math.floor((dayNumber(thursday) - dayNumber(fmt(year, 1, 1))) / 7) + 1 };
}

/** Number of ISO weeks (52 or 53) in ISO week-numbering year `year`. */
export function isoWeeksInYear(year: number): number {
  return isoWeekOf(fmt(year, 12, 28)).week;
}

/** Monday of ISO week `week` of ISO year `year` (week is not range-checked). */
export function isoWeekStart(year: number, week: number): IsoDate {
  return addDays(startOfWeek(fmt(year, 1, 4), 1), 7 * (week - 1));
}

function isMonday(d: IsoDate): boolean {
  return weekday(d) === 1;
}

// ---------------------------------------------------------------------------------------------
// Calendar units

type Unit = 'day' | 'week' | 'month' | 'quarter' | 'year';

function isUnit(g: PeriodGrain): g is Unit {
  return g === 'day' || g === 'week' || g === 'month' || g === 'quarter' || g === 'year';
}

function unitStart(d: IsoDate, unit: Unit, weekStartsOn: PeriodContext['weekStartsOn']): IsoDate {
  const { y, m } = ymd(d);
  switch (unit) {
    case 'day':
      return d;
    case 'week':
      return startOfWeek(d, weekStartsOn);
    case 'month':
      return fmt(y, m, 1);
    case 'quarter':
      return fmt(y, m - ((m - 1) % 3), 1);
    case 'year':
      return fmt(y, 1, 1);
  }
}

/** The start of the unit `k` units after the unit starting at `start` (k < 0 = earlier). */
function shiftUnit(start: IsoDate, unit: Unit, k: number): IsoDate {
  switch (unit) {
    case 'day':
      return addDays(start, k);
    case 'week':
      return addDays(start, 7 * k);
    case 'month':
      return addMonths(start, k);
    case 'quarter':
      return addMonths(start, 3 * k);
    case 'year':
      return addMonths(start, 12 * k);
  }
}

/** The last day of the unit that starts at `start`. */
function unitEnd(start: IsoDate, unit: Unit): IsoDate {
  switch (unit) {
    case 'day':
      return start;
    case 'week':
      return addDays(start, 6);
    case 'month':
      return lastDayOfMonth(start);
    case 'quarter':
      return lastDayOfMonth(addMonths(start, 2));
    case 'year':
      return fmt(ymd(start).y, 12, 31);
  }
}

/** Days in the unit that starts at `start`. */
function unitLength(start: IsoDate, unit: Unit): number {
  return daysInRange({ start, end: unitEnd(start, unit) });
}

/** Whether `start` is where a `unit` begins (any day begins a day or a week). */
function isUnitStart(start: IsoDate, unit: Unit): boolean {
  return unit === 'day' || unit === 'week' || unitStart(start, unit, 1) === start;
}

/** Whole months from the month of `a` to the month of `b`, inclusive. */
function monthSpan(a: IsoDate, b: IsoDate): number {
  const x = ymd(a);
  const y = ymd(b);
  return (y.y - x.y) * 12 + (y.m - x.m) + 1;
}

/** The last day of the `span`-month block starting at month start `start`. */
function endOfMonths(start: IsoDate, span: number): IsoDate {
  return lastDayOfMonth(addMonths(start, span - 1));
}

/** Quarter 1–4 of a date. */
function quarterOf(d: IsoDate): number {
  return Math.ceil(ymd(d).m / 3);
}

/**
 * The grain a complete period really has: the declared one when the dates fit it (a 'month'
 * starts on a 1st and ends on a month's last day…), otherwise 'range'.
 */
function effectiveGrain(p: DateRange & { grain: PeriodGrain }): PeriodGrain {
  const len = daysInRange(p);
  switch (p.grain) {
    case 'day':
      return len === 1 ? 'day' : 'range';
    case 'week':
      return len > 0 && len % 7 === 0 ? 'week' : 'range';
    case 'month':
    case 'quarter':
    case 'year': {
      const span = monthSpan(p.start, p.end);
      const perUnit = p.grain === 'month' ? 1 : p.grain === 'quarter' ? 3 : 12;
      const aligned =
        isUnitStart(p.start, p.grain) &&
        p.end === lastDayOfMonth(p.end) &&
        span > 0 &&
        span % perUnit === 0;
      return aligned ? p.grain : 'range';
    }
    default:
      return p.grain;
  }
}

// ---------------------------------------------------------------------------------------------
// Labels and canonical phrases

function monthName(d: IsoDate): string {
  return MONTHS[ymd(d).m - 1]!;
}

function yearOf(d: IsoDate): number {
  return ymd(d).y;
}

function rangeLabel(start: IsoDate, end: IsoDate): string {
  return start === end ? start : `${start} – ${end}`;
}

/** Human label of a complete period whose dates fit `grain` (see effectiveGrain). */
function labelFor(grain: PeriodGrain, start: IsoDate, end: IsoDate): string {
  switch (grain) {
    case 'day':
      return start;
    case 'week': {
      const single = daysInRange({ start, end }) === 7;
      if (!isMonday(start)) return single ? `week of ${start}` : rangeLabel(start, end);
      const a = isoWeekOf(start);
      const b = isoWeekOf(end);
      if (single) return `week ${a.week}, ${a.year}`;
      if (a.year === b.year) return `weeks ${a.week}–${b.week}, ${a.year}`;
      return `week ${a.week}, ${a.year} – week ${b.week}, ${b.year}`;
    }
    case 'month': {
      const ya = yearOf(start);
      const yb = yearOf(end);
      if (monthSpan(start, end) === 1) return `${monthName(start)} ${ya}`;
      if (ya === yb) return `${monthName(start)} – ${monthName(end)} ${ya}`;
      return `${monthName(start)} ${ya} – ${monthName(end)} ${yb}`;
    }
    case 'quarter': {
      const qa = quarterOf(start);
      const qb = quarterOf(end);
      const ya = yearOf(start);
      const yb = yearOf(end);
      if (monthSpan(start, end) === 3) return `Q${qa} ${ya}`;
      if (ya === yb) return `Q${qa}–Q${qb} ${ya}`;
      return `Q${qa} ${ya} – Q${qb} ${yb}`;
    }
    case 'year': {
      const ya = yearOf(start);
      const yb = yearOf(end);
      return ya === yb ? `${ya}` : `${ya}–${yb}`;
    }
    default:
      return rangeLabel(start, end);
  }
}

/** A phrase that parses back to the same dates. */
function canonicalPhrase(grain: PeriodGrain, start: IsoDate, end: IsoDate): string {
  const single = (unit: Unit) => unitEnd(start, unit) === end;
  if (grain === 'day' && start === end) return start;
  if (grain === 'week' && isMonday(start) && single('week')) {
    const { year, week } = isoWeekOf(start);
    return `${year}-W${String(week).padStart(2, '0')}`;
  }
  if (grain === 'month' && single('month')) return start.slice(0, 7);
  if (grain === 'quarter' && single('quarter')) {
    return `${yearOf(start)}-Q${quarterOf(start)}`;
  }
  if (grain === 'year' && single('year')) return `${yearOf(start)}`;
  return `${start}..${end}`;
}

// ---------------------------------------------------------------------------------------------
// Building periods

function complete(grain: PeriodGrain, start: IsoDate, end: IsoDate, phrase?: string): Period {
  const g = effectiveGrain({ grain, start, end });
  return {
    start,
    end,
    phrase: phrase ?? canonicalPhrase(g, start, end),
    label: labelFor(g, start, end),
    grain: g,
  };
}

/**
 * The first `elapsed` days (clamped to the unit's length) of the unit starting at `start`.
 * With `current`, the period is the running one and its label says so ("… to date").
 */
function partial(
  unit: Unit,
  start: IsoDate,
  elapsed: number,
  opts: { phrase?: string; current?: boolean } = {},
): Period {
  const totalDays = unitLength(start, unit);
  const elapsedDays = Math.max(1, Math.min(elapsed, totalDays));
  const end = addDays(start, elapsedDays - 1);
  const unitLabel = labelFor(unit, start, unitEnd(start, unit));
  let label: string;
  if (opts.current) label = unit === 'day' ? `${start} (today)` : `${unitLabel} to date`;
  else label = elapsedDays === totalDays ? unitLabel : `${unitLabel} (${rangeLabel(start, end)})`;
  return {
    start,
    end,
    phrase: opts.phrase ?? canonicalPhrase(elapsedDays === totalDays ? unit : 'range', start, end),
    label,
    grain: unit,
    partial: { elapsedDays, totalDays },
  };
}

/** The unit containing `today`, from its start through today. */
function running(unit: Unit, today: IsoDate, ctx: PeriodContext, phrase: string): Period {
  const start = unitStart(today, unit, ctx.weekStartsOn);
  return partial(unit, start, daysInRange({ start, end: today }), { phrase, current: true });
}

/** The complete unit before the one containing `today`. */
function previousUnit(unit: Unit, today: IsoDate, ctx: PeriodContext, phrase: string): Period {
  const start = shiftUnit(unitStart(today, unit, ctx.weekStartsOn), unit, -1);
  return complete(unit, start, unitEnd(start, unit), phrase);
}

/** The calendar unit of a partial period, or undefined for a complete (or misaligned) one. */
function partialUnitOf(p: Period): Unit | undefined {
  if (!p.partial || !isUnit(p.grain) || !isUnitStart(p.start, p.grain)) return undefined;
  return p.grain;
}

/** The period `k` steps before `p` (k ≥ 0), with the semantics of previousPeriod. */
function shiftBack(p: Period, k: number): Period {
  if (k === 0) return p;
  const unit = partialUnitOf(p);
  if (unit) return partial(unit, shiftUnit(p.start, unit, -k), daysInRange(p));
  const grain = effectiveGrain(p);
  if (grain === 'month' || grain === 'quarter' || grain === 'year') {
    const span = monthSpan(p.start, p.end);
    const start = addMonths(p.start, -k * span);
    return complete(grain, start, endOfMonths(start, span));
  }
  const len = daysInRange(p);
  return complete(grain, addDays(p.start, -k * len), addDays(p.end, -k * len));
}

// ---------------------------------------------------------------------------------------------
// Comparisons

/**
 * The period to compare `p` with for "vs previous": the previous calendar unit for a complete
 * day/week/month/quarter/year (of its own length; several units shift by as many units); for
 * a partial period the same number of elapsed days from the start of the previous unit
 * (clamped to that unit's end) and itself partial; otherwise the same number of days just before.
 */
export function previousPeriod(p: Period): Period {
  return shiftBack(p, 1);
}

/** The `n` periods of the same length ending with `p`: oldest first, `p` last. */
export function precedingPeriods(p: Period, n: number): Period[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number ≥ 0: ${n}`);
  // Each one is shifted from p directly, so clamping (Mar 31 mtd → Feb 1..28) does not carry
  // over to earlier periods (→ Jan 1..31, not Jan 1..28).
  return Array.from({ length: n }, (_, i) => shiftBack(p, n - 1 - i));
}

/** The same unit start one year earlier (ISO week number for Monday weeks, else 52 weeks). */
function lastYearStart(start: IsoDate, unit: Unit): IsoDate {
  if (unit === 'week') {
    if (!isMonday(start)) return addDays(start, -364);
    const { year, week } = isoWeekOf(start);
    return isoWeekStart(year - 1, Math.min(week, isoWeeksInYear(year - 1)));
  }
  return addMonths(start, -12);
}

/**
 * The period to compare `p` with for "vs last-year": the same dates one year earlier
 * (29 Feb → 28 Feb); an ISO week → the same week number of the previous ISO year (53 → 52
 * when that year has none); a week not starting on Monday → 52 weeks earlier; months,
 * quarters and years → the same ones a year earlier; partial periods keep their elapsed days.
 */
export function sameLastYear(p: Period): Period {
  const unit = partialUnitOf(p);
  if (unit) return partial(unit, lastYearStart(p.start, unit), daysInRange(p));
  const grain = effectiveGrain(p);
  if (grain === 'month' || grain === 'quarter' || grain === 'year') {
    const span = monthSpan(p.start, p.end);
    const start = addMonths(p.start, -12);
    return complete(grain, start, endOfMonths(start, span));
  }
  if (grain === 'week') {
    const start = lastYearStart(p.start, 'week');
    return complete(grain, start, addDays(start, daysInRange(p) - 1));
  }
  const back = (d: IsoDate) => addMonths(d, -12);
  return complete(grain, back(p.start), back(p.end));
}

// ---------------------------------------------------------------------------------------------
// Parsing

type Keyword =
  | 'today'
  | 'yesterday'
  | 'this-week'
  | 'last-week'
  | 'this-month'
  | 'last-month'
  | 'this-quarter'
  | 'last-quarter'
  | 'this-year'
  | 'last-year';

/** Accepted words per keyword; Swedish ones also match without å/ä/ö (`forra-veckan`). */
const KEYWORD_ALIASES: Record<Keyword, readonly string[]> = {
  today: ['today', 'idag', 'i-dag'],
  yesterday: ['yesterday', 'igår', 'i-går'],
  'this-week': ['this-week', 'wtd', 'denna-veckan', 'denna-vecka', 'den-här-veckan'],
  'last-week': ['last-week', 'förra-veckan'],
  'this-month': ['this-month', 'mtd', 'denna-månaden', 'denna-månad', 'den-här-månaden'],
  'last-month': ['last-month', 'förra-månaden'],
  'this-quarter': ['this-quarter', 'qtd', 'detta-kvartal', 'detta-kvartalet', 'det-här-kvartalet'],
  'last-quarter': ['last-quarter', 'förra-kvartalet', 'förra-kvartal'],
  'this-year': ['this-year', 'ytd', 'i-år', 'iår', 'detta-år', 'det-här-året'],
  'last-year': ['last-year', 'förra-året', 'i-fjol', 'ifjol'],
};

const LAST_N_UNITS: Record<string, 'days' | 'weeks' | 'months'> = {};
for (const w of ['day', 'days', 'dag', 'dagar', 'dagarna', 'dagen']) LAST_N_UNITS[w] = 'days';
for (const w of ['week', 'weeks', 'vecka', 'veckor', 'veckorna', 'veckan']) {
  LAST_N_UNITS[w] = 'weeks';
}
for (const w of ['month', 'months', 'månad', 'månader', 'månaderna', 'månaden']) {
  LAST_N_UNITS[fold(w)] = 'months';
}

const LAST_N = /^(last|past|senaste|de-senaste)-(\d+)-([a-z]+)$/;

/** Lower-case ASCII folding of the Swedish letters, for lenient matching only. */
function fold(s: string): string {
  return s.replace(/[åä]/g, 'a').replace(/ö/g, 'o');
}

const KEYWORDS = new Map<string, Keyword>();
for (const [kw, words] of Object.entries(KEYWORD_ALIASES) as [Keyword, readonly string[]][]) {
  for (const w of words) KEYWORDS.set(fold(w), kw);
}

/**
 * Trimmed, lower-case, spaces/underscores → hyphens (`Last 7 days` → `last-7-days`); range
 * separators lose surrounding spaces (`2026-11-01 .. 2026-11-15`).
 */
export function normalisePhrase(phrase: string): string {
  return phrase
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/\s*(\.\.|–|—)\s*/g, '$1')
    .replace(/[\s_]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
}

function resolveKeyword(kw: Keyword, phrase: string, today: IsoDate, ctx: PeriodContext): Period {
  switch (kw) {
    case 'today':
      return running('day', today, ctx, phrase);
    case 'yesterday': {
      const y = addDays(today, -1);
      return { ...complete('day', y, y, phrase), label: `${y} (yesterday)` };
    }
    case 'this-week':
      return running('week', today, ctx, phrase);
    case 'last-week':
      return previousUnit('week', today, ctx, phrase);
    case 'this-month':
      return running('month', today, ctx, phrase);
    case 'last-month':
      return previousUnit('month', today, ctx, phrase);
    case 'this-quarter':
      return running('quarter', today, ctx, phrase);
    case 'last-quarter':
      return previousUnit('quarter', today, ctx, phrase);
    case 'this-year':
      return running('year', today, ctx, phrase);
    case 'last-year':
      return previousUnit('year', today, ctx, phrase);
  }
}

function resolveLastN(
  n: number,
  unit: 'days' | 'weeks' | 'months',
  today: IsoDate,
  ctx: PeriodContext,
  phrase: string,
): Period {
  switch (unit) {
    case 'days':
      return complete('days', addDays(today, -n), addDays(today, -1), phrase);
    case 'weeks': {
      const thisWeek = unitStart(today, 'week', ctx.weekStartsOn);
      return complete('week', addDays(thisWeek, -7 * n), addDays(thisWeek, -1), phrase);
    }
    case 'months': {
      const thisMonth = unitStart(today, 'month', ctx.weekStartsOn);
      return complete('month', shiftUnit(thisMonth, 'month', -n), addDays(thisMonth, -1), phrase);
    }
  }
}

/** An explicit whole unit: complete if past, partial (through today) if running, else an error. */
function explicitUnit(
  unit: Unit,
  start: IsoDate,
  today: IsoDate,
  phrase: string,
  raw: string,
  fail: (message: string) => PeriodResult,
  w: ErrorWords,
): PeriodResult {
  if (start > today) return fail(w.inFuture(`"${raw}"`, today));
  const end = unitEnd(start, unit);
  if (end < today) return { ok: true, period: complete(unit, start, end, phrase) };
  const elapsed = daysInRange({ start, end: today });
  return { ok: true, period: partial(unit, start, elapsed, { phrase, current: true }) };
}

function quote(raw: string): string {
  const text = raw.length > 60 ? `${raw.slice(0, 57)}…` : raw;
  return `"${text}"`;
}

/** The closest known phrase within two edits, if any ("did you mean"). */
function suggest(normalised: string): string | undefined {
  const n = /\d+/.exec(normalised)?.[0] ?? '7';
  const candidates = [
    ...Object.values(KEYWORD_ALIASES).flat(),
    `last-${n}-days`,
    `last-${n}-weeks`,
    `last-${n}-months`,
    `senaste-${n}-dagarna`,
    `senaste-${n}-veckorna`,
    `senaste-${n}-månaderna`,
  ];
  let best: { word: string; d: number } | undefined;
  for (const word of candidates) {
    const d = editDistance(fold(normalised), fold(word));
    if (d > 0 && d <= 2 && d < word.length / 3 && (!best || d < best.d)) best = { word, d };
  }
  return best?.word;
}

/**
 * The English short form of a keyword or `last-N-…` phrase in either language (`förra-veckan`
 * → `last-week`, `senaste-7-dagarna` → `last-7-days`, `mtd` → `this-month`); undefined for
 * anything else (explicit dates, weeks, months… already have a canonical phrase).
 */
export function englishPeriodPhrase(phrase: string): string | undefined {
  const key = fold(normalisePhrase(phrase));
  const kw = KEYWORDS.get(key);
  if (kw) return kw;
  const lastN = LAST_N.exec(key);
  const unit = lastN ? LAST_N_UNITS[lastN[3]!] : undefined;
  return lastN && unit ? `last-${Number(lastN[2])}-${unit}` : undefined;
}

/**
 * A running or partial period cut to end on `end` (inside it): the same unit, fewer elapsed
 * days, so previousPeriod and sameLastYear shift it day for day. Other periods come back as is.
 */
export function cutPartial(p: Period, end: IsoDate): Period {
  const unit = partialUnitOf(p);
  if (!unit || end >= p.end || end < p.start) return p;
  return partial(unit, p.start, daysInRange({ start: p.start, end }));
}

/**
 * A period's label with its dates, never twice (`Q4 2025 (2025-10-01 – 2025-12-03)`), in the
 * language of `locale` (`vecka 47, 2026 (2026-11-16 – 2026-11-22)`).
 */
export function labelWithDates(p: Pick<Period, 'label' | 'start' | 'end'>, locale = 'en'): string {
  const dates = rangeLabel(p.start, p.end);
  const label = localLabel(p.label, locale);
  return p.label.includes(dates) ? label : `${label} (${dates})`;
}

/**
 * Resolves a period phrase (case-insensitive; spaces or hyphens) against `ctx`. Never throws
 * for a bad phrase; throws RangeError only for an invalid `ctx` (unknown timezone).
 */
export function parsePeriod(phrase: string, ctx: PeriodContext): PeriodResult {
  const today = todayIn(ctx);
  const raw = phrase.trim();
  const w = wordsFor(ERROR_WORDS, ctx.locale ?? 'en');
  const tryThese = w.tryPeriods(
    PERIOD_EXAMPLES.slice(0, 6)
      .map((e) => `\`${e}\``)
      .join(', '),
  );
  const fail = (message: string): PeriodResult => ({ ok: false, error: `${message} ${tryThese}` });
  const unit = (u: Unit, start: IsoDate, phrase: string) =>
    explicitUnit(u, start, today, phrase, raw, fail, w);
  const s = normalisePhrase(phrase);
  if (s === '') return fail(w.noPeriod);
  const key = fold(s);

  const kw = KEYWORDS.get(key);
  if (kw) return { ok: true, period: resolveKeyword(kw, s, today, ctx) };

  const lastN = LAST_N.exec(key);
  const lastUnit = lastN ? LAST_N_UNITS[lastN[3]!] : undefined;
  if (lastN && lastUnit) {
    const n = Number(lastN[2]);
    const max = MAX_LAST_N[lastUnit];
    if (n < 1 || n > max) return fail(w.numberRange(quote(raw), max));
    const normalisedPhrase = s.replace(/-\d+-/, `-${n}-`);
    return { ok: true, period: resolveLastN(n, lastUnit, today, ctx, normalisedPhrase) };
  }

  const range = /^(\d{4}-\d{2}-\d{2})(?:\.\.|–|—|-)(\d{4}-\d{2}-\d{2})$/.exec(s);
  if (range) {
    const [a, b] = [range[1]!, range[2]!];
    if (!tryYmd(a)) return fail(w.notValidDate(a));
    if (!tryYmd(b)) return fail(w.notValidDate(b));
    if (a > b) return fail(w.startsAfterEnd(quote(raw)));
    if (a > today) return fail(w.inFuture(quote(raw), today));
    const grain = a === b ? 'day' : 'range';
    return { ok: true, period: complete(grain, a, b, `${a}..${b}`) };
  }

  if (ISO_DATE.test(s)) {
    if (!tryYmd(s)) return fail(w.notValidDate(s));
    return unit('day', s, s);
  }

  const month = /^(\d{4})-(\d{2})$/.exec(s);
  if (month) {
    const m = Number(month[2]);
    if (m < 1 || m > 12 || Number(month[1]) < 1000) return fail(w.notValid(s, 'month'));
    return unit('month', `${s}-01`, s);
  }

  const week = /^(\d{4})-?w(\d{1,2})$/.exec(s);
  if (week) {
    const year = Number(week[1]);
    const wk = Number(week[2]);
    const phraseW = `${year}-W${String(wk).padStart(2, '0')}`;
    if (year < 1000) return fail(w.notValid(quote(raw), 'week'));
    const weeks = isoWeeksInYear(year);
    if (wk < 1 || wk > weeks) {
      return fail(w.noSuchWeek(phraseW, year, weeks));
    }
    return unit('week', isoWeekStart(year, wk), phraseW);
  }

  const quarter = /^(\d{4})-?q(\d+)$/.exec(s);
  if (quarter) {
    const q = Number(quarter[2]);
    const year = Number(quarter[1]);
    if (q < 1 || q > 4 || year < 1000) return fail(w.quarters(quote(raw)));
    const start = `${year}-${String(3 * q - 2).padStart(2, '0')}-01`;
    return unit('quarter', start, `${year}-Q${q}`);
  }

  if (/^\d{4}$/.test(s)) {
    if (Number(s) < 1000) return fail(w.notValid(s, 'year'));
    return unit('year', `${s}-01-01`, s);
  }

  const guess = suggest(s);
  const hint = guess ? w.didYouMean(`"${guess}"`) : '';
  return fail(w.unknownPeriod(quote(raw), hint));
}
