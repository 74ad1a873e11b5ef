// Subscription posts through the scheduler and the outbox on a real store: a firing missed while
// every replica was down is posted once on start, marked late, and never again (a second
// replica, the on-time firing arriving after all, a manual run); a subscription newer than the
// missed firing is not caught up; the next period posts on time; the thread reply hangs under
// the summary; and the deliverer sends both to Slack once, the reply in the summary's thread.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { createDeliverer } from '../../src/outbox/deliverer.ts';
import type { SlackWebApi } from '../../src/outbox/slack-api.ts';
import { listOutbox, type OutboxRow } from '../../src/outbox/store.ts';
import { blockKitViolations } from '../../src/reply/limits.ts';
import type { ReportDeps } from '../../src/reports/deps.ts';
import {
  breakdownKey,
  postSubscriptionSummary,
  runSummaryFiring,
  scheduleOf,
} from '../../src/reports/post.ts';
import {
  startSummarySchedules,
  summaryTaskName,
  summaryTasks,
} from '../../src/reports/schedule.ts';
import { insertSubscription } from '../../src/reports/store.ts';
import type { Subscription } from '../../src/reports/subscription.ts';
import { createScheduler, type Scheduler } from '../../src/scheduler/scheduler.ts';
import type { Db } from '../../src/store/db.ts';
import { storeKinds } from '../helpers/test-db.ts';
import { secondConnection } from '../scheduler/store.ts';
import { daily, makeDeps, STHLM, seed } from './deps.ts';

const logger = createLogger('silent');
// Monday 23 November 2026: the 08:00 post was missed; a replica comes back at 14:00.
const MONDAY_0800 = new Date('2026-11-23T07:00:00Z');
const BACK_AT = new Date('2026-11-23T13:00:00Z');

function subscription(
  id: string,
  createdAt: string,
  extra: Partial<Subscription> = {},
): Subscription {
  return {
    id,
    kind: 'weekly',
    channel: `C0${id.toUpperCase()}`,
    weekday: 1,
    hour: 8,
    minute: 0,
    createdBy: 'UADMIN',
    createdAt,
    ...extra,
  };
}

const summaries = (rows: OutboxRow[]) => rows.filter((r) => r.kind === 'post');

/** The header text of an outbox message's first block. */
function headerOf(row: OutboxRow | undefined): string | undefined {
  const first = row?.payload.blocks?.[0] as { text?: { text?: string } } | undefined;
  return first?.text?.text;
}

describe.each(storeKinds())('$name store: posting subscribed summaries', (kind) => {
  let db: Db;
  let db2: Db;
  let deps: ReportDeps & { clock: { now: Date } };
  const schedulers: Scheduler[] = [];

  function scheduler(replicaId: string, store: Db = db): Scheduler {
    const s = createScheduler({
      db: store,
      logger,
      timeZone: STHLM,
      replicaId,
      now: () => deps.clock.now,
    });
    schedulers.push(s);
    return s;
  }

  beforeAll(async () => {
    db = await kind.create();
    db2 = await secondConnection(db);
    await seed(db, [
      ...daily('revenue', '2026-11-01', '2026-11-29', 10_000, { channel: 'meta', campaign: 'a' }),
      ...daily('ad_spend', '2026-11-01', '2026-11-29', 2_500, { channel: 'meta', campaign: 'a' }),
      ...daily('revenue', '2026-11-01', '2026-11-29', 4_000, { channel: 'organic' }),
    ]);
  });
  afterAll(async () => {
    await db2?.close();
    await db?.close();
  });
  beforeEach(async () => {
    await db.exec('delete from summary_subscriptions; delete from outbox; delete from task_runs');
    deps = makeDeps(db, { now: BACK_AT });
  });
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((s) => s.stop()));
  });

  it('catches a missed firing up once, marked late, and never posts that week twice', async () => {
    await insertSubscription(db, subscription('s1', '2026-11-10T09:00:00.000Z'));
    const a = scheduler('replica-a');
    for (const task of await summaryTasks(deps)) a.add(task);
    await a.start();
    await a.idle();

    let rows = await listOutbox(db);
    expect(rows.map((r) => [r.kind, r.idempotencyKey, r.channel])).toEqual([
      ['post', 'summary:s1:2026-W47', 'C0S1'],
      ['thread-reply', 'summary:s1:2026-W47:by-channel', 'C0S1'],
    ]);
    const [post, reply] = rows;
    expect(reply?.threadOf).toBe(post?.idempotencyKey);
    expect(headerOf(post)).toBe('Weekly summary — week 47, 2026 (late)');
    expect(JSON.stringify(post?.payload.blocks)).toContain('posted late');
    expect(
      blockKitViolations({ text: post?.payload.text, blocks: post?.payload.blocks as never }),
    ).toEqual([]);

    // A second replica starting now finds the firing claimed.
    const b = scheduler('replica-b', db2);
    for (const task of await summaryTasks({ ...deps, db: db2 })) b.add(task);
    await b.start();
    await b.idle();
    // The on-time firing arriving after all (a slow replica), and a manual run: nothing new.
    const schedule = scheduleOf(subscription('s1', ''), STHLM);
    const again = await runSummaryFiring(deps, schedule, { fireTime: MONDAY_0800, late: false });
    expect(again.map((r) => r.status)).toEqual(['exists']);
    await a.runNow(summaryTaskName(schedule));

    rows = await listOutbox(db);
    expect(summaries(rows).map((r) => r.idempotencyKey)).toEqual(['summary:s1:2026-W47']);
    expect(rows).toHaveLength(2);
  });

  it('does not catch up a firing from before the subscription existed', async () => {
    await insertSubscription(db, subscription('s2', '2026-11-23T09:30:00.000Z'));
    const a = scheduler('replica-a');
    for (const task of await summaryTasks(deps)) a.add(task);
    await a.start();
    await a.idle();
    expect(await listOutbox(db)).toEqual([]);
  });

  it('posts the next week on time, and each subscription on a shared schedule once', async () => {
    await insertSubscription(db, subscription('s3', '2026-11-10T09:00:00.000Z'));
    await insertSubscription(db, subscription('s4', '2026-11-11T09:00:00.000Z'));
    const schedule = scheduleOf(subscription('s3', ''), STHLM);
    const fire = { fireTime: new Date('2026-11-30T07:00:00Z'), late: false };
    deps.clock.now = new Date('2026-11-30T07:00:05Z');
    const [first, second] = await Promise.all([
      runSummaryFiring(deps, schedule, fire),
      runSummaryFiring(deps, schedule, fire),
    ]);
    const statuses = [...(first ?? []), ...(second ?? [])].map((r) => `${r.key} ${r.status}`);
    expect(statuses.filter((s) => s.endsWith('enqueued')).sort()).toEqual([
      'summary:s3:2026-W48 enqueued',
      'summary:s4:2026-W48 enqueued',
    ]);
    const rows = await listOutbox(db);
    expect(
      summaries(rows)
        .map((r) => r.idempotencyKey)
        .sort(),
    ).toEqual(['summary:s3:2026-W48', 'summary:s4:2026-W48']);
    expect(headerOf(summaries(rows)[0])).toBe('Weekly summary — week 48, 2026');
  });

  it('keeps the scheduler in step with the subscriptions', async () => {
    const a = scheduler('replica-a');
    const schedules = await startSummarySchedules(deps, a, { refreshMs: 3_600_000 });
    await a.start();
    expect(a.nextRun(summaryTaskName({ cron: '0 8 * * 1', timeZone: STHLM }))).toBeUndefined();
    await insertSubscription(db, subscription('s5', '2026-11-23T13:00:00.000Z'));
    await insertSubscription(
      db,
      subscription('s6', '2026-11-23T13:00:00.000Z', { timeZone: 'Europe/Oslo', hour: 9 }),
    );
    await schedules.refresh();
    expect(a.nextRun(summaryTaskName({ cron: '0 8 * * 1', timeZone: STHLM }))).toBeInstanceOf(Date);
    expect(
      a.nextRun(summaryTaskName({ cron: '0 9 * * 1', timeZone: 'Europe/Oslo' })),
    ).toBeInstanceOf(Date);
    await db.exec("delete from summary_subscriptions where id = 's5'");
    await schedules.refresh();
    expect(a.nextRun(summaryTaskName({ cron: '0 8 * * 1', timeZone: STHLM }))).toBeUndefined();
    await schedules.stop();
  });

  it('is delivered to Slack once, the breakdown in the summary’s thread', async () => {
    const sub = subscription('s7', '2026-11-10T09:00:00.000Z');
    await insertSubscription(db, sub);
    await postSubscriptionSummary(deps, sub, { fireTime: MONDAY_0800, late: false });
    await postSubscriptionSummary(deps, sub, { fireTime: MONDAY_0800, late: true });
    const calls: Array<{ method: string; args: Record<string, unknown> }> = [];
    const slack: SlackWebApi = {
      apiCall: async (method, args = {}) => {
        calls.push({ method, args });
        return { ok: true, channel: args.channel, ts: `1700000000.00000${calls.length}` };
      },
    };
    const deliverer = createDeliverer({ db, slack, logger, replicaId: 'replica-a' });
    await deliverer.drain({ timeoutMs: 10_000 });
    await deliverer.stop();
    expect(calls.map((c) => [c.method, c.args.channel, c.args.thread_ts])).toEqual([
      ['chat.postMessage', 'C0S7', undefined],
      ['chat.postMessage', 'C0S7', '1700000000.000001'],
    ]);
    expect(String(calls[0]?.args.text)).toContain('Weekly summary — week 47, 2026');
    expect(JSON.stringify(calls[1]?.args.blocks)).toContain('By channel — week 47, 2026');
    const rows = await listOutbox(db);
    expect(rows.map((r) => [r.idempotencyKey, r.status])).toEqual([
      ['summary:s7:2026-W47', 'sent'],
      [breakdownKey('summary:s7:2026-W47'), 'sent'],
    ]);
  });
});
