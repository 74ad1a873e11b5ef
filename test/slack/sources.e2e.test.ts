// SQL sources end to end: the app started as users start it (`node bin/start.js`) with two
// sources in kpibot.config.yml and a warehouse database on the test server. The hourly firing
// missed before start is caught up on start, so both sources sync once; `/kpi status`, asked
// through the Slack stand-in over real HTTP, shows the good one's rows and window and the
// broken one's error, and neither the reply nor the app's log holds the warehouse password.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockKitViolations } from '../../src/reply/limits.ts';
import {
  type AppProcess,
  cleanEnv,
  exitReport,
  standinEnv,
  startAppProcess,
  stopAppProcess,
} from '../helpers/app-process.ts';
import { type SlackStandin, startSlackStandin } from '../helpers/slack-standin.ts';
import { serverUrlOrWarn } from '../helpers/test-db.ts';
import {
  createCampaignStats,
  createWarehouse,
  WAREHOUSE_PASSWORD,
  type Warehouse,
} from '../sources/warehouse.ts';

const SIGNING_SECRET = 'sources-e2e-signing-secret-7a1c44';
const BOT_TOKEN = 'xoxb-4242-9999-sourcese2etoken';
const serverUrl = serverUrlOrWarn('SQL sources through Slack (a warehouse database on the server)');

// 12:00 UTC: the 11:15 firing of `15 * * * *` was missed while the app was down.
const NOW = '2026-12-03T12:00:00Z';

const CONFIG = `
sources:
  google_ads:
    urlEnv: WAREHOUSE_URL
    table: ads.campaign_stats
    dateColumn: segments_date
    measures:
      metrics_clicks: clicks
    channel: google-ads
    campaignColumn: campaign_name
    backfillDays: 7
  broken:
    urlEnv: WAREHOUSE_URL
    # The server's error quotes this literal: the password must still not reach Slack or the log.
    query: select :from as date, 'clicks' as measure, '${WAREHOUSE_PASSWORD}'::float8 as value where :to is not null
`;

/** Resolves once the app's output matches `pattern`; rejects if it exits first. */
function outputMatching(app: AppProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!pattern.test(app.output())) return;
      app.child.stdout?.off('data', check);
      resolve();
    };
    app.child.stdout?.on('data', check);
    void app.exited.then(() => reject(new Error(`app exited:\n${app.output().slice(-4000)}`)));
    check();
  });
}

describe.skipIf(!serverUrl)(
  'SQL sources: scheduled syncs and /kpi status, app as a process',
  () => {
    let warehouse: Warehouse;
    let standin: SlackStandin;
    let workDir: string;
    let app: AppProcess | undefined;

    beforeAll(async () => {
      warehouse = await createWarehouse(serverUrl as string);
      await createCampaignStats(warehouse);
      // Brand on 2026-12-01: 10 + 5 clicks over two devices; Generic on 2026-12-02: 7.
      await warehouse.sql(`insert into ads.campaign_stats values
      ('2026-12-01', 'Brand', 'MOBILE', 1000000, 10, 1),
      ('2026-12-01', 'Brand', 'DESKTOP', 1000000, 5, 1),
      ('2026-12-02', 'Generic', 'MOBILE', 1000000, 7, 1)`);
      workDir = mkdtempSync(join(tmpdir(), 'kpibot-sources-e2e-'));
      writeFileSync(join(workDir, 'kpibot.config.yml'), CONFIG);
      standin = await startSlackStandin({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
    });

    afterAll(async () => {
      await stopAppProcess(app);
      await standin?.close();
      await warehouse?.close();
      if (workDir) rmSync(workDir, { recursive: true, force: true });
    });

    it('syncs on start, and /kpi status shows each source and no password', async () => {
      app = startAppProcess(
        standinEnv(
          standin,
          { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN },
          {
            KPIBOT_DATA_DIR: join(workDir, 'data'),
            KPIBOT_NOW: NOW,
            KPIBOT_TIMEZONE: 'UTC',
            KPIBOT_LOCALE: 'en-US',
            WAREHOUSE_URL: warehouse.url,
            LOG_LEVEL: 'info',
          },
        ),
        workDir,
      );
      await app.ready;
      standin.eventsUrl = `http://127.0.0.1:${app.port}/slack/events`;
      const synced = outputMatching(app, /sql source: synced/);
      const failed = outputMatching(app, /sql source: sync failed/);
      await Promise.all([synced, failed]);

      const sent = await standin.slashCommand('status', { userId: 'U0ALICE' });
      expect(sent.status).toBe(200);
      const reply = await standin.waitForResponse(sent.responseId, { timeoutMs: 15_000 });
      const text = String(reply.body.text);
      const blocks = JSON.stringify(reply.body.blocks);
      expect(blockKitViolations({ text, blocks: reply.body.blocks as never })).toEqual([]);
      // The good source: the mapping's SELECT sums the two devices, so 2 rows (Brand 12-01,
      // Generic 12-02) for the 7 days 2026-11-27 – 2026-12-03; clicks arrive up to 12-02.
      expect(blocks).toMatch(/google_ads\s+2026-12-03 12:00\s+2026-11-27 – 2026-12-03\s+2\s+ok/);
      expect(blocks).toMatch(/clicks\s+sql:google_ads\s+2026-12-02/);
      // The broken one: failed, with the server's reason, the literal removed.
      expect(blocks).toMatch(/broken\s+2026-12-03 12:00\s+2026-09-05 – 2026-12-03\s+–\s+failed/);
      expect(blocks).toContain('invalid input syntax for type double precision');
      expect(text).toContain('SQL source broken failed');
      for (const said of [text, blocks, app.output()]) {
        expect(said).not.toContain(WAREHOUSE_PASSWORD);
        expect(said).not.toContain(warehouse.url);
      }

      const running = app;
      app = undefined;
      await stopAppProcess(running);
      expect(await running.exited, exitReport(running)).toBe(0);
    });
  },
);

describe("SQL sources: the bot refuses to start without a source's URL", () => {
  it('names the key and exits 1 before connecting anywhere', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'kpibot-sources-nourl-'));
    try {
      writeFileSync(join(workDir, 'kpibot.config.yml'), CONFIG);
      const app = startAppProcess(
        cleanEnv({ PORT: '0', KPIBOT_DATA_DIR: join(workDir, 'data') }),
        workDir,
      );
      expect(await app.exited, app.output()).toBe(1);
      expect(app.output()).toContain(
        '  - sources.google_ads.urlEnv: the environment variable WAREHOUSE_URL is not set',
      );
      expect(app.output()).toContain(
        '  - sources.broken.urlEnv: the environment variable WAREHOUSE_URL is not set',
      );
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });
});
