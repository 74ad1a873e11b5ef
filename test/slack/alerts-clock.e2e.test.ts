// Alerts end to end (see alerts-harness.ts): an alert when KPIBOT_NOW is ahead of the real clock.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  blocksText,
  createHarness,
  disposeHarness,
  type Harness,
  kpi,
  MARKETING,
  slackText,
  startApp,
  stopApp,
  waitForLog,
} from './alerts-harness.ts';

// ---------------------------------------------------------------------------------------------
// KPIBOT_NOW ahead of the real clock

// A fixed KPIBOT_NOW in the future (a demo set up for next quarter's board meeting): the rule
// has no data in its window, so the 09:00 check posts "no data" once. The alert is written to
// the outbox at the firing's time, but the deliverer runs on the real clock.
describe('an alert when KPIBOT_NOW is ahead of the real clock', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await createHarness('kpibot-alerts-future-e2e-');
  });

  afterAll(async () => {
    await disposeHarness(h);
  });

  it('is delivered at once, as with any other clock', async () => {
    await startApp(h, '2031-03-03T08:30:00+01:00');
    const added = await kpi(
      h,
      slackText('alert add roas < 3x over last-7-days in #marketing'),
      ADMIN,
    );
    expect(blocksText(added)).toContain('Alert a1 added');
    await stopApp(h);

    const app = await startApp(h, '2031-03-03T09:05:00+01:00');
    const cycle = await waitForLog(app, 'alerts: cycle done');
    expect(cycle.notifications).toBe(1);
    // The seeded facts end in 2026: nothing for 24 February – 2 March 2031.
    const post = await h.standin
      .waitForApi('chat.postMessage', { timeoutMs: 10_000 })
      .catch(() => undefined);
    expect(post, 'the "no data" post never reached Slack').toBeDefined();
    expect(post?.body.channel).toBe(MARKETING);
    expect(blocksText(post!)).toContain('No data for');
    await stopApp(h);
  });
});
