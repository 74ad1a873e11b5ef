// The shared harness of the alert end-to-end files (alerts*.e2e.test.ts): seeded facts, one data
// dir and one stand-in per describe, the app started as a process at a given KPIBOT_NOW, and
// readers of what the stand-in recorded. Split from one file so the four scenarios run in parallel.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { FactInput } from '../../src/kpi/types.ts';
import { type Db, openStore } from '../../src/store/db.ts';
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

export const SIGNING_SECRET = 'alerts-e2e-signing-secret-8c2e41f0';
export const BOT_TOKEN = 'xoxb-4242-7777-alertse2etoken';
export const INGEST_TOKEN = 'alerts-e2e-ingest-token-3b9d7f';
export const ADMIN = 'U0ADMIN';
export const MEMBER = 'U0BOB';
export const ACKER = 'U0BEA';
export const MARKETING = 'C0MARKETING';

// ---------------------------------------------------------------------------------------------
// Seeded facts: every day from 2026-09-01 to 2026-11-10 (Europe/Stockholm dates)
//
//   channel meta   (campaign meta-brand):     ad_spend 100, revenue 400 → ROAS 4.0×
//   channel google (campaign google-search):  ad_spend 200, revenue 350 → ROAS 1.75×
//   a day in total:                           ad_spend 300, revenue 750 → ROAS 2.5×
//
// So every 7-day window up to 2026-11-10 has ROAS 7 × 750 / 7 × 300 = 2.5×: below 3×.

export function seedFacts(until = '2026-11-10'): FactInput[] {
  const facts: FactInput[] = [];
  for (const day of eachDay('2026-09-01', until)) {
    facts.push(
      { day, measure: 'ad_spend', value: 100, channel: 'meta', campaign: 'meta-brand' },
      { day, measure: 'revenue', value: 400, channel: 'meta', campaign: 'meta-brand' },
      { day, measure: 'ad_spend', value: 200, channel: 'google', campaign: 'google-search' },
      { day, measure: 'revenue', value: 350, channel: 'google', campaign: 'google-search' },
    );
  }
  return facts;
}

// ---------------------------------------------------------------------------------------------
// Helpers: one data dir and one stand-in per describe; the app started and stopped around them.

export interface Harness {
  workDir: string;
  dataDir: string;
  standin: SlackStandin;
  app: AppProcess | undefined;
  /** Where the app's Web API client goes (the stand-in, or a proxy in front of it). */
  apiUrl: string;
}

export async function createHarness(
  prefix: string,
  seed: (db: Db) => Promise<unknown> = (db) => upsertFacts(db, seedFacts(), { source: 'test' }),
): Promise<Harness> {
  const workDir = mkdtempSync(join(tmpdir(), prefix));
  const dataDir = join(workDir, 'data');
  const db = await openStore({ dataDir });
  await seed(db);
  await db.close();
  const standin = await startSlackStandin({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
  return { workDir, dataDir, standin, app: undefined, apiUrl: standin.apiUrl };
}

export async function disposeHarness(h: Harness | undefined): Promise<void> {
  if (!h) return;
  await stopAppProcess(h.app);
  await h.standin.close();
  rmSync(h.workDir, { recursive: true, force: true });
}

/** Starts the app with KPIBOT_NOW = `now`, the way users start it. */
export async function startApp(h: Harness, now: string): Promise<AppProcess> {
  await stopAppProcess(h.app);
  const app = startAppProcess(
    standinEnv(
      { apiUrl: h.apiUrl },
      { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN },
      {
        KPIBOT_DATA_DIR: h.dataDir,
        KPIBOT_NOW: now,
        KPIBOT_ADMINS: ADMIN,
        KPIBOT_INGEST_TOKEN: INGEST_TOKEN,
        KPIBOT_LOCALE: 'en-US',
        KPIBOT_CURRENCY: 'SEK',
        KPIBOT_TIMEZONE: 'Europe/Stockholm',
        LOG_LEVEL: 'info',
      },
    ),
    h.workDir,
  );
  h.app = app;
  await app.ready;
  h.standin.eventsUrl = `http://127.0.0.1:${app.port}/slack/events`;
  return app;
}

export async function stopApp(h: Harness): Promise<void> {
  const app = h.app;
  h.app = undefined;
  await stopAppProcess(app);
  expect(await app?.exited, exitReport(app)).toBe(0);
}

/**
 * Stops the app and checks its outbox kept nothing to send: whatever the stand-in has is all the
 * app had (a state to read instead of waiting a while to see that nothing more comes).
 */
export async function stopAppDrained(h: Harness): Promise<void> {
  await stopApp(h);
  const db = await openStore({ dataDir: h.dataDir });
  try {
    const [row] = await db.query<{ n: number }>(
      `select count(*)::int as n from outbox where status in ('pending', 'sending')`,
    );
    expect(row?.n, 'outbox rows left to send').toBe(0);
  } finally {
    await db.close();
  }
}

/** The app's JSON log lines with `msg` (pino), parsed. */
export function logLines(app: AppProcess, msg: string): Array<Record<string, unknown>> {
  return app
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(`"msg":"${msg}"`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Resolves with the `count`th log line with `msg` (waiting for it). */
export async function waitForLog(
  app: AppProcess,
  msg: string,
  { count = 1, timeoutMs = 20_000 } = {},
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = logLines(app, msg)[count - 1];
    if (line) return line;
    if (Date.now() > deadline) {
      throw new Error(`no "${msg}" in the app's log within ${timeoutMs} ms:\n${app.output()}`);
    }
    await sleep(50);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends `/kpi <text>` as `userId`, checks the ack, returns the ephemeral answer. */
export async function kpi(h: Harness, text: string, userId: string): Promise<RecordedCall> {
  const sent = await h.standin.slashCommand(text, { userId });
  expect(sent.status).toBe(200);
  expect(sent.elapsedMs).toBeLessThan(3000);
  const reply = await h.standin.waitForResponse(sent.responseId, { timeoutMs: 15_000 });
  expect(reply.body.response_type).toBe('ephemeral');
  return reply;
}

export const blocksText = (call: RecordedCall) => JSON.stringify(call.body.blocks ?? []);

/** Successful chat.postMessage calls to `channel` after `afterSeq`: top-level posts or replies. */
export function posts(
  h: Harness,
  opts: { channel?: string; afterSeq?: number; thread?: string | 'none' } = {},
): RecordedCall[] {
  return h.standin
    .apiCalls('chat.postMessage')
    .filter(
      (c) =>
        c.status === 200 &&
        (c.response as { ok?: boolean }).ok === true &&
        c.seq > (opts.afterSeq ?? 0) &&
        (opts.channel === undefined || c.body.channel === opts.channel) &&
        (opts.thread === undefined ||
          (opts.thread === 'none'
            ? c.body.thread_ts === undefined
            : c.body.thread_ts === opts.thread)),
    );
}

export const tsOf = (call: RecordedCall) => String((call.response as { ts?: unknown }).ts);

/**
 * Slack sends the text of `/kpi alert add roas < 3x over last-7-days in #marketing` with `<`
 * escaped and, the manifest having `should_escape: true`, the channel as a mention.
 */
export const slackText = (typed: string) =>
  typed.replace(/</g, '&lt;').replace(/#marketing\b/, `<#${MARKETING}|marketing>`);
