// The alert cycle on a real store (PGlite, and the Postgres server with TEST_DATABASE_URL), end
// to end through the outbox and the Slack stand-in over HTTP: a rule added from Slack, a breach
// posting one alert, the next evaluation posting nothing, a reminder in the thread, the
// buttons, "resolved" in the thread plus an update of the original; groups, no data, default
// rules, and measures fetched in batches.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleAlertAction } from '../../src/alerts/actions.ts';
import { runAlertCommand } from '../../src/alerts/commands.ts';
import { ALL_GROUPS, runAlertCycle } from '../../src/alerts/cycle.ts';
import type { AlertDeps } from '../../src/alerts/deps.ts';
import { ALERT_ACTIONS } from '../../src/alerts/message.ts';
import type { AlertRule } from '../../src/alerts/rule.ts';
import { insertRule, loadStates } from '../../src/alerts/store.ts';
import { syncOwnedRules } from '../../src/alerts/sync.ts';
import { addDays } from '../../src/kpi/periods.ts';
import { listOutbox } from '../../src/outbox/store.ts';
import type { CommandContext } from '../../src/reply/command.ts';
import { blockKitViolations } from '../../src/reply/limits.ts';
import type { Db } from '../../src/store/db.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import type { RecordedCall, SlackStandin } from '../helpers/slack-standin.ts';
import { storeKinds } from '../helpers/test-db.ts';
import { posts, startStandin, tsOf } from '../outbox/helpers.ts';
import { alertDeps, nineAm, roasFacts, standinDeliverer } from './helpers.ts';

const ADMIN: CommandContext = {
  userId: 'UADMIN1',
  channelId: 'C0MARKET',
  isAdmin: async () => true,
};

function headerOf(call: RecordedCall): string {
  const blocks = call.body.blocks as Array<{ type: string; text?: { text: string } }>;
  return blocks.find((b) => b.type === 'header')?.text?.text ?? '';
}

function textOf(call: RecordedCall): string {
  return JSON.stringify(call.body.blocks ?? call.body.text);
}

function buttonValue(call: RecordedCall, actionId: string): string {
  const blocks = call.body.blocks as Array<{
    type: string;
    elements?: Array<{ action_id?: string; value?: string }>;
  }>;
  for (const b of blocks) {
    const button = b.elements?.find((e) => e.action_id === actionId);
    if (button?.value) return button.value;
  }
  throw new Error(`no button ${actionId}`);
}

function ruleIdFrom(outcome: { kind: string; title?: string }): string {
  const m = outcome.title?.match(/^Alert (\S+) added$/);
  if (!m) throw new Error(`not an "added" outcome: ${JSON.stringify(outcome)}`);
  return m[1]!;
}

describe.each(storeKinds())('$name store: alert cycle', (kind) => {
  let db: Db;
  let standin: SlackStandin;
  let clock = new Date('2026-11-23T07:00:00Z');
  let deps: AlertDeps;

  beforeAll(async () => {
    db = await kind.create();
    standin = await startStandin();
  });
  afterAll(async () => {
    await standin?.close();
    await db?.close();
  });
  beforeEach(async () => {
    standin.reset();
    await db.exec(`
      delete from alert_rules; delete from audit_log; delete from outbox;
      delete from facts; delete from measure_freshness;
    `);
    clock = new Date('2026-11-23T07:00:00Z');
    deps = alertDeps(db, () => clock);
  });

  async function deliver() {
    await standinDeliverer(db, standin).drain();
  }

  it('lifecycle: one alert, silence, a reminder in the thread, acknowledge, resolved + update', async () => {
    const added = await runAlertCommand(
      'alert add roas < 3x over last-7-days repeat 2d',
      ADMIN,
      deps,
    );
    const id = ruleIdFrom(added as { kind: string; title: string });
    await roasFacts(db, '2026-11-22', 30, { meta: 2, google: 2.4 });

    // Day 1, 09:00: the breach posts one alert in the channel the command came from.
    const day1 = await runAlertCycle(deps, nineAm('2026-11-23'));
    expect(day1).toMatchObject({ rules: 1, evaluated: 1, notifications: 1 });
    expect(day1.transitions[0]).toMatchObject({ from: 'new', to: 'firing', notify: 'firing' });
    await deliver();
    const [alert] = posts(standin);
    expect(alert!.body.channel).toBe('C0MARKET');
    expect(headerOf(alert!)).toBe('🔴 ROAS is below 3.0×');
    expect(textOf(alert!)).toContain('2.2×');
    expect(textOf(alert!)).toContain('last-7-days');
    expect(textOf(alert!)).toMatch(/[▁▂▃▄▅▆▇█·]{8}/); // the trend sparkline
    expect(textOf(alert!)).toContain('worst channels');
    expect(blockKitViolations(alert!.body as never)).toEqual([]);
    const [state] = await loadStates(db, [id]);
    expect(state).toMatchObject({ slackTs: tsOf(alert!), slackChannel: 'C0MARKET' });

    // The same firing again (a second replica, a retry): nothing left to do.
    const again = await runAlertCycle(deps, nineAm('2026-11-23'));
    expect(again).toMatchObject({ rules: 0, notifications: 0 });

    // Day 2: still breaching, the repeat interval (2 d) has not passed: nothing.
    await roasFacts(db, '2026-11-23', 1, { meta: 2, google: 2.4 });
    expect(await runAlertCycle(deps, nineAm('2026-11-24'))).toMatchObject({ notifications: 0 });

    // Day 3: a reminder, in the alert's thread.
    await roasFacts(db, '2026-11-24', 1, { meta: 2, google: 2.4 });
    expect(await runAlertCycle(deps, nineAm('2026-11-25'))).toMatchObject({ notifications: 1 });
    await deliver();
    const reminder = posts(standin)[1]!;
    expect(reminder.body.thread_ts).toBe(tsOf(alert!));
    expect(textOf(reminder)).toContain('Still below');

    // Acknowledge: the message shows who, and no more reminders.
    clock = new Date('2026-11-25T09:00:00Z');
    const ack = await handleAlertAction(deps, {
      actionId: ALERT_ACTIONS.acknowledge,
      value: buttonValue(alert!, ALERT_ACTIONS.acknowledge),
      userId: 'UBOB1',
    });
    expect(JSON.stringify(ack.update?.blocks)).toContain('acknowledged by <@UBOB1>');
    expect(JSON.stringify(ack.update?.blocks)).not.toContain(ALERT_ACTIONS.acknowledge);
    await roasFacts(db, '2026-11-26', 2, { meta: 2, google: 2.4 });
    expect(await runAlertCycle(deps, nineAm('2026-11-27'))).toMatchObject({ notifications: 0 });

    // Recovery past the hysteresis: "resolved" in the thread, and the original updated.
    await roasFacts(db, '2026-11-27', 30, { meta: 4, google: 4 });
    const resolved = await runAlertCycle(deps, nineAm('2026-11-28'));
    expect(resolved.transitions[0]).toMatchObject({ from: 'firing', to: 'ok', notify: 'resolved' });
    await deliver();
    const reply = posts(standin)[2]!;
    expect(reply.body.thread_ts).toBe(tsOf(alert!));
    expect(textOf(reply)).toContain('Resolved');
    const update = standin.apiCalls('chat.update').at(-1)!;
    expect(update.body.ts).toBe(tsOf(alert!));
    expect(headerOf(update)).toContain('Resolved');
    expect(textOf(update)).not.toContain(ALERT_ACTIONS.snooze1h);
    expect(posts(standin)).toHaveLength(3);
  });

  it('snooze: nothing posted until it ends, the state still tracked', async () => {
    await runAlertCommand('alert add roas < 3x over last-7-days repeat 1d', ADMIN, deps);
    await roasFacts(db, '2026-11-30', 40, { meta: 2 });
    await runAlertCycle(deps, nineAm('2026-11-23'));
    await deliver();
    const [alert] = posts(standin);
    clock = new Date('2026-11-23T09:00:00Z');
    const snoozed = await handleAlertAction(deps, {
      actionId: ALERT_ACTIONS.snooze1d,
      value: buttonValue(alert!, ALERT_ACTIONS.snooze1d),
      userId: 'UBOB1',
    });
    expect(JSON.stringify(snoozed.update?.blocks)).toContain('snoozed until');
    expect(snoozed.ephemeral).toContain('1 day');
    // Snoozed until 2026-11-24 10:00 Stockholm: the 09:00 reminder is held back.
    expect(await runAlertCycle(deps, nineAm('2026-11-24'))).toMatchObject({ notifications: 0 });
    const [state] = await loadStates(db);
    expect(state?.state).toMatchObject({
      status: 'firing',
      snoozedUntil: '2026-11-24T09:00:00.000Z',
    });
    // The snooze has ended the next day: the reminder is posted.
    expect(await runAlertCycle(deps, nineAm('2026-11-25'))).toMatchObject({ notifications: 1 });
  });

  it('by channel, notify per-group: each group has its own state and its own alert', async () => {
    await runAlertCommand(
      'alert add roas < 3x over last-7-days by channel notify per-group',
      ADMIN,
      deps,
    );
    await roasFacts(db, '2026-11-22', 30, { meta: 2, google: 4.5, email: 3.5 });
    const report = await runAlertCycle(deps, nineAm('2026-11-23'));
    expect(report.evaluated).toBe(3);
    expect(report.notifications).toBe(1);
    await deliver();
    const [alert] = posts(standin);
    expect(headerOf(alert!)).toBe('🔴 ROAS — channel meta is below 3.0×');
    // What to look at: the groups, worst first.
    expect(textOf(alert!)).toMatch(/meta.*email.*google/);
    const states = await loadStates(db);
    expect(states.map((s) => [s.groupKey, s.state.status])).toEqual([
      ['email', 'ok'],
      ['google', 'ok'],
      ['meta', 'firing'],
    ]);
    // A channel that stops sending data while firing: told once, in the alert's thread.
    await roasFacts(db, '2026-11-23', 1, { google: 4.5, email: 3.5 });
    await db.query(`delete from facts where channel = 'meta' and day >= '2026-11-10'`);
    const gap = await runAlertCycle(deps, nineAm('2026-11-24'));
    expect(gap.transitions.find((t) => t.groupKey === 'meta')).toMatchObject({
      to: 'no_data',
      notify: 'no_data',
    });
    await deliver();
    const noData = posts(standin)[1]!;
    expect(noData.body.thread_ts).toBe(tsOf(alert!));
    expect(textOf(noData)).toContain('No data for revenue, ad_spend since 2026-11-09');
  });

  it('by channel: a group that never had a measure has no value, silently; one that stopped has no data', async () => {
    await runAlertCommand('alert add roas < 3x over last-7-days by channel', ADMIN, deps);
    await roasFacts(db, '2026-11-22', 30, { meta: 4, google: 4 });
    // organic: revenue only, never any ad spend. google: ad spend until 11-12, revenue still.
    const revenueOnly = (channel: string, days: number) =>
      Array.from({ length: days }, (_, i) => ({
        day: addDays('2026-11-22', -i),
        measure: 'revenue',
        value: 500,
        channel,
        campaign: '',
      }));
    await upsertFacts(db, revenueOnly('organic', 30), { source: 'test' });
    await db.query(
      `delete from facts where channel = 'google' and measure = 'ad_spend' and day > '2026-11-12'`,
    );
    const report = await runAlertCycle(deps, nineAm('2026-11-23'));
    expect(report.transitions.map((t) => [t.groupKey, t.to, t.notify ?? null])).toEqual([
      ['google', 'no_data', 'no_data'],
      ['meta', 'ok', null],
    ]);
    await deliver();
    expect(posts(standin)).toHaveLength(1);
    expect(textOf(posts(standin)[0]!)).toContain('No data for ad_spend since 2026-11-12');
    expect(textOf(posts(standin)[0]!)).not.toContain('organic');
    expect((await loadStates(db)).map((s) => s.groupKey)).toEqual(['google', 'meta']);
  });

  it('an alert without a breakdown lists the worst channels to look at', async () => {
    await runAlertCommand('alert add roas < 3x over last-7-days', ADMIN, deps);
    await roasFacts(db, '2026-11-22', 14, { meta: 1.5, google: 3.2, email: 2.5 });
    await runAlertCycle(deps, nineAm('2026-11-23'));
    await deliver();
    const text = textOf(posts(standin)[0]!);
    expect(text).toMatch(/worst channels.*meta: 1\.5×.*below.*email: 2\.5×.*google: 3\.2×/);
  });

  it('no data is told once ("no data for revenue since …"), and when it is back', async () => {
    await runAlertCommand('alert add roas < 3x over last-7-days', ADMIN, deps);
    await roasFacts(db, '2026-11-10', 20, { meta: 4 });
    await roasFacts(db, '2026-11-22', 12, { meta: null }); // ad_spend only since 11-11
    const first = await runAlertCycle(deps, nineAm('2026-11-23'));
    expect(first.transitions[0]).toMatchObject({ to: 'no_data', notify: 'no_data' });
    await deliver();
    expect(textOf(posts(standin)[0]!)).toContain('No data for revenue since 2026-11-10');
    await roasFacts(db, '2026-11-23', 1, { meta: null });
    expect(await runAlertCycle(deps, nineAm('2026-11-24'))).toMatchObject({ notifications: 0 });
    await roasFacts(db, '2026-11-24', 14, { meta: 4 });
    const back = await runAlertCycle(deps, nineAm('2026-11-25'));
    expect(back.transitions[0]).toMatchObject({ from: 'no_data', to: 'ok', notify: 'data_back' });
    await deliver();
    const reply = posts(standin)[1]!;
    expect(reply.body.thread_ts).toBe(tsOf(posts(standin)[0]!));
    expect(textOf(reply)).toContain('Data is back');
  });

  it('a rule by channel with no data at all has one no-data state', async () => {
    await runAlertCommand('alert add roas < 3x over last-7-days by channel', ADMIN, deps);
    const report = await runAlertCycle(deps, nineAm('2026-11-23'));
    expect(report.transitions).toMatchObject([
      { groupKey: ALL_GROUPS, to: 'no_data', notify: 'no_data' },
    ]);
    await roasFacts(db, '2026-11-23', 7, { meta: 4 });
    const back = await runAlertCycle(deps, nineAm('2026-11-24'));
    expect(back.transitions.map((t) => t.groupKey)).toEqual(['meta']);
    expect((await loadStates(db)).map((s) => s.groupKey)).toEqual(['meta']);
  });

  it('a manual run checks a rule made after its schedule’s latest firing; a scheduled run does not', async () => {
    // Clock 07:00 UTC = 08:00 in Stockholm on the 23rd: the rule is made after the 22nd's 09:00
    // firing and before the 23rd's.
    await runAlertCommand('alert add roas < 3x over last-7-days', ADMIN, deps);
    await roasFacts(db, '2026-11-22', 30, { meta: 2 });
    const click = new Date('2026-11-23T07:30:00Z');
    expect(await runAlertCycle(deps, click)).toMatchObject({ rules: 0, evaluated: 0 });
    const manual = await runAlertCycle(deps, click, { manual: true });
    expect(manual).toMatchObject({ evaluated: 1, notifications: 1 });
    // The same click again (a fixed KPIBOT_NOW) evaluates nothing twice.
    expect(await runAlertCycle(deps, click, { manual: true })).toMatchObject({ evaluated: 0 });
  });

  it('default rules are evaluated but post nowhere', async () => {
    const sync = await syncOwnedRules(deps, [], clock);
    expect(sync.inserted.sort()).toEqual([
      'default-churn',
      'default-ltv-cac',
      'default-roas-floor',
    ]);
    await roasFacts(db, '2026-11-23', 40, { meta: 1 });
    const report = await runAlertCycle(deps, nineAm('2026-11-24'));
    expect(report.rules).toBe(3);
    expect(report.transitions.find((t) => t.ruleId === 'default-roas-floor')).toMatchObject({
      to: 'firing',
    });
    expect(report.notifications).toBe(0);
    expect(await listOutbox(db)).toEqual([]);
  });

  it('a stored rule on a channel alias reads the canonical channel', async () => {
    // Stored as written before the vocabulary (or by an older version): channel=facebook.
    await insertRule(db, rule('r-fb', { filters: { channel: ['facebook'] } }), 'slack', clock);
    await roasFacts(db, '2026-11-23', 10, { meta: 2, organic: 9 });
    const report = await runAlertCycle(deps, nineAm('2026-11-24'));
    // meta's ROAS 2 < 3: firing on meta's facts (organic's 9 would not breach).
    expect(report.transitions).toMatchObject([
      { ruleId: 'r-fb', groupKey: '', from: 'new', to: 'firing' },
    ]);
  });

  it('measures are fetched in batches: the queries do not grow with the number of rules', async () => {
    await roasFacts(db, '2026-11-22', 40, { meta: 2, google: 4 });
    const shapes: Array<Partial<AlertRule>> = [
      { kpi: 'roas', window: 'last-7-days' },
      { kpi: 'cpc', window: 'last-month' },
      { kpi: 'roas', window: 'last-7-days', groupBy: 'channel' },
      { kpi: 'roas', window: 'mtd', filters: { channel: ['meta'] } },
    ];
    const cycleFor = async (copies: number) => {
      await db.exec('delete from alert_rules');
      let n = 0;
      for (const shape of shapes) {
        for (let i = 0; i < copies; i++) {
          await insertRule(
            db,
            rule(`r${++n}`, { threshold: 1 + i / 10, ...shape }),
            'slack',
            clock,
          );
        }
      }
      return runAlertCycle(deps, nineAm('2026-11-23'));
    };
    const few = await cycleFor(2);
    const many = await cycleFor(25);
    expect(many.rules).toBe(100);
    expect(many.queries).toBe(few.queries);
    expect(many.queries).toBeLessThanOrEqual(15);
  });
});

function rule(id: string, extra: Partial<AlertRule>): AlertRule {
  return {
    id,
    kpi: 'roas',
    comparator: '<',
    threshold: 3,
    window: 'last-7-days',
    filters: {},
    schedule: '0 9 * * *',
    for: 1,
    repeatIntervalMinutes: 1440,
    hysteresis: 0.15,
    paused: false,
    createdBy: 'UADMIN1',
    createdAt: '2026-11-01T00:00:00.000Z',
    ...extra,
  };
}
