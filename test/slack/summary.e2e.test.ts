// The weekly summary end to end: the app started as users start it (`node bin/start.js`, a child
// process) against the Slack stand-in over real HTTP. A subscription is made from Slack; the
// Monday 08:00 firing is driven by restarting the app with a later KPIBOT_NOW (node-cron's timers
// use the real clock, so the firing is the catch-up on start of the one missed while the app was
// down). `/kpi summary` is checked against `kpibot ask` for the same data and clock. Pins made
// from Slack before that restart (orders pinned, LTV/CAC unpinned) decide which business KPIs the
// message shows; every other one is in the thread reply, with the breakdown by channel.
//
// Expected numbers are computed by hand from the seeded facts (comments say how), formatted for
// en-US and SEK: `SEK 6,300` (\s stands for the no-break space Intl puts after SEK), `3.0×`.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/kpi/catalog.ts';
import type { FactInput } from '../../src/kpi/types.ts';
import { blockKitViolations } from '../../src/reply/limits.ts';
import { openStore } from '../../src/store/db.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import {
  type AppProcess,
  exitReport,
  ROOT,
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

const SIGNING_SECRET = 'summary-e2e-signing-secret-51c0a9e2';
const BOT_TOKEN = 'xoxb-4242-8888-summarye2etoken';
const ADMIN = 'U0ADMIN';
const MEMBER = 'U0BOB';

// Monday 16 November 2026 (ISO week 47), Europe/Stockholm (CET, UTC+1).
const BEFORE_MONDAY_POST = '2026-11-16T07:55:00+01:00';
const MONDAY_0800_30 = '2026-11-16T08:00:30+01:00';
// Wednesday of the same week: last-week is still week 46.
const WEDNESDAY = '2026-11-18T10:00:00+01:00';

// ---------------------------------------------------------------------------------------------
// Seeded facts: every day from 2026-09-01 to 2026-11-15 (the last day of week 46)
//
//   ordinary day   meta:   ad_spend 100, revenue 300, orders 3, clicks 50,  impressions 5000
//                  google: ad_spend 200, revenue 400, orders 4, clicks 100, impressions 4000
//   week 46        (9–15 Nov) meta earns 400 with 4 orders, google 500 with 5 orders.
//
// Week 46: revenue 7 × 900 = 6300 (google 3500, meta 2800), ad spend 7 × 300 = 2100,
//   ROAS 3.0× (meta 4.0×, google 2.5×), orders 63, AOV 100.
// Week 45: revenue 7 × 700 = 4900, ROAS 2.33×: revenue +1400 (+29 %), better.

function seedFacts(): FactInput[] {
  const facts: FactInput[] = [];
  const add = (day: string, channel: string, values: Record<string, number>) => {
    for (const [measure, value] of Object.entries(values)) {
      facts.push({ day, measure, value, channel, campaign: `${channel}-main` });
    }
  };
  for (const day of eachDay('2026-09-01', '2026-11-15')) {
    const w46 = day >= '2026-11-09';
    add(day, 'meta', {
      ad_spend: 100,
      revenue: w46 ? 400 : 300,
      orders: w46 ? 4 : 3,
      clicks: 50,
      impressions: 5000,
    });
    add(day, 'google', {
      ad_spend: 200,
      revenue: w46 ? 500 : 400,
      orders: w46 ? 5 : 4,
      clicks: 100,
      impressions: 4000,
    });
  }
  return facts;
}

// ---------------------------------------------------------------------------------------------

let workDir: string;
let dataDir: string;
let standin: SlackStandin;
let app: AppProcess | undefined;

function appEnv(now: string): NodeJS.ProcessEnv {
  return standinEnv(
    standin,
    { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN },
    {
      KPIBOT_DATA_DIR: dataDir,
      KPIBOT_NOW: now,
      KPIBOT_ADMINS: ADMIN,
      KPIBOT_LOCALE: 'en-US',
      KPIBOT_CURRENCY: 'SEK',
      KPIBOT_TIMEZONE: 'Europe/Stockholm',
      LOG_LEVEL: 'info',
    },
  );
}

async function startApp(now: string): Promise<AppProcess> {
  await stopAppProcess(app);
  const started = startAppProcess(appEnv(now), workDir);
  app = started;
  await started.ready;
  standin.eventsUrl = `http://127.0.0.1:${started.port}/slack/events`;
  return started;
}

async function stopApp(): Promise<void> {
  const running = app;
  app = undefined;
  await stopAppProcess(running);
  expect(await running?.exited, exitReport(running)).toBe(0);
}

/** The outbox rows, by status, read from the store once the app has stopped (it holds it). */
async function outboxAfterStop(): Promise<Record<string, number>> {
  await stopApp();
  const db = await openStore({ dataDir });
  try {
    const rows = await db.query<{ status: string; n: number }>(
      'select status, count(*)::int as n from outbox group by status',
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  } finally {
    await db.close();
  }
}

/** Resolves once the app has logged `msg` `count` times. */
async function logged(started: AppProcess, msg: string, count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  const times = () => started.output().split(`"msg":"${msg}"`).length - 1;
  while (times() < count) {
    if (Date.now() > deadline)
      throw new Error(`"${msg}" ×${count} not logged:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Sends `/kpi <text>` as `userId`, checks the ack, returns the ephemeral answer. */
async function kpi(text: string, userId: string): Promise<RecordedCall> {
  const sent = await standin.slashCommand(text, { userId });
  expect(sent.status).toBe(200);
  expect(sent.elapsedMs).toBeLessThan(3000);
  const reply = await standin.waitForResponse(sent.responseId, { timeoutMs: 15_000 });
  expect(reply.body.response_type).toBe('ephemeral');
  expect(
    blockKitViolations({ text: reply.body.text as string, blocks: reply.body.blocks as never }),
  ).toEqual([]);
  return reply;
}

const blocksText = (call: RecordedCall) => JSON.stringify(call.body.blocks ?? []);
const tsOf = (call: RecordedCall) => String((call.response as { ts?: unknown }).ts);

/** Successful chat.postMessage calls after `afterSeq`. */
function posts(afterSeq = 0): RecordedCall[] {
  return standin
    .apiCalls('chat.postMessage')
    .filter(
      (c) => c.status === 200 && (c.response as { ok?: boolean }).ok === true && c.seq > afterSeq,
    );
}

interface Block {
  type: string;
  text?: { text: string };
  fields?: Array<{ text: string }>;
  elements?: Array<{ text?: string }>;
}

/** Every text of a block (section text and fields, context elements, header). */
function textsOf(block: Block): string[] {
  return [
    ...(block.text ? [block.text.text] : []),
    ...(block.fields ?? []).map((f) => f.text),
    ...(block.elements ?? []).flatMap((e) => (e.text ? [e.text] : [])),
  ];
}

/** The business field of KPI `name` in a summary: `*Revenue*  SEK 6,300\n…`. */
function fieldOf(blocks: readonly Block[], name: string): string | undefined {
  return blocks.flatMap((b) => b.fields ?? []).find((f) => f.text.startsWith(`*${name}*  `))?.text;
}

// English KPI names by tier, from the built-in catalog (no tier overrides configured here).
const catalog = (() => {
  const built = buildCatalog({ customKpis: [], tierOverrides: {} });
  if (!built.ok) throw new Error(built.errors.join('; '));
  return built.catalog;
})();
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const namesOf = (tier: 'business' | 'context') =>
  catalog
    .list()
    .filter((k) => catalog.tierOf(k.id) === tier)
    .map((k) => k.name.en);

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'kpibot-summary-e2e-'));
  dataDir = join(workDir, 'data');
  const db = await openStore({ dataDir });
  await upsertFacts(db, seedFacts(), { source: 'test' });
  await db.close();
  standin = await startSlackStandin({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
});

afterAll(async () => {
  await stopAppProcess(app);
  await standin?.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('the weekly summary by subscription, app as a process', () => {
  /** The summary as posted in #marketing, once it was. */
  let summary: RecordedCall | undefined;

  it('subscribes #marketing as an admin (and refuses anyone else)', async () => {
    await startApp(BEFORE_MONDAY_POST);
    const refused = await kpi('subscribe weekly #marketing', MEMBER);
    expect(blocksText(refused)).toContain('Only admins can change summary subscriptions');
    expect(blocksText(refused)).toContain('Nothing was changed');

    const added = await kpi('subscribe weekly #marketing', ADMIN);
    const json = blocksText(added);
    expect(json).toContain('Subscription s1 added');
    expect(json).toContain(
      '#marketing weekly, Mondays at 08:00 (Europe/Stockholm), covering the previous week',
    );
    const listed = await kpi('subscriptions', MEMBER);
    expect(blocksText(listed)).toContain('Summary subscriptions: 1');
    expect(blocksText(listed)).toContain(`set up by <@${ADMIN}>`);

    expect(blocksText(await kpi('summary pin orders', MEMBER))).toContain(
      'Only admins can change the summary’s pinned KPIs',
    );
    expect(blocksText(await kpi('summary pin orders', ADMIN))).toContain(
      'Orders pinned to the summary',
    );
    expect(blocksText(await kpi('summary unpin ltv_cac', ADMIN))).toContain(
      'The summary shows, after the goals: Customer acquisition cost, Conversion rate, ROAS, Revenue, Orders.',
    );
    // Nothing before Monday 08:00: nothing posted, and the stopped app left nothing to send.
    expect(await outboxAfterStop()).toEqual({});
    expect(posts()).toHaveLength(0);
  });

  // The app was down at 08:00 and is back at 08:00:30: the firing is caught up once.
  it('posts exactly one summary of last ISO week in #marketing, with its thread reply', async () => {
    const started = await startApp(MONDAY_0800_30);
    const reply = await standin.waitFor(
      (c) =>
        c.kind === 'api' &&
        c.name === 'chat.postMessage' &&
        c.status === 200 &&
        c.body.thread_ts !== undefined,
      20_000,
    );
    await logged(started, 'outbox: sent', 2);
    // Caught up as the summaries' task (what the Wednesday test looks for, and must not find).
    expect(started.output()).toMatch(/"task":"summaries\|[^"]*".*"msg":"task: catching up/);
    const all = posts();
    expect(all).toHaveLength(2);
    summary = all.find((c) => c.body.thread_ts === undefined);
    expect(summary).toBeDefined();
    const post = summary!;
    // Addressed as #marketing; posted to its id, looked up first (src/outbox/channels.ts).
    expect(post.body.channel).toBe(standin.conversations.channelNamed('marketing')?.id);
    expect(post.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(post.seq).toBeLessThan(reply.seq);

    const blocks = post.body.blocks as Block[];
    expect(blockKitViolations({ text: post.body.text as string, blocks: blocks as never })).toEqual(
      [],
    );
    // Week 46 = 9–15 November; caught up after the scheduled time, so marked late.
    expect(blocks[0]?.type).toBe('header');
    expect(blocks[0]?.text?.text).toBe('Weekly summary — week 46, 2026 (late)');
    const json = JSON.stringify(blocks);
    expect(json).toContain('2026-11-09 – 2026-11-15');
    expect(json).toContain('posted late: the scheduled time was missed');
    expect(json).toContain('Europe/Stockholm');
    expect(json).toContain('test through 2026-11-15');

    // The message: the default pins without LTV/CAC, then orders, pinned before the restart.
    const fieldNames = blocks
      .flatMap((b) => b.fields ?? [])
      .map((f) => /^\*(.+?)\* {2}/.exec(f.text)?.[1]);
    expect(fieldNames).toEqual([
      'Customer acquisition cost (blended)',
      'Conversion rate',
      'ROAS (blended)',
      'Revenue',
      'Orders',
    ]);
    // Movers: ROAS rose 2.33× → 3.0× (+29 %) on 2 100 kr of ad spend a week, under the 5 000 kr
    // floor; revenue rose as much (4 900 → 6 300, +29 %) and has no floor.
    expect(blocks[1]?.text?.text).toMatch(
      /^No goals set · best: Revenue SEK\s4,900 → SEK\s6,300 \(\+SEK\s1,400, \+29%\)$/,
    );

    // The numbers, by hand (see the seeded facts).
    expect(fieldOf(blocks, 'Revenue')).toMatch(
      /^\*Revenue\* {2}SEK\s6,300\n:large_green_circle: \+SEK\s1,400 \(\+29%\) better/,
    );
    // Over all channels ROAS is blended (all revenue over all ad spend), and says so.
    expect(fieldOf(blocks, 'ROAS (blended)')).toMatch(
      /^\*ROAS \(blended\)\* {2}3\.0×\n:large_green_circle: \+0\.67×/,
    );
    expect(fieldOf(blocks, 'Orders')).toMatch(/^\*Orders\* {2}63\n/);

    // Pinned business KPIs above the context metrics, in the section fields before the divider;
    // every context metric in the context blocks after it.
    const divider = blocks.findIndex((b) => b.type === 'divider');
    expect(divider).toBeGreaterThan(1);
    const above = blocks.slice(0, divider).flatMap(textsOf).join('\n');
    const below = blocks
      .slice(divider + 1)
      .flatMap(textsOf)
      .join('\n');
    const business = namesOf('business').filter(
      (n) => fieldNames.includes(n) || fieldNames.includes(`${n} (blended)`),
    );
    const context = namesOf('context');
    expect(business).toHaveLength(5);
    expect(business.length).toBeGreaterThan(0);
    expect(context.length).toBeGreaterThan(0);
    // A spend ratio over all channels is named blended (`*ROAS (blended)*`).
    const bold = (name: string) => new RegExp(`\\*${escapeRegExp(name)}( \\(blended\\))?\\*`);
    for (const name of business) {
      expect(above, name).toMatch(bold(name));
      expect(below, name).not.toMatch(bold(name));
    }
    for (const name of context) {
      expect(below, name).toContain(name);
      expect(
        blocks
          .slice(0, divider)
          .flatMap((b) => b.fields ?? [])
          .map((f) => f.text)
          .join('\n'),
      ).not.toMatch(bold(name));
    }
    // impressions 7 × 9000 = 63,000; CTR 7 × 150 / 63,000 = 1.67 % (two decimals below 10 %)
    expect(below).toContain('Impressions 63,000');
    expect(below).toContain('Click-through rate 1.67%');
    expect(below).toContain(':bar_chart: *Context metrics*');

    // The thread reply: the business KPIs by channel, under the summary.
    expect(reply.body.channel).toBe('C0MARKETING'); // the channel id Slack answered the post with;
    expect(reply.body.thread_ts).toBe(tsOf(post));
    const replyBlocks = reply.body.blocks as Block[];
    expect(
      blockKitViolations({ text: reply.body.text as string, blocks: replyBlocks as never }),
    ).toEqual([]);
    // First the business KPIs that are not pinned, as the message's fields are; then the
    // breakdown by channel. AOV = 6 300 / 63 = SEK 100.
    expect(replyBlocks[0]?.text?.text).toBe('More business KPIs — week 46, 2026');
    expect(fieldOf(replyBlocks, 'Average order value')).toMatch(
      /^\*Average order value\* {2}SEK\s100\n/,
    );
    const more = replyBlocks.flatMap((b) => b.fields ?? []).map((f) => f.text);
    const unpinned = namesOf('business').filter((n) => !business.includes(n));
    expect(unpinned).toContain('LTV/CAC');
    for (const name of unpinned) {
      expect(
        more.filter((t) => bold(name).test(t)),
        name,
      ).toHaveLength(1);
      expect(above, name).not.toMatch(bold(name));
    }
    expect(more).toHaveLength(unpinned.length);
    const byChannel = replyBlocks.findIndex((b) => b.text?.text === 'By channel — week 46, 2026');
    expect(byChannel).toBeGreaterThan(0);
    const replyJson = JSON.stringify(replyBlocks.slice(byChannel));
    // revenue: google 3500, meta 2800 (largest first); ROAS: meta 4.0×, google 2.5×
    expect(replyJson).toMatch(
      /\*Revenue\* {2}SEK\s6,300\\n\*By channel\*\\n```\\ngoogle\s+SEK\s3,500/,
    );
    expect(replyJson).toMatch(/google\s+SEK\s3,500[^`]*\\nmeta\s+SEK\s2,800/);
    // Each channel against the 3× ROAS floor: google's 2.5× is below it.
    expect(replyJson).toMatch(
      /\*ROAS \(blended\)\* {2}3\.0×\\n\*By channel\*\\n```\\nmeta\s+4\.0×[^`]*\\ngoogle\s+2\.5×\s+▲ better\s+⚠ below floor/,
    );
    // context metrics stay out of the breakdown
    expect(replyJson).not.toContain('Impressions');
    // Stopped with the two sent and nothing left to send: exactly one summary and its reply.
    expect(await outboxAfterStop()).toEqual({ sent: 2 });
    expect(posts()).toHaveLength(2);
  });

  it('posts nothing more on a second restart in the same week', async () => {
    expect(summary).toBeDefined();
    const before = standin.calls.at(-1)?.seq ?? 0;
    const started = await startApp(WEDNESDAY);
    // Up means its missed firings were claimed or not (background.ts starts the scheduler
    // before the app says it listens): the summaries' Monday firing was not taken again.
    const caughtUp = started
      .output()
      .split('\n')
      .filter((l) => l.includes('task: catching up a missed firing'));
    expect(caughtUp.some((l) => l.includes('"task":"summaries|'))).toBe(false);
    expect(caughtUp.length).toBeGreaterThan(0); // the other tasks' (alerts…) are in that log
    expect(posts(before)).toHaveLength(0);
    expect(started.output()).not.toContain('reports: summary enqueued');
    expect(posts()).toHaveLength(2); // still the summary and its reply of Monday
  });

  it('/kpi summary last-week answers ephemerally with the revenue `kpibot ask` gives', async () => {
    expect(app).toBeDefined();
    const before = standin.calls.at(-1)?.seq ?? 0;
    const reply = await kpi('summary last-week', MEMBER);
    // ephemeral through response_url only: nothing posted in a channel
    expect(posts(before)).toHaveLength(0);
    const blocks = reply.body.blocks as Block[];
    expect(blocks[0]?.text?.text).toBe('Weekly summary — week 46, 2026');
    const revenueField = fieldOf(blocks, 'Revenue');
    expect(revenueField).toBeDefined();
    const shown = /^\*Revenue\* {2}(.+)$/m.exec(revenueField!)?.[1];
    expect(shown).toMatch(/^SEK\s6,300$/);
    await stopApp();

    // The CLI on the same data dir and clock (the app is stopped: the embedded store is one
    // process's at a time).
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'bin/kpibot.js'), 'ask', 'revenue last-week', '--json'],
      { cwd: workDir, env: appEnv(WEDNESDAY) },
    );
    const answer = JSON.parse(stdout) as {
      kpi: string;
      value: number;
      formatted: string;
      period: { start: string; end: string };
    };
    expect(answer.kpi).toBe('revenue');
    expect(answer.period).toEqual({ start: '2026-11-09', end: '2026-11-15' });
    expect(answer.value).toBe(6300);
    expect(answer.formatted).toBe(shown);
  });
});
