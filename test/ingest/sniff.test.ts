import { describe, expect, it } from 'vitest';
import { KeySet } from '../../src/ingest/key-set.ts';
import { excelSepLine, sniffDelimiter, sniffEncoding } from '../../src/ingest/sniff.ts';

describe('sniffEncoding', () => {
  it('reads byte-order marks', () => {
    expect(sniffEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toEqual({
      encoding: 'utf-8',
      bom: 3,
      guessed: false,
    });
    expect(sniffEncoding(Buffer.from([0xff, 0xfe, 0x61, 0]))).toMatchObject({
      encoding: 'utf-16le',
      bom: 2,
    });
    expect(sniffEncoding(Buffer.from([0xfe, 0xff, 0, 0x61]))).toMatchObject({
      encoding: 'utf-16be',
      bom: 2,
    });
  });

  it('recognises UTF-16 without a BOM by its NUL bytes', () => {
    expect(sniffEncoding(Buffer.from('Day\tCost\n', 'utf16le')).encoding).toBe('utf-16le');
    expect(sniffEncoding(Buffer.from('Day\tCost\n', 'utf16le').swap16()).encoding).toBe('utf-16be');
  });

  it('takes valid UTF-8 as UTF-8, even when the head ends inside a character', () => {
    const bytes = Buffer.from('kampanj,Varumärke', 'utf8');
    expect(sniffEncoding(bytes).encoding).toBe('utf-8');
    expect(sniffEncoding(bytes.subarray(0, bytes.length - 5)).encoding).toBe('utf-8');
  });

  it('guesses Windows-1252 when the head is not UTF-8', () => {
    expect(sniffEncoding(Buffer.from('Varum\xe4rke;1', 'latin1'))).toEqual({
      encoding: 'windows-1252',
      bom: 0,
      guessed: true,
    });
  });
});

describe('sniffDelimiter', () => {
  it('finds comma, semicolon and tab', () => {
    expect(sniffDelimiter('date,measure,value\n2026-01-01,orders,1\n')).toBe(',');
    expect(sniffDelimiter('date;measure;value\n2026-01-01;orders;1\n')).toBe(';');
    expect(sniffDelimiter('date\tmeasure\tvalue\n2026-01-01\torders\t1\n')).toBe('\t');
  });

  it('is not fooled by decimal commas in semicolon files', () => {
    expect(
      sniffDelimiter('date;measure;value\n2026-01-01;revenue;1 234,50\n2026-01-02;revenue;12,5\n'),
    ).toBe(';');
    expect(sniffDelimiter('a;b;c\n1,5;2,5;3,5\n1,5;2,5;3,5\n1,5;2,5;3,5\n')).toBe(';');
  });

  it('ignores delimiters inside quotes and title lines before the header', () => {
    const text =
      'Campaign report\n"January 1, 2026 - January 31, 2026"\nDay;Cost\n2026-01-01;"1,5"\n2026-01-02;2\n';
    expect(sniffDelimiter(text)).toBe(';');
  });

  it('honours Excel’s sep= line', () => {
    expect(sniffDelimiter('sep=;\na,b;c\n')).toBe(';');
    expect(excelSepLine('sep=\t\r\nx')).toEqual({ delimiter: '\t', length: 7 });
    expect(excelSepLine('date,sep')).toBeUndefined();
  });
});

describe('KeySet', () => {
  it('finds repeats among many keys while growing', () => {
    const set = new KeySet(4);
    let added = 0;
    for (let i = 0; i < 50_000; i++) if (set.add(`2026-01-01\u0000c${i}`)) added++;
    expect(added).toBe(50_000);
    expect(set.size).toBe(50_000);
    expect(set.add('2026-01-01\u0000c123')).toBe(false);
    expect(set.add('2026-01-01\u0000c49999')).toBe(false);
    expect(set.add('2026-01-02\u0000c123')).toBe(true);
    expect(set.add('')).toBe(true);
    expect(set.add('')).toBe(false);
  });
});
