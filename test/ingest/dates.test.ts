import { describe, expect, it } from 'vitest';
import { parseDate, sniffDateFormat } from '../../src/ingest/dates.ts';

const iso = (raw: string, f?: Parameters<typeof parseDate>[1]) => {
  const r = parseDate(raw, f);
  if (!r.ok) throw new Error(`${raw}: ${r.reason}`);
  return r.value;
};
const reason = (raw: string, f?: Parameters<typeof parseDate>[1]) => {
  const r = parseDate(raw, f);
  if (r.ok) throw new Error(`${raw} parsed as ${r.value}`);
  return r.reason;
};

describe('parseDate', () => {
  it('reads ISO, GA4 YYYYMMDD, YYYY/MM/DD and DD.MM.YYYY without a format', () => {
    expect(iso('2026-03-04')).toBe('2026-03-04');
    expect(iso(' 2026-03-04 ')).toBe('2026-03-04');
    expect(iso('20260304')).toBe('2026-03-04');
    expect(iso('2026/03/04')).toBe('2026-03-04');
    expect(iso('04.03.2026')).toBe('2026-03-04');
  });

  it('reads DD/MM/YYYY when it can only be day-first', () => {
    expect(iso('13/04/2026')).toBe('2026-04-13');
    expect(iso('31/12/2026')).toBe('2026-12-31');
    expect(iso('4/4/2026')).toBe('2026-04-04');
  });

  it('rejects an ambiguous slash date, asking for --date-format', () => {
    expect(reason('03/04/2026')).toMatch(
      /ambiguous date "03\/04\/2026".*--date-format DD\/MM\/YYYY/,
    );
  });

  it('never guesses month-first: it asks for --date-format MM/DD/YYYY', () => {
    expect(reason('04/13/2026')).toMatch(/looks like MM\/DD\/YYYY.*--date-format MM\/DD\/YYYY/);
    expect(iso('04/13/2026', 'MM/DD/YYYY')).toBe('2026-04-13');
    expect(iso('03/04/2026', 'MM/DD/YYYY')).toBe('2026-03-04');
    expect(iso('03/04/2026', 'DD/MM/YYYY')).toBe('2026-04-03');
  });

  it('applies a forced format strictly', () => {
    expect(reason('2026-03-04', 'DD/MM/YYYY')).toBe(
      '"2026-03-04" does not match the date format DD/MM/YYYY',
    );
    expect(iso('20260304', 'YYYYMMDD')).toBe('2026-03-04');
  });

  it('checks the calendar', () => {
    expect(reason('2026-02-29')).toMatch(/day 29 is not in month 2/);
    expect(iso('2028-02-29')).toBe('2028-02-29');
    expect(reason('2026-13-01')).toMatch(/no month 13/);
    expect(reason('20261301')).toMatch(/no month 13/);
    expect(reason('2026-04-31')).toMatch(/day 31/);
    expect(reason('0001-01-01')).toMatch(/out of range/);
  });

  it('rejects empty and non-dates', () => {
    expect(reason('')).toBe('empty date');
    expect(reason('Total: Account')).toMatch(/is not a date/);
    expect(reason('2026-3-4')).toMatch(/is not a date/);
  });
});

describe('sniffDateFormat', () => {
  it('finds day-first files from one unambiguous date', () => {
    expect(sniffDateFormat(['03/04/2026', '13/04/2026'])).toBe('DD/MM/YYYY');
  });
  it('says nothing when nothing is certain, or for month-first evidence', () => {
    expect(sniffDateFormat(['03/04/2026', '05/04/2026'])).toBeUndefined();
    expect(sniffDateFormat(['04/13/2026', '03/04/2026'])).toBeUndefined();
    expect(sniffDateFormat(['2026-03-04'])).toBeUndefined();
  });
});
