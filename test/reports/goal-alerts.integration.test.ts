// Goal alerts on a real store: a paced goal that is off track halfway through a 30-day month
// posts one message with its projection (worked out by hand here), and never again in that
// month (same day, next day, a second replica); the first days are guarded; goals without a
// channel never post; `goal set … in #channel` and a config goal's `channel` say where it goes.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { listOutbox } from '../../src/outbox/store.ts';
import type { CommandContext } from '../../src/reply/command.ts';
import { goalCommands } from '../../src/reports/commands.ts';
import { type Goal, goalsConfigSchema } from '../../src/reports/goal.ts';
import {
  GOAL_ALERT_CRON,
  GOAL_ALERT_TASK,
  goalAlertKey,
  goalAlertTask,
  runGoalAlerts,
} from '../../src/reports/goal-alerts.ts';
import { parseGoalText } from '../../src/reports/goal-text.ts';
import { insertGoal, loadGoals } from '../../src/reports/store.ts';
import { createScheduler, type Scheduler } from '../../src/scheduler/scheduler.ts';
import type { Db } from '../../src/store/db.ts';
import { storeKinds } from '../helpers/test-db.ts';
import { secondConnection } from '../scheduler/store.ts';
import { daily, makeDeps, STHLM, seed } from './deps.ts';

// Monday 16 November 2026, 09:00 in Stockholm: 15 of November's 30 days are complete.
const NOV_16_0900 = new Date('2026-11-16T08:00:00Z');
const NOV_16_1500 = new Date('2026-11-16T14:00:00Z');
const NOV_17_0900 = new Date('2026-11-17T08:00:00Z');
// Tuesday 3 November: 2 complete days, under the max(3 days, 10 %) guard.
const NOV_03_0900 = new Date('2026-11-03T08:00:00Z');

function goal(g: Partial<Goal> = {}): Goal {
  return {
    id: 'g1',
    kpi: 'revenue',
    comparator: '>=',
    target: 500_000,
    per: 'month',
    channel: '#marketing',
    createdBy: 'UADMIN',
    createdAt: '2026-10-01T00:00:00.000Z',
    ...g,
  };
}

const admin: CommandContext = {
  userId: 'UADMIN',
  channelId: 'C0GENERAL',
  now: NOV_16_0900,
  isAdmin: async () => true,
};

describe('goal text: `in #channel`', () => {
  it('takes the channel out of the goal', () => {
    expect(parseGoalText('revenue 500000 kr per month in #marketing')).toEqual({
      ok: true,
      draft: { kpiWord: 'revenue', targetText: '500000 kr', per: 'month', channel: '#marketing' },
    });
    const mention = parseGoalText('revenue >= 500 000 kr i månaden i <#C0123ABC|marknad>');
    expect(mention.ok && mention.draft).toEqual({
      kpiWord: 'revenue',
      comparator: '>=',
      targetText: '500 000 kr',
      per: 'month',
      channel: 'C0123ABC',
    });
    const none = parseGoalText('revenue 500000 kr per month');
    expect(none.ok && none.draft.channel).toBeUndefined();
    expect(parseGoalText('revenue 500000 kr per month in #a in #b').ok).toBe(false);
  });
});

describe.each(storeKinds())('$name store: goal alerts', (kind) => {
  let db: Db;
  const schedulers: Scheduler[] = [];

  beforeAll(async () => {
    db = await kind.create();
    // November 2026 (30 days): 10 000 kr a day through the 16th. No November 2025: linear pacing.
    await seed(db, daily('revenue', '2026-11-01', '2026-11-16', 10_000));
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.exec('delete from goals; delete from audit_log; delete from outbox');
    await db.exec('delete from task_runs');
  });
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((s) => s.stop()));
  });

  const deps = (now: Date, goals?: Parameters<typeof makeDeps>[1]['goals']) =>
    makeDeps(db, { now, ...(goals ? { goals } : {}) });
  const fmt = makeDeps({} as Db, { now: NOV_16_0900 }).format;
  const kr = (n: number) => fmt.value(n, 'currency');
  const pct = (n: number) => fmt.value(n, 'percent');

  // 150 000 kr in 15 of 30 days → 300 000 kr at this pace, 200 000 (40 %) short of 500 000;
  // (500 000 − 150 000) / 15 remaining days = 23 333 kr a day.
  const expected = `at this pace revenue ends the month at ${kr(300_000)}, ${pct(0.4)} short; ${kr(350_000 / 15)} a day needed from here (November 2026)`;

  it('off track halfway through a 30-day month: one message with the projection, once', async () => {
    await insertGoal(db, goal());
    const first = await runGoalAlerts(deps(NOV_16_0900));
    expect(first).toEqual([
      { goal: 'g1', period: '2026-11', status: 'enqueued', key: 'goal-alert:g1:2026-11' },
    ]);
    const rows = await listOutbox(db);
    expect(rows.map((r) => [r.kind, r.channel, r.idempotencyKey])).toEqual([
      ['post', '#marketing', goalAlertKey('g1', '2026-11')],
    ]);
    expect(rows[0]?.payload.text).toBe(`Goal g1 is off track: ${expected}`);
    expect(JSON.stringify(rows[0]?.payload.blocks)).toContain(expected);

    // Again the same day, and the next day (still off track): nothing more.
    expect((await runGoalAlerts(deps(NOV_16_1500))).map((r) => r.status)).toEqual(['exists']);
    expect((await runGoalAlerts(deps(NOV_17_0900))).map((r) => r.status)).toEqual(['exists']);
    expect(await listOutbox(db)).toHaveLength(1);
  });

  it('on or near track posts nothing', async () => {
    // 300 000 at this pace against 320 000: 94 %, at risk, not off track.
    await insertGoal(db, goal({ target: 320_000 }));
    expect((await runGoalAlerts(deps(NOV_16_0900))).map((r) => r.status)).toEqual([
      'not_off_track',
    ]);
    expect(await listOutbox(db)).toEqual([]);
  });

  it('the first days of the period are guarded: nothing is posted', async () => {
    // 20 000 kr in 2 days against 5 000 000 would be far off track, but it is too early.
    await insertGoal(db, goal({ target: 5_000_000 }));
    expect((await runGoalAlerts(deps(NOV_03_0900))).map((r) => r.status)).toEqual([
      'not_off_track',
    ]);
    expect(await listOutbox(db)).toEqual([]);
  });

  it('a goal without a channel never posts', async () => {
    const { channel: _, ...noChannel } = goal();
    await insertGoal(db, noChannel);
    expect(await loadGoals(db)).toEqual([noChannel]);
    expect(await runGoalAlerts(deps(NOV_16_0900))).toEqual([]);
    expect(await listOutbox(db)).toEqual([]);
  });

  it('`goal set … in #marketing` stores the channel, and the alert goes there', async () => {
    const outcome = await goalCommands.run(
      'goal set revenue 500000 kr per month in #marketing',
      admin,
      deps(NOV_16_0900),
      {},
    );
    expect(outcome.kind).toBe('message');
    const [stored] = await loadGoals(db);
    expect(stored).toMatchObject({ kpi: 'revenue', target: 500_000, channel: '#marketing' });
    // The same goal with another channel is an update, not "exists already".
    await goalCommands.run(
      'goal set revenue 500000 kr per month in #sales',
      admin,
      deps(NOV_16_0900),
      {},
    );
    expect((await loadGoals(db)).map((g) => [g.id, g.channel])).toEqual([[stored?.id, '#sales']]);
    await runGoalAlerts(deps(NOV_16_0900));
    expect((await listOutbox(db)).map((r) => r.channel)).toEqual(['#sales']);
  });

  it('a goal in kpibot.config.yml posts to its `channel`', async () => {
    const goals = goalsConfigSchema.parse([
      {
        id: 'revenue-month',
        kpi: 'revenue',
        target: '500000 kr',
        per: 'month',
        channel: 'marketing',
      },
      { kpi: 'revenue', target: '600000 kr', per: 'month' },
    ]);
    expect(goals[0]?.channel).toBe('#marketing');
    expect(goals[1]?.channel).toBeUndefined();
    expect(() => goalsConfigSchema.parse([{ kpi: 'revenue', target: '1', channel: '#' }])).toThrow(
      /channel/,
    );
    await runGoalAlerts(deps(NOV_16_0900, goals));
    const rows = await listOutbox(db);
    expect(rows.map((r) => [r.channel, r.idempotencyKey])).toEqual([
      ['#marketing', 'goal-alert:revenue-month:2026-11'],
    ]);
    expect(rows[0]?.payload.text).toBe(`Goal revenue-month is off track: ${expected}`);
  });

  it('is one daily task at 09:00, run once across replicas', async () => {
    await insertGoal(db, goal());
    const db2 = await secondConnection(db);
    try {
      // Both replicas come back at 15:00, after the 09:00 firing nobody ran: caught up once.
      for (const [replica, store] of [
        ['replica-a', db],
        ['replica-b', db2],
      ] as const) {
        const d = makeDeps(store, { now: NOV_16_1500 });
        const s = createScheduler({
          db: store,
          logger: createLogger('silent'),
          timeZone: STHLM,
          replicaId: replica,
          now: () => d.clock.now,
        });
        schedulers.push(s);
        const task = goalAlertTask(d);
        expect([task.name, task.cron, task.timeZone]).toEqual([
          GOAL_ALERT_TASK,
          GOAL_ALERT_CRON,
          STHLM,
        ]);
        s.add(task);
        await s.start();
        await s.idle();
      }
      const rows = await listOutbox(db);
      expect(rows.map((r) => r.idempotencyKey)).toEqual(['goal-alert:g1:2026-11']);
    } finally {
      await Promise.all(schedulers.splice(0).map((s) => s.stop()));
      await db2.close();
    }
  });
});
