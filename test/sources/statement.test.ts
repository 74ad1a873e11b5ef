// The SELECT a source runs, the rows it returns made into facts, the scrubbing of its URL, and
// `/kpi status` for sources: pure parts, no database.
import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/commands/views/text.ts';
import { buildStatus } from '../../src/query/status.ts';
import { formatSyncResult, sourcesToSync } from '../../src/sources/cli.ts';
import type { SourceSpec, SqlSource } from '../../src/sources/config.ts';
import { factsFromRows, SourceRowsError } from '../../src/sources/rows.ts';
import { quoteIdent, sourceStatement } from '../../src/sources/statement.ts';
import { sourceScrubber, syncWindow } from '../../src/sources/sync.ts';

const timing = {
  name: 'x',
  urlEnv: 'WAREHOUSE_URL',
  schedule: '15 * * * *',
  windowDays: 7,
  backfillDays: 90,
  timeoutSeconds: 60,
};
const window = { start: '2026-11-27', end: '2026-12-03' };

describe('sourceStatement', () => {
  it('binds :from and :to as parameters and leaves casts and other words alone', () => {
    const spec: SourceSpec = {
      ...timing,
      kind: 'query',
      query:
        "select d::date as date, 'x:to' as t, fromage from t where d between :from and :to::date",
    };
    expect(sourceStatement(spec, window)).toEqual({
      sql: "select d::date as date, 'x:to' as t, fromage from t where d between $1::date and $2::date::date",
      params: ['2026-11-27', '2026-12-03'],
    });
  });

  it('turns a table mapping into one grouped SELECT with quoted names and values as parameters', () => {
    const spec: SourceSpec = {
      ...timing,
      kind: 'table',
      table: 'google_ads.campaign_stats',
      dateColumn: 'segments_date',
      measures: [
        { column: 'metrics_cost_micros', measure: 'ad_spend', divideBy: 1_000_000 },
        { column: 'Clicks "all"', measure: 'clicks' },
      ],
      channel: { value: 'google-ads' },
      campaign: { column: 'campaign_name' },
    };
    const { sql, params } = sourceStatement(spec, window);
    expect(sql).toBe(`select t."segments_date"::date as date, m.measure, sum(m.value) as value,
       $3::text as channel, coalesce(t."campaign_name"::text, '') as campaign
from "google_ads"."campaign_stats" t
cross join lateral (values ($4::text, t."metrics_cost_micros"::float8 / $5::float8), ($6::text, t."Clicks ""all"""::float8)) as m(measure, value)
where t."segments_date"::date between $1::date and $2::date and m.value is not null
group by 1, 2, 4, 5`);
    expect(params).toEqual([
      '2026-11-27',
      '2026-12-03',
      'google-ads',
      'ad_spend',
      1_000_000,
      'clicks',
    ]);
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });
});

describe('factsFromRows', () => {
  it('reads numeric text and NULL dimensions, and skips a NULL value', () => {
    const rows = [
      {
        date: '2026-11-30',
        measure: 'revenue',
        value: '1234.50',
        channel: null,
        campaign: 'Brand',
      },
      { date: '2026-11-30', measure: 'clicks', value: 12, channel: 'google-ads', campaign: null },
      { date: '2026-12-01', measure: 'clicks', value: null, channel: 'google-ads' },
    ];
    expect(factsFromRows(rows, window)).toEqual({
      facts: [
        { day: '2026-11-30', measure: 'revenue', value: 1234.5, channel: '', campaign: 'Brand' },
        { day: '2026-11-30', measure: 'clicks', value: 12, channel: 'google-ads', campaign: '' },
      ],
      skipped: 1,
      channels: { relabelled: [], unknown: [], more: 0 },
    });
  });

  it('fails on any bad row, naming the row and the reason', () => {
    const rows = [
      { date: '2026-11-30', measure: 'click', value: 1 },
      { date: '2026-11-30', measure: 'clicks', value: 'many' },
      { date: new Date('2026-11-30T00:00:00Z'), measure: 'clicks', value: 1 },
      { date: '2026-10-01', measure: 'clicks', value: 1 },
      { date: '2026-11-29', measure: 'clicks', value: 1, device: 'MOBILE' },
      { day: '2026-11-29', measure: 'clicks', value: 1 },
    ];
    let error: unknown;
    try {
      factsFromRows(rows, window);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SourceRowsError);
    const { problems } = error as SourceRowsError;
    expect(problems).toEqual([
      expect.stringMatching(/^row 1: measure: unknown measure "click" \(did you mean "clicks"\?\)/),
      'row 2: value: Invalid input: expected number, received string',
      'row 3: date is a timestamp; select it as a date (::date)',
      'row 4: 2026-10-01 lies outside the window 2026-11-27 – 2026-12-03 (filter the query on :from and :to)',
      'row 5: Unrecognized key: "device"',
      'row 6: needs the columns date, measure and value',
    ]);
    expect((error as Error).message).toMatch(/^rejected rows: .* \(and 1 more\)$/);
  });

  it('refuses the same key twice (a fact is one value per day, measure, channel, campaign)', () => {
    const row = { date: '2026-11-30', measure: 'clicks', value: 1, channel: 'google-ads' };
    // Row 2 has a NULL value (no fact), so the repeat is row 3 of row 1.
    expect(() =>
      factsFromRows([row, { ...row, value: null }, { ...row, value: 2 }], window),
    ).toThrow(/row 3: repeats the date, measure, channel and campaign of row 1$/);
  });
});

describe('sourceScrubber and the window', () => {
  it('removes the URL and its password, even a short or percent-encoded one', () => {
    const scrub = sourceScrubber('postgres://u:p%40ss@db.internal/w');
    expect(scrub('failed for postgres://u:p%40ss@db.internal/w: bad "p@ss" and p%40ss')).toBe(
      'failed for [Redacted]: bad "[Redacted]" and [Redacted]',
    );
  });

  it('is the given number of days ending today', () => {
    expect(syncWindow('2026-12-03', 7)).toEqual({ start: '2026-11-27', end: '2026-12-03' });
    expect(syncWindow('2026-03-01', 2)).toEqual({ start: '2026-02-28', end: '2026-03-01' });
  });
});

describe('kpibot sync: choosing sources and the result line', () => {
  const source = (name: string) =>
    ({ ...timing, name, kind: 'query', query: '', url: '' }) as SqlSource;

  it('says what is wrong with the name', () => {
    expect(sourcesToSync([])).toEqual({
      error: expect.stringContaining('No SQL sources are configured'),
    });
    expect(sourcesToSync([source('google_ads'), source('meta')], 'googel_ads')).toEqual({
      error: 'No source "googel_ads" (did you mean "google_ads"?); configured: google_ads, meta.',
    });
    expect(sourcesToSync([source('a'), source('b')], 'b')).toEqual({ sources: [source('b')] });
  });

  it('prints one line per source', () => {
    expect(
      formatSyncResult({
        ok: true,
        source: 'meta',
        window,
        rows: 42,
        written: 40,
        removed: 3,
        backfill: false,
      }),
    ).toBe(
      'meta: 42 rows, 40 facts for 2026-11-27 – 2026-12-03; 3 facts it no longer returns removed.',
    );
    expect(formatSyncResult({ ok: false, source: 'meta', window, error: 'boom' })).toBe(
      'meta: FAILED (2026-11-27 – 2026-12-03): boom. No fact changed.',
    );
  });
});

describe('buildStatus with SQL sources', () => {
  it('warns about a failed source and one that found no rows, like a late feed', () => {
    const at = new Date('2026-12-03T11:15:00Z');
    const good = new Date('2026-12-02T11:15:00Z');
    const status = buildStatus([], '2026-12-03', [
      {
        source: 'ga4',
        attemptedAt: at,
        attemptWindow: window,
        error: 'the query ran longer than its timeout (60 s)',
        synced: { at: good, window, rows: 70 },
      },
      { source: 'meta', attemptedAt: at, attemptWindow: window, synced: { at, window, rows: 0 } },
      { source: 'shop', attemptedAt: at, attemptWindow: window, error: 'boom' },
      { source: 'tiktok', attemptedAt: at, attemptWindow: window, synced: { at, window, rows: 5 } },
    ]);
    expect(status.warnings).toEqual([
      'SQL source ga4 failed: the query ran longer than its timeout (60 s) (last good sync 2026-12-02 11:15 UTC).',
      'SQL source meta returned no rows for 2026-11-27 – 2026-12-03.',
      'SQL source shop failed: boom (never synced).',
    ]);
    expect(status.sources).toEqual([
      {
        name: 'ga4',
        lastRunAt: '2026-12-03T11:15:00.000Z',
        window,
        error: 'the query ran longer than its timeout (60 s)',
        lastSuccessAt: '2026-12-02T11:15:00.000Z',
        rows: 70,
      },
      {
        name: 'meta',
        lastRunAt: '2026-12-03T11:15:00.000Z',
        window,
        lastSuccessAt: '2026-12-03T11:15:00.000Z',
        rows: 0,
      },
      { name: 'shop', lastRunAt: '2026-12-03T11:15:00.000Z', window, error: 'boom' },
      {
        name: 'tiktok',
        lastRunAt: '2026-12-03T11:15:00.000Z',
        window,
        lastSuccessAt: '2026-12-03T11:15:00.000Z',
        rows: 5,
      },
    ]);
  });
});

describe('kpibot status with SQL sources and no facts yet', () => {
  it('says there is no data, then the warning and each source', () => {
    const at = new Date('2026-12-03T11:15:00Z');
    const text = renderText(
      buildStatus([], '2026-12-03', [
        { source: 'shop', attemptedAt: at, attemptWindow: window, error: 'boom' },
      ]),
    );
    expect(text.split('\n')).toEqual([
      'No data yet. Import with `npx kpibot import FILE.csv` (or `npx kpibot demo`), or POST /api/v1/facts.',
      '  ! SQL source shop failed: boom (never synced).',
      'SQL sources:',
      '  source  last run          window                   rows  result',
      '  shop    2026-12-03 11:15  2026-11-27 – 2026-12-03  -     failed: boom',
    ]);
  });
});
