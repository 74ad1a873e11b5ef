import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ImportError, type ImportProgress, importCsv } from '../../src/ingest/import.ts';
import { mappingsConfigSchema } from '../../src/ingest/mapping.ts';
import type { Db } from '../../src/store/db.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { clearFacts, fixture, snapshot, sumOf } from './helpers.ts';

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

const fromText = (text: string | Buffer, name = 'test.csv') => ({
  stream: Readable.from([typeof text === 'string' ? Buffer.from(text) : text]),
  name,
});

/** Facts already in the store, so that "unchanged" means more than "still empty". */
async function seed(): Promise<void> {
  await upsertFacts(db, [
    {
      day: '2025-12-01',
      measure: 'ad_spend',
      value: 500,
      channel: 'google-ads',
      campaign: 'Brand',
    },
    {
      day: '2026-01-05',
      measure: 'ad_spend',
      value: 111,
      channel: 'google-ads',
      campaign: 'Brand',
    },
  ]);
}

describe('long format', () => {
  it('imports date,measure,value,channel,campaign', async () => {
    const report = await importCsv(db, { path: fixture('long.csv') }, {});
    expect(report).toMatchObject({
      file: 'long.csv',
      ok: true,
      format: 'long',
      delimiter: ',',
      encoding: 'utf-8',
      rowsRead: 7,
      factsValid: 7,
      factsWritten: 7,
      rejected: [],
      rejectedTotal: 0,
      measures: ['ad_spend', 'clicks', 'impressions', 'revenue', 'sessions'],
      dateRange: { start: '2026-01-05', end: '2026-01-07' },
    });
    expect(await snapshot(db)).toEqual([
      {
        measure: 'ad_spend',
        day: '2026-01-05',
        channel: 'google-ads',
        campaign: 'Brand',
        value: 1000,
      },
      { measure: 'ad_spend', day: '2026-01-06', channel: 'meta', campaign: 'Vinter', value: 800 },
      {
        measure: 'clicks',
        day: '2026-01-05',
        channel: 'google-ads',
        campaign: 'Brand',
        value: 250,
      },
      {
        measure: 'impressions',
        day: '2026-01-05',
        channel: 'google-ads',
        campaign: 'Brand',
        value: 10000,
      },
      {
        measure: 'revenue',
        day: '2026-01-05',
        channel: 'google-ads',
        campaign: 'Brand',
        value: 4200.5,
      },
      { measure: 'revenue', day: '2026-01-06', channel: 'meta', campaign: 'Vinter', value: 2000 },
      { measure: 'sessions', day: '2026-01-07', channel: 'organic', campaign: '', value: 1200 },
    ]);
    const sources = await db.query<{ source: string }>('select distinct source from facts');
    expect(sources).toEqual([{ source: 'import' }]);
  });

  it('fills channel and campaign from --channel/--campaign when the file has none', async () => {
    const report = await importCsv(
      db,
      { path: fixture('long-no-dims.csv') },
      { channel: 'organic', campaign: 'always-on' },
    );
    expect(report.ok).toBe(true);
    const rows = await snapshot(db);
    expect(rows.map((r) => [r.day, r.channel, r.campaign, r.value])).toEqual([
      ['2026-02-01', 'organic', 'always-on', 100],
      ['2026-02-02', 'organic', 'always-on', 120],
      ['2026-02-03', 'organic', 'always-on', 90],
    ]);
  });

  it('reads a Swedish file: BOM, semicolons, "1 234,50 kr", NBSP thousands, DD/MM/YYYY', async () => {
    const report = await importCsv(db, { path: fixture('long-sv.csv') }, {});
    expect(report).toMatchObject({
      ok: true,
      delimiter: ';',
      decimal: ',',
      dateFormat: 'DD/MM/YYYY',
      encoding: 'utf-8',
      factsWritten: 5,
    });
    expect((await snapshot(db)).map((r) => [r.measure, r.day, r.campaign, r.value])).toEqual([
      ['ad_spend', '2026-01-05', 'Varumärke', 1234.5],
      ['ad_spend', '2026-01-13', 'Varumärke', 999.5],
      ['clicks', '2026-01-05', 'Varumärke', 1020],
      ['revenue', '2026-01-05', 'Varumärke', 12345.75],
      ['revenue', '2026-01-13', 'Varumärke', 2000],
    ]);
  });

  it('reads a US file: "$1,234.50", "12,345" (decimal point sniffed from the file)', async () => {
    const report = await importCsv(db, { path: fixture('long-us.csv') }, {});
    expect(report).toMatchObject({ ok: true, decimal: '.', factsWritten: 5 });
    expect((await snapshot(db)).map((r) => [r.measure, r.day, r.value])).toEqual([
      ['ad_spend', '2026-01-05', 1234.5],
      ['ad_spend', '2026-01-13', 999.5],
      ['clicks', '2026-01-05', 1020],
      ['revenue', '2026-01-05', 12345],
      ['revenue', '2026-01-13', 2000],
    ]);
  });

  it('reads the same "1,234" as 1.234 when told --decimal ,', async () => {
    const report = await importCsv(
      db,
      fromText('date,measure,value\n2026-01-01,revenue,"1,234"\n'),
      { decimal: ',' },
    );
    expect(report.ok).toBe(true);
    expect(await sumOf(db, 'revenue')).toBe(1.234);
  });

  it('reads US dates only with --date-format MM/DD/YYYY', async () => {
    const without = await importCsv(db, { path: fixture('long-us-dates.csv') }, {});
    expect(without.ok).toBe(false);
    expect(without.rejected.map((r) => [r.line, r.column, r.reason])).toEqual([
      [
        2,
        'date',
        'ambiguous date "01/05/2026" (day/month or month/day?): pass --date-format DD/MM/YYYY or --date-format MM/DD/YYYY',
      ],
      [3, 'date', '"01/13/2026" looks like MM/DD/YYYY (US order): pass --date-format MM/DD/YYYY'],
      [4, 'date', '"12/31/2026" looks like MM/DD/YYYY (US order): pass --date-format MM/DD/YYYY'],
    ]);
    const report = await importCsv(
      db,
      { path: fixture('long-us-dates.csv') },
      { dateFormat: 'MM/DD/YYYY' },
    );
    expect(report.ok).toBe(true);
    expect(report.dateRange).toEqual({ start: '2026-01-05', end: '2026-12-31' });
  });

  it('reads tab-separated files (a comma inside a campaign name stays)', async () => {
    const report = await importCsv(db, { path: fixture('long.tsv') }, {});
    expect(report).toMatchObject({ ok: true, delimiter: '\t', factsWritten: 2 });
    expect((await snapshot(db)).map((r) => r.campaign)).toEqual(['Brand, exact', 'Brand, exact']);
  });

  it('honours Excel’s sep= line, and counts it in line numbers', async () => {
    const report = await importCsv(db, { path: fixture('long-sep-line.csv') }, {});
    expect(report.delimiter).toBe(';');
    expect(report.rejected).toEqual([
      { line: 4, column: 'value', value: 'x', reason: '"x" is not a number' },
    ]);
  });

  it('decodes a Windows-1252 file (Excel on Swedish Windows) and says the encoding was guessed', async () => {
    const report = await importCsv(db, { path: fixture('long-cp1252.csv') }, {});
    expect(report).toMatchObject({ ok: true, encoding: 'windows-1252', encodingGuessed: true });
    expect((await snapshot(db))[0]).toMatchObject({ campaign: 'Varumärke', value: 100.5 });
  });

  it('rejects a file that stops being UTF-8 after its head', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `2026-01-01,orders,1,web,c${i}\n`).join('');
    const bytes = Buffer.concat([
      Buffer.from(`date,measure,value,channel,campaign\n${rows}`),
      Buffer.from('2026-01-02,orders,1,web,Varum\xe4rke\n', 'latin1'),
    ]);
    expect(bytes.length).toBeGreaterThan(64 * 1024);
    const before = await snapshot(db);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 16_384) }, (_, i) =>
      bytes.subarray(i * 16_384, (i + 1) * 16_384),
    );
    const report = await importCsv(db, { stream: Readable.from(chunks), name: 'mixed.csv' }, {});
    expect(report).toMatchObject({ ok: false, encoding: 'utf-8' });
    expect(report.rejected.at(-1)?.reason).toMatch(
      /not valid UTF-8 \(from byte 81,920 on\).*--encoding windows-1252/,
    );
    expect(await snapshot(db)).toEqual(before);
  });

  it('quotes a multi-line record by the line it starts on', async () => {
    const report = await importCsv(
      db,
      fromText('date,measure,value,channel,campaign\n2026-01-01,orders,"x",web,"two\nlines"\n'),
      {},
    );
    expect(report.rejected).toEqual([
      { line: 2, column: 'value', value: 'x', reason: '"x" is not a number' },
      {
        line: 2,
        column: 'campaign',
        value: 'two\nlines',
        reason: 'must not contain control characters',
      },
    ]);
  });
});

describe('rejections leave the store unchanged', () => {
  it('lists every rejected row with line, column and reason', async () => {
    await seed();
    const before = await snapshot(db);
    const report = await importCsv(db, { path: fixture('long-bad.csv') }, {});
    expect(report.ok).toBe(false);
    expect(report.factsWritten).toBe(0);
    expect(
      report.rejected.map((r) => ({ line: r.line, column: r.column, reason: r.reason })),
    ).toEqual([
      { line: 3, column: 'measure', reason: 'unknown measure "spend" (did you mean "ad_spend"?)' },
      { line: 4, column: 'date', reason: '"2026-13-05": there is no month 13' },
      { line: 5, column: 'value', reason: '"abc" is not a number' },
      { line: 6, column: 'value', reason: 'no value ("--")' },
      { line: 7, column: 'value', reason: 'empty value' },
      {
        line: 8,
        column: 'value',
        reason: expect.stringMatching(
          /"12 %" is a percentage, but conversions is a count or an amount.*leave percentage columns out/,
        ),
      },
      {
        line: 9,
        column: 'date',
        reason:
          'ambiguous date "03/04/2026" (day/month or month/day?): pass --date-format DD/MM/YYYY or --date-format MM/DD/YYYY',
      },
      { line: 10, column: undefined, reason: 'has 4 fields, the header has 5' },
      {
        line: 11,
        column: undefined,
        reason: expect.stringMatching(
          /^repeats ad_spend on 2026-01-05 \(channel google-ads, campaign Brand\) of an earlier row/,
        ),
      },
      {
        line: 12,
        column: 'value',
        reason:
          'ambiguous number "1,234": is "," a thousands or a decimal separator? Pass --decimal , or --decimal .',
      },
    ]);
    expect(report).toMatchObject({ rejectedTotal: 10, rejectedRows: 10, rowsRead: 11 });
    expect(await snapshot(db)).toEqual(before);
  });

  it('lists the first 50 rejections and counts the rest', async () => {
    await seed();
    const before = await snapshot(db);
    const lines = ['date,measure,value'];
    for (let i = 0; i < 120; i++) lines.push(`2026-01-01,bogus_${i},1`);
    const report = await importCsv(db, fromText(`${lines.join('\n')}\n`), {});
    expect(report.rejected).toHaveLength(50);
    expect(report.rejectedTotal).toBe(120);
    expect(report.rejected[49]?.line).toBe(51);
    expect(await snapshot(db)).toEqual(before);
  });

  it('rolls back batches already written when a later row is bad', async () => {
    await seed();
    const before = await snapshot(db);
    const lines = ['date,measure,value,channel'];
    for (let d = 1; d <= 28; d++)
      lines.push(`2026-02-${String(d).padStart(2, '0')},orders,${d},web`);
    lines.push('2026-02-30,orders,1,web');
    const report = await importCsv(db, fromText(`${lines.join('\n')}\n`), { batchSize: 5 });
    expect(report.rejected).toEqual([
      {
        line: 30,
        column: 'date',
        value: '2026-02-30',
        reason: '"2026-02-30": day 30 is not in month 2',
      },
    ]);
    expect(report.factsWritten).toBe(0);
    expect(await snapshot(db)).toEqual(before);
  });

  it('rejects a header that is not long format, pointing at the built-in mapping', async () => {
    await seed();
    const before = await snapshot(db);
    const report = await importCsv(db, { path: fixture('google-ads.csv') }, {});
    expect(report.ok).toBe(false);
    // No "date" column: the header is never found.
    expect(report.rejected.at(-1)?.reason).toMatch(
      /no header row found: expected a header date,measure,value/,
    );
    const wrong = await importCsv(db, fromText('date,Campaign,Cost\n2026-01-01,x,1\n'), {});
    expect(wrong.rejected.map((r) => r.column ?? r.reason)).toEqual([
      'Cost',
      'measure',
      'value',
      'for a file with one column per measure, pass --map "Column=measure,…" or --mapping NAME',
    ]);
    const ads = await importCsv(db, fromText('Date,Day,Cost,Clicks,Impr.\n'), {});
    expect(ads.rejected.at(-1)?.reason).toBe(
      'this looks like a google-ads export: import it with --mapping google-ads',
    );
    expect(await snapshot(db)).toEqual(before);
  });

  it('rejects empty files, header-only files and CSV syntax errors', async () => {
    await seed();
    const before = await snapshot(db);
    expect((await importCsv(db, fromText(''), {})).rejected).toEqual([
      { line: 1, reason: 'the file is empty' },
    ]);
    expect((await importCsv(db, fromText('date,measure,value\n'), {})).rejected).toEqual([
      { line: 1, reason: 'the file has a header but no data rows' },
    ]);
    const broken = await importCsv(
      db,
      fromText('date,measure,value\n2026-01-01,orders,1\n2026-01-02,orders,"2\n'),
      {},
    );
    expect(broken.ok).toBe(false);
    expect(broken.rejected[0]?.reason).toMatch(/^CSV syntax: Quote Not Closed/);
    expect(await snapshot(db)).toEqual(before);
  });

  it('throws ImportError for unusable options and missing files, writing nothing', async () => {
    await expect(importCsv(db, { path: fixture('nope.csv') }, {})).rejects.toThrow(ImportError);
    await expect(
      importCsv(db, { path: fixture('long.csv') }, { mapping: 'google-adz' }),
    ).rejects.toThrow('Unknown mapping "google-adz" (did you mean "google-ads"?)');
    await expect(
      importCsv(db, { path: fixture('long.csv') }, { map: 'Day=date,Cost=spend' }),
    ).rejects.toThrow(/unknown|neither a measure.*did you mean "ad_spend"/);
    await expect(
      importCsv(db, { path: fixture('long.csv') }, { map: 'Day=date', mapping: 'ga4' }),
    ).rejects.toThrow('either --map or --mapping');
    await expect(
      importCsv(db, { path: fixture('long.csv') }, { dateFormat: 'D/M/Y' as 'DD/MM/YYYY' }),
    ).rejects.toThrow(/Invalid import options: dateFormat/);
    await expect(
      importCsv(
        db,
        { path: '../shared/datasets/telco-customer-churn.csv' },
        { mapping: 'telco-churn' },
      ),
    ).rejects.toThrow(/pass --date YYYY-MM-DD/);
    expect(await snapshot(db)).toEqual([]);
  });
});

describe('re-import and dry run', () => {
  it('importing the same file twice gives the same facts and sums', async () => {
    await importCsv(db, { path: fixture('long.csv') }, {});
    const first = await snapshot(db);
    const spend = await sumOf(db, 'ad_spend');
    const again = await importCsv(db, { path: fixture('long.csv') }, {});
    expect(again.factsWritten).toBe(7);
    expect(await snapshot(db)).toEqual(first);
    expect(await sumOf(db, 'ad_spend')).toBe(spend);
  });

  it('a corrected re-import replaces values instead of adding to them', async () => {
    await importCsv(db, fromText('date,measure,value\n2026-01-01,orders,10\n'), {});
    await importCsv(db, fromText('date,measure,value\n2026-01-01,orders,12\n'), {});
    expect(await sumOf(db, 'orders')).toBe(12);
  });

  it('a dry run validates and reports, and writes nothing', async () => {
    await seed();
    const before = await snapshot(db);
    const report = await importCsv(db, { path: fixture('long.csv') }, { dryRun: true });
    expect(report).toMatchObject({ ok: true, dryRun: true, factsValid: 7, factsWritten: 0 });
    expect(report.measures).toHaveLength(5);
    const bad = await importCsv(db, { path: fixture('long-bad.csv') }, { dryRun: true });
    expect(bad).toMatchObject({ ok: false, dryRun: true, rejectedTotal: 10, factsWritten: 0 });
    expect(await snapshot(db)).toEqual(before);
  });

  it('reports progress by rows and bytes', async () => {
    const lines = ['date,measure,value,channel'];
    for (let i = 0; i < 2500; i++) lines.push(`2026-01-01,orders,${i},c${i}`);
    const text = `${lines.join('\n')}\n`;
    const seen: ImportProgress[] = [];
    const report = await importCsv(db, fromText(text), {}, (p) => seen.push(p));
    expect(report.factsWritten).toBe(2500);
    expect(seen.map((p) => p.rows)).toEqual([1000, 2000, 2500]);
    expect(seen.at(-1)).toEqual({
      rows: 2500,
      bytes: Buffer.byteLength(text),
      totalBytes: undefined,
    });
    const fromFile: ImportProgress[] = [];
    await importCsv(db, { path: fixture('long.csv') }, {}, (p) => fromFile.push(p));
    const size = readFileSync(fixture('long.csv')).length;
    expect(fromFile.at(-1)).toEqual({ rows: 7, bytes: size, totalBytes: size });
  });
});

describe('wide format: --map and configured mappings', () => {
  const map = 'Dag=date,Kanal=channel,Kostnad=ad_spend,Intäkter=revenue,Ordrar=orders';

  it('maps columns to measures with --map (unmapped columns are ignored)', async () => {
    const report = await importCsv(db, { path: fixture('shop-sv.csv') }, { map, campaign: 'shop' });
    expect(report).toMatchObject({
      ok: true,
      format: 'wide',
      mapping: '--map',
      delimiter: ';',
      decimal: ',',
    });
    expect(report.factsWritten).toBe(9);
    expect(await sumOf(db, 'revenue')).toBeCloseTo(12400.5 + 9980 + 20100.25, 9);
    expect(await sumOf(db, 'ad_spend')).toBe(2750);
    expect(await sumOf(db, 'orders')).toBe(104);
    const channels = await db.query<{ channel: string; campaign: string }>(
      'select distinct channel, campaign from facts order by channel',
    );
    expect(channels).toEqual([
      { channel: 'email', campaign: 'shop' },
      { channel: 'organic', campaign: 'shop' },
    ]);
  });

  it('rejects a mapped column the file does not have, with a suggestion', async () => {
    const report = await importCsv(
      db,
      { path: fixture('shop-sv.csv') },
      { map: 'Dag=date,Kostnader=ad_spend' },
    );
    expect(report.rejected).toEqual([
      {
        line: 1,
        column: 'Kostnader',
        reason: 'the mapping\'s column "Kostnader" is not in the file (did you mean "Kostnad"?)',
      },
    ]);
    expect(await snapshot(db)).toEqual([]);
  });

  it('uses a named mapping from kpibot.config.yml', async () => {
    const yaml = `
shop:
  columns:
    Dag: date
    Kanal: channel
    Intäkter: revenue
    Ordrar: orders
    Kommentar: ignore
  campaign: webshop
`;
    const mappings = mappingsConfigSchema.parse(parseYaml(yaml));
    const report = await importCsv(
      db,
      { path: fixture('shop-sv.csv') },
      { mapping: 'shop', mappings },
    );
    expect(report).toMatchObject({ ok: true, mapping: 'shop', measures: ['orders', 'revenue'] });
    expect((await snapshot(db)).every((r) => r.campaign === 'webshop')).toBe(true);
  });

  it('rejects a row whose key repeats an earlier row (an extra breakdown such as device)', async () => {
    const report = await importCsv(
      db,
      { path: fixture('google-ads-device.csv') },
      { mapping: 'google-ads' },
    );
    expect(report.rejected).toEqual([
      {
        line: 3,
        reason:
          'repeats 2026-01-05 (channel google-ads, campaign Brand Search) of an earlier row; the export probably has another breakdown (device, network, source…): remove it, or sum those rows first',
      },
    ]);
    expect(await snapshot(db)).toEqual([]);
  });
});

describe('encodings', () => {
  it('rejects a forced encoding the file is not in, from its first bytes', async () => {
    const report = await importCsv(db, { path: fixture('long-cp1252.csv') }, { encoding: 'utf-8' });
    expect(report.rejected).toEqual([
      {
        line: 1,
        reason:
          'the file is not valid UTF-8 (from byte 0 on): save it as "CSV UTF-8", or pass --encoding windows-1252',
      },
    ]);
    expect(await snapshot(db)).toEqual([]);
  });
});

describe('large files: batches, chunks and the write path', () => {
  const map = 'Day=date,Campaign=campaign,Cost=ad_spend,Clicks=clicks,Impr.=impressions';
  const dayOf = (i: number) =>
    new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);

  /** A wide file: `days` days × 10 campaigns, three measures per row. */
  function wideFile(days: number, scale = 1, extra = ''): string {
    const lines = ['Day,Campaign,Cost,Clicks,Impr.'];
    for (let d = 0; d < days; d++) {
      for (let c = 0; c < 10; c++)
        lines.push(`${dayOf(d)},c${c},${(d + c) * scale},${c * scale},${d * scale}`);
    }
    return `${lines.join('\n')}\n${extra}`;
  }

  /** The text as a stream of `size`-byte chunks. */
  const chunked = (text: string, size: number) => {
    const bytes = Buffer.from(text);
    return {
      stream: Readable.from(
        Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
          bytes.subarray(i * size, (i + 1) * size),
        ),
      ),
      name: 'big.csv',
    };
  };

  const totals = (days: number, scale: number) => {
    let cost = 0;
    let clicks = 0;
    let impressions = 0;
    for (let d = 0; d < days; d++) {
      for (let c = 0; c < 10; c++) {
        cost += (d + c) * scale;
        clicks += c * scale;
        impressions += d * scale;
      }
    }
    return { cost, clicks, impressions };
  };

  it('writes batch after batch (boundaries inside rows and days), and a re-import replaces', async () => {
    // 250 days × 10 campaigns = 2,500 rows, 7,500 facts; batches of 1,000 facts cut rows in three.
    const opts = { map, channel: 'search', batchSize: 1_000 };
    const report = await importCsv(db, chunked(wideFile(250), 1_000), opts);
    expect(report).toMatchObject({ ok: true, rowsRead: 2_500, factsWritten: 7_500 });
    const expected = totals(250, 1);
    expect(await sumOf(db, 'ad_spend')).toBe(expected.cost);
    expect(await sumOf(db, 'clicks')).toBe(expected.clicks);
    expect(await sumOf(db, 'impressions')).toBe(expected.impressions);
    const fresh = await db.query<{ measure: string; last_day: string }>(
      'select measure, last_day from measure_freshness order by measure',
    );
    expect(fresh).toEqual(
      ['ad_spend', 'clicks', 'impressions'].map((m) => ({ measure: m, last_day: dayOf(249) })),
    );
    const campaigns = await db.query<{ value: string }>(
      `select value from dimension_values where dimension = 'campaign' order by value`,
    );
    expect(campaigns).toHaveLength(10);

    // The same file with every value doubled: replaced, not added.
    const again = await importCsv(db, chunked(wideFile(250, 2), 777), opts);
    expect(again).toMatchObject({ ok: true, factsWritten: 7_500 });
    expect((await snapshot(db)).length).toBe(7_500);
    expect(await sumOf(db, 'ad_spend')).toBe(2 * expected.cost);
  });

  it('a bad row after many good rows (batches already written) leaves the store unchanged', async () => {
    await seed();
    const before = await snapshot(db);
    const fresh = await db.query('select * from measure_freshness order by measure, source');
    const text = wideFile(300, 1, '2025-12-31,c0,abc,1,1\n');
    const report = await importCsv(db, chunked(text, 4_096), {
      map,
      channel: 'search',
      batchSize: 500,
    });
    expect(report).toMatchObject({ ok: false, rowsRead: 3_001, factsWritten: 0, rejectedTotal: 1 });
    expect(report.rejected).toEqual([
      { line: 3_002, column: 'Cost', value: 'abc', reason: '"abc" is not a number' },
    ]);
    expect(await snapshot(db)).toEqual(before);
    expect(await db.query('select * from measure_freshness order by measure, source')).toEqual(
      fresh,
    );
    expect(
      await db.query(`select value from dimension_values where dimension = 'campaign'`),
    ).toEqual([{ value: 'Brand' }]);
  });

  it('imports over facts stored for part of its days: those are replaced, others kept', async () => {
    await upsertFacts(db, [
      { day: dayOf(5), measure: 'ad_spend', value: 1e6, channel: 'search', campaign: 'c3' },
      { day: dayOf(5), measure: 'ad_spend', value: 7, channel: 'search', campaign: 'other' },
      { day: dayOf(400), measure: 'clicks', value: 9, channel: 'search', campaign: 'c1' },
    ]);
    const report = await importCsv(db, chunked(wideFile(20), 512), {
      map,
      channel: 'search',
      batchSize: 100,
    });
    expect(report).toMatchObject({ ok: true, factsWritten: 600 });
    expect(await sumOf(db, 'ad_spend')).toBe(totals(20, 1).cost + 7);
    expect(await sumOf(db, 'clicks')).toBe(totals(20, 1).clicks + 9);
    expect((await snapshot(db)).length).toBe(602);
  });

  it('on a server, a clash with another session’s insert makes the file import again, upserting', async () => {
    let plainInserts = 0;
    let upserts = 0;
    let clashed = false;
    const asServer = (inner: Db): Db => ({
      dialect: 'postgres',
      query: async <R>(sql: string, params?: unknown[]) => {
        if (/insert into facts/.test(sql)) {
          if (/on conflict/.test(sql)) upserts++;
          else plainInserts++;
          if (!clashed && !/on conflict/.test(sql)) {
            clashed = true;
            const err = new Error('duplicate key value violates unique constraint "facts_pkey"');
            throw Object.assign(err, { code: '23505' });
          }
        }
        return inner.query<R>(sql, params);
      },
      exec: (sql) => inner.exec(sql),
      transaction: (fn) => inner.transaction((tx) => fn(asServer(tx))),
      close: () => inner.close(),
    });
    const server = asServer(db);
    const report = await importCsv(server, { path: fixture('long.csv') }, {});
    expect(report).toMatchObject({ ok: true, factsWritten: 7 });
    expect({ clashed, plainInserts, upserts }).toEqual({
      clashed: true,
      plainInserts: 1,
      upserts: 1,
    });
    expect((await snapshot(db)).length).toBe(7);
    // A stream cannot be read twice: on a server it is upserted from the start.
    plainInserts = 0;
    await importCsv(server, fromText('date,measure,value\n2026-03-01,orders,1\n'), {});
    expect(plainInserts).toBe(0);
  });

  it('rejects malformed quoting and absurd numbers instead of failing', async () => {
    const quote = await importCsv(db, fromText('date,measure,value\n2026-01-01,ord"ers,1\n'), {});
    expect(quote.ok).toBe(false);
    expect(quote.rejected[0]).toMatchObject({ line: 2 });
    expect(quote.rejected[0]?.reason).toMatch(/^CSV syntax: Invalid Opening Quote/);
    const huge = await importCsv(
      db,
      fromText(`date,measure,value\n2026-01-01,orders,${'9'.repeat(400)}.5\n`),
      {},
    );
    expect(huge.rejected.map((r) => r.reason)).toEqual([expect.stringMatching(/is too large$/)]);
    expect(await snapshot(db)).toEqual([]);
  });
});
