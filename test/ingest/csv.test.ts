// The streaming CSV tokenizer: records, the line each starts on, chunk boundaries anywhere, and
// the syntax errors csv-parse (which it replaced in the importer) reported.
import { describe, expect, it, vi } from 'vitest';
import { CsvSyntaxError, CsvTokenizer } from '../../src/ingest/csv.ts';

/** Every record of `chunks` fed in that order, with the line it starts on. */
function records(chunks: readonly string[], delimiter = ',', firstLine = 1) {
  const csv = new CsvTokenizer(delimiter, firstLine);
  const out: Array<[number, string[]]> = [];
  const drain = () => {
    for (let r = csv.next(); r !== undefined; r = csv.next()) out.push([csv.recordLine, r]);
  };
  for (const c of chunks) {
    csv.push(c);
    drain();
  }
  csv.end();
  drain();
  return { out, lastLine: csv.lastLine };
}

const parse = (text: string, delimiter = ',') => records([text], delimiter).out;

/** The text cut into chunks of `size` characters. */
const cut = (text: string, size: number) =>
  Array.from({ length: Math.ceil(text.length / size) }, (_, i) =>
    text.slice(i * size, (i + 1) * size),
  );

function syntaxError(text: string): CsvSyntaxError {
  try {
    parse(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) return err;
    throw err;
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

describe('CsvTokenizer', () => {
  it('cuts plain lines, keeping empty and blank cells as they are', () => {
    expect(parse('a,b,c\n1,,3\n , x ,\n')).toEqual([
      [1, ['a', 'b', 'c']],
      [2, ['1', '', '3']],
      [3, [' ', ' x ', '']],
    ]);
  });

  it('gives an empty line as one empty cell and adds nothing for a final line break', () => {
    expect(parse('a\n\nb\n')).toEqual([
      [1, ['a']],
      [2, ['']],
      [3, ['b']],
    ]);
    expect(parse('a\nb')).toEqual([
      [1, ['a']],
      [2, ['b']],
    ]);
    expect(parse('')).toEqual([]);
  });

  it('reads \\r\\n and lone \\r line breaks (the first one decides)', () => {
    expect(parse('a,b\r\n\r\nc,d\r\n')).toEqual([
      [1, ['a', 'b']],
      [2, ['']],
      [3, ['c', 'd']],
    ]);
    expect(parse('x\ra,b\rc,d')).toEqual([
      [1, ['x']],
      [2, ['a', 'b']],
      [3, ['c', 'd']],
    ]);
    // \r\n after a quoted cell in a \n file, as csv-parse would not take but exports write.
    expect(parse('a,b\nx,"y"\r\nz,w')).toEqual([
      [1, ['a', 'b']],
      [2, ['x', 'y']],
      [3, ['z', 'w']],
    ]);
  });

  it('reads quoted cells: delimiters, doubled quotes and line breaks inside', () => {
    const { out, lastLine } = records([
      'date,campaign,value\n2026-01-01,"Brand, exact",1\n"2026-01-02","say ""hi""","two\nlines"\n2026-01-03,x,3\n',
    ]);
    expect(out).toEqual([
      [1, ['date', 'campaign', 'value']],
      [2, ['2026-01-01', 'Brand, exact', '1']],
      [3, ['2026-01-02', 'say "hi"', 'two\nlines']],
      [5, ['2026-01-03', 'x', '3']], // the record before took lines 3 and 4
    ]);
    expect(lastLine).toBe(5);
    expect(parse('"a",""\n""')).toEqual([
      [1, ['a', '']],
      [2, ['']],
    ]);
    expect(parse('a,"b"')).toEqual([[1, ['a', 'b']]]);
    expect(parse('a,\n')).toEqual([[1, ['a', '']]]);
  });

  it('uses the given delimiter (semicolon, tab) and first line number', () => {
    expect(records(['Dag;Kostnad\n2026-01-05;"1 234,50"\n'], ';', 2).out).toEqual([
      [2, ['Dag', 'Kostnad']],
      [3, ['2026-01-05', '1 234,50']],
    ]);
    expect(parse('a\tb,c\n', '\t')).toEqual([[1, ['a', 'b,c']]]);
    expect(() => new CsvTokenizer('"')).toThrow(RangeError);
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const text =
      'Day,Campaign,Cost\r\n2026-01-01,"Brand, ""exact""",1 234\r\n2026-01-02,"multi\r\nline",5\r\n\r\n2026-01-03,plain,7\r\n"last","",""';
    const whole = records([text]).out;
    expect(whole).toHaveLength(6);
    for (const size of [1, 2, 3, 5, 7, 13, 64]) {
      expect(records(cut(text, size)).out, `chunks of ${size}`).toEqual(whole);
    }
  });

  it('reports a quote left open, a quote inside an unquoted cell and text after a closing quote', () => {
    const open = syntaxError('date,value\n2026-01-01,1\n2026-01-02,"2\n');
    expect(open.message).toMatch(/^Quote Not Closed: the quoted cell opened on line 3/);
    expect(open.line).toBe(3);
    const opening = syntaxError('x\nab"c,d\n');
    expect(opening.message).toMatch(/^Invalid Opening Quote: .*cell 1 on line 2/);
    expect(opening.line).toBe(2);
    const closing = syntaxError('x\n"a"b,c\n');
    expect(closing.message).toMatch(/^Invalid Closing Quote: got "b" .*line 2/);
    expect(syntaxError('x\n"a" ,c\n').message).toMatch(/^Invalid Closing Quote: got " "/);
  });

  it('waits for more text instead of rescanning a long open quote on every chunk', () => {
    // 2,000 chunks after an unclosed quote: tried again only each time the text has doubled.
    const quoted = vi.spyOn(
      CsvTokenizer.prototype as unknown as { quoted: (start: number) => unknown },
      'quoted',
    );
    const chunks = ['a,b\n"open', ...Array.from({ length: 2_000 }, () => 'x'.repeat(1_000))];
    expect(() => records(chunks)).toThrow(/Quote Not Closed/);
    expect(quoted.mock.calls.length).toBeLessThan(20);
    quoted.mockRestore();
  });
});
