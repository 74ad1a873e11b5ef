// Numbers as spreadsheet and ad-platform exports write them. Pure, no I/O.
//
// Accepted:
//   1234  1234.5  -12  +12  1.5E+3
//   1 234,50   (space, NBSP U+00A0, narrow NBSP U+202F or thin space U+2009 as thousands separator)
//   1,234.50   1.234,50   1,234,567   1.234.567
//   kr / kr. / SEK / NOK / DKK / EUR / USD / GBP / $ / € / £ / :- before or after the number
//   12 %  12%  → 0.12 (a fraction), flagged `percent: true` so the caller can decide (see below)
// Rejected, with a reason: empty cells, "--" / "-" / "—" (what exports write for "no value"),
// anything else that is not a number, thousands groups that are not three digits, and a
// separator that contradicts the file's decimal separator.
//
// Ambiguity: "1,234" and "1.234" are 1234 with one decimal convention and 1.234 with the other.
// They parse only once the file's decimal separator is known — given (`--decimal`), or sniffed
// from the file's other numbers (see `decimalEvidence`) — and are rejected otherwise, asking for
// `--decimal`. Every other shape is unambiguous on its own ("1 234,5", "12,50", "0,123",
// "1234,567", "1,234.5").
//
// Percentages: kpibot's base measures are counts and amounts; ratios such as CTR or conversion
// rate are computed from them (clicks / impressions), never imported. So the importer rejects a
// `%` value for any measure, with a reason that says to leave that column out of the mapping;
// `parseNumber` itself converts `12 %` to 0.12 so that a future ratio-valued measure could use it.

export type DecimalSeparator = ',' | '.';

export type NumberResult =
  | { ok: true; value: number; percent: boolean }
  | { ok: false; reason: string };

export interface ParseNumberOptions {
  /** The file's decimal separator; without it, "1,234"-like values are rejected as ambiguous. */
  decimal?: DecimalSeparator;
}

const NO_VALUE = new Set(['--', '-', '—', '–', '−']);
const CURRENCY = String.raw`(?:kr\.?|sek|nok|dkk|eur|usd|gbp|\$|€|£)`;
const CURRENCY_PREFIX = new RegExp(`^${CURRENCY}\\s*`, 'i');
const CURRENCY_SUFFIX = new RegExp(`\\s*(?:${CURRENCY}|:-)$`, 'i');
const PERCENT_SUFFIX = /\s*%$/;
/** Space-like characters exports use as thousands separators, normalised to ' '. */
const SPACES = /[\u00a0\u202f\u2009\u2007]/g;
const DIGITS = /^\d+$/;
const SCIENTIFIC = /^\d+(?:\.\d+)?e[+-]?\d+$/i;
const SPACE_GROUPED = /^(\d{1,3}(?: \d{3})+)(?:([.,])(\d+))?$/;

type Body = { value: number } | { reason: string };

/** Parses one cell. Never throws. */
export function parseNumber(raw: string, opts: ParseNumberOptions = {}): NumberResult {
  // Fast path for what machines write (1234, -12, 123.45): most cells of most files.
  const plain = plainNumber(raw, opts.decimal);
  if (!Number.isNaN(plain)) return { ok: true, value: plain, percent: false };

  const text = raw.replace(SPACES, ' ').trim();
  if (text === '') return { ok: false, reason: 'empty value' };
  if (NO_VALUE.has(text)) return { ok: false, reason: `no value ("${text}")` };

  let s = text;
  let sign = signOf(s);
  if (sign !== 0) s = s.slice(1).trimStart();
  s = s.replace(CURRENCY_PREFIX, '');
  if (sign === 0) {
    sign = signOf(s);
    if (sign !== 0) s = s.slice(1).trimStart();
  }
  let percent = false;
  if (PERCENT_SUFFIX.test(s)) {
    percent = true;
    s = s.replace(PERCENT_SUFFIX, '');
  } else {
    s = s.replace(CURRENCY_SUFFIX, '');
  }
  s = s.trim();

  const body = parseBody(s, opts.decimal);
  if ('reason' in body) {
    return { ok: false, reason: body.reason.replace('{raw}', JSON.stringify(text)) };
  }
  // A percentage moves the decimal point in decimal (5.49 % is 0.0549, not 0.054900000000000004).
  let value = percent ? Number(`${body.value}e-2`) : body.value;
  if (sign < 0) value = -value;
  if (!Number.isFinite(value)) return { ok: false, reason: `${JSON.stringify(text)} is too large` };
  if (Object.is(value, -0)) value = 0;
  return { ok: true, value, percent };
}

/**
 * The value of a cell written the way machines write numbers (`1234`, `-12`, `123.45`), or NaN
 * for anything else, which parseNumber then reads (or rejects) the long way. Allocates nothing:
 * the importer calls it for every number cell.
 */
export function plainNumber(raw: string, decimal?: DecimalSeparator): number {
  const n = raw.length;
  let i = raw.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  const intStart = i;
  while (i < n && isDigit(raw.charCodeAt(i))) i++;
  const intLength = i - intStart;
  if (intLength === 0) return Number.NaN;
  if (i === n) return intLength <= 15 ? Number(raw) || 0 : Number.NaN; // || 0: "-0" is 0
  if (decimal === ',' || raw.charCodeAt(i) !== 46 /* . */) return Number.NaN;
  const fracStart = ++i;
  while (i < n && isDigit(raw.charCodeAt(i))) i++;
  if (i !== n || i === fracStart) return Number.NaN;
  // "1.234": a thousands separator or a decimal point? Only the file's convention can say.
  if (decimal === undefined && n - fracStart === 3 && intLength <= 3) {
    if (raw.charCodeAt(intStart) !== 48 /* 0 */) return Number.NaN;
  }
  const value = Number(raw);
  return Number.isFinite(value) ? value || 0 : Number.NaN;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** -1 for a leading minus (ASCII or U+2212), 1 for '+', 0 for no sign. */
function signOf(s: string): -1 | 0 | 1 {
  const c = s[0];
  if (c === '-' || c === '−') return -1;
  if (c === '+') return 1;
  return 0;
}

/** "1,234" / "1.234": one separator, 1–3 digits before it (not a leading 0), three after. */
function mayBeThousands(int: string, frac: string): boolean {
  return frac.length === 3 && int.length <= 3 && !int.startsWith('0');
}

const notANumber = (): Body => ({ reason: '{raw} is not a number' });
const ambiguous = (sep: string): Body => ({
  reason: `ambiguous number {raw}: is "${sep}" a thousands or a decimal separator? Pass --decimal , or --decimal .`,
});
const contradicts = (used: DecimalSeparator, file: DecimalSeparator): Body => ({
  reason: `{raw} uses "${used}" as decimal separator, but this file uses "${file}"`,
});

function parseBody(s: string, decimal: DecimalSeparator | undefined): Body {
  if (s === '') return notANumber();
  if (DIGITS.test(s)) return { value: Number(s) };
  if (SCIENTIFIC.test(s)) {
    if (decimal === ',' && s.includes('.')) return contradicts('.', ',');
    return { value: Number(s) };
  }

  if (s.includes(' ')) {
    // Spaces can only be thousands separators; then a ',' or '.' must be the decimal one.
    const m = SPACE_GROUPED.exec(s);
    if (!m) return notANumber();
    const int = m[1]!.replaceAll(' ', '');
    const sep = m[2] as DecimalSeparator | undefined;
    if (sep === undefined) return { value: Number(int) };
    if (decimal !== undefined && sep !== decimal) return contradicts(sep, decimal);
    return { value: Number(`${int}.${m[3]}`) };
  }

  const commas = count(s, ',');
  const dots = count(s, '.');
  if (commas + dots === 0) return notANumber();

  if (commas > 0 && dots > 0) {
    // Both: the last one is the decimal separator, the other groups thousands.
    const dec: DecimalSeparator = s.lastIndexOf(',') > s.lastIndexOf('.') ? ',' : '.';
    const thousands = dec === ',' ? '.' : ',';
    if (decimal !== undefined && dec !== decimal) return contradicts(dec, decimal);
    if (count(s, dec) !== 1) return notANumber();
    const [int, frac] = s.split(dec) as [string, string];
    if (!DIGITS.test(frac) || !isGrouped(int, thousands)) return notANumber();
    return { value: Number(`${int.replaceAll(thousands, '')}.${frac}`) };
  }

  const sep: DecimalSeparator = commas > 0 ? ',' : '.';
  const parts = s.split(sep);
  if (!parts.every((p) => DIGITS.test(p))) return notANumber();
  if (parts.length > 2) {
    // 1,234,567: only thousands grouping fits.
    if (decimal === sep || !isGrouped(s, sep)) return notANumber();
    return { value: Number(parts.join('')) };
  }
  const [int, frac] = parts as [string, string];
  if (!mayBeThousands(int, frac)) {
    if (decimal !== undefined && decimal !== sep) return contradicts(sep, decimal);
    return { value: Number(`${int}.${frac}`) };
  }
  if (decimal === undefined) return ambiguous(sep);
  return { value: Number(decimal === sep ? `${int}.${frac}` : `${int}${frac}`) };
}

function count(s: string, c: string): number {
  let n = 0;
  for (const ch of s) if (ch === c) n++;
  return n;
}

/** "1,234,567" grouped by `sep`: 1–3 leading digits, then groups of exactly three. */
function isGrouped(s: string, sep: string): boolean {
  const groups = s.split(sep);
  const [first, ...rest] = groups as [string, ...string[]];
  return (
    /^\d{1,3}$/.test(first) &&
    rest.length > 0 &&
    rest.every((g) => g.length === 3 && DIGITS.test(g))
  );
}

/**
 * What one cell says about the file's decimal separator: ',' for "12,5", "1 234,50",
 * "1.234,50"; '.' for "12.5", "1,234.50"; undefined when it says nothing ("1234", "1,234",
 * "kr", "--"). Used to sniff a file's convention from a sample of its numbers.
 */
export function decimalEvidence(raw: string): DecimalSeparator | undefined {
  const probe = (decimal: DecimalSeparator) => parseNumber(raw, { decimal }).ok;
  const withComma = probe(',');
  const withDot = probe('.');
  if (withComma === withDot) return undefined;
  return withComma ? ',' : '.';
}

/**
 * The decimal separator most of the sample's cells point to, or undefined when none says
 * anything. A file that mixes both gets the majority; its odd cells are then rejected.
 */
export function sniffDecimal(cells: Iterable<string>): DecimalSeparator | undefined {
  let comma = 0;
  let dot = 0;
  for (const cell of cells) {
    const e = decimalEvidence(cell);
    if (e === ',') comma++;
    else if (e === '.') dot++;
  }
  if (comma === 0 && dot === 0) return undefined;
  return comma > dot ? ',' : '.';
}
