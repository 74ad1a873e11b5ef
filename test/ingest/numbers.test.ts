import { describe, expect, it } from 'vitest';
import {
  decimalEvidence,
  parseNumber,
  plainNumber,
  sniffDecimal,
} from '../../src/ingest/numbers.ts';

const value = (raw: string, decimal?: ',' | '.') => {
  const r = parseNumber(raw, { decimal });
  if (!r.ok) throw new Error(`${raw}: ${r.reason}`);
  return r.value;
};
const reason = (raw: string, decimal?: ',' | '.') => {
  const r = parseNumber(raw, { decimal });
  if (r.ok) throw new Error(`${raw} parsed as ${r.value}`);
  return r.reason;
};

describe('parseNumber', () => {
  it('reads plain integers, decimals, signs and exponents', () => {
    expect(value('1234')).toBe(1234);
    expect(value('  42 ')).toBe(42);
    expect(value('1234.5')).toBe(1234.5);
    expect(value('-12')).toBe(-12);
    expect(value('+12')).toBe(12);
    expect(value('−7,5')).toBe(-7.5);
    expect(value('1.5E+3')).toBe(1500);
    expect(value('0')).toBe(0);
    expect(Object.is(value('-0'), 0)).toBe(true);
  });

  it('reads Swedish numbers: space, NBSP or narrow NBSP thousands, comma decimals', () => {
    expect(value('1 234,50')).toBe(1234.5);
    expect(value('1\u00a0234,50')).toBe(1234.5);
    expect(value('1\u202f234,50')).toBe(1234.5);
    expect(value('1\u2009234')).toBe(1234);
    expect(value('12 345 678,9')).toBe(12345678.9);
    expect(value('12,5')).toBe(12.5);
    expect(value('0,123')).toBe(0.123);
    expect(value('1234,567')).toBe(1234.567);
    expect(value('1.234,50')).toBe(1234.5);
    expect(value('1.234.567,5')).toBe(1234567.5);
  });

  it('reads US numbers: comma thousands, dot decimals', () => {
    expect(value('1,234.50')).toBe(1234.5);
    expect(value('1,234,567')).toBe(1234567);
    expect(value('1,234,567.25')).toBe(1234567.25);
    expect(value('0.5')).toBe(0.5);
  });

  it('strips currency prefixes and suffixes', () => {
    expect(value('1 234,50 kr')).toBe(1234.5);
    expect(value('1234 kr.')).toBe(1234);
    expect(value('SEK 1 234,50')).toBe(1234.5);
    expect(value('1 234,50 SEK')).toBe(1234.5);
    expect(value('$1,234.50')).toBe(1234.5);
    expect(value('-$5.25')).toBe(-5.25);
    expect(value('$-5.25')).toBe(-5.25);
    expect(value('€ 12,50')).toBe(12.5);
    expect(value('12,50 €')).toBe(12.5);
    expect(value('100:-')).toBe(100);
    expect(value('1,234.00 USD')).toBe(1234);
  });

  it('turns percentages into fractions and flags them', () => {
    expect(parseNumber('12 %')).toEqual({ ok: true, value: 0.12, percent: true });
    expect(parseNumber('12%')).toEqual({ ok: true, value: 0.12, percent: true });
    expect(parseNumber('5,49 %')).toEqual({ ok: true, value: 0.0549, percent: true });
    expect(parseNumber('12')).toEqual({ ok: true, value: 12, percent: false });
  });

  it('rejects empty cells and "--" with a reason', () => {
    expect(reason('')).toBe('empty value');
    expect(reason('   ')).toBe('empty value');
    expect(reason('--')).toBe('no value ("--")');
    expect(reason('-')).toBe('no value ("-")');
  });

  it('rejects what is not a number', () => {
    expect(reason('abc')).toBe('"abc" is not a number');
    expect(reason('12abc')).toContain('is not a number');
    expect(reason('kr')).toContain('is not a number');
    expect(reason('1 23,5')).toContain('is not a number');
    expect(reason('1,23,456')).toContain('is not a number');
    expect(reason('1.2.3')).toContain('is not a number');
    expect(reason('(12)')).toContain('is not a number');
    expect(reason('1e999')).toContain('too large');
  });

  it('rejects "1,234"-like values as ambiguous unless the decimal separator is known', () => {
    expect(reason('1,234')).toMatch(/ambiguous number "1,234".*--decimal/);
    expect(reason('1.234')).toMatch(/ambiguous/);
    expect(value('1,234', '.')).toBe(1234);
    expect(value('1,234', ',')).toBe(1.234);
    expect(value('1.234', ',')).toBe(1234);
    expect(value('1.234', '.')).toBe(1.234);
  });

  it('rejects a separator that contradicts the file’s decimal separator', () => {
    expect(reason('1,234.50', ',')).toBe(
      '"1,234.50" uses "." as decimal separator, but this file uses ","',
    );
    expect(reason('12,5', '.')).toMatch(/uses "," as decimal separator/);
    expect(reason('1 234,5', '.')).toMatch(/uses ","/);
    expect(reason('1.234.567', '.')).toContain('is not a number');
  });
});

describe('plainNumber (the fast path)', () => {
  it('reads what machines write, and leaves everything else to parseNumber (NaN)', () => {
    expect(plainNumber('1234')).toBe(1234);
    expect(plainNumber('-12')).toBe(-12);
    expect(Object.is(plainNumber('-0'), 0)).toBe(true);
    expect(plainNumber('123.45')).toBe(123.45);
    expect(plainNumber('0.123')).toBe(0.123); // a leading 0 is never a thousands group
    expect(plainNumber('1234.567')).toBe(1234.567);
    expect(plainNumber('1.234', '.')).toBe(1.234);
    for (const [raw, decimal] of [
      ['1.234', undefined], // thousands or decimals: the file's convention decides
      ['12.5', ','],
      ['', undefined],
      [' 1', undefined],
      ['+1', undefined],
      ['1.', undefined],
      ['.5', undefined],
      ['1e3', undefined],
      ['1 234', undefined],
      ['1234567890123456', undefined], // 16 digits: the long way
      [`${'9'.repeat(400)}.5`, undefined], // Infinity is not a number of ours
    ] as const) {
      expect(plainNumber(raw, decimal), raw).toBeNaN();
    }
  });

  it('agrees with parseNumber', () => {
    for (const raw of ['0', '7', '-3.25', '100.000', '42.1', '1234.5']) {
      for (const decimal of [undefined, '.', ','] as const) {
        const plain = plainNumber(raw, decimal);
        if (!Number.isNaN(plain))
          expect(parseNumber(raw, { decimal })).toMatchObject({ value: plain });
      }
    }
    expect(reason(`${'9'.repeat(400)}.5`)).toMatch(/is too large$/);
  });
});

describe('decimal sniffing', () => {
  it('tells what a cell says about the decimal separator', () => {
    expect(decimalEvidence('12,5')).toBe(',');
    expect(decimalEvidence('1 234,50')).toBe(',');
    expect(decimalEvidence('1.234,50')).toBe(',');
    expect(decimalEvidence('12.5')).toBe('.');
    expect(decimalEvidence('1,234.50')).toBe('.');
    expect(decimalEvidence('1,234')).toBeUndefined();
    expect(decimalEvidence('1234')).toBeUndefined();
    expect(decimalEvidence('--')).toBeUndefined();
  });

  it('takes the majority of a sample, or nothing', () => {
    expect(sniffDecimal(['1,234', '12,5', '7'])).toBe(',');
    expect(sniffDecimal(['1,234', '1,234.50'])).toBe('.');
    expect(sniffDecimal(['1,234', '12'])).toBeUndefined();
    expect(sniffDecimal(['1,5', '2,5', '3.5'])).toBe(',');
  });
});
