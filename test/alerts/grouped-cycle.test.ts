// A grouped alert on a real store, through the outbox and the Slack stand-in over HTTP: a rule
// `by campaign` with five breaching campaigns posts one message (worst first, one set of
// buttons); groups joining and recovering go in its thread and redraw it; an acknowledged
// firing that gains a campaign says so in the thread without a new alert; "resolved" once.
// Campaigns without ad spend (organic, email) say nothing.
//
// Facts: every campaign of channel meta has ad_spend 100 a day and revenue 100 × its ROAS, so
// a campaign's ROAS over any window of its days is exactly that ROAS (7 × 100r / 7 × 100).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleAlertAction } from '../../src/alerts/actions.ts';
import { runAlertCommand } from '../../src/alerts/commands.ts';
import { runAlertCycle } from '../../src/alerts/cycle.ts';
import type { AlertDeps } from '../../src/alerts/deps.ts';
import { ALERT_ACTIONS, GROUPED_KEY } from '../../src/alerts/message.ts';
import { loadStates } from '../../src/alerts/store.ts';
import { addDays } from '../../src/kpi/periods.ts';
import type { CommandContext } from '../../src/reply/command.ts';
import { blockKitViolations } from '../../src/reply/limits.ts';
import type { Db } from '../../src/store/db.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import type { RecordedCall, SlackStandin } from '../helpers/slack-standin.ts';
import { createPgliteTestDb } from '../helpers/test-db.ts';
import { posts, startStandin, tsOf } from '../outbox/helpers.ts';
import { alertDeps, nineAm, standinDeliverer } from './helpers.ts';

const ADMIN: CommandContext = {
  userId: 'UADMIN1',
  channelId: 'C0MARKET',
  isAdmin: async () => true,
};

/** ad_spend 100 and revenue 100 × roas a day per campaign (meta), `days` days up to `last`. */
async function campaignFacts(db: Db, last: string, days: number, roas: Record<string, number>) {
  const facts = [];
  for (let i = 0; i < days; i++) {
    const day = addDays(last, -i);
    for (const [campaign, r] of Object.entries(roas)) {
      facts.push(
        { day, measure: 'ad_spend', value: 100, channel: 'meta', campaign },
        { day, measure: 'revenue', value: 100 * r, channel: 'meta', campaign },
      );
    }
  }
  await upsertFacts(db, facts, { source: 'test' });
}

/** Revenue only, never any ad spend (organic search, the newsletter). */
async function revenueOnly(db: Db, last: string, days: number, groups: Record<string, string>) {
  const facts = [];
  for (let i = 0; i < days; i++) {
    for (const [campaign, channel] of Object.entries(groups)) {
      facts.push({ day: addDays(last, -i), measure: 'revenue', value: 900, channel, campaign });
    }
  }
  await upsertFacts(db, facts, { source: 'test' });
}

const textOf = (call: RecordedCall) => JSON.stringify(call.body.blocks ?? call.body.text);
const headerOf = (call: RecordedCall) =>
  (call.body.blocks as Array<{ type: string; text?: { text: string } }>).find(
    (b) => b.type === 'header',
  )?.text?.text;

function buttonValue(call: RecordedCall, actionId: string): string {
  const blocks = call.body.blocks as Array<{
    elements?: Array<{ action_id?: string; value?: string }>;
  }>;
  const value = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId);
  if (!value?.value) throw new Error(`no button ${actionId}`);
  return value.value;
}

describe('a grouped alert by campaign', () => {
  let db: Db;
  let standin: SlackStandin;
  let clock = new Date('2026-11-23T07:00:00Z');
  let deps: AlertDeps;

  beforeAll(async () => {
    db = await createPgliteTestDb();
    standin = await startStandin();
  });
  afterAll(async () => {
    await standin?.close();
    await db?.close();
  });
  beforeEach(async () => {
    standin.reset();
    clock = new Date('2026-11-23T07:00:00Z');
    deps = alertDeps(db, () => clock);
  });

  const deliver = () => standinDeliverer(db, standin).drain();
  const updates = () => standin.apiCalls('chat.update').filter((c) => c.status === 200);

  it('one message for five campaigns; joins and recoveries in its thread; resolved once', async () => {
    await runAlertCommand('alert add roas < 3x over last-7-days by campaign', ADMIN, deps);
    await campaignFacts(db, '2026-11-22', 30, { c1: 1, c2: 1.5, c3: 2, c4: 2.5, c5: 2.8, c6: 4 });
    await revenueOnly(db, '2026-11-22', 30, { 'organic-seo': 'organic', newsletter: 'email' });

    // Day 1: five campaigns below 3×: one message, worst first; the organic and email
    // campaigns (no ad spend ever) are neither evaluated nor mentioned.
    // Two replicas run the same firing at once: one evaluates it, the other finds it taken.
    const [day1, twin] = await Promise.all([
      runAlertCycle(deps, nineAm('2026-11-23')),
      runAlertCycle(deps, nineAm('2026-11-23')),
    ]);
    expect([day1.notifications, twin.notifications].sort()).toEqual([0, 1]);
    expect(day1.evaluated + twin.evaluated).toBe(6);
    await deliver();
    expect(posts(standin)).toHaveLength(1);
    const alert = posts(standin)[0]!;
    expect(alert.body.thread_ts).toBeUndefined();
    expect(headerOf(alert)).toBe('🔴 ROAS is below 3.0× in 5 campaigns');
    expect(textOf(alert)).toContain(
      '• c1: 1.0×\\n• c2: 1.5×\\n• c3: 2.0×\\n• c4: 2.5×\\n• c5: 2.8×',
    );
    expect(textOf(alert)).not.toMatch(/c6|organic|newsletter|No data/);
    expect(alert.body.text).toBe('ROAS is below the threshold 3.0× in 5 campaigns.');
    expect(blockKitViolations(alert.body as never)).toEqual([]);
    // One set of buttons, for the rule.
    expect(textOf(alert).split(ALERT_ACTIONS.acknowledge)).toHaveLength(2);
    const states = await loadStates(db);
    expect(states.find((s) => s.groupKey === GROUPED_KEY)).toMatchObject({
      slackTs: tsOf(alert),
    });

    // The same firing again (a replica started late): nothing more.
    expect(await runAlertCycle(deps, nineAm('2026-11-23'))).toMatchObject({ notifications: 0 });

    // Day 2: c1 and c2 back at 4× (past 3 + 0.15), c6 down to 2.9×: one reply saying both,
    // and the message redrawn with the four campaigns now breaching.
    await campaignFacts(db, '2026-11-23', 31, { c1: 4, c2: 4, c3: 2, c4: 2.5, c5: 2.8, c6: 2.9 });
    const day2 = await runAlertCycle(deps, nineAm('2026-11-24'));
    expect(day2.notifications).toBe(2);
    await deliver();
    expect(posts(standin)).toHaveLength(2);
    const change = posts(standin)[1]!;
    expect(change.body.thread_ts).toBe(tsOf(alert));
    expect(textOf(change)).toContain('➕ 1 more campaign is below 3.0×:\\n• c6: 2.9×');
    expect(textOf(change)).toContain(
      '✅ 2 campaigns are back past 3.15×:\\n• c1: 4.0×\\n• c2: 4.0×',
    );
    const redraw = updates().at(-1)!;
    expect(redraw.body.ts).toBe(tsOf(alert));
    expect(headerOf(redraw)).toBe('🔴 ROAS is below 3.0× in 4 campaigns');
    expect(textOf(redraw)).toContain('• c3: 2.0×\\n• c4: 2.5×\\n• c5: 2.8×\\n• c6: 2.9×');

    // Acknowledge applies to the rule's firing.
    clock = new Date('2026-11-24T09:00:00Z');
    const ack = await handleAlertAction(deps, {
      actionId: ALERT_ACTIONS.acknowledge,
      value: buttonValue(alert, ALERT_ACTIONS.acknowledge),
      userId: 'UBEA1',
    });
    expect(JSON.stringify(ack.update?.blocks)).toContain('acknowledged by <@UBEA1>');
    expect(JSON.stringify(ack.update?.blocks)).toContain('in 4 campaigns');

    // Day 3: a new campaign c7 at 1× joins the acknowledged firing: said in the thread, with
    // no new alert in the channel.
    await campaignFacts(db, '2026-11-24', 32, { c1: 4, c2: 4, c3: 2, c4: 2.5, c5: 2.8, c6: 2.9 });
    await campaignFacts(db, '2026-11-24', 7, { c7: 1 });
    expect((await runAlertCycle(deps, nineAm('2026-11-25'))).notifications).toBe(2);
    await deliver();
    const joined = posts(standin)[2]!;
    expect(joined.body.thread_ts).toBe(tsOf(alert));
    expect(textOf(joined)).toContain('➕ 1 more campaign is below 3.0×:\\n• c7: 1.0×');
    expect(textOf(joined)).toContain('This alert is acknowledged: no new alert and no reminders.');
    expect(headerOf(updates().at(-1)!)).toBe('🔴 ROAS is below 3.0× in 5 campaigns');
    expect(textOf(updates().at(-1)!)).toContain('acknowledged by <@UBEA1>');

    // Day 4: every campaign back at 4×: one "resolved" in the thread, the message resolved.
    await campaignFacts(db, '2026-11-25', 33, {
      c1: 4,
      c2: 4,
      c3: 4,
      c4: 4,
      c5: 4,
      c6: 4,
      c7: 4,
    });
    expect((await runAlertCycle(deps, nineAm('2026-11-26'))).notifications).toBe(2);
    await deliver();
    const resolved = posts(standin)[3]!;
    expect(resolved.body.thread_ts).toBe(tsOf(alert));
    expect(textOf(resolved)).toContain(
      '✅ Resolved: ROAS is no longer below 3.0× in any campaign.',
    );
    expect(headerOf(updates().at(-1)!)).toBe(
      '✅ Resolved: ROAS is no longer below 3.0× in any campaign',
    );
    expect(textOf(updates().at(-1)!)).not.toContain(ALERT_ACTIONS.snooze1h);
    // Over the whole story: one message in the channel, three replies in its thread.
    expect(posts(standin).filter((c) => c.body.thread_ts === undefined)).toHaveLength(1);
    expect(posts(standin)).toHaveLength(4);
    expect((await loadStates(db)).map((s) => s.groupKey)).not.toContain(GROUPED_KEY);

    // Day 5: still all fine: nothing.
    await campaignFacts(db, '2026-11-26', 1, { c1: 4, c2: 4, c3: 4, c4: 4, c5: 4, c6: 4, c7: 4 });
    expect((await runAlertCycle(deps, nineAm('2026-11-27'))).notifications).toBe(0);
  });
});
