// Alerts end to end (see alerts-harness.ts): a grouped alert by campaign (one message, changes in
// its thread, one resolved), groups without spend silent, and a source that stops arriving.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_ACTIONS } from '../../src/alerts/message.ts';
import type { AlertRule } from '../../src/alerts/rule.ts';
import { insertRule } from '../../src/alerts/store.ts';
import type { FactInput } from '../../src/kpi/types.ts';
import { blockKitViolations } from '../../src/reply/limits.ts';
import type { Db } from '../../src/store/db.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import { eachDay } from '../helpers/calendar.ts';
import type { RecordedCall } from '../helpers/slack-standin.ts';
import {
  ADMIN,
  blocksText,
  createHarness,
  disposeHarness,
  type Harness,
  logLines,
  MARKETING,
  posts,
  startApp,
  stopApp,
  tsOf,
  waitForLog,
} from './alerts-harness.ts';

// ---------------------------------------------------------------------------------------------
// Grouped alerts and a source that stops arriving

/** Facts of `source`: per campaign (of `channel`), ad_spend 100 a day and revenue 100 × ROAS. */
function campaignDays(
  source: string,
  channel: string,
  from: string,
  to: string,
  roas: Record<string, number>,
): Array<{ facts: FactInput[]; source: string }> {
  const facts: FactInput[] = [];
  for (const day of eachDay(from, to)) {
    for (const [campaign, r] of Object.entries(roas)) {
      facts.push(
        { day, measure: 'ad_spend', value: 100, channel, campaign },
        { day, measure: 'revenue', value: 100 * r, channel, campaign },
      );
    }
  }
  return [{ facts, source }];
}

/** Revenue only, never ad spend: organic search and the newsletter (source `shop`). */
function organicDays(from: string, to: string): Array<{ facts: FactInput[]; source: string }> {
  const facts = eachDay(from, to).flatMap((day) => [
    { day, measure: 'revenue', value: 900, channel: 'organic', campaign: 'organic-seo' },
    { day, measure: 'revenue', value: 600, channel: 'email', campaign: 'newsletter' },
  ]);
  return [{ facts, source: 'shop' }];
}

function groupedRule(id: string, extra: Partial<AlertRule>): AlertRule {
  return {
    id,
    kpi: 'roas',
    comparator: '<',
    threshold: 3,
    window: 'last-7-days',
    filters: {},
    channel: MARKETING,
    schedule: '0 9 * * *',
    for: 1,
    repeatIntervalMinutes: 1440,
    hysteresis: 0.15,
    paused: false,
    createdBy: ADMIN,
    createdAt: '2026-11-01T00:00:00.000Z',
    ...extra,
  };
}

// Every day's facts are written before the first start (a fact dated after a check's `now`
// is outside its window and its look at arrivals), so each check is one start of the app.
//
// meta (source meta-ads), ad_spend 100 a day per campaign, revenue 100 × the day's ROAS:
//   up to 11-08: c1 1, c2 1.5, c3 2, c4 2.5, c5 2.8 (below 3×), c6 4
//   11-09: c1 17, c2 14 → over 3–9 Nov c1 (6 × 100 + 1700) / 700 = 3.29, c2 (900 + 1400) / 700
//          = 3.29: back past 3.15. c3–c5 as before.
//   11-10: c1, c2 4; c3 11, c4 8, c5 6 → over 4–10 Nov c3 (1200 + 1100) / 700 = 3.29,
//          c4 (1500 + 800) / 700 = 3.29, c5 (1680 + 600) / 700 = 3.26: every campaign back.
// google (source google-ads): g1 at 4. organic, email (source shop): revenue only, never ad
// spend. Orders (source shopify, 20 a day) stop after Sunday 11-08.
const BEFORE = { c1: 1, c2: 1.5, c3: 2, c4: 2.5, c5: 2.8, c6: 4 };
const ALL_FOUR = { c1: 4, c2: 4, c3: 4, c4: 4, c5: 4, c6: 4 };
const ORDERS_LATE =
  "⏳ shopify data stopped arriving after 2026-11-08; 2 rules can't be checked: `a2`, `a3`.";

async function seedGrouped(db: Db): Promise<void> {
  const batches = [
    campaignDays('meta-ads', 'meta', '2026-09-01', '2026-11-08', BEFORE),
    campaignDays('meta-ads', 'meta', '2026-11-09', '2026-11-09', { ...BEFORE, c1: 17, c2: 14 }),
    campaignDays('meta-ads', 'meta', '2026-11-10', '2026-11-10', {
      ...ALL_FOUR,
      c3: 11,
      c4: 8,
      c5: 6,
    }),
    campaignDays('google-ads', 'google', '2026-09-01', '2026-11-10', { g1: 4 }),
    organicDays('2026-09-01', '2026-11-10'),
    [
      {
        source: 'shopify',
        facts: eachDay('2026-09-01', '2026-11-08').map((day) => ({
          day,
          measure: 'orders',
          value: 20,
          channel: '',
          campaign: '',
        })),
      },
    ],
  ];
  for (const { facts, source } of batches.flat()) await upsertFacts(db, facts, { source });
  const rules = [
    groupedRule('a1', { groupBy: 'campaign' }),
    groupedRule('a2', { kpi: 'orders', threshold: 5 }),
    groupedRule('a3', { kpi: 'orders', threshold: 1, groupBy: 'channel' }),
  ];
  for (const rule of rules) await insertRule(db, rule, 'slack', new Date(rule.createdAt));
}

describe('a grouped alert by campaign, and a source that stops arriving', () => {
  let h: Harness;
  let alert: RecordedCall | undefined;

  beforeAll(async () => {
    h = await createHarness('kpibot-grouped-e2e-', seedGrouped);
  });

  afterAll(async () => {
    await disposeHarness(h);
  });

  /** The app started at `now` (the 09:00 check caught up), and what the check wrote. */
  async function checkAt(now: string) {
    const before = h.standin.calls.at(-1)?.seq ?? 0;
    const app = await startApp(h, now);
    const cycle = await waitForLog(app, 'alerts: cycle done');
    return { app, cycle, before };
  }

  // Monday 2026-11-09 09:05: 2–8 November. Five campaigns breach; organic and email have no
  // ad spend ever: no value, not "no data".
  it('five breaching campaigns post exactly one message; no "no data" for organic or email', async () => {
    const { app, cycle } = await checkAt('2026-11-09T09:05:00+01:00');
    expect(cycle.notifications).toBe(1);
    await waitForLog(app, 'outbox: sent');
    expect(posts(h)).toHaveLength(1);
    alert = posts(h)[0]!;
    expect(alert.body.channel).toBe(MARKETING);
    expect(alert.body.text).toBe('ROAS is below the threshold 3.0× in 5 campaigns.');
    const json = blocksText(alert);
    expect(json).toContain('🔴 ROAS is below 3.0× in 5 campaigns');
    expect(json).toContain('• c1: 1.0×\\n• c2: 1.5×\\n• c3: 2.0×\\n• c4: 2.5×\\n• c5: 2.8×');
    expect(json).not.toMatch(/c6|organic|newsletter|No data/);
    expect(json.split(`"action_id":"${ALERT_ACTIONS.acknowledge}"`)).toHaveLength(2);
    expect(
      blockKitViolations({ text: alert.body.text as string, blocks: alert.body.blocks as never }),
    ).toEqual([]);
    await stopApp(h);
  });

  it('two campaigns recovering: one reply in the thread, the message redrawn', async () => {
    const { app, cycle, before } = await checkAt('2026-11-10T09:05:00+01:00');
    expect(cycle.notifications).toBe(2); // the reply and the update
    await waitForLog(app, 'outbox: sent', { count: 2 });
    const replies = posts(h, { afterSeq: before });
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body.thread_ts).toBe(tsOf(alert!));
    // 3.29 and the bound 3.15, both below 10: two decimals
    expect(blocksText(replies[0]!)).toContain(
      '✅ 2 campaigns are back past 3.15×:\\n• c1: 3.29×\\n• c2: 3.29×',
    );
    const update = h.standin.apiCalls('chat.update').filter((c) => c.seq > before);
    expect(update).toHaveLength(1);
    expect(update[0]!.body.ts).toBe(tsOf(alert!));
    expect(blocksText(update[0]!)).toContain('🔴 ROAS is below 3.0× in 3 campaigns');
    await stopApp(h);
  });

  // Wednesday 09:05: 4–10 November, every campaign back. Orders (shopify) stopped after Sunday
  // 11-08: daily (learned), no `by`, so data up to Monday 11-09 was due: a2 and a3, which read
  // orders, are not checked, and that is said once for both.
  it('every campaign back: one "resolved"; a source that stopped: one message for its rules', async () => {
    const { app, cycle, before } = await checkAt('2026-11-11T09:05:00+01:00');
    expect(cycle.notifications).toBe(3);
    await waitForLog(app, 'outbox: sent', { count: 3 });
    const replies = posts(h, { afterSeq: before, thread: tsOf(alert!) });
    expect(replies).toHaveLength(1);
    // worst first: c5 (1680 + 600) / 700 = 3.26 before c3 and c4 at 3.29
    expect(blocksText(replies[0]!)).toContain(
      '✅ 3 campaigns are back past 3.15×:\\n• c5: 3.26×\\n• c3: 3.29×\\n• c4: 3.29×\\n\\n✅ Resolved: ROAS is no longer below 3.0× in any campaign',
    );
    const update = h.standin.apiCalls('chat.update').filter((c) => c.seq > before);
    expect(update).toHaveLength(1);
    expect(blocksText(update[0]!)).toContain('✅ Resolved');
    expect(blocksText(update[0]!)).not.toContain('"type":"actions"');

    const late = posts(h, { afterSeq: before, thread: 'none' });
    expect(late.map((c) => String(c.body.text))).toEqual([ORDERS_LATE]);
    expect(logLines(app, 'alerts: rule not evaluated').map((l) => l.ruleId)).toEqual(
      expect.arrayContaining(['a2', 'a3']),
    );
    // The whole story: the alert and the lateness in the channel; two replies in the thread.
    expect(posts(h, { thread: 'none' })).toHaveLength(2);
    expect(posts(h, { thread: tsOf(alert!) })).toHaveLength(2);
    await stopApp(h);
  });
});
