// Dates as exports write them, to ISO `YYYY-MM-DD`. Pure, no I/O.
//
// Without a format (auto):
//   YYYY-MM-DD (ISO; Google Ads, Meta)   YYYYMMDD (GA4)   YYYY/MM/DD   DD.MM.YYYY
//   DD/MM/YYYY when it can only be that (first part > 12, or both parts equal)
// A slash date such as 03/04/2026 is ambiguous (3 April or March 4). The importer first sniffs
// the file (`sniffDateFormat` over a sample of its dates): if some date can only be DD/MM/YYYY,
// the whole file is read as DD/MM/YYYY. Otherwise the ambiguous dates are rejected, asking for
// `--date-format`. MM/DD/YYYY (US order) is never guessed: it is used only when given with
// `--date-format MM/DD/YYYY`, and a date that can only be MM/DD is rejected with that hint.
import type { IsoDate } from '../kpi/types.ts';

export const DATE_FORMATS = [
  'YYYY-MM-DD',
  'YYYYMMDD',
  'YYYY/MM/DD',
  'DD/MM/YYYY',
  'MM/DD/YYYY',
  'DD.MM.YYYY',
] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export type DateResult = { ok: true; value: IsoDate } | { ok: false; reason: string };

const PATTERNS: Record<DateFormat, { re: RegExp; order: 'ymd' | 'dmy' | 'mdy' }> = {
  'YYYY-MM-DD': { re: /^(\d{4})-(\d{2})-(\d{2})$/, order: 'ymd' },
  YYYYMMDD: { re: /^(\d{4})(\d{2})(\d{2})$/, order: 'ymd' },
  'YYYY/MM/DD': { re: /^(\d{4})\/(\d{2})\/(\d{2})$/, order: 'ymd' },
  'DD/MM/YYYY': { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: 'dmy' },
  'MM/DD/YYYY': { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: 'mdy' },
  'DD.MM.YYYY': { re: /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, order: 'dmy' },
};

const SLASH = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const EXPECTED = 'expected YYYY-MM-DD, YYYYMMDD or DD/MM/YYYY';

/** Parses one cell, with `format` forced or (undefined) auto-detected as described above. */
export function parseDate(raw: string, format?: DateFormat): DateResult {
  const s = raw.trim();
  if (s === '') return { ok: false, reason: 'empty date' };
  if (format !== undefined) {
    const r = tryFormat(s, format);
    if (r === undefined) {
      return { ok: false, reason: `"${s}" does not match the date format ${format}` };
    }
    return r;
  }
  for (const f of ['YYYY-MM-DD', 'YYYYMMDD', 'YYYY/MM/DD', 'DD.MM.YYYY'] as const) {
    const r = tryFormat(s, f);
    if (r !== undefined) return r;
  }
  const m = SLASH.exec(s);
  if (!m) return { ok: false, reason: `"${s}" is not a date (${EXPECTED})` };
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a > 12 || a === b) return tryFormat(s, 'DD/MM/YYYY')!;
  if (b > 12) {
    return {
      ok: false,
      reason: `"${s}" looks like MM/DD/YYYY (US order): pass --date-format MM/DD/YYYY`,
    };
  }
  return {
    ok: false,
    reason: `ambiguous date "${s}" (day/month or month/day?): pass --date-format DD/MM/YYYY or --date-format MM/DD/YYYY`,
  };
}

function tryFormat(s: string, format: DateFormat): DateResult | undefined {
  const { re, order } = PATTERNS[format];
  const m = re.exec(s);
  if (!m) return undefined;
  const [p1, p2, p3] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [y, mo, d] = order === 'ymd' ? [p1, p2, p3] : order === 'dmy' ? [p3, p2, p1] : [p3, p1, p2];
  return calendarDate(s, y, mo, d);
}

function calendarDate(s: string, y: number, m: number, d: number): DateResult {
  if (y < 1900 || y > 2999) return { ok: false, reason: `"${s}": year ${y} is out of range` };
  if (m < 1 || m > 12) return { ok: false, reason: `"${s}": there is no month ${m}` };
  const last = daysInMonth(y, m);
  if (d < 1 || d > last) return { ok: false, reason: `"${s}": day ${d} is not in month ${m}` };
  return { ok: true, value: `${y}-${pad(m)}-${pad(d)}` };
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The format of a file's slash dates, from a sample: 'DD/MM/YYYY' when some date can only be
 * day-first (first part > 12) and none can only be month-first; otherwise undefined (each date
 * is then read on its own, and the ambiguous ones are rejected asking for --date-format).
 */
export function sniffDateFormat(cells: Iterable<string>): DateFormat | undefined {
  let dayFirst = false;
  let monthFirst = false;
  for (const cell of cells) {
    const m = SLASH.exec(cell.trim());
    if (!m) continue;
    if (Number(m[1]) > 12) dayFirst = true;
    if (Number(m[2]) > 12) monthFirst = true;
  }
  return dayFirst && !monthFirst ? 'DD/MM/YYYY' : undefined;
}
