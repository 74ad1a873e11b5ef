// Threshold text (`3x`, `5 %`, `1 234,50 kr`, `3:1`) → a number in the KPI's base unit.
// Pure. Formatting numbers back for people is src/kpi/format.ts's job, not this file's.
//
// Decisions (see also the tests):
// - Percent KPIs need `%` (or `procent`/`percent`): `5%` → 0.05. A bare number is refused
//   because `5` could mean 5 % or 500 %, and `0.05` could mean 5 % or 0.05 %; an alert that
//   is off by a factor of 100 is silent and wrong. Only a bare `0` is accepted.
// - Multiples and ratios take `3x`, `3×`, `3`, `3:1` (and `5:2` = 2.5); `%` is refused there.
// - Currency takes `800`, `800 kr`, `800kr`, `800 SEK`, `$800`, `800:-`, `10k`, `10 tkr`.
//   When the configured currency is passed, a different currency written out is an error.
// - Numbers: spaces (also no-break and thin spaces) group thousands (`1 234`); a comma or a
//   dot is a decimal mark (`3,5` = `3.5`). Both in one number: the last one is the decimal
//   mark (`1.234,50`, `1,234.50`). A single comma followed by exactly three digits (`1,200`)
//   is refused as ambiguous (Swedish 1.2 or English 1200?), unless the integer part is 0.
//   A single dot is always decimal (`1.5`), as in YAML and code.
import type { Unit } from '../kpi/types.ts';

export type ThresholdResult = { ok: true; value: number } | { ok: false; error: string };

export interface ThresholdOptions {
  /** The KPI's id or name, used in error messages ("roas is a multiple: write 3x"). */
  kpi?: string;
  /** The configured ISO 4217 currency; a different currency written out is refused. */
  currency?: string;
}

type NumberResult = { ok: true; value: number } | { ok: false; error: string };

const SPACES = /[\s\u00a0\u2009\u202f]/;
const MINUS = /^[-\u2212]/;

/** Parses a locale-tolerant decimal number (no unit). */
export function parseNumber(raw: string): NumberResult {
  let text = raw.trim();
  let sign = 1;
  if (MINUS.test(text)) {
    sign = -1;
    text = text.slice(1).trim();
  } else if (text.startsWith('+')) {
    text = text.slice(1).trim();
  }
  if (!/^\d/.test(text)) return { ok: false, error: `\`${raw.trim()}\` is not a number` };

  // Space grouping: `1 234 567,50` — every group after the first has exactly three digits.
  const spaced = text.split(new RegExp(`${SPACES.source}+`));
  if (spaced.length > 1) {
    const [first, ...rest] = spaced;
    const grouped =
      /^\d{1,3}$/.test(first ?? '') &&
      rest.every((g, i) => (i === rest.length - 1 ? /^\d{3}([.,]\d+)?$/ : /^\d{3}$/).test(g));
    if (!grouped) return { ok: false, error: `\`${raw.trim()}\` is not a number` };
    const joined = spaced.join('');
    const decimal = joined.replace(',', '.');
    return finish(decimal, sign, raw);
  }

  if (!/^[\d.,]+$/.test(text)) return { ok: false, error: `\`${raw.trim()}\` is not a number` };
  const commas = (text.match(/,/g) ?? []).length;
  const dots = (text.match(/\./g) ?? []).length;

  if (commas > 0 && dots > 0) {
    const decimalMark = text.lastIndexOf(',') > text.lastIndexOf('.') ? ',' : '.';
    const groupMark = decimalMark === ',' ? '.' : ',';
    const [intPart = '', fraction = ''] = text.split(decimalMark);
    if (text.split(decimalMark).length !== 2 || !isGrouped(intPart, groupMark)) {
      return { ok: false, error: `\`${raw.trim()}\` is not a number` };
    }
    return finish(`${intPart.split(groupMark).join('')}.${fraction}`, sign, raw);
  }
  const mark = commas > 0 ? ',' : dots > 0 ? '.' : '';
  const count = Math.max(commas, dots);
  if (count === 0) return finish(text, sign, raw);
  if (count > 1) {
    // `1,234,567` or `1.234.567`: grouping only.
    if (!isGrouped(text, mark)) return { ok: false, error: `\`${raw.trim()}\` is not a number` };
    return finish(text.split(mark).join(''), sign, raw);
  }
  const [intPart = '', fraction = ''] = text.split(mark);
  if (fraction === '') return { ok: false, error: `\`${raw.trim()}\` is not a number` };
  if (mark === ',' && fraction.length === 3 && !/^0+$/.test(intPart)) {
    const whole = `${intPart}${fraction}`;
    return {
      ok: false,
      error: `\`${raw.trim()}\` is ambiguous: write ${whole} or ${intPart} ${fraction} for thousands, or ${intPart}.${fraction} for a decimal`,
    };
  }
  return finish(`${intPart}.${fraction}`, sign, raw);
}

function isGrouped(text: string, mark: string): boolean {
  const [first, ...rest] = text.split(mark);
  return /^\d{1,3}$/.test(first ?? '') && rest.every((g) => /^\d{3}$/.test(g));
}

function finish(normalised: string, sign: number, raw: string): NumberResult {
  const value = Number(normalised);
  if (!Number.isFinite(value)) return { ok: false, error: `\`${raw.trim()}\` is not a number` };
  return { ok: true, value: sign * value || 0 };
}

// Unit words as written after (or before) the number, lower-cased.
type Written =
  | { kind: 'none' }
  | { kind: 'percent' }
  | { kind: 'multiple' }
  | { kind: 'days' }
  | { kind: 'currency'; codes: string[]; label: string };

const KRONA = ['SEK', 'NOK', 'DKK', 'ISK'];
const DOLLAR = ['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD'];
const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const SYMBOLS: Record<string, string[]> = { $: DOLLAR, '€': ['EUR'], '£': ['GBP'] };

const SUFFIXES: ReadonlyArray<[RegExp, Written, number]> = [
  [/^(%|procent|percent|pct)$/, { kind: 'percent' }, 1],
  [/^(x|×)$/, { kind: 'multiple' }, 1],
  [/^(d|days?|dagar|dag)$/, { kind: 'days' }, 1],
  [/^(kr\.?|kronor|:-)$/, { kind: 'currency', codes: KRONA, label: 'kr' }, 1],
  [/^tkr$/, { kind: 'currency', codes: KRONA, label: 'kr' }, 1000],
  [/^mkr$/, { kind: 'currency', codes: KRONA, label: 'kr' }, 1_000_000],
  [/^(€|eur|euro)$/, { kind: 'currency', codes: ['EUR'], label: '€' }, 1],
  [/^(\$)$/, { kind: 'currency', codes: DOLLAR, label: '$' }, 1],
];

/** Splits `800 kr` / `$800` / `3x` / `10k kr` into number text, multiplier and written unit. */
function splitUnit(
  text: string,
): { ok: true; number: string; written: Written; factor: number } | { ok: false } {
  let rest = text.trim();
  let written: Written = { kind: 'none' };
  let factor = 1;

  const prefix = rest.match(/^([$€£])\s*(.*)$/s);
  if (prefix) {
    const symbol = prefix[1] ?? '';
    written = { kind: 'currency', codes: SYMBOLS[symbol] ?? [], label: symbol };
    rest = prefix[2] ?? '';
  }
  const lastDigit = rest.search(/\d(?!.*\d)/s);
  if (lastDigit < 0) return { ok: false };
  const words = rest
    .slice(lastDigit + 1)
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  rest = rest.slice(0, lastDigit + 1);
  if (words[0] === 'k') {
    factor = 1000;
    words.shift();
  }
  if (words.length > 1) return { ok: false };
  const word = words[0];
  if (word !== undefined) {
    if (written.kind !== 'none') return { ok: false };
    const known = SUFFIXES.find(([re]) => re.test(word));
    if (known) {
      if (known[2] !== 1 && factor !== 1) return { ok: false };
      written = known[1];
      factor *= known[2];
    } else if (ISO_CURRENCIES.has(word.toUpperCase())) {
      const code = word.toUpperCase();
      written = { kind: 'currency', codes: [code], label: code };
    } else {
      return { ok: false };
    }
  }
  return { ok: true, number: rest, written, factor };
}

const EXPECTED: Record<Unit, (kpi: string, currency?: string) => string> = {
  percent: (kpi) => `${kpi} is a percentage: write e.g. 5%`,
  multiple: (kpi) => `${kpi} is a multiple: write e.g. 3x`,
  ratio: (kpi) => `${kpi} is a ratio: write e.g. 3 or 3:1`,
  currency: (kpi, currency) => `${kpi} is an amount of money: write e.g. 800 ${currency ?? 'kr'}`,
  count: (kpi) => `${kpi} is a count: write e.g. 1000`,
  days: (kpi) => `${kpi} is a number of days: write e.g. 3 days`,
  position: (kpi) => `${kpi} is a search position: write e.g. 3`,
};

/** Round away binary noise from scaling (`0.07 * 100`), keeping 12 significant digits. */
export function roundSignificant(value: number): number {
  return value === 0 ? 0 : Number(value.toPrecision(12));
}

/**
 * Parses a threshold as people write it into a number in the KPI's base unit:
 * fractions for percent (`5%` → 0.05), plain numbers for multiples and ratios
 * (`3x` → 3, `3:1` → 3), amounts for currency (`1 234,50 kr` → 1234.5).
 */
export function parseThreshold(
  text: string,
  unit: Unit,
  options: ThresholdOptions = {},
): ThresholdResult {
  const kpi = options.kpi ?? 'this KPI';
  const expected = EXPECTED[unit](kpi, options.currency);
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: `No threshold given: ${expected}` };

  // `3:1` (ratio notation) — for ratios and multiples.
  const ratio = trimmed.match(/^([^:]+?)\s*:\s*([^:-][^:]*)$/);
  if (ratio) {
    if (unit !== 'ratio' && unit !== 'multiple') {
      return { ok: false, error: `\`${trimmed}\` is ratio notation; ${expected}` };
    }
    const a = parseNumber(ratio[1] ?? '');
    const b = parseNumber(ratio[2] ?? '');
    if (!a.ok || !b.ok)
      return { ok: false, error: `\`${trimmed}\` is not understood: ${expected}` };
    if (b.value <= 0) return { ok: false, error: `\`${trimmed}\` divides by zero: ${expected}` };
    return { ok: true, value: roundSignificant(a.value / b.value) };
  }

  const split = splitUnit(trimmed);
  if (!split.ok) return { ok: false, error: `\`${trimmed}\` is not understood: ${expected}` };
  const num = parseNumber(split.number);
  if (!num.ok) {
    const ambiguous = num.error.includes('ambiguous');
    return { ok: false, error: ambiguous ? num.error : `${num.error}: ${expected}` };
  }
  const raw = num.value * split.factor;
  const { written } = split;

  if (written.kind === 'percent') {
    if (unit !== 'percent') {
      const hint = unit === 'multiple' ? ` (${trimmed} = ${roundSignificant(raw / 100)}x)` : '';
      return { ok: false, error: `\`${trimmed}\` is a percentage, but ${expected}${hint}` };
    }
    return { ok: true, value: roundSignificant(raw / 100) };
  }
  if (unit === 'percent') {
    if (written.kind === 'none' && raw === 0) return { ok: true, value: 0 };
    const why =
      written.kind === 'none'
        ? ` — a bare ${trimmed} could mean ${trimmed} % or ${roundSignificant(raw * 100)} %`
        : '';
    return { ok: false, error: `${expected}${why}` };
  }
  if (written.kind === 'multiple') {
    if (unit !== 'multiple' && unit !== 'ratio') {
      return { ok: false, error: `\`${trimmed}\` is a multiple, but ${expected}` };
    }
    return { ok: true, value: roundSignificant(raw) };
  }
  if (written.kind === 'currency') {
    if (unit !== 'currency') {
      return { ok: false, error: `\`${trimmed}\` is an amount of money, but ${expected}` };
    }
    const configured = options.currency?.toUpperCase();
    if (configured !== undefined && !written.codes.includes(configured)) {
      return {
        ok: false,
        error: `\`${trimmed}\` is in ${written.label}, but amounts are in ${configured}: write e.g. 800 ${configured}`,
      };
    }
    return { ok: true, value: roundSignificant(raw) };
  }
  if (written.kind === 'days') {
    if (unit !== 'days') return { ok: false, error: `\`${trimmed}\` is days, but ${expected}` };
    return { ok: true, value: roundSignificant(raw) };
  }
  return { ok: true, value: roundSignificant(raw) };
}

/**
 * Default hysteresis: 5 % of the threshold's size, in the threshold's unit
 * (`roas < 3` → 0.15; `churn_rate > 0.05` → 0.0025, i.e. a quarter of a percentage point).
 */
export function defaultHysteresis(threshold: number): number {
  return roundSignificant(Math.abs(threshold) * 0.05);
}
