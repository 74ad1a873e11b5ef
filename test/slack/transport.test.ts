// The Slack transport in-process, against the Slack stand-in over real HTTP, with a stub in
// place of the /kpi grammar: acking, signatures, the share button, retries, health, shutdown.
// (test/slack/e2e.test.ts runs the real app as a process with the real grammar and store.)
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CommandOutcome } from '../../src/commands/outcome.ts';
import { POST_TO_CHANNEL_ACTION } from '../../src/commands/views/slack.ts';
import { createLogger } from '../../src/logger.ts';
import type { CommandContext } from '../../src/reply/command.ts';
import { createSlackApp, type SlackApp } from '../../src/slack/app.ts';
import type { Db } from '../../src/store/db.ts';
import { slackRequestLedger } from '../../src/store/slack-requests.ts';
import { standinAppConfig, startAgainstStandin, stubRoasAnswer } from '../helpers/slack-app.ts';
import { type SlackStandin, startSlackStandin } from '../helpers/slack-standin.ts';
import { createTestDb } from '../helpers/test-db.ts';

const SIGNING_SECRET = 'standin-signing-secret-0123456789abcdef';
const BOT_TOKEN = 'xoxb-1111-2222-standinbottoken';

const runs: Array<{ text: string; ctx: CommandContext }> = [];
let dbHealthy = true;
const logLines: string[] = [];

async function run(text: string, ctx: CommandContext): Promise<CommandOutcome> {
  runs.push({ text, ctx });
  if (text.startsWith('slow')) await new Promise((r) => setTimeout(r, 3500));
  if (text.startsWith('boom')) throw new Error(`engine exploded while reading ${BOT_TOKEN}`);
  if (text === 'am i admin') {
    const admin = (await ctx.isAdmin?.()) ?? false;
    // asked twice, looked up once
    await ctx.isAdmin?.();
    return { kind: 'message', tone: 'info', title: admin ? 'admin: yes' : 'admin: no', lines: [] };
  }
  return stubRoasAnswer(text, (ctx.now ?? new Date('2026-11-18T09:00:00.000Z')).toISOString());
}

let standin: SlackStandin;
let slack: SlackApp;
let base: string;
let store: Db;

beforeAll(async () => {
  store = await createTestDb();
  standin = await startSlackStandin({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
  const logger = createLogger(
    'debug',
    { write: (line: string) => void logLines.push(line) },
    {
      secrets: [BOT_TOKEN, SIGNING_SECRET],
    },
  );
  slack = createSlackApp({
    config: standinAppConfig(standin, { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN }, [
      'U0CFGADMIN',
    ]),
    db: {
      query: async <R>() => {
        if (!dbHealthy) throw new Error('connection refused');
        return [{ ok: 1 }] as R[];
      },
    },
    requests: slackRequestLedger(store),
    logger,
    run,
    host: '127.0.0.1',
    responseUrl: { backoffMs: 50 },
    routes: [
      {
        method: 'POST',
        path: '/api/v1/echo',
        maxBodyBytes: 100,
        handler: (_req, res) => {
          res.writeHead(204).end();
        },
      },
    ],
  });
  base = await startAgainstStandin(slack, standin);
});

afterAll(async () => {
  await slack?.stop(1000);
  await standin?.close();
  await store?.close();
});

afterEach(() => {
  standin.reset();
  runs.length = 0;
  dbHealthy = true;
});

describe('slash command', () => {
  it('acks with an empty 200 at once, then answers ephemerally through response_url', async () => {
    const sent = await standin.slashCommand('roas last-week');
    expect(sent.status).toBe(200);
    expect(sent.body).toBe('');
    expect(sent.elapsedMs).toBeLessThan(3000);
    const reply = await standin.waitForResponse(sent.responseId);
    expect(reply.body.response_type).toBe('ephemeral');
    expect(reply.body.text).toContain('3,00×');
    expect(JSON.stringify(reply.body.blocks)).toContain(POST_TO_CHANNEL_ACTION);
    expect(runs[0]).toMatchObject({
      text: 'roas last-week',
      ctx: { userId: 'U0ADA', channelId: 'C0MARKETING' },
    });
  });

  it('acks before computing: a slow answer still acks well inside 3 s', async () => {
    const sent = await standin.slashCommand('slow roas');
    expect(sent.status).toBe(200);
    expect(sent.elapsedMs).toBeLessThan(1000);
    expect(standin.responses(sent.responseId)).toHaveLength(0);
    const reply = await standin.waitForResponse(sent.responseId, { timeoutMs: 10_000 });
    expect(reply.body.text).toContain('3,00×');
  });

  it('answers an error we caused with a short apology, details only in the log', async () => {
    const sent = await standin.slashCommand('boom');
    const reply = await standin.waitForResponse(sent.responseId);
    const text = String(reply.body.text);
    expect(text).toMatch(/^Sorry, something went wrong on our side.*\(reference [0-9a-f]{8}\)$/);
    expect(JSON.stringify(reply.body)).not.toMatch(/exploded|at .*\.ts|Error:/);
    const reference = text.match(/reference ([0-9a-f]{8})/)?.[1];
    expect(
      logLines.some((l) => l.includes(reference ?? '-') && l.includes('engine exploded')),
    ).toBe(true);
  });
});

describe('response_url', () => {
  it('waits out a 429 Retry-After and then delivers the answer', async () => {
    standin.failNext(1, { status: 429, retryAfterSeconds: 1 }, { kind: 'response_url' });
    const sent = await standin.slashCommand('roas last-week');
    expect(sent.status).toBe(200);
    const reply = await standin.waitFor(
      (c) => c.kind === 'response_url' && c.name === sent.responseId && c.status === 200,
    );
    const [limited] = standin.responses(sent.responseId);
    expect(limited?.status).toBe(429);
    expect(reply.at - (limited?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(reply.body.text).toContain('3,00×');
  });

  it('retries a 5xx and a dropped answer still arrives once', async () => {
    standin.failNext(2, { status: 502 }, { kind: 'response_url' });
    const sent = await standin.slashCommand('roas last-week');
    await standin.waitFor(
      (c) => c.kind === 'response_url' && c.name === sent.responseId && c.status === 200,
    );
    expect(standin.responses(sent.responseId).map((c) => c.status)).toEqual([502, 502, 200]);
  });

  it('gives up after four attempts and logs it without the URL', async () => {
    standin.failNext(10, { status: 500 }, { kind: 'response_url' });
    const before = logLines.length;
    const sent = await standin.slashCommand('roas last-week');
    await standin.waitFor(
      (c) => c.name === sent.responseId && standin.responses(sent.responseId).length === 4,
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(standin.responses(sent.responseId)).toHaveLength(4);
    const logged = logLines.slice(before).join('');
    expect(logged).toContain('could not reply through response_url');
    expect(logged).toContain('HTTP 500 on every attempt');
    expect(logged).not.toContain(sent.responseId);
  });
});

describe('who is an admin', () => {
  async function adminAnswer(userId: string): Promise<string> {
    const sent = await standin.slashCommand('am i admin', { userId });
    return String((await standin.waitForResponse(sent.responseId)).body.text);
  }

  it('someone in KPIBOT_ADMINS is, without asking Slack', async () => {
    expect(await adminAnswer('U0CFGADMIN')).toBe('admin: yes');
    expect(standin.apiCalls('users.info')).toHaveLength(0);
  });

  it('a workspace admin or owner is, asked once through users.info', async () => {
    standin.users.set('U0BOSS', { id: 'U0BOSS', name: 'boss', is_admin: true });
    expect(await adminAnswer('U0BOSS')).toBe('admin: yes');
    const calls = standin.apiCalls('users.info');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.body.user).toBe('U0BOSS');
  });

  it('anyone else is not, and a failed look-up never grants rights', async () => {
    expect(await adminAnswer('U0ADA')).toBe('admin: no');
    standin.setApiHandler('users.info', () => ({ ok: false, error: 'user_not_found' }));
    expect(await adminAnswer('U0BOSS')).toBe('admin: no');
  });
});

describe('signature check', () => {
  it.each(['forged', 'stale', 'unsigned'] as const)(
    'refuses a %s request with 401 and runs nothing',
    async (signing) => {
      const sent = await standin.slashCommand('roas last-week', { signing });
      expect(sent.status).toBe(401);
      await new Promise((r) => setTimeout(r, 300));
      expect(runs).toHaveLength(0);
      expect(standin.calls).toHaveLength(0);
    },
  );

  it('refuses a forged button click too', async () => {
    const sent = await standin.blockAction({
      actionId: POST_TO_CHANNEL_ACTION,
      value: JSON.stringify({ q: 'roas', now: '2026-11-18T09:00:00.000Z' }),
      signing: 'forged',
    });
    expect(sent.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(runs).toHaveLength(0);
    expect(standin.calls).toHaveLength(0);
  });
});

describe('"Post to channel"', () => {
  async function ephemeralAnswer(text: string) {
    const sent = await standin.slashCommand(text);
    return { sent, reply: await standin.waitForResponse(sent.responseId) };
  }

  it('recomputes at the same instant, posts in the channel with who shared it, removes the ephemeral', async () => {
    const { sent, reply } = await ephemeralAnswer('roas last-week');
    const click = await standin.clickButton(reply, POST_TO_CHANNEL_ACTION, {
      responseId: sent.responseId,
      userId: 'U0BEA',
    });
    expect(click.status).toBe(200);
    const post = await standin.waitForApi('chat.postMessage');
    expect(post.body.channel).toBe('C0MARKETING');
    expect(JSON.stringify(post.body.blocks)).toContain('Shared by <@U0BEA>');
    expect(JSON.stringify(post.body.blocks)).not.toContain(POST_TO_CHANNEL_ACTION);
    expect(post.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    const removal = await standin.waitForResponse(sent.responseId, { index: 1 });
    expect(removal.body).toEqual({ delete_original: true });
    expect(runs[1]?.ctx.now?.toISOString()).toBe('2026-11-18T09:00:00.000Z');
    expect(runs[1]?.text).toBe('roas last-week');
  });

  it('waits out a 429 Retry-After from chat.postMessage and still posts', async () => {
    const { sent, reply } = await ephemeralAnswer('roas last-week');
    standin.failNext(1, { status: 429, retryAfterSeconds: 1 }, { name: 'chat.postMessage' });
    await standin.clickButton(reply, POST_TO_CHANNEL_ACTION, { responseId: sent.responseId });
    const post = await standin.waitForApi('chat.postMessage', { timeoutMs: 10_000 });
    const limited = standin.apiCalls('chat.postMessage').find((c) => c.status === 429);
    expect(limited).toBeDefined();
    expect(post.at - (limited?.at ?? 0)).toBeGreaterThanOrEqual(900);
    await standin.waitForResponse(sent.responseId, { index: 1 });
  });

  it('retries a 5xx from chat.postMessage', async () => {
    const { sent, reply } = await ephemeralAnswer('roas last-week');
    standin.failNext(2, { status: 503 }, { name: 'chat.postMessage' });
    await standin.clickButton(reply, POST_TO_CHANNEL_ACTION, { responseId: sent.responseId });
    await standin.waitForApi('chat.postMessage', { timeoutMs: 10_000 });
    expect(standin.apiCalls('chat.postMessage').map((c) => c.status)).toEqual([503, 503, 200]);
  });

  it('posts through response_url where the bot may not post itself', async () => {
    standin.setApiHandler('chat.postMessage', () => ({ ok: false, error: 'not_in_channel' }));
    const { sent, reply } = await ephemeralAnswer('roas last-week');
    await standin.clickButton(reply, POST_TO_CHANNEL_ACTION, { responseId: sent.responseId });
    const shared = await standin.waitForResponse(sent.responseId, { index: 1 });
    expect(shared.body.response_type).toBe('in_channel');
    expect(JSON.stringify(shared.body.blocks)).toContain('Shared by <@U0ADA>');
    const removal = await standin.waitForResponse(sent.responseId, { index: 2 });
    expect(removal.body).toEqual({ delete_original: true });
  });

  it('answers a tampered button with a short note, computing nothing', async () => {
    const click = await standin.blockAction({
      actionId: POST_TO_CHANNEL_ACTION,
      value: 'not-json',
    });
    expect(click.status).toBe(200);
    const note = await standin.waitForResponse(click.responseId);
    expect(String(note.body.text)).toContain('no longer works');
    expect(runs).toHaveLength(0);
    expect(standin.apiCalls('chat.postMessage')).toHaveLength(0);
  });
});

describe('HTTP server', () => {
  it('GET /healthz is 200 while the store answers, 503 when it does not', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    dbHealthy = false;
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'store unreachable' });
  });

  it('serves routes added by other modules, with their body limit', async () => {
    expect((await fetch(`${base}/api/v1/echo`, { method: 'POST', body: 'x' })).status).toBe(204);
    expect(
      (await fetch(`${base}/api/v1/echo`, { method: 'POST', body: 'x'.repeat(101) })).status,
    ).toBe(413);
    expect((await fetch(`${base}/api/v1/echo`)).status).toBe(405);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('refuses a Slack body over the limit with 413', async () => {
    const sent = await standin.send(`text=${'x'.repeat(1024 * 1024 + 10)}`);
    expect(sent.status).toBe(413);
    expect(runs).toHaveLength(0);
  });

  it('refuses an oversized body sent without a Content-Length (chunked) too', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 20) controller.close();
        else {
          sent++;
          controller.enqueue(chunk);
        }
      },
    });
    const res = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(runs).toHaveLength(0);
  });
});

describe('logs', () => {
  it('never contain the bot token or the signing secret', () => {
    const all = logLines.join('');
    expect(logLines.length).toBeGreaterThan(5);
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toContain(SIGNING_SECRET);
    expect(all).not.toMatch(/xoxb-\d/);
    expect(all).not.toContain('/response/');
  });
});
