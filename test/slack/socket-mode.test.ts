// Socket Mode (SLACK_APP_TOKEN set), the app started as users start it: it opens a WebSocket to
// the stand-in (apps.connections.open, then the stand-in's own WebSocket server) instead of
// taking HTTP requests from Slack, answers through response_url as in HTTP mode, and still
// serves /healthz and the push API on PORT.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST_TO_CHANNEL_ACTION } from '../../src/commands/views/slack.ts';
import type { FactInput } from '../../src/kpi/types.ts';
import { blockKitViolations } from '../../src/reply/limits.ts';
import { openStore } from '../../src/store/db.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import {
  type AppProcess,
  cleanEnv,
  exitReport,
  startAppProcess,
  stopAppProcess,
} from '../helpers/app-process.ts';
import { type SlackStandin, startSlackStandin } from '../helpers/slack-standin.ts';

const BOT_TOKEN = 'xoxb-7777-8888-socketmodebottoken';
const APP_TOKEN = 'xapp-1-A0KPIBOT-7777-socketmodeapptoken';
const INGEST_TOKEN = 'socket-ingest-token-0123456789';

// Week 46 of 2026 (9–15 November), meta only: ad spend 100 and revenue 500 a day.
const FACTS: FactInput[] = Array.from(
  { length: 7 },
  (_, i) => `2026-11-${String(9 + i).padStart(2, '0')}`,
).flatMap((day) => [
  { day, measure: 'ad_spend', value: 100, channel: 'meta', campaign: '' },
  { day, measure: 'revenue', value: 500, channel: 'meta', campaign: '' },
]);

let standin: SlackStandin;
let app: AppProcess;
let workDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'kpibot-socket-'));
  const dataDir = join(workDir, 'data');
  const db = await openStore({ dataDir });
  await upsertFacts(db, FACTS, { source: 'test' });
  await db.close();

  standin = await startSlackStandin({
    signingSecret: 'not-used-in-socket-mode',
    botToken: BOT_TOKEN,
    appToken: APP_TOKEN,
  });
  app = startAppProcess(
    cleanEnv({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: standin.apiUrl,
      PORT: '0',
      KPIBOT_DATA_DIR: dataDir,
      KPIBOT_NOW: '2026-11-18T10:00:00+01:00',
      KPIBOT_LOCALE: 'en-US',
      KPIBOT_INGEST_TOKEN: INGEST_TOKEN,
      LOG_LEVEL: 'debug',
    }),
    workDir,
  );
  await app.ready;
  await standin.waitForSocket();
});

afterAll(async () => {
  await stopAppProcess(app);
  await standin?.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('Socket Mode', () => {
  it('says so on start and opened the connection with the app token', () => {
    expect(app.output()).toContain('connected to Slack in Socket Mode');
    const open = standin.apiCalls('apps.connections.open');
    expect(open.length).toBeGreaterThanOrEqual(1);
    expect(open[0]?.headers.authorization).toBe(`Bearer ${APP_TOKEN}`);
    expect(standin.apiCalls('auth.test')[0]?.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
  });

  it('acks a slash command at once over the socket and answers through response_url', async () => {
    const delivered = await standin.socketSlashCommand('roas last-week');
    expect(delivered.elapsedMs).toBeLessThan(3000);
    expect(delivered.ackPayload).toEqual({});
    const reply = await standin.waitForResponse(delivered.responseId, { timeoutMs: 15_000 });
    expect(reply.body.response_type).toBe('ephemeral');
    // 7 × 500 / 7 × 100 = 5.0×
    expect(String(reply.body.text)).toMatch(/^ROAS, week 46, 2026: 5\.0×/);
    expect(
      blockKitViolations({ text: reply.body.text as string, blocks: reply.body.blocks as never }),
    ).toEqual([]);
  });

  it('handles the "Post to channel" button', async () => {
    const delivered = await standin.socketSlashCommand('roas last-week');
    const reply = await standin.waitForResponse(delivered.responseId, { timeoutMs: 15_000 });
    const before = standin.calls.length;
    const blocks = reply.body.blocks as Array<{
      type: string;
      elements?: Array<{ value?: string }>;
    }>;
    const value = blocks.find((b) => b.type === 'actions')?.elements?.[0]?.value;
    const click = await standin.socketBlockAction({
      actionId: POST_TO_CHANNEL_ACTION,
      value,
      responseId: delivered.responseId,
      userId: 'U0BEA',
    });
    expect(click.elapsedMs).toBeLessThan(3000);
    const post = await standin.waitForApi('chat.postMessage', { afterSeq: before });
    expect(String(post.body.text)).toMatch(/^ROAS, week 46, 2026: 5\.0×/);
    expect(JSON.stringify(post.body.blocks)).toContain('Shared by <@U0BEA>');
    expect((await standin.waitForResponse(delivered.responseId, { index: 1 })).body).toEqual({
      delete_original: true,
    });
  });

  it('serves /healthz and the push API on PORT, and no Slack endpoint there', async () => {
    const base = `http://127.0.0.1:${app.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/slack/events`, { method: 'POST' })).status).toBe(404);
    const pushed = await fetch(`${base}/api/v1/facts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
      body: JSON.stringify({
        facts: [{ date: '2026-11-16', measure: 'ad_spend', value: 1, channel: 'meta' }],
      }),
    });
    expect(pushed.status).toBe(200);
  });

  it('keeps the tokens out of the logs', () => {
    const out = app.output();
    expect(out).toContain('kpi command answered');
    for (const secret of [APP_TOKEN, BOT_TOKEN, INGEST_TOKEN]) expect(out).not.toContain(secret);
    expect(out).not.toMatch(/xapp-\d|xoxb-\d/);
  });

  it('disconnects and exits 0 on SIGTERM', async () => {
    app.child.kill('SIGTERM');
    expect(await app.exited, exitReport(app)).toBe(0);
    expect(app.output()).toContain('"msg":"stopped"');
  });
});
