// Socket Mode (SLACK_APP_TOKEN set): the app opens a WebSocket to the stand-in instead of taking
// HTTP requests from Slack, and still serves /healthz on its port. In-process, stub grammar.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext, CommandOutcome } from '../../src/commands/outcome.ts';
import { POST_TO_CHANNEL_ACTION } from '../../src/commands/views/slack.ts';
import { createLogger } from '../../src/logger.ts';
import { createSlackApp, type SlackApp } from '../../src/slack/app.ts';
import { type SlackStandin, startSlackStandin } from '../helpers/slack-standin.ts';

const BOT_TOKEN = 'xoxb-7777-8888-socketmodebottoken';
const APP_TOKEN = 'xapp-1-A0KPIBOT-7777-socketmodeapptoken';

const runs: Array<{ text: string; ctx: CommandContext }> = [];
const logLines: string[] = [];

async function run(text: string, ctx: CommandContext): Promise<CommandOutcome> {
  runs.push({ text, ctx });
  return {
    kind: 'answer',
    query: text,
    now: (ctx.now ?? new Date('2026-11-18T09:00:00.000Z')).toISOString(),
    result: {
      question: text,
      filters: {},
      answers: [
        {
          kpi: {
            id: 'roas',
            name: { sv: 'ROAS', en: 'ROAS' },
            formula: 'revenue / ad_spend',
            unit: 'multiple',
            good: 'up',
            tier: 'business',
          },
          period: {
            phrase: 'last-week',
            label: 'week 46 2026',
            start: '2026-11-09',
            end: '2026-11-15',
            grain: 'week',
          },
          value: 3,
          formatted: '3,00×',
          missingMeasures: [],
        },
      ],
    },
  };
}

let standin: SlackStandin;
let slack: SlackApp;
let port: number;

beforeAll(async () => {
  standin = await startSlackStandin({
    signingSecret: 'unused-in-socket-mode',
    botToken: BOT_TOKEN,
    appToken: APP_TOKEN,
  });
  slack = createSlackApp({
    config: {
      port: 0,
      locale: 'en-US',
      slack: { botToken: BOT_TOKEN, appToken: APP_TOKEN, apiUrl: standin.apiUrl },
    },
    db: { query: async <R>() => [{ ok: 1 }] as R[] },
    logger: createLogger(
      'debug',
      { write: (l: string) => void logLines.push(l) },
      { secrets: [BOT_TOKEN, APP_TOKEN] },
    ),
    run,
    host: '127.0.0.1',
  });
  const started = await slack.start();
  expect(started.mode).toBe('socket');
  port = started.port;
  await standin.waitForSocket();
});

afterAll(async () => {
  await slack?.stop(1000);
  await standin?.close();
});

describe('Socket Mode', () => {
  it('opened the connection with the app token', () => {
    const open = standin.apiCalls('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]?.headers.authorization).toBe(`Bearer ${APP_TOKEN}`);
  });

  it('acks a slash command at once over the socket and answers through response_url', async () => {
    const delivered = await standin.socketSlashCommand('roas last-week');
    expect(delivered.elapsedMs).toBeLessThan(3000);
    const reply = await standin.waitForResponse(delivered.responseId);
    expect(reply.body.response_type).toBe('ephemeral');
    expect(reply.body.text).toContain('3,00×');
    expect(runs[0]?.text).toBe('roas last-week');
  });

  it('handles the "Post to channel" button', async () => {
    const delivered = await standin.socketSlashCommand('roas last-week');
    const reply = await standin.waitForResponse(delivered.responseId);
    const blocks = reply.body.blocks as Array<{
      type: string;
      elements?: Array<{ value?: string }>;
    }>;
    const value = blocks.find((b) => b.type === 'actions')?.elements?.[0]?.value;
    await standin.socketBlockAction({
      actionId: POST_TO_CHANNEL_ACTION,
      value,
      responseId: delivered.responseId,
    });
    const post = await standin.waitForApi('chat.postMessage');
    expect(JSON.stringify(post.body.blocks)).toContain('Shared by <@U0ADA>');
    expect((await standin.waitForResponse(delivered.responseId, { index: 1 })).body).toEqual({
      delete_original: true,
    });
  });

  it('serves /healthz on PORT, and no Slack endpoint there', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST' })).status).toBe(
      404,
    );
  });

  it('keeps the app token out of the logs', () => {
    const all = logLines.join('');
    expect(all).not.toContain(APP_TOKEN);
    expect(all).not.toContain(BOT_TOKEN);
  });
});
