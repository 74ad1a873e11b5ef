// docs/sql-sources.md's examples are loaded as users would load them, and (with a server) each
// is synced against a warehouse table of the shape the loader documents: an example that drifts
// from the schema, or whose SQL does not run, fails here. Values by hand from the rows below.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, requireSourceUrls } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { syncSource } from '../../src/sources/sync.ts';
import type { Db } from '../../src/store/db.ts';
import { sqlSourceTag } from '../../src/store/source-syncs.ts';
import { createPostgresTestDb, serverUrlOrWarn } from '../helpers/test-db.ts';
import { createWarehouse, type Warehouse } from './warehouse.ts';

const dir = mkdtempSync(join(tmpdir(), 'kpibot-sql-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every ```yaml block of the page that configures sources. */
function docBlocks(): string[] {
  const page = readFileSync(new URL('../../docs/sql-sources.md', import.meta.url), 'utf8');
  return [...page.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1] ?? '')
    .filter((b) => /^(# .*\n)?sources:/.test(b));
}

function load(block: string, url = 'postgres://kpibot_reader:secret-pw@localhost/marketing') {
  writeFileSync(join(dir, 'kpibot.config.yml'), block);
  return requireSourceUrls(loadConfig({ WAREHOUSE_URL: url }, dir));
}

describe('docs/sql-sources.md', () => {
  it('every example is valid configuration', () => {
    const blocks = docBlocks();
    expect(blocks.length).toBe(9); // the first block and eight worked examples
    const names = blocks.flatMap((b) => load(b).map((s) => `${s.name}:${s.kind}`));
    expect(names).toEqual([
      'google_ads:table',
      'google_ads:table',
      'google_ads:query',
      'meta_ads:table',
      'meta_revenue:query',
      'meta_ads:table',
      'meta_ads:table',
      'ga4_channels:table',
      'ga4_site:table',
    ]);
  });
});

/** Tables of the loaders' shapes, two rows each on 2026-12-01 for one campaign. */
const WAREHOUSE = `
  create schema google_ads; create schema meta; create schema facebook_ads_data;
  create schema facebook_ads; create schema ga4;
  create table google_ads.campaign (
    segments_date date, segments_hour integer, segments_ad_network_type text, campaign_name text,
    metrics_cost_micros bigint, metrics_clicks bigint, metrics_impressions bigint,
    metrics_conversions double precision, metrics_conversions_value double precision);
  insert into google_ads.campaign values
    ('2026-12-01', 9, 'SEARCH', 'Brand', 1500000, 10, 100, 1, 250.5),
    ('2026-12-01', 10, 'SEARCH', 'Brand', 2500000, 20, 300, 2, 100);
  create table google_ads.campaign_stats (
    date date, customer_id bigint, id bigint, ad_network_type text, device text, clicks integer,
    conversions double precision, conversions_value double precision, cost_micros bigint,
    impressions integer);
  insert into google_ads.campaign_stats values
    ('2026-12-01', 1, 42, 'SEARCH', 'MOBILE', 10, 1, 250.5, 1500000, 100),
    ('2026-12-01', 1, 42, 'SEARCH', 'DESKTOP', 20, 2, 100, 2500000, 300);
  create table google_ads.campaign_history (id bigint, updated_at timestamp, name text);
  insert into google_ads.campaign_history values
    (42, '2026-01-01', 'Brand (old name)'), (42, '2026-06-01', 'Brand');
  create table meta.ads_insights (
    date_start date, campaign_name text, ad_id text, spend numeric, clicks bigint,
    impressions bigint, action_values jsonb);
  insert into meta.ads_insights values
    ('2026-12-01', 'Retargeting', 'a1', 12.5, 3, 400,
     '[{"action_type": "offsite_conversion.fb_pixel_purchase", "value": "99.5"}, {"action_type": "link_click", "value": "3"}]'),
    ('2026-12-01', 'Retargeting', 'a2', 7.5, 2, 100,
     '[{"action_type": "offsite_conversion.fb_pixel_purchase", "value": "50"}]');
  create table facebook_ads_data.facebook_insights (
    date_start date, campaign_id text, adset_id text, ad_id text, spend double precision,
    clicks bigint, impressions bigint);
  insert into facebook_ads_data.facebook_insights values
    ('2026-12-01', '120200', 's1', 'a1', 12.5, 3, 400), ('2026-12-01', '120200', 's1', 'a2', 7.5, 2, 100);
  create table facebook_ads.basic_ad (
    ad_id text, date date, account_id text, impressions integer, inline_link_clicks integer,
    spend double precision);
  insert into facebook_ads.basic_ad values
    ('a1', '2026-12-01', 'act', 400, 3, 12.5), ('a2', '2026-12-01', 'act', 100, 2, 7.5);
  create table ga4.traffic_acquisition_session_default_channel_grouping_report (
    date text, "sessionDefaultChannelGrouping" text, sessions bigint, "totalUsers" bigint);
  insert into ga4.traffic_acquisition_session_default_channel_grouping_report values
    ('20261201', 'Organic Search', 120, 100), ('20261201', 'Paid Search', 30, 25);
  create table ga4.website_overview (date text, "newUsers" bigint, "screenPageViews" bigint);
  insert into ga4.website_overview values ('20261201', 80, 900);
`;

/**
 * Per example: the facts of 2026-12-01 worked out by hand from the rows above.
 * Google Ads: cost (1.5 + 2.5) = 4, clicks 30, impressions 400, conversions 3, value 350.5.
 * Meta: spend 12.5 + 7.5 = 20, clicks 5, impressions 500; purchases 99.5 + 50 = 149.5.
 */
const EXPECTED: Record<string, Array<[string, string, string, number]>> = {
  'google_ads:table': [
    ['ad_spend', 'google-ads', 'Brand', 4],
    ['clicks', 'google-ads', 'Brand', 30],
    ['conversions', 'google-ads', 'Brand', 3],
    ['impressions', 'google-ads', 'Brand', 400],
    ['revenue', 'google-ads', 'Brand', 350.5],
  ],
  'google_ads:query': [
    ['ad_spend', 'google-ads', 'Brand', 4],
    ['clicks', 'google-ads', 'Brand', 30],
    ['conversions', 'google-ads', 'Brand', 3],
    ['impressions', 'google-ads', 'Brand', 400],
    ['revenue', 'google-ads', 'Brand', 350.5],
  ],
  'meta_ads:table:meta.ads_insights': [
    ['ad_spend', 'meta', 'Retargeting', 20],
    ['clicks', 'meta', 'Retargeting', 5],
    ['impressions', 'meta', 'Retargeting', 500],
  ],
  'meta_revenue:query': [['revenue', 'meta', 'Retargeting', 149.5]],
  'meta_ads:table:facebook_ads_data.facebook_insights': [
    ['ad_spend', 'meta', '120200', 20],
    ['clicks', 'meta', '120200', 5],
    ['impressions', 'meta', '120200', 500],
  ],
  'meta_ads:table:facebook_ads.basic_ad': [
    ['ad_spend', 'meta', '', 20],
    ['clicks', 'meta', '', 5],
    ['impressions', 'meta', '', 500],
  ],
  'ga4_channels:table': [
    // GA4's channel groups through the built-in vocabulary
    ['sessions', 'organic', '', 120],
    ['sessions', 'paid-search', '', 30],
  ],
  'ga4_site:table': [
    ['new_visitors', '', '', 80],
    ['page_views', '', '', 900],
  ],
};

const serverUrl = serverUrlOrWarn('docs/sql-sources.md examples against a warehouse');

describe.skipIf(!serverUrl)('docs/sql-sources.md examples on a warehouse', () => {
  let warehouse: Warehouse;
  let db: Db;
  beforeAll(async () => {
    warehouse = await createWarehouse(serverUrl as string);
    await warehouse.sql(WAREHOUSE);
    db = await createPostgresTestDb(serverUrl as string);
  });
  afterAll(async () => {
    await db?.close();
    await warehouse?.close();
  });

  it('each example syncs the facts worked out by hand', async () => {
    const logger = createLogger('silent');
    const now = () => new Date('2026-12-03T12:00:00Z');
    const seen: string[] = [];
    for (const block of docBlocks().slice(1)) {
      for (const source of load(block, warehouse.url)) {
        const key =
          source.kind === 'table' && source.name === 'meta_ads'
            ? `meta_ads:table:${source.table}`
            : `${source.name}:${source.kind}`;
        seen.push(key);
        const result = await syncSource({ db, logger, now, timeZone: 'UTC' }, source);
        expect(result, key).toMatchObject({ ok: true });
        const facts = await db.query<{
          measure: string;
          channel: string;
          campaign: string;
          value: number;
        }>(
          `select measure, channel, campaign, value from facts
           where source = $1 and day = '2026-12-01' order by measure, channel`,
          [sqlSourceTag(source.name)],
        );
        expect(
          facts.map((f) => [f.measure, f.channel, f.campaign, f.value]),
          key,
        ).toEqual(EXPECTED[key]);
      }
    }
    expect(seen.sort()).toEqual(Object.keys(EXPECTED).sort());
  });
});
