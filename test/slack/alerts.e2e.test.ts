// Alerts end to end: the app started as users start it (`node bin/start.js`, a child process),
// rules added from Slack through the stand-in, and the scheduler driven by restarts: node-cron's
// timers run on the real clock, so every evaluation here is the catch-up on start of the firing
// missed while the app was down, at the KPIBOT_NOW of that start. What the alert posts is what
// the stand-in recorded over real HTTP (chat.postMessage, chat.update, response_url).
//
// Expected numbers are computed by hand from the seeded facts (comments say how). Numbers are
// formatted for en-US: multiples with one decimal (`2.5×`).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_ACTIONS } from '../../src/alerts/message.ts';
import { blockKitViolations } from '../../src/reply/limits.ts';
import { sparkline } from '../../src/reply/sparkline.ts';
import type { RecordedCall } from '../helpers/slack-standin.ts';
import {
  ACKER,
  ADMIN,
  BOT_TOKEN,
  blocksText,
  createHarness,
  disposeHarness,
  type Harness,
  INGEST_TOKEN,
  kpi,
  MARKETING,
  MEMBER,
  posts,
  slackText,
  startApp,
  stopApp,
  stopAppDrained,
  tsOf,
  waitForLog,
} from './alerts-harness.ts';

// ---------------------------------------------------------------------------------------------

describe('alert rules from Slack, checked on schedule, app as a process', () => {
  let h: Harness;
  /** The alert message as posted (chat.postMessage), once it was. */
  let alert: RecordedCall | undefined;

  beforeAll(async () => {
    h = await createHarness('kpibot-alerts-e2e-');
  });

  afterAll(async () => {
    await disposeHarness(h);
  });

  // Monday 2026-11-09, 08:30 in Stockholm (CET, UTC+1): before the day's 09:00 check.
  it('refuses a non-admin politely and stores nothing; confirms an admin’s rule', async () => {
    await startApp(h, '2026-11-09T08:30:00+01:00');

    const refused = await kpi(
      h,
      slackText('alert add roas < 3x over last-7-days in #marketing'),
      MEMBER,
    );
    expect(blocksText(refused)).toContain('Only admins can change alert rules');
    expect(blocksText(refused)).toContain('Nothing was changed');
    // The stand-in says U0BOB is no workspace admin: the app asked it.
    expect(h.standin.apiCalls('users.info').map((c) => c.body.user)).toContain(MEMBER);

    // Only the three default rules of the KPI reference, none posting to #marketing.
    const listed = await kpi(h, 'alerts', MEMBER);
    expect(blocksText(listed)).toContain('Alert rules: 3');
    expect(blocksText(listed)).not.toContain(MARKETING);
    expect(blocksText(listed)).not.toContain('created by <@');

    // The admin's rule. `repeat 36h`: a daily 09:00 check with the default 24 h reminder
    // interval would remind exactly at the next check; with 36 h the next day's check is
    // within the interval and the one after is past it.
    const added = await kpi(
      h,
      slackText('alert add roas < 3x over last-7-days in #marketing repeat 36h'),
      ADMIN,
    );
    const json = blocksText(added);
    expect(json).toContain('Alert a1 added');
    expect(json).toContain(`ROAS < 3.0× over last-7-days → <#${MARKETING}>`);
    expect(json).toContain('daily at 09:00');
    expect(json).toContain('reminders every 36 h while firing');

    const after = await kpi(h, 'alerts', MEMBER);
    expect(blocksText(after)).toContain('Alert rules: 4');
    expect(blocksText(after)).toMatch(
      /\*a1\* ROAS < 3\.0× over last-7-days → <#C0MARKETING> — not checked yet/,
    );
    expect(blocksText(after)).toContain(`created by <@${ADMIN}>`);
    // Nothing is posted before the 09:00 check.
    expect(posts(h)).toHaveLength(0);
    await stopApp(h);
  });

  // Restarted at 09:05: the 09:00 check was missed while the app was down, and is caught up.
  it('posts exactly one alert in #marketing with the value and the threshold', async () => {
    const app = await startApp(h, '2026-11-09T09:05:00+01:00');
    // last-7-days at 2026-11-09 = 2–8 November: 5250 / 2100 = 2.5× < 3×
    const cycle = await waitForLog(app, 'alerts: cycle done');
    expect(cycle.notifications).toBe(1);
    alert = await h.standin.waitForApi('chat.postMessage', { timeoutMs: 15_000 });
    await waitForLog(app, 'outbox: sent');
    expect(posts(h)).toHaveLength(1);

    expect(alert.body.channel).toBe(MARKETING);
    expect(alert.body.thread_ts).toBeUndefined();
    expect(alert.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(String(alert.body.text)).toBe(
      'ROAS is 2.5× over last-7-days, below the threshold 3.0×.',
    );
    const json = blocksText(alert);
    expect(json).toContain('🔴 ROAS is below 3.0×');
    expect(json).toContain('*Value*\\n2.5×');
    expect(json).toContain('*Threshold*\\n< 3.0×');
    expect(json).toContain('*Window*\\nlast-7-days');
    expect(json).toContain('2026-11-02');
    expect(json).toContain('2026-11-08');
    // 8 weeks back, every week 2.5×: a flat trend.
    expect(json).toContain(`\`${sparkline(Array(8).fill(2.5))}\` 2.5× → 2.5×`);
    // Where to look first, worst first: google 7 × 350 / 7 × 200 = 1.75× (two decimals below
    // 10), meta 4.0×.
    expect(json).toContain('• google: 1.75× — below 3.0×');
    expect(json).toMatch(/• meta: 4\.0×(?! — below)/);
    expect(json).toContain(ALERT_ACTIONS.acknowledge);
    expect(json).toContain(ALERT_ACTIONS.snooze1h);
    expect(
      blockKitViolations({ text: alert.body.text as string, blocks: alert.body.blocks as never }),
    ).toEqual([]);

    const listed = await kpi(h, 'alerts', MEMBER);
    expect(blocksText(listed)).toMatch(/\*a1\* ROAS < 3\.0× .* — \*firing\* 2\.5×/);
    // a1, and the default ROAS floor (3× for e-commerce), which fires too but posts nowhere
    expect(blocksText(listed)).toContain('Alert rules: 4, 2 firing');
    // Stopped with nothing left in the outbox: the one alert is all it sent.
    await stopAppDrained(h);
    expect(posts(h)).toHaveLength(1);
  });

  // Tuesday 2026-11-10, 09:05: the 09:00 check sees 3–9 November: still 2.5×; the alert fired
  // 24 h ago, within the 36 h reminder interval.
  it('posts nothing the next day while it still breaches, within the reminder interval', async () => {
    expect(alert).toBeDefined();
    const before = h.standin.calls.at(-1)?.seq ?? 0;
    const app = await startApp(h, '2026-11-10T09:05:00+01:00');
    const cycle = await waitForLog(app, 'alerts: cycle done');
    expect(cycle.rules).toBeGreaterThanOrEqual(1);
    expect(cycle.notifications).toBe(0);
    // Stopped with nothing left in the outbox: nothing was, or would have been, sent.
    await stopAppDrained(h);
    expect(posts(h, { afterSeq: before })).toHaveLength(0);
    expect(h.standin.apiCalls('chat.update').filter((c) => c.seq > before)).toHaveLength(0);
  });

  // Wednesday 2026-11-11, 09:05: 4–10 November, still 2.5×; 48 h since the alert ≥ 36 h.
  it('reminds in the alert’s thread after the interval, never as a new alert', async () => {
    const first = alert!;
    const before = h.standin.calls.at(-1)?.seq ?? 0;
    const app = await startApp(h, '2026-11-11T09:05:00+01:00');
    const cycle = await waitForLog(app, 'alerts: cycle done');
    expect(cycle.notifications).toBe(1);
    const reminder = await h.standin.waitForApi('chat.postMessage', { afterSeq: before });
    await waitForLog(app, 'outbox: sent');
    expect(posts(h, { afterSeq: before })).toHaveLength(1);
    expect(reminder.body.channel).toBe(MARKETING);
    expect(reminder.body.thread_ts).toBe(tsOf(first));
    expect(blocksText(reminder)).toContain('Still below 3.0×: ROAS is 2.5× over last-7-days');
    // Still exactly one top-level alert in the channel.
    expect(posts(h, { channel: MARKETING, thread: 'none' })).toHaveLength(1);
  });

  it('Acknowledge redraws the alert with who acknowledged, and says so to them', async () => {
    const first = alert!;
    const click = await h.standin.clickButton(first, ALERT_ACTIONS.acknowledge, {
      userId: ACKER,
      userName: 'bea',
      channelId: MARKETING,
      messageTs: tsOf(first),
      isEphemeral: false,
    });
    expect(click.status).toBe(200);
    expect(click.elapsedMs).toBeLessThan(3000);
    const redraw = await h.standin.waitForResponse(click.responseId, { index: 0 });
    expect(redraw.body.replace_original).toBe(true);
    const json = blocksText(redraw);
    expect(json).toContain(`acknowledged by <@${ACKER}>`);
    expect(json).toContain('🔴 ROAS is below 3.0×');
    expect(json).not.toContain(ALERT_ACTIONS.acknowledge); // nothing left to acknowledge
    expect(json).toContain(ALERT_ACTIONS.snooze1d);
    expect(
      blockKitViolations({ text: redraw.body.text as string, blocks: redraw.body.blocks as never }),
    ).toEqual([]);
    const note = await h.standin.waitForResponse(click.responseId, { index: 1 });
    expect(note.body.response_type).toBe('ephemeral');
    expect(String(note.body.text)).toContain(`Acknowledged by <@${ACKER}>`);

    const listed = await kpi(h, 'alerts', MEMBER);
    expect(blocksText(listed)).toContain(`ack <@${ACKER}>`);
  });

  // The numbers recover: 11 November, pushed through the app's push API, earns 3000 on 300.
  // Thursday 2026-11-12, 09:05: 5–11 November = (6 × 750 + 3000) / (7 × 300) = 7500 / 2100
  // = 3.57× ≥ 3 + 0.15 (the default hysteresis, 5 % of the threshold).
  it('after recovery posts "resolved" in the thread and updates the original alert', async () => {
    const first = alert!;
    const pushed = await fetch(`http://127.0.0.1:${h.app!.port}/api/v1/facts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
      body: JSON.stringify({
        facts: [
          {
            date: '2026-11-11',
            measure: 'ad_spend',
            value: 100,
            channel: 'meta',
            campaign: 'meta-brand',
          },
          {
            date: '2026-11-11',
            measure: 'revenue',
            value: 1500,
            channel: 'meta',
            campaign: 'meta-brand',
          },
          {
            date: '2026-11-11',
            measure: 'ad_spend',
            value: 200,
            channel: 'google',
            campaign: 'google-search',
          },
          {
            date: '2026-11-11',
            measure: 'revenue',
            value: 1500,
            channel: 'google',
            campaign: 'google-search',
          },
        ],
      }),
    });
    expect(pushed.status).toBe(200);
    await stopApp(h);

    const before = h.standin.calls.at(-1)?.seq ?? 0;
    const app = await startApp(h, '2026-11-12T09:05:00+01:00');
    const cycle = await waitForLog(app, 'alerts: cycle done');
    expect(cycle.notifications).toBe(2); // the reply and the update
    const update = await h.standin.waitForApi('chat.update', { afterSeq: before });
    await waitForLog(app, 'outbox: sent', { count: 2 });

    const replies = posts(h, { afterSeq: before });
    expect(replies).toHaveLength(1);
    const resolved = replies[0]!;
    expect(resolved.body.channel).toBe(MARKETING);
    expect(resolved.body.thread_ts).toBe(tsOf(first));
    expect(blocksText(resolved)).toContain('✅ Resolved: ROAS is back at 3.57× over last-7-days');
    // recovered past 3 + 0.15 = 3.15 (two decimals below 10)
    expect(blocksText(resolved)).toContain('(past 3.15×; threshold < 3.0×)');
    // the reply went out before the update (one channel, in order)
    expect(resolved.seq).toBeLessThan(update.seq);

    expect(h.standin.apiCalls('chat.update').filter((c) => c.seq > before)).toHaveLength(1);
    expect(update.body.channel).toBe(MARKETING);
    expect(update.body.ts).toBe(tsOf(first));
    const json = blocksText(update);
    expect(json).toContain('✅ Resolved: ROAS was below 3.0×');
    expect(json).toContain('*Now*\\n3.57×');
    expect(json).toContain(`acknowledged by <@${ACKER}>`);
    expect(json).not.toContain('"type":"actions"'); // no buttons on a resolved alert
    expect(
      blockKitViolations({ text: update.body.text as string, blocks: update.body.blocks as never }),
    ).toEqual([]);
    // The stand-in's copy of the message is the resolved one now.
    const stored = h.standin.messages.find((m) => m.channel === MARKETING && m.ts === tsOf(first));
    expect(JSON.stringify(stored?.blocks)).toContain('Resolved');

    // Over the whole story: one alert in the channel; a reminder and "resolved" in its thread.
    expect(posts(h, { channel: MARKETING, thread: 'none' })).toHaveLength(1);
    expect(posts(h, { channel: MARKETING, thread: tsOf(first) })).toHaveLength(2);
    const listed = await kpi(h, 'alerts', MEMBER);
    expect(blocksText(listed)).toMatch(/\*a1\* ROAS < 3\.0× .* — ok 3\.57×/);
    // Stopped with nothing left in the outbox: the counts above are the whole story.
    await stopAppDrained(h);
    expect(posts(h, { channel: MARKETING, thread: 'none' })).toHaveLength(1);
    expect(posts(h, { channel: MARKETING, thread: tsOf(first) })).toHaveLength(2);
  });
});
