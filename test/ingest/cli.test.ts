import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatImportReport, parseImportArgs, runImportCommand } from '../../src/ingest/cli.ts';
import type { Db } from '../../src/store/db.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { clearFacts, fixture, snapshot } from './helpers.ts';

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  await clearFacts(db);
});

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runImportCommand(args, {
    db,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    progressStream: { isTTY: false, columns: 80, write: () => true },
  });
  return { code, out: out.join(''), err: err.join('') };
}

describe('kpibot import arguments', () => {
  it('maps flags to import options', () => {
    expect(
      parseImportArgs([
        'a.csv',
        'b.csv',
        '--mapping',
        'google-ads',
        '--channel',
        'search',
        '--date-format',
        'DD/MM/YYYY',
        '--decimal',
        ',',
        '--delimiter',
        'tab',
        '--dry-run',
      ]),
    ).toEqual({
      files: ['a.csv', 'b.csv'],
      options: {
        mapping: 'google-ads',
        channel: 'search',
        dateFormat: 'DD/MM/YYYY',
        decimal: ',',
        delimiter: '\t',
        dryRun: true,
      },
      json: false,
      help: false,
    });
  });

  it('explains usage mistakes', () => {
    expect(() => parseImportArgs([])).toThrow(/No file given/);
    expect(() => parseImportArgs(['a.csv', '--delimiter', '|'])).toThrow(/not one of , ; tab/);
    expect(() => parseImportArgs(['a.csv', '--bogus'])).toThrow(/Unknown option '--bogus'/);
  });
});

describe('kpibot import', () => {
  it('imports and prints rows and facts', async () => {
    const { code, out } = await run([fixture('long.csv')]);
    expect(code).toBe(0);
    expect(out).toBe(
      'long.csv: long format\n7 rows read, imported 7 facts from 2026-01-05 to 2026-01-07.\nMeasures: ad_spend, clicks, impressions, revenue, sessions\n',
    );
  });

  it('prints every rejected line and exits 1, writing nothing', async () => {
    const { code, out } = await run([fixture('long-bad.csv')]);
    expect(code).toBe(1);
    expect(out).toContain(
      'Nothing imported: the file was rejected (10 problems in 10 rows; 11 rows read).',
    );
    expect(out).toContain(
      '  line 3, column "measure": unknown measure "spend" (did you mean "ad_spend"?)',
    );
    expect(out).toContain('  line 10: has 4 fields, the header has 5');
    expect(await snapshot(db)).toEqual([]);
  });

  it('says "and N more" past 50 rejections', () => {
    const text = formatImportReport({
      file: 'x.csv',
      ok: false,
      dryRun: false,
      format: 'long',
      encoding: 'utf-8',
      encodingGuessed: false,
      delimiter: ';',
      decimal: ',',
      rowsRead: 70,
      rowsSkipped: 0,
      factsValid: 0,
      factsWritten: 0,
      rejected: Array.from({ length: 50 }, (_, i) => ({ line: i + 2, reason: 'bad' })),
      rejectedTotal: 70,
      rejectedRows: 70,
      measures: [],
      dateRange: null,
      channels: { relabelled: [], unknown: [], more: 0 },
    });
    expect(text.split('\n')[0]).toBe('x.csv: long format, semicolon-separated, decimal comma');
    expect(text.split('\n').at(-1)).toBe('  … and 20 more');
  });

  it('dry run, --json, mapping and usage errors', async () => {
    const dry = await run([fixture('google-ads.csv'), '--mapping', 'google-ads', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain(
      'Dry run: 6 rows read (2 skipped), would import 20 facts from 2026-01-05 to 2026-01-06.',
    );
    expect(await snapshot(db)).toEqual([]);

    const json = await run([fixture('long.csv'), '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ ok: true, factsWritten: 7 });

    const unknown = await run([fixture('long.csv'), '--mapping', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^Unknown mapping "nope"/);

    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: kpibot import/);
  });
});
