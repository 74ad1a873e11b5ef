// Numbers for people: KPI values, signed changes and relative changes in the configured locale.
// Pure; Intl.NumberFormat instances are built once per createFormatter call and digit count.
//
// Decisions:
// - How many decimals is src/kpi/precision.ts's rule: one rule for every view.
// - Spaces are kept as Intl gives them (sv-SE: U+00A0 in `10 000 kr`, `2,0 %`); the separators
//   this module adds itself (` dagar`, ` p.e.`) are U+00A0 too, so a value never wraps in Slack.
// - Every minus sign is U+2212 `−`, in every locale and method (Intl's en-US gives `-`).
// - change/pct sign positives with `+`; a relative change that rounds to zero has no sign (`0 %`);
//   a change that rounds to zero at the value's precision is the word "unchanged".
// - pct: whole percents from 10 % up (`−62 %`), at most one decimal below (`+2,5 %`).
// - The change of a percent-unit KPI is in percentage points: `+1,5 p.e.` (sv-SE), `+1.5 pp`
//   (en-US). The change of a ratio drops the `:1` (`+0,4`): `+0,4:1` reads as a ratio.
// - Words (no data, days, points, unchanged) are in the locale's language (src/messages).
// - NaN and ±Infinity are treated as null. An invalid locale tag throws (Intl's RangeError) at
//   creation.
import { FORMAT_WORDS } from '../messages/format.ts';
import { wordsFor } from '../messages/lang.ts';
import {
  type Digits,
  digitsAgainst,
  digitsFor,
  digitsOfChange,
  roundsToZero,
} from './precision.ts';
import type { Unit } from './types.ts';

export interface FormatterOptions {
  locale: string;
  currency: string;
}

export interface Formatter {
  /**
   * A value in the KPI's unit; null → the "no data" text. With `against` (a threshold,
   * benchmark or target) it has the decimals that tell the two apart.
   */
  value(v: number | null, unit: Unit, against?: number | null): string;
  /**
   * A signed change in the unit (`+1 200 kr`, `−0,8×`, `+1,5 p.e.`), with the precision of
   * `of`, the value it changes (else its own); "unchanged" when it rounds to zero. null → "–"
   */
  change(delta: number | null, unit: Unit, of?: number | null): string;
  /** A signed relative change given as a fraction: −0.62 → `−62 %` (sv-SE) / `−62%` (en-US); null → "–". */
  pct(p: number | null): string;
  /** A plain number in the locale (grouping), e.g. counts of rows: `1 000 000`. */
  number(n: number): string;
  /** The locale the figures (and the words beside them) are written for. */
  readonly locale: string;
  /** The text for no data: "no data" / "inga data". */
  readonly noData: string;
  /** The text of a change that rounds to zero: "unchanged" / "oförändrat". */
  readonly unchanged: string;
}

const NBSP = '\u00a0';
const MINUS = '\u2212';
const DASH = '–';

const finite = (v: number | null | undefined): v is number =>
  v !== null && v !== undefined && Number.isFinite(v);

export function createFormatter(opts: FormatterOptions): Formatter {
  const words = wordsFor(FORMAT_WORDS, opts.locale);
  const cache = new Map<string, Intl.NumberFormat>();
  /** The Intl format of one style, digit count and sign display, built once. */
  const intl = (style: 'currency' | 'percent' | 'decimal', d: Digits, signed: boolean) => {
    const key = `${style}:${d.min}:${d.max}:${signed}`;
    let f = cache.get(key);
    if (!f) {
      f = new Intl.NumberFormat(opts.locale, {
        style,
        ...(style === 'currency' ? { currency: opts.currency } : {}),
        minimumFractionDigits: d.min,
        maximumFractionDigits: d.max,
        signDisplay: signed ? 'exceptZero' : 'negative',
      });
      cache.set(key, f);
    }
    return f;
  };
  const pctWhole = { min: 0, max: 0 };
  const pctSmall = { min: 0, max: 1 };

  /** Formats `v` in `unit` with `d` decimals; `signed` selects the change variant. */
  const inUnit = (v: number, unit: Unit, d: Digits, signed: boolean): string => {
    switch (unit) {
      case 'currency':
        return intl('currency', d, signed).format(v);
      case 'percent':
        return signed
          ? `${intl('decimal', d, true).format(v * 100)}${NBSP}${words.points}`
          : intl('percent', d, false).format(v);
      case 'multiple':
        return `${intl('decimal', d, signed).format(v)}×`;
      case 'ratio':
        return signed
          ? intl('decimal', d, true).format(v)
          : `${intl('decimal', d, false).format(v)}:1`;
      case 'days':
        return `${intl('decimal', d, signed).format(v)}${NBSP}${words.days}`;
      case 'count':
      case 'position':
        return intl('decimal', d, signed).format(v);
    }
  };
  const minus = (s: string) => s.replace('-', MINUS);

  return {
    locale: opts.locale,
    noData: words.noData,
    unchanged: words.unchanged,
    value: (v, unit, against) =>
      finite(v) ? minus(inUnit(v, unit, digitsAgainst(v, against, unit), false)) : words.noData,
    change: (delta, unit, of) => {
      if (!finite(delta)) return DASH;
      if (roundsToZero(delta, of, unit)) return words.unchanged;
      return minus(inUnit(delta, unit, digitsOfChange(delta, of, unit), true));
    },
    pct: (p) =>
      finite(p)
        ? minus(intl('percent', Math.abs(p) >= 0.1 ? pctWhole : pctSmall, true).format(p))
        : DASH,
    number: (n) =>
      finite(n) ? minus(inUnit(n, 'count', digitsFor(n, 'count'), false)) : words.noData,
  };
}
