// Two replicas of the app (HTTP mode) on one PostgreSQL server, sent signed Slack requests over
// real HTTP: the same request sent twice runs once (the second is refused, on either replica),
// a timestamp 10 minutes ahead is refused, and Slack's retries (X-Slack-Retry-Num) of a request
// already handled are acknowledged without running it again, while a retry of one never handled
// runs once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandOutcome } from '../../src/commands/outcome.ts';
import { createLogger } from '../../src/logger.ts';
import { createSlackApp, type SlackApp } from '../../src/slack/app.ts';
import type { Db } from '../../src/store/db.ts';
import { slackRequestLedger } from '../../src/store/slack-requests.ts';
import { standinAppConfig } from '../helpers/slack-app.ts';
import {
  type SlackStandin,
  signSlackRequest,
  startSlackStandin,
} from '../helpers/slack-standin.ts';
import { createPostgresReplicas, serverUrlOrWarn } from '../helpers/test-db.ts';

const SIGNING_SECRET = 'replay-signing-secret-0123456789abcdef';
const BOT_TOKEN = 'xoxb-3333-4444-replaybottoken';
const url = serverUrlOrWarn('Slack replay tests (two replicas)');

/** Commands run, by text; `waitFor` resolves once a text has run. */
const runs: string[] = [];
const waiters: Array<{ text: string; resolve: () => void }> = [];
async function run(text: string): Promise<CommandOutcome> {
  runs.push(text);
  for (const w of waiters.filter((x) => x.text === text)) w.resolve();
  return { kind: 'message', tone: 'info', title: `ran ${text}`, lines: [] };
}
const waitFor = (text: string) =>
  runs.includes(text)
    ? Promise.resolve()
    : new Promise<void>((resolve) => waiters.push({ text, resolve }));

interface Signed {
  body: string;
  headers: Record<string, string>;
}

let standin: SlackStandin;

/** A slash command `/kpi <text>` signed at `timestampSec` (default: now). */
function command(text: string, timestampSec = Math.floor(Date.now() / 1000)): Signed {
  const body = new URLSearchParams({
    team_id: 'T0STANDIN',
    channel_id: 'C0MARKETING',
    user_id: 'U0ADA',
    user_name: 'ada',
    command: '/kpi',
    text,
    response_url: `${standin.url}/response/replay-${text.replaceAll(' ', '-')}`,
    trigger_id: `${timestampSec}.1`,
  }).toString();
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestampSec),
      'x-slack-signature': signSlackRequest(SIGNING_SECRET, timestampSec, body),
    },
  };
}

describe.skipIf(!url)('Slack requests on two replicas (TEST_DATABASE_URL)', () => {
  let replicas: { dbs: Db[]; close(): Promise<void> };
  const apps: SlackApp[] = [];
  const bases: string[] = [];

  const send = async (replica: number, req: Signed, extra: Record<string, string> = {}) => {
    const res = await fetch(`${bases[replica]}/slack/events`, {
      method: 'POST',
      headers: { ...req.headers, ...extra },
      body: req.body,
    });
    await res.arrayBuffer();
    return res.status;
  };

  beforeAll(async () => {
    standin = await startSlackStandin({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
    replicas = await createPostgresReplicas(url ?? '', 2);
    for (const db of replicas.dbs) {
      const app = createSlackApp({
        config: standinAppConfig(standin, { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN }),
        db,
        requests: slackRequestLedger(db),
        logger: createLogger('silent'),
        run,
        host: '127.0.0.1',
        responseUrl: { backoffMs: 10 },
      });
      apps.push(app);
      bases.push(`http://127.0.0.1:${(await app.start()).port}`);
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.stop(500);
    await replicas?.close();
    await standin?.close();
  });

  it('runs a request once; the same request again is refused, on either replica', async () => {
    const req = command('roas once');
    expect(await send(0, req)).toBe(200);
    await waitFor('roas once');
    expect(await send(0, req)).toBe(401);
    expect(await send(1, req)).toBe(401);
    // Sent to both replicas at once: one runs it, the other refuses it.
    const twin = command('roas twin');
    expect((await Promise.all([send(0, twin), send(1, twin)])).sort()).toEqual([200, 401]);
    await waitFor('roas twin');

    await send(1, command('sentinel 1'));
    await waitFor('sentinel 1');
    expect(runs.filter((r) => r === 'roas once' || r === 'roas twin')).toEqual([
      'roas once',
      'roas twin',
    ]);
  });

  it('refuses a timestamp 10 minutes in the future (and 10 minutes in the past)', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await send(0, command('roas future', now + 600))).toBe(401);
    expect(await send(1, command('roas past', now - 600))).toBe(401);
    await send(0, command('sentinel 2'));
    await waitFor('sentinel 2');
    expect(runs).not.toContain('roas future');
    expect(runs).not.toContain('roas past');
  });

  it('acknowledges a Slack retry of a handled request without running it again', async () => {
    const req = command('roas retried');
    expect(await send(0, req)).toBe(200);
    await waitFor('roas retried');
    expect(
      await send(1, req, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' }),
    ).toBe(200);
    expect(
      await send(0, req, { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' }),
    ).toBe(200);

    // A retry whose first attempt never arrived runs, once.
    const lost = command('roas first lost');
    expect(await send(1, lost, { 'x-slack-retry-num': '1' })).toBe(200);
    await waitFor('roas first lost');
    expect(await send(0, lost, { 'x-slack-retry-num': '2' })).toBe(200);

    await send(1, command('sentinel 3'));
    await waitFor('sentinel 3');
    expect(runs.filter((r) => r === 'roas retried')).toHaveLength(1);
    expect(runs.filter((r) => r === 'roas first lost')).toHaveLength(1);
  });
});
