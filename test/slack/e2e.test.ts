// End to end: the app started the way users start it (`node bin/start.js`, a separate process),
// a store seeded with known facts, and the Slack stand-in playing Slack over real HTTP.
// Expected numbers are computed by hand from the seeded facts (comments say how).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockKitViolations } from '../../src/commands/views/limits.ts';
import { POST_TO_CHANNEL_ACTION } from '../../src/commands/views/slack.ts';
import { sparkline } from '../../src/commands/views/sparkline.ts';
import type { FactInput } from '../../src/kpi/types.ts';
import { openStore } from '../../src/store/db.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import {
  type AppProcess,
  cleanEnv,
  startAppProcess,
  stopAppProcess,
} from '../helpers/app-process.ts';
import {
  type RecordedCall,
  type SlackStandin,
  startSlackStandin,
} from '../helpers/slack-standin.ts';

const SIGNING_SECRET = 'e2e-signing-secret-5f1d0c9a7b3e4d2c';
const BOT_TOKEN = 'xoxb-4242-9999-e2ebottokenvalue';
/** Wednesday of ISO week 47: `last-week` is week 46 (9–15 Nov), its previous week 45. */
const NOW = '2026-11-18T10:00:00+01:00';

// ---------------------------------------------------------------------------------------------
// Seeded facts (every day from 2026-09-01 to 2026-11-15)
//
// Ordinary days: channel meta (campaign meta-brand) spends 100 and earns 300; channel google
//   (campaign google-search) spends 200 and earns 400. clicks/impressions: meta 50/5000,
//   google 100/4000.
// Week 46 (2026-11-09..15): meta earns 400 and google 500 instead.
// Week 44 (2026-10-26..11-01): 200 campaigns on meta instead: campaign i spends 1 and earns
//   (i % 10) + 1 a day (no google).

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d <= new Date(`${to}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

const inWeek46 = (day: string) => day >= '2026-11-09' && day <= '2026-11-15';
const inWeek44 = (day: string) => day >= '2026-10-26' && day <= '2026-11-01';

function seedFacts(): FactInput[] {
  const facts: FactInput[] = [];
  const add = (day: string, channel: string, campaign: string, values: Record<string, number>) => {
    for (const [measure, value] of Object.entries(values))
      facts.push({ day, measure, value, channel, campaign });
  };
  for (const day of days('2026-09-01', '2026-11-15')) {
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
      clicks: 50,
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
    cleanEnv({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: standin.apiUrl,
      PORT: '0',
      KPIBOT_DATA_DIR: dataDir,
      KPIBOT_NOW: NOW,
      KPIBOT_LOCALE: 'en-US',
      KPIBOT_CURRENCY: 'SEK',
      KPIBOT_TIMEZONE: 'Europe/Stockholm',
      LOG_LEVEL: 'debug',
    }),
    workDir,
  );
  await app.ready;
  standin.eventsUrl = `http://127.0.0.1:${app.port}/slack/events`;
}, 120_000);

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

describe('/kpi through the Slack stand-in, app as a process', () => {
  it('answers ROAS for last week with the right number and period', async () => {
    const { reply } = await ask('roas last-week');
    // week 46: revenue 7 × (400 + 500) = 6300, ad spend 7 × (100 + 200) = 2100 → 3.00×
    const text = String(reply.body.text);
    expect(text).toMatch(/week 46/i);
    expect(text).toMatch(/3[.,]00?×|3×/);
    expect(blocksText(reply)).toContain('2026-11-09 – 2026-11-15');
    // the sparkline over weeks 39–46: 2.33 (×5), 5.5 (week 44: 7700 / 1400), 2.33, 3
    expect(blocksText(reply)).toContain(
      sparkline([7 / 3, 7 / 3, 7 / 3, 7 / 3, 7 / 3, 5.5, 7 / 3, 3]),
    );
  });

  it('compares with the previous period, judged by the good direction', async () => {
    const { reply } = await ask('roas last-week vs previous');
    // week 45: 7 × 700 / 7 × 300 = 2.33×; +0.67× (+28.6 %) is better for ROAS
    const json = blocksText(reply);
    expect(json).toContain(':large_green_circle:');
    expect(json).toMatch(/\+0[.,]67×/);
    expect(json).toMatch(/\+28[.,]6\s?%/);
    expect(json).toContain('better');
    expect(json).toMatch(/2[.,]33×/);
  });

  it('breaks down by channel', async () => {
    const { reply } = await ask('roas last-week by channel');
    // meta 2800 / 700 = 4.00×, google 3500 / 1400 = 2.50×, meta first (largest)
    const json = blocksText(reply);
    expect(json).toContain('By channel');
    expect(json.indexOf('meta')).toBeLessThan(json.indexOf('google'));
    expect(json).toMatch(/meta\s+4[.,]00?×/);
    expect(json).toMatch(/google\s+2[.,]50?×/);
  });

  it('answers several KPIs in one message', async () => {
    const { reply } = await ask('roas,ctr last-week');
    // CTR: clicks 7 × 150 / impressions 7 × 9000 = 1.67 %
    const blocks = reply.body.blocks as Array<{ type: string }>;
    expect(blocks.filter((b) => b.type === 'header')).toHaveLength(2);
    expect(String(reply.body.text)).toMatch(/1[.,]67\s?%/);
    expect(String(reply.body.text)).toMatch(/3[.,]00?×/);
  });

  it('suggests the KPI meant by a typo', async () => {
    const { reply } = await ask('roaz last-week');
    expect(blocksText(reply)).toContain('Did you mean');
    expect(blocksText(reply)).toContain('`roas`');
  });

  it('shows help', async () => {
    const { reply } = await ask('help');
    expect(blocksText(reply)).toContain('/kpi roas last-week');
    expect(blocksText(reply)).toContain('/kpi list');
  });

  it('says which measures have no data and how to import them', async () => {
    const { reply } = await ask('churn_rate last-month');
    const json = blocksText(reply);
    expect(json).toContain('no data');
    expect(json).toContain('churned_customers');
    expect(json).toContain('npx kpibot import FILE.csv');
    expect(json).toContain('POST /api/v1/facts');
  });

  it('keeps a 200-campaign breakdown within Block Kit limits, top rows and "and N more"', async () => {
    const { reply } = await ask('roas 2026-W44 by campaign');
    // campaign i: ROAS (i % 10) + 1; the 20 campaigns ending in 9 lead with 10.00×
    const json = blocksText(reply);
    expect(json).toContain('campaign-009');
    expect(json).toMatch(/10[.,]00?×/);
    expect(json).toContain('and 185 more campaigns');
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
    expect(String(post.body.text)).toMatch(/3[.,]00?×/);
    expect(blocksText(post)).toContain('Shared by <@U0BEA>');
    expect(blocksText(post)).not.toContain(POST_TO_CHANNEL_ACTION);
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
      expect(standin.calls.length).toBe(before);
      expect(standin.responses(sent.responseId)).toHaveLength(0);
      expect(app.output().split('kpi command answered').length).toBe(answeredBefore);
    },
  );

  it('GET /healthz is 200 with the store reachable', async () => {
    const res = await fetch(`http://127.0.0.1:${app.port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('never writes a token or the signing secret to its logs', () => {
    const out = app.output();
    expect(out).toContain('kpi command answered');
    expect(out).not.toContain(BOT_TOKEN);
    expect(out).not.toContain(SIGNING_SECRET);
    expect(out).not.toMatch(/xoxb-\d/);
  });

  it('stops on SIGTERM after finishing the answer in flight, exit code 0', async () => {
    const sent = await standin.slashCommand('roas,ctr last-week vs previous by channel');
    expect(sent.status).toBe(200);
    app.child.kill('SIGTERM');
    const reply = await standin.waitForResponse(sent.responseId, { timeoutMs: 15_000 });
    expect(String(reply.body.text)).toMatch(/3[.,]00?×/);
    expect(await app.exited).toBe(0);
    expect(app.output()).toContain('"msg":"stopped"');
  });
});
