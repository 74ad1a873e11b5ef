// End to end: the app started the way users start it (`node bin/start.js`, a separate process),
// a store seeded with known facts, and the Slack stand-in playing Slack over real HTTP.
// Expected numbers are computed by hand from the seeded facts (comments say how).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST_TO_CHANNEL_ACTION, RUN_RETRY_ACTION } from '../../src/commands/views/slack.ts';
import type { FactInput } from '../../src/kpi/types.ts';
import { blockKitViolations } from '../../src/reply/limits.ts';
import { sparkline } from '../../src/reply/sparkline.ts';
import { openStore } from '../../src/store/db.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import {
  type AppProcess,
  exitReport,
  standinEnv,
  startAppProcess,
  stopAppProcess,
} from '../helpers/app-process.ts';
import { eachDay } from '../helpers/calendar.ts';
import {
  type RecordedCall,
  type SlackStandin,
  startSlackStandin,
} from '../helpers/slack-standin.ts';

const SIGNING_SECRET = 'e2e-signing-secret-5f1d0c9a7b3e4d2c';
const BOT_TOKEN = 'xoxb-4242-9999-e2ebottokenvalue';
const INGEST_TOKEN = 'e2e-ingest-token-7c1f3a9b2d8e';
/** Wednesday of ISO week 47: `last-week` is week 46 (9–15 Nov), its previous week 45. */
const NOW = '2026-11-18T10:00:00+01:00';

// ---------------------------------------------------------------------------------------------
// Seeded facts (every day from 2026-09-01 to 2026-11-15)
//
// Ordinary days: channel meta (campaign meta-brand) spends 100 and earns 300; channel google
//   (campaign google-search) spends 200 and earns 400. clicks/impressions: meta 50/5000,
//   google 100/4000.
// Week 46 (2026-11-09..15): meta earns 400 and google 500 instead, and meta gets 100 clicks.
// Week 44 (2026-10-26..11-01): 200 campaigns on meta instead: campaign i spends 1 and earns
//   (i % 10) + 1 a day (no google).

const inWeek46 = (day: string) => day >= '2026-11-09' && day <= '2026-11-15';
const inWeek44 = (day: string) => day >= '2026-10-26' && day <= '2026-11-01';

function seedFacts(): FactInput[] {
  const facts: FactInput[] = [];
  const add = (day: string, channel: string, campaign: string, values: Record<string, number>) => {
    for (const [measure, value] of Object.entries(values))
      facts.push({ day, measure, value, channel, campaign });
  };
  for (const day of eachDay('2026-09-01', '2026-11-15')) {
    if (inWeek44(day)) {
      for (let i = 0; i < 200; i++) {
        add(day, 'meta', `campaign-${String(i).padStart(3, '0')}`, {
          ad_spend: 1,
          revenue: (i % 10) + 1,
        });
      }
      continue;
    }
    const w46 = inWeek46(day);
    add(day, 'meta', 'meta-brand', {
      ad_spend: 100,
      revenue: w46 ? 400 : 300,
      clicks: w46 ? 100 : 50,
      impressions: 5000,
    });
    add(day, 'google', 'google-search', {
      ad_spend: 200,
      revenue: w46 ? 500 : 400,
      clicks: 100,
      impressions: 4000,
    });
  }
  return facts;
}

// ---------------------------------------------------------------------------------------------

let standin: SlackStandin;
let app: AppProcess;
let dataDir: string;
let workDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'kpibot-e2e-'));
  dataDir = join(workDir, 'data');
  const db = await openStore({ dataDir });
  await upsertFacts(db, seedFacts(), { source: 'test' });
  await db.close();

  standin = await startSlackStandin({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
  app = startAppProcess(
    standinEnv(
      standin,
      { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN },
      {
        KPIBOT_DATA_DIR: dataDir,
        KPIBOT_NOW: NOW,
        KPIBOT_INGEST_TOKEN: INGEST_TOKEN,
        KPIBOT_LOCALE: 'en-US',
        KPIBOT_CURRENCY: 'SEK',
        KPIBOT_TIMEZONE: 'Europe/Stockholm',
        LOG_LEVEL: 'debug',
      },
    ),
    workDir,
  );
  await app.ready;
  standin.eventsUrl = `http://127.0.0.1:${app.port}/slack/events`;
});

afterAll(async () => {
  await stopAppProcess(app);
  await standin?.close();
  rmSync(workDir, { recursive: true, force: true });
});

/** Sends `/kpi <text>`, checks the ack, returns the ephemeral answer. */
async function ask(
  text: string,
): Promise<{ reply: RecordedCall; responseId: string; ackMs: number }> {
  const sent = await standin.slashCommand(text);
  expect(sent.status).toBe(200);
  expect(sent.body).toBe('');
  // Slack's hard limit: a slash command not acknowledged within 3 s fails for the user.
  expect(sent.elapsedMs).toBeLessThan(3000);
  const reply = await standin.waitForResponse(sent.responseId, { timeoutMs: 15_000 });
  expect(reply.body.response_type).toBe('ephemeral');
  expect(
    blockKitViolations({ text: reply.body.text as string, blocks: reply.body.blocks as never }),
  ).toEqual([]);
  return { reply, responseId: sent.responseId, ackMs: sent.elapsedMs };
}

const blocksText = (call: RecordedCall) => JSON.stringify(call.body.blocks);

// Numbers as the app formats them for en-US and SEK: multiples and percents with one decimal,
// whole kronor from 100 up. \s stands for the no-break space Intl puts after "SEK".

describe('/kpi through the Slack stand-in, app as a process', () => {
  it('answers ROAS for last week with the right number and period', async () => {
    const { reply } = await ask('roas last-week');
    // week 46: revenue 7 × (400 + 500) = 6300, ad spend 7 × (100 + 200) = 2100 → 3.0×
    const text = String(reply.body.text);
    expect(text).toMatch(/^ROAS, week 46, 2026: 3\.0×/);
    expect(blocksText(reply)).toContain('2026-11-09 – 2026-11-15');
    // 3× is the e-commerce floor: met, not missed
    expect(text).toContain('meets the 3× ROAS floor');
    // the sparkline over weeks 39–46: 2.33 (×5), 5.5 (week 44: 7700 / 1400), 2.33, 3
    expect(blocksText(reply)).toContain(
      sparkline([7 / 3, 7 / 3, 7 / 3, 7 / 3, 7 / 3, 5.5, 7 / 3, 3]),
    );
  });

  it('compares with the previous period, judged by the good direction', async () => {
    const { reply } = await ask('roas,revenue last-week vs previous');
    // week 45: revenue 7 × 700 = 4900, spend 2100 → ROAS 2.33×; change +0.67× = +28.6 %
    // (the precision of 3.0×, two decimals below 10: +0.67×; whole percent from 10 %: +29%);
    // revenue +1400 (+28.6 % → +29%).
    // Up is good for both: better.
    const json = blocksText(reply);
    expect(json).toContain(':large_green_circle: *+0.67×* (+29%) vs the previous period — better');
    expect(json).toMatch(
      /:large_green_circle: \*\+SEK\s1,400\* \(\+29%\) vs the previous period — better/,
    );
    expect(json).toContain('week 45, 2026 (2026-11-02 – 2026-11-08): 2.33×');
    expect(json).toMatch(/week 45, 2026 \(2026-11-02 – 2026-11-08\): SEK\s4,900/);
    expect(String(reply.body.text)).toMatch(
      /Revenue, week 46, 2026: SEK\s6,300 \(\+SEK\s1,400, \+29%/,
    );
  });

  it("judges a change by the KPI's good direction, and says when it cannot", async () => {
    // CPC = ad_spend / clicks; lower is better. Week 46: 2100 / (7 × 200) = 1.50 kr; week 45:
    // 2100 / (7 × 150) = 2.00 kr. −0.50 kr (−25%) is a fall, and for a cost that is better.
    const cpc = blocksText((await ask('cpc last-week vs previous')).reply);
    expect(cpc).toMatch(
      /:large_green_circle: \*−SEK\s0\.50\* \(−25%\) vs the previous period — better/,
    );
    // ROAS week 46 vs week 44 (5.5×): −2.5× (−45%); higher is better, so this is worse.
    const roas = blocksText((await ask('roas last-week vs 2026-W44')).reply);
    expect(roas).toMatch(/:red_circle: \*−2\.5×\* \(−45%\) vs 2026-W44 — worse/);
    // Week 44 had no clicks at all: no verdict rather than a made-up one.
    const unknown = blocksText((await ask('cpc last-week vs 2026-W44')).reply);
    expect(unknown).toContain(':grey_question: vs 2026-W44 — no comparison (missing data)');
  });

  it('breaks down by channel', async () => {
    const { reply } = await ask('roas last-week by channel');
    // meta 2800 / 700 = 4.0×, google 3500 / 1400 = 2.5×, meta first (largest)
    const json = blocksText(reply);
    expect(json).toContain('*By channel*');
    expect(json).toMatch(/meta\s+4\.0×\\ngoogle\s+2\.5×/);
  });

  it('reads channel=facebook as meta, and says so', async () => {
    const { reply } = await ask('roas last-week channel=facebook');
    // meta in week 46: 7 × 400 / (7 × 100) = 4.0×
    expect(String(reply.body.text)).toMatch(/^ROAS, week 46, 2026: 4\.0×/);
    expect(blocksText(reply)).toContain('filtered: channel = meta (`facebook` reads as `meta`)');
  });

  it('/kpi channels lists the channels with data, and the stored names to re-label', async () => {
    const { reply } = await ask('channels');
    const json = blocksText(reply);
    expect(json).toMatch(
      /\*`meta`\* Meta \(Facebook, Instagram\) — also `facebook`, [^·]+· from test · last day 2026-11-15 \(/,
    );
    // The seed wrote `google`, which the vocabulary now calls google-ads.
    expect(json).toMatch(
      /`google` is now `google-ads`: [\d,]+ facts move with `kpibot channels apply`/,
    );
  });

  it('answers several KPIs in one message', async () => {
    const { reply } = await ask('roas,ctr,revenue last-week');
    // CTR: clicks 7 × 200 / impressions 7 × 9000 = 2.22 % (two decimals below 10 %); revenue 6300
    const blocks = reply.body.blocks as Array<{ type: string; text?: { text: string } }>;
    expect(blocks.filter((b) => b.type === 'header').map((b) => b.text?.text)).toEqual([
      'ROAS — week 46, 2026',
      'Click-through rate — week 46, 2026',
      'Revenue — week 46, 2026',
    ]);
    const lines = String(reply.body.text).split('\n');
    expect(lines[0]).toMatch(/^ROAS, week 46, 2026: 3\.0×/);
    expect(lines[1]).toBe('Click-through rate, week 46, 2026: 2.22%');
    expect(lines[2]).toMatch(/^Revenue, week 46, 2026: SEK\s6,300$/);
  });

  it('offers the whole corrected command for a typo, with a button to run it', async () => {
    const { reply } = await ask('roaz last-week');
    expect(blocksText(reply)).toContain('I read `roaz` as `roas`.');
    expect(blocksText(reply)).toContain('Did you mean `roas last-week`');
    expect(reply.body.blocks).toContainEqual(
      expect.objectContaining({
        type: 'actions',
        elements: [
          expect.objectContaining({ action_id: RUN_RETRY_ACTION, value: 'roas last-week' }),
        ],
      }),
    );
  });

  it('explains a period it did not understand, with examples', async () => {
    const { reply } = await ask('roas last-fortnight-ish');
    expect(blocksText(reply)).toContain('last-fortnight-ish');
    expect(blocksText(reply)).toContain('`/kpi roas last-week`');
  });

  it('shows help', async () => {
    const { reply } = await ask('help');
    expect(blocksText(reply)).toContain('/kpi roas last-week');
    expect(blocksText(reply)).toContain('/kpi list');
    expect(blocksText(reply)).toContain('`last-7-days`');
    expect(blocksText(reply)).toContain('`/kpi status`');
  });

  it('says which measures have no data and how to import them', async () => {
    const { reply } = await ask('churn_rate last-month');
    // October 2026: no churned_customers and no active_customers were ever imported
    const json = blocksText(reply);
    expect(json).toContain('*no data*');
    expect(json).toMatch(
      /`(churned_customers|active_customers)`, `(churned_customers|active_customers)` have no data for October 2026/,
    );
    expect(json).toContain('`npx kpibot import FILE.csv`');
    expect(json).toContain('`POST /api/v1/facts`');
  });

  it('keeps a 200-campaign breakdown within Block Kit limits, top rows and "and N more"', async () => {
    const { reply } = await ask('roas 2026-W44 by campaign');
    // campaign i: ROAS (i % 10) + 1; the 20 campaigns ending in 9 lead with 10.0×, by name
    const json = blocksText(reply);
    expect(json).toMatch(/campaign-009\s+10\.0×\\ncampaign-019\s+10\.0×/);
    expect(json).toContain('and 185 more campaigns');
    // The table shows the top rows only; the headline names the lowest below the floor.
    const table = /By campaign[^`]*```([^`]*)```/.exec(json)?.[1] ?? '';
    expect(table).toContain('campaign-149');
    expect(table).not.toContain('campaign-000');
    // (i % 10) + 1 < 3 for i ending in 0 or 1: 40 of the 200 campaigns are below 3×.
    expect(json).toContain(
      'blended 5.5× meets the 3× ROAS floor; 40 of 200 campaigns are below it: campaign-000 1.0×, campaign-010 1.0×, campaign-020 1.0×, campaign-030 1.0×, campaign-040 1.0× and 35 more',
    );
    expect((reply.body.blocks as unknown[]).length).toBeLessThanOrEqual(50);
  });

  it('"Post to channel" reposts the answer in the channel with who shared it', async () => {
    const { reply, responseId } = await ask('roas last-week');
    const before = standin.calls.length;
    const click = await standin.clickButton(reply, POST_TO_CHANNEL_ACTION, {
      responseId,
      userId: 'U0BEA',
    });
    expect(click.status).toBe(200);
    expect(click.elapsedMs).toBeLessThan(3000);
    const post = await standin.waitForApi('chat.postMessage', { afterSeq: before });
    expect(post.body.channel).toBe('C0MARKETING');
    expect(post.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(String(post.body.text)).toMatch(/^ROAS, week 46, 2026: 3\.0×/);
    expect(String(post.body.text)).toContain('(shared by <@U0BEA>)');
    expect(blocksText(post)).toContain('Shared by <@U0BEA> · /kpi roas last-week');
    expect(blocksText(post)).not.toContain(POST_TO_CHANNEL_ACTION);
    expect(
      blockKitViolations({ text: post.body.text as string, blocks: post.body.blocks as never }),
    ).toEqual([]);
    const removal = await standin.waitForResponse(responseId, { index: 1 });
    expect(removal.body).toEqual({ delete_original: true });
  });

  it.each(['forged', 'stale'] as const)(
    'refuses a %s signature with 401, executing nothing',
    async (signing) => {
      const before = standin.calls.length;
      const answeredBefore = app.output().split('kpi command answered').length;
      const sent = await standin.slashCommand('roas last-week', { signing });
      expect(sent.status).toBe(401);
      await new Promise((r) => setTimeout(r, 500));
      // no Web API call, no response_url post, no command run
      expect(standin.calls.length).toBe(before);
      expect(standin.responses(sent.responseId)).toHaveLength(0);
      expect(app.output().split('kpi command answered').length).toBe(answeredBefore);
    },
  );

  it('takes facts on POST /api/v1/facts on the same port, and answers with them', async () => {
    const base = `http://127.0.0.1:${app.port}`;
    // orders, 9 a day from 9 to 17 November
    const facts = eachDay('2026-11-09', '2026-11-17').map((date) => ({
      date,
      measure: 'orders',
      value: 9,
    }));
    const refused = await fetch(`${base}/api/v1/facts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ facts }),
    });
    expect(refused.status).toBe(401);
    const pushed = await fetch(`${base}/api/v1/facts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
      body: JSON.stringify({ facts }),
    });
    expect(pushed.status).toBe(200);
    expect(await pushed.json()).toMatchObject({ written: 9 });
    // AOV for week 46 = revenue 6300 / orders 7 × 9 = 100 kr
    const { reply } = await ask('aov last-week');
    expect(String(reply.body.text)).toMatch(/^Average order value, week 46, 2026: SEK\s100$/);
  });

  it('/kpi status shows freshness per measure and source, stale ones flagged', async () => {
    const { reply } = await ask('status');
    // today 2026-11-18, yesterday 17th. The seeded measures end on the 15th: 2 days behind,
    // stale. The pushed orders end on the 17th: up to date.
    const json = blocksText(reply);
    expect(json).toContain('4 of 5 feeds stale');
    expect(json).toMatch(/⚠\s+ad_spend\s+test\s+2026-11-15\s+\S+ \S+\s+2 days behind/);
    expect(json).toMatch(/ {2}orders\s+api\s+2026-11-17\s+\S+ \S+\s+up to date/);
  });

  it('GET /healthz is 200 with the store reachable', async () => {
    const res = await fetch(`http://127.0.0.1:${app.port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('never writes a token or the signing secret to its logs', () => {
    const out = app.output();
    expect(out).toContain('kpi command answered');
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, INGEST_TOKEN])
      expect(out).not.toContain(secret);
    expect(out).not.toMatch(/xoxb-\d/);
    expect(out).not.toContain('/response/');
  });

  it('on SIGTERM finishes the answer in flight, then exits 0', async () => {
    // Slack takes 1.5 s to accept the answer: the process must still be there to deliver it.
    standin.delayNext(1, 1500, { kind: 'response_url' });
    const sent = await standin.slashCommand('roas,ctr last-week vs previous by channel');
    expect(sent.status).toBe(200);
    const answered = app.output().split('kpi command answered').length;
    app.child.kill('SIGTERM');
    expect(await app.exited, exitReport(app)).toBe(0);
    const reply = standin.responses(sent.responseId);
    expect(reply.map((c) => c.status)).toEqual([200]);
    expect(String(reply[0]?.body.text)).toMatch(/^ROAS, week 46, 2026: 3\.0×/);
    const out = app.output();
    expect(out.split('kpi command answered').length).toBe(answered + 1);
    expect(out.indexOf('kpi command answered', out.indexOf('shutting down'))).toBeGreaterThan(0);
    expect(out).toContain('"msg":"stopped"');
  });
});
