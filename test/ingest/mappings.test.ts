import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importCsv } from '../../src/ingest/import.ts';
import {
  BUILT_IN_MAPPINGS,
  columnMatcher,
  findMapping,
  mappingSchema,
  mappingsConfigSchema,
  parseMapSpec,
} from '../../src/ingest/mapping.ts';
import type { Db } from '../../src/store/db.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { clearFacts, fixture, snapshot, sumOf } from './helpers.ts';

describe('mapping schema and --map', () => {
  it('parses --map into a wide mapping', () => {
    const m = parseMapSpec('Day=date,Cost=ad_spend,Conv. value=revenue');
    expect(m).toMatchObject({
      format: 'wide',
      columns: { Day: 'date', Cost: 'ad_spend', 'Conv. value': 'revenue' },
      empty: 'reject',
      optionalColumns: false,
    });
    expect(parseMapSpec('"Cost, SEK"=ad_spend , Dag = date').columns).toEqual({
      'Cost, SEK': 'ad_spend',
      Dag: 'date',
    });
  });

  it('explains bad --map values', () => {
    expect(() => parseMapSpec('Day=date,Cost')).toThrow('--map: "Cost" is not Column=target');
    expect(() => parseMapSpec('Day=date,Cost=spend')).toThrow(
      /"spend" is neither a measure.*did you mean "ad_spend"/,
    );
    expect(() => parseMapSpec('Cost=ad_spend')).toThrow(/no column is mapped to date/);
    expect(() => parseMapSpec('Day=date,Campaign=campaign')).toThrow(
      /no column is mapped to a measure/,
    );
    expect(() => parseMapSpec('Day=date,Day=ad_spend')).toThrow(/mapped twice/);
  });

  it('validates config mappings, naming the key', () => {
    const bad = mappingsConfigSchema.safeParse({
      shop: { columns: { Dag: 'date', Kostnad: 'kostnad' } },
      'Bad Name': { columns: { Day: 'date', Cost: 'ad_spend' } },
      churn: { format: 'records', measures: { churned: { count: true } } },
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^shop\.columns\.Kostnad: "kostnad" is neither a measure/),
        expect.stringMatching(/^Bad Name: a mapping name is lower-case/),
        expect.stringMatching(
          /^churn\.measures\.churned: unknown measure "churned" \(did you mean "churned_customers"\?\)/,
        ),
      ]),
    );
    expect(mappingsConfigSchema.parse(undefined)).toEqual({});
  });

  it('has valid built-ins, and config mappings take precedence over them', () => {
    for (const m of Object.values(BUILT_IN_MAPPINGS)) expect(mappingSchema.parse(m)).toEqual(m);
    expect(Object.keys(BUILT_IN_MAPPINGS)).toEqual([
      'google-ads',
      'meta-ads',
      'ga4',
      'telco-churn',
    ]);
    const own = mappingSchema.parse({ columns: { Datum: 'date', Sessioner: 'sessions' } });
    expect(findMapping('ga4', { ga4: own })).toBe(own);
    expect(findMapping('ga4')).toBe(BUILT_IN_MAPPINGS.ga4);
  });

  it('matches column names case-insensitively, with * as a wildcard', () => {
    expect(columnMatcher('Amount spent (*)')('Amount spent (SEK)')).toBe(true);
    expect(columnMatcher('Amount spent (*)')('amount  spent (USD)')).toBe(true);
    expect(columnMatcher('Amount spent (*)')('Amount spent')).toBe(false);
    expect(columnMatcher('Conv. value')('conv. value')).toBe(true);
    expect(columnMatcher('Conv. value')('Conv value')).toBe(false);
  });
});

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

/** Sums of the measures in the store, by measure. */
async function totals(): Promise<Record<string, number>> {
  const rows = await db.query<{ measure: string; s: number }>(
    'select measure, sum(value) as s from facts group by measure order by measure',
  );
  return Object.fromEntries(rows.map((r) => [r.measure, r.s]));
}

/** A quoted-CSV line split by hand (a test-side reader independent of the importer). */
function splitQuoted(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|([^,]+)|(?<=,|^)(?=,|$)/g)].map((m) => m[1] ?? m[2] ?? '');
}
const plain = (s: string) => Number(s.replace(/,/g, ''));

describe('built-in mapping google-ads', () => {
  it('imports a Google Ads export: title rows and Total rows skipped, US numbers', async () => {
    const report = await importCsv(
      db,
      { path: fixture('google-ads.csv') },
      { mapping: 'google-ads' },
    );
    expect(report).toMatchObject({
      ok: true,
      format: 'wide',
      mapping: 'google-ads',
      rowsRead: 6,
      rowsSkipped: 2,
      factsWritten: 20,
      decimal: '.',
      measures: ['ad_spend', 'clicks', 'conversions', 'impressions', 'revenue'],
      dateRange: { start: '2026-01-05', end: '2026-01-06' },
    });
    const campaigns = await db.query<{ channel: string; campaign: string }>(
      'select distinct channel, campaign from facts order by campaign',
    );
    expect(campaigns).toEqual([
      { channel: 'google-ads', campaign: 'Brand Search' },
      { channel: 'google-ads', campaign: 'Generic Search' },
    ]);
  });

  it('sums to the export’s own "Total: Account" row; CTR, CPC, CPA and conversion rate match', async () => {
    await importCsv(db, { path: fixture('google-ads.csv') }, { mapping: 'google-ads' });
    const lines = readFileSync(fixture('google-ads.csv'), 'utf8').split('\n');
    const header = splitQuoted(lines[2]!);
    const total = splitQuoted(lines.find((l) => l.startsWith('Total: Account'))!);
    const col = (name: string) => plain(total[header.indexOf(name)]!);
    const t = await totals();
    expect(t.ad_spend).toBeCloseTo(col('Cost'), 9);
    expect(t.impressions).toBe(col('Impr.'));
    expect(t.clicks).toBe(col('Clicks'));
    expect(t.conversions).toBeCloseTo(col('Conversions'), 9);
    expect(t.revenue).toBeCloseTo(col('Conv. value'), 9);
    // The KPIs, each a ratio of sums (the rule of numbers), against the same from the raw row.
    expect(t.clicks! / t.impressions!).toBeCloseTo(col('Clicks') / col('Impr.'), 12); // CTR
    expect(t.ad_spend! / t.clicks!).toBeCloseTo(col('Cost') / col('Clicks'), 12); // CPC
    expect(t.ad_spend! / t.conversions!).toBeCloseTo(col('Cost') / col('Conversions'), 12); // cost per conversion
    expect(t.conversions! / t.clicks!).toBeCloseTo(col('Conversions') / col('Clicks'), 12); // conversion rate
    expect(t.revenue! / t.ad_spend!).toBeCloseTo(col('Conv. value') / col('Cost'), 12); // ROAS
  });

  it('reads the same export saved as UTF-16 with tabs ("Excel CSV")', async () => {
    const report = await importCsv(
      db,
      { path: fixture('google-ads-utf16.csv') },
      { mapping: 'google-ads' },
    );
    expect(report).toMatchObject({
      ok: true,
      encoding: 'utf-16le',
      delimiter: '\t',
      factsWritten: 20,
    });
    const fromUtf16 = await snapshot(db);
    await clearFacts(db);
    await importCsv(db, { path: fixture('google-ads.csv') }, { mapping: 'google-ads' });
    expect(await snapshot(db)).toEqual(fromUtf16);
  });

  it('lets --channel override the mapping’s channel', async () => {
    await importCsv(
      db,
      { path: fixture('google-ads.csv') },
      { mapping: 'google-ads', channel: 'search' },
    );
    const channels = await db.query<{ channel: string }>('select distinct channel from facts');
    expect(channels).toEqual([{ channel: 'search' }]);
  });
});

describe('built-in mapping meta-ads', () => {
  it('imports a Meta Ads Manager export; empty metric cells are 0; any currency', async () => {
    const report = await importCsv(db, { path: fixture('meta-ads.csv') }, { mapping: 'meta-ads' });
    expect(report).toMatchObject({
      ok: true,
      rowsRead: 4,
      factsWritten: 24,
      measures: ['ad_spend', 'clicks', 'conversions', 'impressions', 'reach', 'revenue'],
    });
    // Independent reduce over the raw file (no quoted cells in it: a plain split is enough).
    const [head, ...rows] = readFileSync(fixture('meta-ads.csv'), 'utf8').trim().split('\n');
    const cols = head!.split(',');
    const sum = (name: string) =>
      rows.reduce((acc, line) => acc + Number(line.split(',')[cols.indexOf(name)] || 0), 0);
    const t = await totals();
    expect(t.ad_spend).toBeCloseTo(sum('Amount spent (SEK)'), 9);
    expect(t.impressions).toBe(sum('Impressions'));
    expect(t.reach).toBe(sum('Reach'));
    expect(t.clicks).toBe(sum('Link clicks'));
    expect(t.conversions).toBe(sum('Purchases'));
    expect(t.revenue).toBeCloseTo(sum('Purchases conversion value'), 9);
    expect(t.clicks! / t.impressions!).toBeCloseTo(sum('Link clicks') / sum('Impressions'), 12); // CTR
    expect(t.ad_spend! / t.clicks!).toBeCloseTo(sum('Amount spent (SEK)') / sum('Link clicks'), 12); // CPC
    expect(t.ad_spend! / t.conversions!).toBeCloseTo(
      sum('Amount spent (SEK)') / sum('Purchases'),
      12,
    ); // CPA
    const retargeting = await db.query<{ measure: string; value: number }>(
      `select measure, value from facts where campaign = 'Retargeting' and day = '2026-01-05' and measure in ('conversions', 'revenue') order by measure`,
    );
    expect(retargeting).toEqual([
      { measure: 'conversions', value: 0 },
      { measure: 'revenue', value: 0 },
    ]);
    expect(
      (await db.query<{ channel: string }>('select distinct channel from facts'))[0]?.channel,
    ).toBe('meta');
  });

  it('rejects rows that span several days (an export without the daily breakdown)', async () => {
    const report = await importCsv(
      db,
      { path: fixture('meta-ads-range.csv') },
      { mapping: 'meta-ads' },
    );
    expect(report.rejected).toEqual([
      {
        line: 2,
        column: 'Reporting ends',
        value: '2026-01-31',
        reason:
          'the row covers 2026-01-01..2026-01-31, not one day: export with a daily breakdown (Breakdown → By time → Day)',
      },
    ]);
    expect(await snapshot(db)).toEqual([]);
  });
});

describe('built-in mapping ga4', () => {
  it('imports a GA4 export: "#" preamble, YYYYMMDD dates, channel groups as channels', async () => {
    const report = await importCsv(db, { path: fixture('ga4.csv') }, { mapping: 'ga4' });
    expect(report).toMatchObject({
      ok: true,
      rowsRead: 6,
      factsWritten: 24,
      measures: ['conversions', 'new_visitors', 'revenue', 'sessions'],
      dateRange: { start: '2026-01-05', end: '2026-01-06' },
    });
    const byChannel = await db.query<{ channel: string; sessions: number }>(
      `select channel, sum(value) as sessions from facts where measure = 'sessions' group by channel order by channel`,
    );
    expect(byChannel).toEqual([
      { channel: 'direct', sessions: 810 },
      { channel: 'organic', sessions: 2450 },
      { channel: 'paid-search', sessions: 1850 },
    ]);
    expect(report.channels).toEqual({
      relabelled: [
        { from: 'Organic Search', to: 'organic' },
        { from: 'Paid Search', to: 'paid-search' },
        { from: 'Direct', to: 'direct' },
      ],
      unknown: [],
      more: 0,
    });
    const t = await totals();
    expect(t.conversions).toBe(135);
    expect(t.revenue).toBeCloseTo(19500.75, 9);
    expect(t.new_visitors).toBe(2335);
    // conversion rate = conversions / sessions
    expect(t.conversions! / t.sessions!).toBeCloseTo(135 / 5110, 12);
  });
});

describe('mapping problems', () => {
  it('rejects a wide file whose date column is missing', async () => {
    const report = await importCsv(db, { path: fixture('long.csv') }, { mapping: 'google-ads' });
    expect(report.ok).toBe(false);
    expect(report.rejected[0]?.reason).toMatch(
      /^no header row found: expected a header with the date column "Day"/,
    );
  });

  it('rejects empty measure cells unless the mapping reads them as 0', async () => {
    const text = 'Day,Cost\n2026-01-01,\n';
    const file = { stream: (await import('node:stream')).Readable.from([text]), name: 'x.csv' };
    const report = await importCsv(db, file, { map: 'Day=date,Cost=ad_spend' });
    expect(report.rejected).toEqual([
      { line: 2, column: 'Cost', value: '', reason: 'empty value' },
    ]);
    expect(await sumOf(db, 'ad_spend')).toBe(0);
  });
});
