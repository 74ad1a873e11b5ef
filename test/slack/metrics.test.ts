// GET /metrics over real HTTP on the app's own server: a /kpi command answered through the Slack
// stand-in moves the ack and answer counters and the latency histogram; an outbox message
// enqueued shows in the depth gauge (read from the store on scrape); delivered after a 503, it
// counts one failure by error code and one notification sent; a caught-up scheduler firing
// counts a run and its lateness; a push to the facts API, and a CSV import run through the bot,
// count an import and its rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCliEndpoint } from '../../src/cli/endpoint.ts';
import { readEndpointFile } from '../../src/cli/endpoint-protocol.ts';
import type { CommandOutcome } from '../../src/commands/outcome.ts';
import { POST_TO_CHANNEL_ACTION } from '../../src/commands/views/slack.ts';
import { loadConfig } from '../../src/config.ts';
import { createPushHandler, MAX_PUSH_BYTES, PUSH_API_PATH } from '../../src/ingest/push-api.ts';
import { createLogger } from '../../src/logger.ts';
import { type AppMetrics, createMetrics, errorCodeLabel, taskLabel } from '../../src/metrics.ts';
import { createDeliverer } from '../../src/outbox/deliverer.ts';
import { createSlackWebApi } from '../../src/outbox/slack-api.ts';
import { outboxStats } from '../../src/outbox/stats.ts';
import { enqueue } from '../../src/outbox/store.ts';
import type { CommandContext } from '../../src/reply/command.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { createServices } from '../../src/services.ts';
import { createSlackApp, type SlackApp } from '../../src/slack/app.ts';
import type { Db } from '../../src/store/db.ts';
import { slackRequestLedger } from '../../src/store/slack-requests.ts';
import { standinAppConfig, startAgainstStandin, stubRoasAnswer } from '../helpers/slack-app.ts';
import { type SlackStandin, startSlackStandin } from '../helpers/slack-standin.ts';
import { createTestDb } from '../helpers/test-db.ts';

const SIGNING_SECRET = 'metrics-signing-secret-0123456789abcdef';
const BOT_TOKEN = 'xoxb-1111-2222-metricsbottoken';
const INGEST_TOKEN = 'metrics-ingest-token-0123456789';
const logger = createLogger('silent');

let store: Db;
let standin: SlackStandin;
let slack: SlackApp;
let metrics: AppMetrics;
let base: string;

/** The /kpi grammar stubbed: one answer, with the Post to channel button. */
async function run(text: string, ctx: CommandContext): Promise<CommandOutcome> {
  return stubRoasAnswer(text, (ctx.now ?? new Date('2026-11-18T09:00:00.000Z')).toISOString());
}

beforeAll(async () => {
  store = await createTestDb();
  standin = await startSlackStandin({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
  metrics = createMetrics();
  metrics.setOutboxSource(() => outboxStats(store));
  slack = createSlackApp({
    config: standinAppConfig(standin, { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN }),
    db: store,
    requests: slackRequestLedger(store),
    logger,
    run,
    host: '127.0.0.1',
    metrics,
    routes: [
      {
        method: 'POST',
        path: PUSH_API_PATH,
        maxBodyBytes: MAX_PUSH_BYTES,
        handler: createPushHandler({ db: store, token: INGEST_TOKEN, logger, metrics }),
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

/** Scrapes /metrics over HTTP; the value of one series (labels as written), or undefined. */
async function scrape(): Promise<{ text: string; value: (series: string) => number | undefined }> {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  const text = await res.text();
  return {
    text,
    value(series) {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    },
  };
}

describe('GET /metrics', () => {
  it('lists every metric, with help and type, in Prometheus text format', async () => {
    const { text } = await scrape();
    for (const name of [
      'kpibot_acks_total',
      'kpibot_answers_total',
      'kpibot_answer_duration_seconds',
      'kpibot_notifications_sent_total',
      'kpibot_notifications_failed_total',
      'kpibot_outbox_depth',
      'kpibot_outbox_oldest_age_seconds',
      'kpibot_scheduler_runs_total',
      'kpibot_scheduler_lateness_seconds',
      'kpibot_imports_total',
      'kpibot_import_rows_total',
    ]) {
      expect(text).toContain(`# HELP ${name} `);
      expect(text).toContain(`# TYPE ${name} `);
    }
    // our own registry only: no default process metrics from prom-client's global one
    expect(text).not.toContain('process_cpu');
  });

  it('counts a /kpi command (one ack, one answer delivered, its latency) and a share click', async () => {
    const before = await scrape();
    expect(before.value('kpibot_acks_total{listener="/kpi"}')).toBeUndefined();
    const sent = await standin.slashCommand('roas last-week');
    expect(sent.status).toBe(200);
    const reply = await standin.waitForResponse(sent.responseId);
    // the counter moves just after the answer was posted: poll the endpoint, no fixed sleep
    await vi.waitFor(async () => {
      const after = await scrape();
      expect(after.value('kpibot_answers_total{outcome="answer",delivered="true"}')).toBe(1);
      expect(after.value('kpibot_acks_total{listener="/kpi"}')).toBe(1);
      expect(after.value('kpibot_answer_duration_seconds_count{outcome="answer"}')).toBe(1);
      expect(after.value('kpibot_answer_duration_seconds_bucket{le="+Inf",outcome="answer"}')).toBe(
        1,
      );
      expect(after.value('kpibot_answer_duration_seconds_sum{outcome="answer"}')).toBeGreaterThan(
        0,
      );
    });

    // the Post to channel button on that answer: acked and counted under its own listener
    const click = await standin.clickButton(reply, POST_TO_CHANNEL_ACTION, {
      responseId: sent.responseId,
      userId: 'U0BEA',
    });
    expect(click.status).toBe(200);
    await standin.waitForApi('chat.postMessage');
    await vi.waitFor(async () => {
      const shared = await scrape();
      expect(shared.value('kpibot_acks_total{listener="post_to_channel"}')).toBe(1);
      expect(shared.value('kpibot_acks_total{listener="/kpi"}')).toBe(1);
    });
  });

  it('shows the outbox depth from the store, then a 503 and the delivery counted', async () => {
    const before = await scrape();
    expect(before.value('kpibot_outbox_depth')).toBe(0);
    expect(before.value('kpibot_outbox_oldest_age_seconds')).toBe(0);

    await enqueue(store, {
      idempotencyKey: 'metrics:1',
      channel: 'C0MARKETING',
      kind: 'post',
      payload: { text: 'weekly summary' },
    });
    const queued = await scrape();
    expect(queued.value('kpibot_outbox_depth')).toBe(1);
    expect(queued.value('kpibot_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(0);

    standin.failNext(1, { status: 503 }, { name: 'chat.postMessage' });
    const deliverer = createDeliverer({
      db: store,
      slack: createSlackWebApi({ token: BOT_TOKEN, apiUrl: standin.apiUrl, timeoutMs: 5_000 }),
      logger,
      replicaId: 'metrics-test',
      retry: { baseMs: 20, maxMs: 200, maxAttempts: 5, settleMs: 50 },
      metrics,
    });
    await deliverer.drain({ timeoutMs: 10_000 });

    const after = await scrape();
    expect(after.value('kpibot_notifications_failed_total{error="http_503",action="retry"}')).toBe(
      1,
    );
    expect(after.value('kpibot_notifications_sent_total')).toBe(1);
    expect(after.value('kpibot_outbox_depth')).toBe(0);
  });

  it('counts scheduler runs by task kind, and the lateness of a caught-up firing', async () => {
    const scheduler = createScheduler({
      db: store,
      logger,
      timeZone: 'UTC',
      replicaId: 'metrics-test',
      metrics,
    });
    let runs = 0;
    // yearly, so the latest firing (1 January) was missed: caught up late on start
    scheduler.add({
      name: 'summaries|UTC|0 0 1 1 *',
      cron: '0 0 1 1 *',
      run: async () => void runs++,
    });
    await scheduler.start();
    await scheduler.idle();
    expect(runs).toBe(1);
    const caughtUp = await scrape();
    expect(caughtUp.value('kpibot_scheduler_runs_total{task="summaries",result="ok"}')).toBe(1);
    expect(caughtUp.value('kpibot_scheduler_lateness_seconds_count{task="summaries"}')).toBe(1);
    expect(
      caughtUp.value('kpibot_scheduler_lateness_seconds_sum{task="summaries"}'),
    ).toBeGreaterThan(0);

    // a manual run counts as a run, but has no schedule to be late for
    await scheduler.runNow('summaries|UTC|0 0 1 1 *');
    await scheduler.stop();
    const manual = await scrape();
    expect(manual.value('kpibot_scheduler_runs_total{task="summaries",result="ok"}')).toBe(2);
    expect(manual.value('kpibot_scheduler_lateness_seconds_count{task="summaries"}')).toBe(1);
  });

  it('counts pushes to POST /api/v1/facts and the facts they wrote; a rejected push none', async () => {
    const push = (facts: unknown[]) =>
      fetch(`${base}${PUSH_API_PATH}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ facts }),
      });
    const ok = await push([
      { date: '2026-11-16', measure: 'ad_spend', value: 100, channel: 'google' },
      { date: '2026-11-17', measure: 'ad_spend', value: 120, channel: 'google' },
    ]);
    expect(ok.status).toBe(200);
    expect((await push([{ date: 'yesterday', measure: 'ad_spend', value: 1 }])).status).toBe(400);
    const after = await scrape();
    expect(after.value('kpibot_imports_total{source="api",result="ok"}')).toBe(1);
    expect(after.value('kpibot_imports_total{source="api",result="rejected"}')).toBe(1);
    expect(after.value('kpibot_import_rows_total{source="api"}')).toBe(2);
  });

  it('counts a CSV import run through the bot (kpibot import beside it) and its rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpibot-metrics-'));
    const config = loadConfig({ KPIBOT_DATA_DIR: dir }, dir);
    const services = await createServices(config, logger, await createTestDb());
    const endpoint = await startCliEndpoint(services, config.store.dataDir, logger, metrics);
    try {
      const record = readEndpointFile(config.store.dataDir);
      if (!record) throw new Error('no endpoint file');
      const csv =
        'date,measure,value,channel,campaign\n2026-11-16,ad_spend,10,google,\n2026-11-17,ad_spend,12,google,\n2026-11-18,ad_spend,14,google,\n';
      const res = await fetch(`${record.url}/v1/run`, {
        method: 'POST',
        headers: { authorization: `Bearer ${record.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          argv: ['import', 'facts.csv'],
          files: [{ path: 'facts.csv', data: Buffer.from(csv).toString('base64') }],
        }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ code: 0 });
    } finally {
      await endpoint.close();
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    }
    const after = await scrape();
    expect(after.value('kpibot_imports_total{source="csv",result="ok"}')).toBe(1);
    expect(after.value('kpibot_import_rows_total{source="csv"}')).toBe(3);
  });

  it('HEAD answers without a body', async () => {
    const res = await fetch(`${base}/metrics`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});

describe('taskLabel', () => {
  it.each([
    ['summaries|Europe/Stockholm|0 8 * * 1', 'summaries'],
    ['goal-alerts', 'goal-alerts'],
    ['backup#manual', 'backup'],
  ])('%s → %s', (task, label) => {
    expect(taskLabel(task)).toBe(label);
  });
});

describe('errorCodeLabel', () => {
  it.each([
    ['channel_not_found', 'channel_not_found'],
    ['HTTP 503', 'http_503'],
    ['rate limited (3 s)', 'ratelimited'],
    ['rate limited (no Retry-After)', 'ratelimited'],
    ['request failed: ECONNRESET', 'ECONNRESET'],
    ['socket hang up at 10.0.0.1', 'other'],
  ])('%s → %s', (detail, label) => {
    expect(errorCodeLabel(detail)).toBe(label);
  });
});
