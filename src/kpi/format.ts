// Numbers for people: KPI values, signed changes and relative changes in the configured locale.
// Pure; Intl.NumberFormat instances are built once per createFormatter call.
//
// Decisions:
// - Spaces are kept as Intl gives them (sv-SE: U+00A0 in `10 000 kr`, `2,0 %`); the separators
//   this module adds itself (` days`, ` pp`) are U+00A0 too, so a value never wraps in Slack.
// - Every minus sign is U+2212 `−`, in every locale and method (Intl's en-US gives `-`).
// - change/pct sign positives with `+`; a value that rounds to zero has no sign (`0,0 %`).
// - Currency: no decimals when |v| ≥ 100 (after rounding to cents), two below (`4,25 kr`); exactly 0 is `0 kr`.
// - pct: whole percents from 10 % up (`−62 %`), at most one decimal below (`+2,5 %`).
// - The change of a percent-unit KPI is in percentage points: `+1,5 pp` (sv-SE), `+1.5 pp` (en-US).
//   The change of a ratio drops the `:1` (`+0,4`): `+0,4:1` reads as a ratio, not a change.
// - NaN and ±Infinity are treated as null. Words (days, no data, pp) are English like every
//   other word of the replies: the locale formats numbers, it does not translate the bot.
//   An invalid locale tag throws (Intl's RangeError) at creation.
import type { Unit } from './types.ts';

export interface FormatterOptions {
  locale: string;
  currency: string;
}

export interface Formatter {
  /** A value in the KPI's unit; null → the "no data" text. */
  value(v: number | null, unit: Unit): string;
  /** A signed change in the unit (`+1 200 kr`, `−0,8×`, `+1,5 pp` for percent-unit KPIs). null → "–" */
  change(delta: number | null, unit: Unit): string;
  /** A signed relative change given as a fraction: −0.62 → `−62 %` (sv-SE) / `−62%` (en-US); null → "–". */
  pct(p: number | null): string;
  /** A plain number in the locale (grouping), e.g. counts of rows: `1 000 000`. */
  number(n: number): string;
  /** The text for no data: "no data". */
  readonly noData: string;
}

const NBSP = '\u00a0';
const MINUS = '\u2212';
const DASH = '–';

const WORDS = { noData: 'no data', days: 'days', points: 'pp' } as const;

/** The number formats one unit needs, unsigned (values) and signed (changes). */
interface Pair {
  plain: Intl.NumberFormat;
  signed: Intl.NumberFormat;
}

const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);

export function createFormatter(opts: FormatterOptions): Formatter {
  const words = WORDS;
  const pair = (o: Intl.NumberFormatOptions): Pair => ({
    plain: new Intl.NumberFormat(opts.locale, { ...o, signDisplay: 'negative' }),
    signed: new Intl.NumberFormat(opts.locale, { ...o, signDisplay: 'exceptZero' }),
  });
  const digits = (n: number) => ({ minimumFractionDigits: n, maximumFractionDigits: n });
  const money = { style: 'currency', currency: opts.currency } as const;
  const f = {
    currency0: pair({ ...money, ...digits(0) }),
    currency2: pair({ ...money, ...digits(2) }),
    percent1: pair({ style: 'percent', ...digits(1) }),
    decimal0: pair(digits(0)),
    decimal1: pair(digits(1)),
    pctWhole: pair({ style: 'percent', ...digits(0) }),
    pctSmall: pair({ style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: 1 }),
  };

  /** Formats `v` in `unit`; `signed` selects the change variant. */
  const inUnit = (v: number, unit: Unit, signed: boolean): string => {
    const pick = (p: Pair) => (signed ? p.signed : p.plain).format(v);
    switch (unit) {
      case 'currency':
        // Judged on the value rounded to cents, so 99.999 is `100 kr`, not `100,00 kr`.
        return pick(v === 0 || Math.round(Math.abs(v) * 100) >= 10_000 ? f.currency0 : f.currency2);
      case 'percent':
        return signed
          ? `${f.decimal1.signed.format(v * 100)}${NBSP}${words.points}`
          : pick(f.percent1);
      case 'multiple':
        return `${pick(f.decimal1)}×`;
      case 'ratio':
        return signed ? pick(f.decimal1) : `${pick(f.decimal1)}:1`;
      case 'count':
        return pick(Number.isInteger(v) ? f.decimal0 : f.decimal1);
      case 'days':
        return `${pick(f.decimal1)}${NBSP}${words.days}`;
      case 'position':
        return pick(f.decimal1);
    }
  };
  const minus = (s: string) => s.replace('-', MINUS);

  return {
    noData: words.noData,
    value: (v, unit) => (finite(v) ? minus(inUnit(v, unit, false)) : words.noData),
    change: (delta, unit) => (finite(delta) ? minus(inUnit(delta, unit, true)) : DASH),
    pct: (p) =>
      finite(p) ? minus((Math.abs(p) >= 0.1 ? f.pctWhole : f.pctSmall).signed.format(p)) : DASH,
    number: (n) => (finite(n) ? minus(inUnit(n, 'count', false)) : words.noData),
  };
}
