// Alerts end to end (see alerts-harness.ts): two alerts in one channel through 429, 503, a lost
// answer, a restart while Slack fails, and a snooze.

import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_ACTIONS } from '../../src/alerts/message.ts';
import type { RecordedCall } from '../helpers/slack-standin.ts';
import {
  ACKER,
  ADMIN,
  blocksText,
  createHarness,
  disposeHarness,
  type Harness,
  kpi,
  logLines,
  MARKETING,
  MEMBER,
  posts,
  slackText,
  sleep,
  startApp,
  stopApp,
  tsOf,
  waitForLog,
} from './alerts-harness.ts';

// ---------------------------------------------------------------------------------------------
// Slack failing while alerts go out

/**
 * A Web API proxy in front of the stand-in for what the stand-in cannot play on its own: a
 * call that reaches Slack and is acted on, whose answer is then lost (a 502 from a load
 * balancer, a dropped connection). `losesAnswer` picks those calls; every other call, and the
 * stand-in's own answers (429 with Retry-After, 5xx), pass through unchanged.
 */
async function startLossyProxy(
  target: string,
  losesAnswer: (method: string, form: URLSearchParams) => boolean,
): Promise<{ apiUrl: string; close(): Promise<void> }> {
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  const server = createServer((req, res) => {
    void (async () => {
      const raw = await read(req);
      const method = new URL(req.url ?? '/', 'http://proxy').pathname.replace(/^\/api\//, '');
      const upstream = await fetch(`${target}${method}`, {
        method: 'POST',
        headers: {
          'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded',
          authorization: req.headers.authorization ?? '',
        },
        body: raw,
      });
      const text = await upstream.text();
      if (upstream.status === 200 && losesAnswer(method, new URLSearchParams(raw))) {
        res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway');
        return;
      }
      const headers: Record<string, string> = {
        'content-type': upstream.headers.get('content-type') ?? 'application/json',
      };
      const retryAfter = upstream.headers.get('retry-after');
      if (retryAfter !== null) headers['retry-after'] = retryAfter;
      res.writeHead(upstream.status, headers).end(text);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The outbox key a message carries in its metadata (what the app looks for after a crash). */
function keyOf(metadata: unknown): string | undefined {
  const m = (typeof metadata === 'string' ? JSON.parse(metadata) : metadata) as
    | { event_payload?: { idempotency_key?: string } }
    | undefined;
  return m?.event_payload?.idempotency_key;
}

describe('two alerts in one channel: Slack failing, a restart, a snooze', () => {
  let h: Harness;
  let proxy: Awaited<ReturnType<typeof startLossyProxy>>;
  /** Outbox keys in the order their first chat.postMessage reached the proxy. */
  const keys: string[] = [];
  let lostKey: string | undefined;

  beforeAll(async () => {
    h = await createHarness('kpibot-alerts-faults-e2e-');
    // The first attempt of the second alert reaches Slack, but its answer is lost.
    proxy = await startLossyProxy(h.standin.apiUrl, (method, form) => {
      if (method !== 'chat.postMessage') return false;
      const key = keyOf(form.get('metadata') ?? undefined);
      if (key === undefined) return false;
      if (!keys.includes(key)) keys.push(key);
      if (lostKey === undefined && keys.indexOf(key) === 1) {
        lostKey = key;
        return true;
      }
      return false;
    });
    h.apiUrl = proxy.apiUrl;
  });

  afterAll(async () => {
    await disposeHarness(h);
    await proxy?.close();
  });

  it('two rules on one channel, added before their 09:00 check', async () => {
    await startApp(h, '2026-11-09T08:30:00+01:00');
    for (const window of ['last-7-days', 'last-14-days']) {
      const added = await kpi(
        h,
        slackText(`alert add roas < 3x over ${window} in #marketing`),
        ADMIN,
      );
      expect(blocksText(added)).toMatch(/Alert a\d added/);
    }
    await stopApp(h);
  });

  it('delivers both alerts of a firing once each, in order, through 429, 503 and a lost answer', async () => {
    // Slack is in trouble when the 09:00 check is caught up: the first post is refused with
    // 429 (Retry-After: 2 s), its retry meets a 503; the second alert's first post goes
    // through but the app never hears so (502 from the proxy).
    h.standin.failNext(1, { status: 429, retryAfterSeconds: 2 }, { name: 'chat.postMessage' });
    h.standin.failNext(1, { status: 503 }, { name: 'chat.postMessage' });
    const app = await startApp(h, '2026-11-09T09:05:00+01:00');
    // Both windows hold 2.5× (2–8 November; 26 October – 8 November): two alerts.
    const cycle = await waitForLog(app, 'alerts: cycle done');
    expect(cycle.notifications).toBe(2);

    // Both delivered: a delivered message is never sent again, so no duplicate can follow.
    await waitForLog(app, 'outbox: sent', { count: 2, timeoutMs: 25_000 });

    const calls = h.standin.apiCalls('chat.postMessage');
    expect(calls.map((c) => c.status)).toEqual([429, 503, 200, 200]);
    const [limited, failed, first, second] = calls as [
      RecordedCall,
      RecordedCall,
      RecordedCall,
      RecordedCall,
    ];
    // The refused and the failed attempt were the first alert's; then the second alert's.
    expect(keyOf(limited.body.metadata)).toBe(keyOf(first.body.metadata));
    expect(keyOf(failed.body.metadata)).toBe(keyOf(first.body.metadata));
    expect(keyOf(second.body.metadata)).toBe(lostKey);
    expect(keyOf(first.body.metadata)).not.toBe(lostKey);
    // Retry-After honoured: nothing before 2 s had passed.
    expect(failed.at - limited.at).toBeGreaterThanOrEqual(2000);

    // One message per alert in the channel, none lost, none twice.
    const inChannel = h.standin.messages.filter((m) => m.channel === MARKETING && !m.visibleTo);
    expect(inChannel).toHaveLength(2);
    expect(inChannel.map((m) => m.text).sort()).toEqual([
      'ROAS is 2.5× over last-14-days, below the threshold 3.0×.',
      'ROAS is 2.5× over last-7-days, below the threshold 3.0×.',
    ]);
    // The lost answer: the app looked for the post before posting again, and found it.
    expect(h.standin.apiCalls('conversations.history').length).toBeGreaterThanOrEqual(1);
    const sent = logLines(app, 'outbox: sent');
    expect(sent.filter((l) => l.key === lostKey).map((l) => l.note)).toEqual([
      'found the earlier post',
    ]);
    expect(logLines(app, 'outbox: giving up on a message')).toHaveLength(0);

    // The alerts know their messages: /kpi alerts shows both firing.
    const listed = await kpi(h, 'alerts', MEMBER);
    expect(blocksText(listed)).toMatch(/Alert rules: 5, 3 firing/);
    await stopApp(h);
  });

  // Tuesday 09:05: both alerts are due a reminder (24 h, the default interval, have passed).
  // Slack answers 503 to the first two attempts; the app is stopped (SIGTERM) while the
  // reminders wait for their retry, and comes back: they arrive then, once each.
  it('keeps undelivered reminders when stopped while Slack fails', async () => {
    const alerts = posts(h, { channel: MARKETING, thread: 'none' });
    expect(alerts).toHaveLength(2);
    const before = h.standin.calls.at(-1)?.seq ?? 0;
    h.standin.failNext(2, { status: 503 }, { name: 'chat.postMessage' });
    const app = await startApp(h, '2026-11-10T09:05:00+01:00');
    const cycle = await waitForLog(app, 'alerts: cycle done');
    expect(cycle.notifications).toBe(2);
    await h.standin.waitFor(
      (c) => c.name === 'chat.postMessage' && c.seq > before && c.status === 503,
      10_000,
    );
    const deadline = Date.now() + 15_000;
    const failures = () =>
      h.standin.apiCalls('chat.postMessage').filter((c) => c.seq > before && c.status === 503);
    while (failures().length < 2 && Date.now() < deadline) await sleep(50);
    expect(failures()).toHaveLength(2);
    await stopApp(h);
    expect(posts(h, { afterSeq: before })).toHaveLength(0);
  });

  // Back at 09:10, the same day: the 09:00 check is not run again, the outbox is.
  it('sends the undelivered reminders once each when it is back', async () => {
    const alerts = posts(h, { channel: MARKETING, thread: 'none' });
    const back = h.standin.calls.at(-1)?.seq ?? 0;
    const again = await startApp(h, '2026-11-10T09:10:00+01:00');
    await waitForLog(again, 'outbox: sent', { count: 2 });
    const replies = posts(h, { afterSeq: back });
    expect(replies).toHaveLength(2);
    // one reminder in each alert's thread
    expect(replies.map((r) => r.body.thread_ts).sort()).toEqual(alerts.map(tsOf).sort());
    for (const r of replies) expect(blocksText(r)).toContain('Still below 3.0×: ROAS is 2.5×');
    expect(logLines(again, 'alerts: cycle done')).toHaveLength(0);
    expect(posts(h, { channel: MARKETING, thread: 'none' })).toHaveLength(2);
    await stopApp(h);
  });

  // Tuesday 09:20: someone snoozes the 14-day alert for a day. Wednesday 09:05: both alerts
  // are due a reminder again (24 h since Tuesday's), but the snoozed one stays quiet until
  // Wednesday 09:20: only the 7-day alert reminds.
  it('Tuesday: Snooze 1 d on one alert redraws it as snoozed', async () => {
    const alerts = posts(h, { channel: MARKETING, thread: 'none' });
    const weekly = alerts.find((c) => String(c.body.text).includes('last-7-days'))!;
    const fortnightly = alerts.find((c) => String(c.body.text).includes('last-14-days'))!;
    expect(weekly).toBeDefined();
    expect(fortnightly).toBeDefined();

    await startApp(h, '2026-11-10T09:20:00+01:00');
    const click = await h.standin.clickButton(fortnightly, ALERT_ACTIONS.snooze1d, {
      userId: ACKER,
      channelId: MARKETING,
      messageTs: tsOf(fortnightly),
      isEphemeral: false,
    });
    expect(click.status).toBe(200);
    const redraw = await h.standin.waitForResponse(click.responseId, { index: 0 });
    expect(redraw.body.replace_original).toBe(true);
    // 2026-11-11 09:20 in Stockholm = 08:20 UTC (the fallback of Slack's date formatting)
    expect(blocksText(redraw)).toContain('snoozed until <!date^');
    expect(blocksText(redraw)).toContain('|2026-11-11 08:20 UTC>');
    const note = await h.standin.waitForResponse(click.responseId, { index: 1 });
    expect(String(note.body.text)).toMatch(/^Snoozed for 1 day, until /);
    await stopApp(h);
  });

  it('Wednesday: only the alert that is not snoozed reminds', async () => {
    const alerts = posts(h, { channel: MARKETING, thread: 'none' });
    const weekly = alerts.find((c) => String(c.body.text).includes('last-7-days'))!;
    expect(weekly).toBeDefined();
    const before = h.standin.calls.at(-1)?.seq ?? 0;
    const app = await startApp(h, '2026-11-11T09:05:00+01:00');
    const cycle = await waitForLog(app, 'alerts: cycle done');
    expect(cycle.notifications).toBe(1);
    // The cycle wrote one notification; once it is delivered there is nothing else to send.
    await waitForLog(app, 'outbox: sent');
    const replies = posts(h, { afterSeq: before });
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body.thread_ts).toBe(tsOf(weekly));
    const listed = await kpi(h, 'alerts', MEMBER);
    expect(blocksText(listed)).toContain('snoozed until 2026-11-11 08:20 UTC');
    await stopApp(h);
  });
});
