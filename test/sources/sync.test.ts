// SQL sources against the real PostgreSQL server: a "warehouse" database of its own, filled as a
// loader fills it, and kpibot's store in a throwaway schema. Expected facts are worked out by
// hand from the fixture (see `fixtureRows`). Skipped, saying so, without TEST_DATABASE_URL.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeCommand } from '../../src/cli/commands.ts';
import { runCommand } from '../../src/commands/registry.ts';
import { renderForSlack } from '../../src/commands/views/slack.ts';
import { renderText } from '../../src/commands/views/text.ts';
import { type Config, loadConfig, requireSourceUrls } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createScheduler, type Scheduler } from '../../src/scheduler/scheduler.ts';
import { createServices, type Services } from '../../src/services.ts';
import type { SqlSource } from '../../src/sources/config.ts';
import { syncSource } from '../../src/sources/sync.ts';
import { sourceTasks } from '../../src/sources/task.ts';
import type { Db } from '../../src/store/db.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import { getSourceSync } from '../../src/store/source-syncs.ts';
import { createPgliteTestDb, createPostgresTestDb, serverUrlOrWarn } from '../helpers/test-db.ts';
import { secondConnection } from '../scheduler/store.ts';
import {
  createCampaignStats,
  createWarehouse,
  WAREHOUSE_PASSWORD,
  type Warehouse,
} from './warehouse.ts';

const serverUrl = serverUrlOrWarn('SQL source tests (a warehouse database on the server)');

/** Noon UTC on 3 December 2026: today is 2026-12-03 in Europe/Stockholm too. */
const NOW = '2026-12-03T12:00:00Z';
const DAYS = [
  '2026-11-24',
  '2026-11-25',
  '2026-11-26',
  '2026-11-27',
  '2026-11-28',
  '2026-11-29',
  '2026-11-30',
  '2026-12-01',
  '2026-12-02',
  '2026-12-03',
];

/**
 * Day i (0 = 2026-11-24 … 9 = 2026-12-03), per campaign and device. By hand, per day:
 *   Brand:   ad_spend (i + 1) + 0.5,  clicks 10 + 5 = 15,  revenue 100.5 (desktop NULL)
 *   Generic: ad_spend 2 (desktop NULL), clicks 20 + 3 = 23, revenue 40 + 0 = 40
 * so 10 days × 2 campaigns × 3 measures = 60 facts, and ad_spend over the ten days is
 * (1 + … + 10) + 10 × 0.5 + 10 × 2 = 55 + 5 + 20 = 80.
 */
function fixtureRows(): unknown[][] {
  return DAYS.flatMap((day, i) => [
    [day, 'Brand', 'MOBILE', (i + 1) * 1_000_000, 10, '100.5'],
    [day, 'Brand', 'DESKTOP', 500_000, 5, null],
    [day, 'Generic', 'MOBILE', 2_000_000, 20, '40'],
    [day, 'Generic', 'DESKTOP', null, 3, '0'],
  ]);
}

const CONFIG = `
timezone: Europe/Stockholm
channels:
  meta: [paid-social]
sources:
  google_ads:
    urlEnv: WAREHOUSE_URL
    table: ads.campaign_stats
    dateColumn: segments_date
    measures:
      metrics_cost_micros: { measure: ad_spend, divideBy: 1000000 }
      metrics_clicks: clicks
      metrics_conversions_value: revenue
    channel: google-ads
    campaignColumn: campaign_name
    windowDays: 7
    backfillDays: 10
  broken:
    urlEnv: WAREHOUSE_URL
    query: select day as date, 'clicks' as measure, n as value from no_such_table where day between :from and :to
  slow:
    urlEnv: WAREHOUSE_URL
    timeoutSeconds: 0.3
    query: select :from as date, 'clicks' as measure, 1 as value from pg_sleep(30) where :to is not null
  writer:
    urlEnv: WAREHOUSE_URL
    query: |
      with w as (
        insert into ads.campaign_stats (segments_date, segments_device) values (:to, 'X') returning *
      )
      select segments_date as date, 'clicks' as measure, 1 as value from w where segments_date between :from and :to
  social:
    urlEnv: WAREHOUSE_URL
    query: |
      select :to as date, 'clicks' as measure, 4 as value, 'Paid Social' as channel
      union all select :from, 'clicks', 6, 'Facebook'
      union all select :to, 'clicks', 9, 'tiktok'
  leaky:
    urlEnv: WAREHOUSE_URL
    # An error that quotes the password (a literal in the query): the sync must still not repeat it.
    query: select :from as date, 'clicks' as measure, '${WAREHOUSE_PASSWORD}'::float8 as value where :to is not null
`;

interface FactRow {
  measure: string;
  day: string;
  channel: string;
  campaign: string;
  value: number;
  source: string;
  updated_at: Date;
}

async function allFacts(db: Db): Promise<FactRow[]> {
  return db.query<FactRow>(
    `select measure, day, channel, campaign, value, source, updated_at from facts
     order by measure, day, channel, campaign`,
  );
}

function captureLog() {
  const lines: string[] = [];
  // No secrets given to the logger: the sync must keep the password out by itself.
  const logger = createLogger('trace', { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

// The warehouse is always the server; kpibot's own store is the embedded one or the server.
const stores = [
  { name: 'pglite', create: createPgliteTestDb },
  { name: 'postgres', create: () => createPostgresTestDb(serverUrl as string) },
];

describe.skipIf(!serverUrl).each(stores)(
  'SQL sources, a warehouse on the server, $name store',
  (store) => {
    let warehouse: Warehouse;
    let db: Db;
    let dir: string;
    let config: Config;
    let services: Services;
    const log = captureLog();
    /** Everything kpibot said: CLI output, status text and Slack blocks. */
    const said: string[] = [];

    const source = (name: string): SqlSource => {
      const s = requireSourceUrls(config).find((x) => x.name === name);
      if (!s) throw new Error(`no source ${name}`);
      return s;
    };
    const metrics = createMetrics();
    const sync = (name: string) =>
      syncSource({ ...services, timeZone: config.timeZone, metrics }, source(name));

    async function status(): Promise<{ text: string; slack: string }> {
      const outcome = await runCommand('status', { userId: 'U1' }, services);
      const text = renderText(outcome);
      const slack = JSON.stringify(
        renderForSlack(outcome, { locale: 'en', withShareButton: false }),
      );
      said.push(text, slack);
      return { text, slack };
    }

    beforeAll(async () => {
      warehouse = await createWarehouse(serverUrl as string);
      await createCampaignStats(warehouse);
      for (const row of fixtureRows()) {
        await warehouse.sql('insert into ads.campaign_stats values ($1, $2, $3, $4, $5, $6)', row);
      }
      db = await store.create();
      dir = mkdtempSync(join(tmpdir(), 'kpibot-sources-'));
      writeFileSync(join(dir, 'kpibot.config.yml'), CONFIG);
      config = loadConfig(
        { WAREHOUSE_URL: warehouse.url, KPIBOT_NOW: NOW, KPIBOT_LOCALE: 'en-US' },
        dir,
      );
      services = await createServices(config, log.logger, db);
      // A fact of another source inside the window: no sync may touch it.
      await upsertFacts(
        db,
        [{ measure: 'ad_spend', day: '2026-12-01', channel: 'meta', campaign: '', value: 7 }],
        { source: 'import' },
      );
    });

    afterAll(async () => {
      await db?.close();
      await warehouse?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('a first sync backfills the history: the facts worked out by hand', async () => {
      const io = { out: [] as string[], err: [] as string[] };
      const command = storeCommand(['sync', 'google_ads']);
      const code = await command?.(services, {
        stdout: (t) => void io.out.push(t),
        stderr: (t) => void io.err.push(t),
      });
      said.push(...io.out, ...io.err);
      expect(code).toBe(0);
      expect(io.out.join('')).toBe(
        'google_ads: 60 rows, 60 facts for 2026-11-24 – 2026-12-03 (first sync: backfill).\n',
      );

      const facts = (await allFacts(db)).filter((f) => f.source === 'sql:google_ads');
      expect(facts).toHaveLength(60);
      const value = (measure: string, day: string, campaign: string) =>
        facts.find((f) => f.measure === measure && f.day === day && f.campaign === campaign)?.value;
      expect(value('ad_spend', '2026-11-24', 'Brand')).toBe(1.5);
      expect(value('ad_spend', '2026-12-03', 'Brand')).toBe(10.5);
      expect(value('ad_spend', '2026-11-30', 'Generic')).toBe(2);
      expect(value('clicks', '2026-11-30', 'Brand')).toBe(15);
      expect(value('clicks', '2026-11-30', 'Generic')).toBe(23);
      expect(value('revenue', '2026-11-30', 'Brand')).toBe(100.5);
      expect(value('revenue', '2026-11-30', 'Generic')).toBe(40);
      expect(new Set(facts.map((f) => f.channel))).toEqual(new Set(['google-ads']));
      const spend = facts.filter((f) => f.measure === 'ad_spend').reduce((s, f) => s + f.value, 0);
      expect(spend).toBe(80);

      // daily_totals follow: 2026-11-30 on google-ads is 7.5 (Brand) + 2 (Generic) = 9.5.
      const [total] = await db.query<{ total: number }>(
        `select total from daily_totals where measure = 'ad_spend' and day = '2026-11-30' and channel = 'google-ads'`,
      );
      expect(total?.total).toBe(9.5);
      expect((await getSourceSync(db, 'google_ads'))?.synced?.rows).toBe(60);
    });

    it('a second sync after a revision 3 days back replaces that day and leaves the rest alone', async () => {
      const before = await allFacts(db);
      // The platform revised 2026-11-30 (3 days back); the loader also dropped a day that left
      // the window (2026-11-24): facts outside the window are not touched by a sync.
      await warehouse.sql(
        `update ads.campaign_stats set metrics_cost_micros = 9000000
       where segments_date = '2026-11-30' and campaign_name = 'Brand' and segments_device = 'MOBILE'`,
      );
      await warehouse.sql(`delete from ads.campaign_stats where segments_date = '2026-11-24'`);

      const result = await sync('google_ads');
      // The trailing 7 days: 7 days × 6 facts, nothing removed.
      expect(result).toMatchObject({
        ok: true,
        window: { start: '2026-11-27', end: '2026-12-03' },
        rows: 42,
        removed: 0,
        backfill: false,
      });
      const after = await allFacts(db);
      expect(after).toHaveLength(before.length);
      const key = (f: FactRow) => `${f.measure}|${f.day}|${f.channel}|${f.campaign}`;
      const old = new Map(before.map((f) => [key(f), f]));
      const changed = after.filter((f) => {
        const was = old.get(key(f));
        return was?.value !== f.value || was?.updated_at.getTime() !== f.updated_at.getTime();
      });
      // Only Brand's ad_spend on 2026-11-30: 9 + 0.5.
      expect(changed.map((f) => [key(f), f.value])).toEqual([
        ['ad_spend|2026-11-30|google-ads|Brand', 9.5],
      ]);
      const [total] = await db.query<{ total: number }>(
        `select total from daily_totals where measure = 'ad_spend' and day = '2026-11-30' and channel = 'google-ads'`,
      );
      expect(total?.total).toBe(11.5);
      // The other source's fact in the window, and the day that left the warehouse, are still there.
      expect(after.find((f) => f.channel === 'meta')).toMatchObject({ value: 7, source: 'import' });
      expect(after.filter((f) => f.day === '2026-11-24')).toHaveLength(6);
    });

    it('a fact the source no longer returns inside the window is removed', async () => {
      await warehouse.sql(
        `delete from ads.campaign_stats where segments_date = '2026-12-02' and campaign_name = 'Generic'`,
      );
      const result = await sync('google_ads');
      expect(result).toMatchObject({ ok: true, rows: 39, removed: 3 });
      const facts = await allFacts(db);
      expect(facts.filter((f) => f.day === '2026-12-02' && f.campaign === 'Generic')).toEqual([]);
      const [total] = await db.query<{ total: number }>(
        `select total from daily_totals where measure = 'clicks' and day = '2026-12-02' and channel = 'google-ads'`,
      );
      expect(total?.total).toBe(15); // Brand only
    });

    it('a sync that reads no rows at all changes nothing and warns; the next one backfills', async () => {
      const before = await allFacts(db);
      // The loader is reloading the table: for a while it is there, and empty.
      await warehouse.sql('alter table ads.campaign_stats rename to campaign_stats_full');
      await warehouse.sql('create table ads.campaign_stats (like ads.campaign_stats_full)');
      const empty = await sync('google_ads');
      expect(empty).toMatchObject({ ok: true, rows: 0, written: 0, removed: 0, backfill: false });
      expect(await allFacts(db)).toEqual(before);
      const { text } = await status();
      expect(text).toContain('SQL source google_ads returned no rows for 2026-11-27 – 2026-12-03.');

      await warehouse.sql('drop table ads.campaign_stats');
      await warehouse.sql('alter table ads.campaign_stats_full rename to campaign_stats');
      // Back to the 10 days of backfill: 2026-11-25 – 12-03 is 9 days × 6 rows, less Generic's
      // 3 on 12-02 = 51; the 6 facts of 2026-11-24, gone from the warehouse, are removed now.
      const again = await sync('google_ads');
      expect(again).toMatchObject({
        ok: true,
        backfill: true,
        window: { start: '2026-11-24', end: '2026-12-03' },
        rows: 51,
        removed: 6,
      });
    });

    it('stores channels by the vocabulary (built-in and channels:), and names an unknown one', async () => {
      const result = await sync('social');
      expect(result.ok).toBe(true);
      // Paid Social (channels: meta: [paid-social]) and Facebook (built-in) are both meta.
      const social = (await allFacts(db)).filter((f) => f.source === 'sql:social');
      expect(social.map((f) => [f.day, f.channel, f.value])).toEqual([
        [result.ok && result.window.start, 'meta', 6],
        ['2026-12-03', 'meta', 4],
        ['2026-12-03', 'tiktok', 9],
      ]);
      expect(log.lines.some((l) => l.includes('new channel `tiktok`'))).toBe(true);
    });

    it('a query error changes nothing and is reported in status and the log', async () => {
      const before = await allFacts(db);
      const result = await sync('broken');
      expect(result.ok).toBe(false);
      expect(result).toMatchObject({
        error: expect.stringContaining('relation "no_such_table" does not exist'),
      });
      expect(await allFacts(db)).toEqual(before);

      // A source that synced before and now fails keeps its facts and its last good sync.
      await warehouse.sql('alter table ads.campaign_stats rename column metrics_clicks to clicks');
      const failed = await sync('google_ads');
      await warehouse.sql('alter table ads.campaign_stats rename column clicks to metrics_clicks');
      expect(failed).toMatchObject({ ok: false, error: expect.stringContaining('metrics_clicks') });
      expect(await allFacts(db)).toEqual(before);

      const { text, slack } = await status();
      expect(text).toContain(
        'SQL source broken failed: the query failed: relation "no_such_table"',
      );
      expect(text).toContain('(never synced)');
      expect(text).toMatch(/SQL source google_ads failed: .*metrics_clicks.*last good sync/);
      // A first run reads the default 90 days of history: 2026-09-05 – 2026-12-03.
      expect(text).toMatch(/broken\s+2026-12-03 12:00\s+2026-09-05 – 2026-12-03\s+-\s+failed:/);
      expect(slack).toContain('SQL source');
      expect(slack).toContain('no_such_table');
      const logged = log.lines.filter((l) => l.includes('sql source: sync failed'));
      expect(
        logged.some((l) => l.includes('"source":"broken"') && l.includes('no_such_table')),
      ).toBe(true);
      // Syncs so far through syncSource: five that wrote 42, 39, 0, 51 and 3 facts, then these
      // two failures.
      const { body } = await metrics.scrape();
      expect(body).toContain('kpibot_imports_total{source="sql",result="ok"} 5');
      expect(body).toContain('kpibot_imports_total{source="sql",result="rejected"} 2');
      expect(body).toContain('kpibot_import_rows_total{source="sql"} 135');
    });

    it('a query past its statement timeout is cut off, changes nothing and is reported', async () => {
      const before = await allFacts(db);
      const result = await sync('slow');
      expect(result).toMatchObject({
        ok: false,
        error: 'the query ran longer than its timeout (0.3 s)',
      });
      expect(await allFacts(db)).toEqual(before);
      expect((await getSourceSync(db, 'slow'))?.error).toBe(
        'the query ran longer than its timeout (0.3 s)',
      );
      const { text } = await status();
      expect(text).toContain(
        'SQL source slow failed: the query ran longer than its timeout (0.3 s)',
      );
    });

    it('a store that fails to write: nothing changes, status points to the log, the log has why', async () => {
      const before = await allFacts(db);
      const failing: Db = {
        ...db,
        transaction: () => Promise.reject(new Error('the store exploded (test)')),
      };
      const result = await syncSource(
        { db: failing, logger: log.logger, now: services.now, timeZone: config.timeZone },
        source('google_ads'),
      );
      expect(result).toMatchObject({
        ok: false,
        error: 'could not write the facts (the log has the details)',
      });
      expect(await allFacts(db)).toEqual(before);
      const line = log.lines.findLast((l) => l.includes('sql source: sync failed'));
      expect(line).toContain('the store exploded (test)');
      const { text } = await status();
      expect(text).toContain(
        'SQL source google_ads failed: could not write the facts (the log has the details)',
      );
      expect(text).not.toContain('exploded');
    });

    it('a query that tries to write is refused by the read-only transaction', async () => {
      const { rows } = await warehouse.sql('select count(*)::int as n from ads.campaign_stats');
      const result = await sync('writer');
      expect(result).toMatchObject({
        ok: false,
        // PostgreSQL names the statement (a SELECT with a data-modifying WITH) it refused.
        error: expect.stringMatching(
          /cannot execute \w+ in a read-only transaction \(SQLSTATE 25006\)/,
        ),
      });
      const again = await warehouse.sql('select count(*)::int as n from ads.campaign_stats');
      expect(again.rows).toEqual(rows);
    });

    it('the password in the source URL appears in no log line and no message', async () => {
      const result = await sync('leaky');
      expect(result.ok).toBe(false);
      // The server's message quoted the literal; what kpibot kept says it was removed.
      expect(result).toMatchObject({ error: expect.stringContaining('[Redacted]') });
      await status();
      const everything = [...log.lines, ...said].join('\n');
      expect(log.lines.length).toBeGreaterThan(5);
      expect(everything).not.toContain(WAREHOUSE_PASSWORD);
      expect(everything).not.toContain(warehouse.url);
    });
  },
);

describe.skipIf(!serverUrl)('SQL sources: two replicas sharing one store', () => {
  let warehouse: Warehouse;
  let db: Db;
  let db2: Db;
  const schedulers: Scheduler[] = [];

  beforeAll(async () => {
    warehouse = await createWarehouse(serverUrl as string);
    await createCampaignStats(warehouse);
    for (const row of fixtureRows()) {
      await warehouse.sql('insert into ads.campaign_stats values ($1, $2, $3, $4, $5, $6)', row);
    }
    db = await createPostgresTestDb(serverUrl as string);
    db2 = await secondConnection(db);
  });

  afterAll(async () => {
    await Promise.all(schedulers.map((s) => s.stop()));
    await db2?.close();
    await db?.close();
    await warehouse?.close();
  });

  it('sync once per firing', async () => {
    const spec: SqlSource = {
      name: 'google_ads',
      kind: 'table',
      url: warehouse.url,
      urlEnv: 'WAREHOUSE_URL',
      schedule: '15 * * * *',
      windowDays: 7,
      backfillDays: 10,
      timeoutSeconds: 30,
      table: 'ads.campaign_stats',
      dateColumn: 'segments_date',
      measures: [{ column: 'metrics_clicks', measure: 'clicks' }],
      channel: { value: 'google-ads' },
      campaign: { column: 'campaign_name' },
    };
    const now = () => new Date(NOW); // 11:15 UTC fired while no replica ran: caught up on start
    const logs = [captureLog(), captureLog()];
    [db, db2].forEach((conn, i) => {
      const { logger } = logs[i] as ReturnType<typeof captureLog>;
      const scheduler = createScheduler({
        db: conn,
        logger,
        timeZone: 'UTC',
        replicaId: `replica-${i}`,
        now,
      });
      for (const task of sourceTasks({ db: conn, logger, now, timeZone: 'UTC' }, [spec])) {
        scheduler.add(task);
      }
      schedulers.push(scheduler);
    });
    await Promise.all(schedulers.map((s) => s.start()));
    await Promise.all(schedulers.map((s) => s.idle()));

    const synced = logs.flatMap((l) => l.lines).filter((l) => l.includes('sql source: synced'));
    expect(synced).toHaveLength(1);
    const [row] = await db.query<{ n: number }>(
      `select count(*)::int as n from facts where source = 'sql:google_ads'`,
    );
    expect(row?.n).toBe(20); // clicks: 10 days × 2 campaigns
    const runs = await db.query<{ claimed_by: string }>(
      `select claimed_by from task_runs where task = 'source:google_ads'`,
    );
    expect(runs).toHaveLength(1);
  });
});
