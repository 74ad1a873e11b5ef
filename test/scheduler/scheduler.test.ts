// The scheduler on a real store (PGlite, and the Postgres server when TEST_DATABASE_URL is set):
// firings claimed once across replicas, catch-up of the latest missed firing once and only
// once, manual runs under their own key, and stop() waiting for runs in flight.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import {
  claimRun,
  createRunCoordinator,
  finishRun,
  getRun,
  reclaimStaleRun,
} from '../../src/scheduler/coordinator.ts';
import { normaliseFireTime } from '../../src/scheduler/cron-time.ts';
import {
  createScheduler,
  type Fire,
  type Scheduler,
  type SchedulerOptions,
} from '../../src/scheduler/scheduler.ts';
import type { Db } from '../../src/store/db.ts';
import { storeKinds } from '../helpers/test-db.ts';
import { createSchedulingDb, manualClock, secondConnection } from './store.ts';

const STHLM = 'Europe/Stockholm';
const logger = createLogger('silent');

describe.each(storeKinds())('$name store: scheduling once across replicas', (kind) => {
  let db: Db;
  let db2: Db;
  const schedulers: Scheduler[] = [];
  let taskSeq = 0;
  /** A task name of its own per test: the tests share one store. */
  const taskName = () => `task-${++taskSeq}`;

  beforeAll(async () => {
    db = await createSchedulingDb(kind);
    db2 = await secondConnection(db);
  });
  afterAll(async () => {
    await db2?.close();
    await db?.close();
  });
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((s) => s.stop()));
  });

  function scheduler(opts: Partial<SchedulerOptions> & Pick<SchedulerOptions, 'replicaId'>) {
    const s = createScheduler({ db, logger, timeZone: STHLM, ...opts });
    schedulers.push(s);
    return s;
  }

  describe('claimRun', () => {
    it('lets exactly one of many concurrent claims of a firing win', async () => {
      const task = taskName();
      const fireTime = new Date('2026-03-30T07:00:00Z');
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          claimRun(i % 2 ? db : db2, task, fireTime, `replica-${i}`),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await claimRun(db, task, fireTime, 'late-comer')).toBe(false);
      // Another firing of the same task is its own claim.
      expect(await claimRun(db, task, new Date('2026-03-31T07:00:00Z'), 'r')).toBe(true);
    });

    it('takes over only an abandoned claim (old and never finished)', async () => {
      const task = taskName();
      const fireTime = new Date('2026-03-30T07:00:00Z');
      await claimRun(db, task, fireTime, 'dead', new Date('2026-03-30T07:00:01Z'));
      const staleBefore = new Date('2026-03-30T07:00:00Z');
      expect(await reclaimStaleRun(db, task, fireTime, 'b', staleBefore)).toBe(false);
      const later = new Date('2026-03-30T08:00:00Z');
      expect(await reclaimStaleRun(db, task, fireTime, 'b', later)).toBe(true);
      expect((await getRun(db, task, fireTime))?.claimedBy).toBe('b');
      await finishRun(db, task, fireTime);
      expect(await reclaimStaleRun(db, task, fireTime, 'c', new Date('2030-01-01'))).toBe(false);
    });
  });

  describe("node-cron's RunCoordinator seam", () => {
    it('gives a firing to one replica even when their timers fire ms apart', async () => {
      const task = taskName();
      const normalise = (slot: Date) => normaliseFireTime('0 9 * * *', slot);
      const a = createRunCoordinator({ db, task, replicaId: 'a', normalise });
      const b = createRunCoordinator({ db: db2, task, replicaId: 'b', normalise });
      const results = await Promise.all([
        a.shouldRun(`${task}:2026-03-30T07:00:00.004Z`, 30_000),
        b.shouldRun(`${task}:2026-03-30T07:00:00.951Z`, 30_000),
      ]);
      expect(results.sort()).toEqual([false, true]);
      expect((await getRun(db, task, new Date('2026-03-30T07:00:00Z')))?.task).toBe(task);
    });

    it("refuses (fail-closed) a key that is not this task's", async () => {
      const c = createRunCoordinator({ db, task: 'x', replicaId: 'a', normalise: (d) => d });
      await expect(c.shouldRun('y:2026-03-30T07:00:00.000Z', 1)).rejects.toThrow(/does not belong/);
      await expect(c.shouldRun('x:nonsense', 1)).rejects.toThrow(/no time/);
    });
  });

  it('two replicas on one store running the same schedule: one run per firing', async () => {
    const task = taskName();
    const runs: Array<{ replica: string; fire: Fire }> = [];
    const claims = { n: 0 };
    for (const [replicaId, conn] of [
      ['a', db],
      ['b', db2],
    ] as const) {
      const s = scheduler({ replicaId, db: counting(conn, claims) });
      s.add({
        name: task,
        cron: '* * * * * *', // every second, so the test sees several firings quickly
        catchUp: false,
        run: async (fire) => {
          runs.push({ replica: replicaId, fire });
        },
      });
      await s.start();
    }
    await new Promise((resolve) => setTimeout(resolve, 2300));
    await Promise.all(schedulers.splice(0).map((s) => s.stop()));

    const fireTimes = runs.map((r) => r.fire.fireTime.toISOString());
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(fireTimes).size).toBe(fireTimes.length); // no firing ran twice
    expect(claims.n).toBeGreaterThanOrEqual(2 * runs.length - 1); // both replicas tried each
    for (const { fire } of runs) {
      expect(fire.fireTime.getMilliseconds()).toBe(0);
      expect(fire).toMatchObject({ task, late: false, manual: false });
      expect(fire.key).toBe(`${task}@${fire.fireTime.toISOString()}`);
    }
  });

  describe('catch-up on start', () => {
    it('runs the latest missed firing once, late, and never again on later starts', async () => {
      const task = taskName();
      const clock = manualClock('2026-03-30T08:30:00Z'); // 10:30 in Stockholm
      const runs: Fire[] = [];
      const add = (s: Scheduler) =>
        s.add({
          name: task,
          cron: '0 9 * * *',
          run: async (fire) => {
            runs.push(fire);
          },
        });

      const first = scheduler({ replicaId: 'a', now: clock.now });
      add(first);
      await first.start();
      await first.idle();
      expect(runs).toEqual([
        {
          task,
          fireTime: new Date('2026-03-30T07:00:00Z'), // 09:00 CEST
          late: true,
          manual: false,
          key: `${task}@2026-03-30T07:00:00.000Z`,
        },
      ]);
      await first.stop();

      const second = scheduler({ replicaId: 'b', db: db2, now: clock.now });
      add(second);
      await second.start();
      await second.idle();
      expect(runs).toHaveLength(1);
      await second.stop();

      // Down for three days: only the latest firing, no backlog.
      clock.set('2026-04-02T12:00:00Z');
      const third = scheduler({ replicaId: 'a', now: clock.now });
      add(third);
      await third.start();
      await third.idle();
      expect(runs.map((r) => r.fireTime.toISOString())).toEqual([
        '2026-03-30T07:00:00.000Z',
        '2026-04-02T07:00:00.000Z',
      ]);
      const row = await getRun(db, task, new Date('2026-04-02T07:00:00Z'));
      expect(row).toMatchObject({ claimedBy: 'a', error: null });
      expect(row?.finishedAt).toBeInstanceOf(Date);
    });

    it('two replicas starting together catch a firing up once', async () => {
      const task = taskName();
      const clock = manualClock('2026-03-30T08:30:00Z');
      const runs: string[] = [];
      const started = [
        ['a', db],
        ['b', db2],
      ].map(([replicaId, conn]) => {
        const s = scheduler({ replicaId: replicaId as string, db: conn as Db, now: clock.now });
        s.add({
          name: task,
          cron: '0 9 * * *',
          run: async () => {
            runs.push(replicaId as string);
          },
        });
        return s;
      });
      await Promise.all(started.map((s) => s.start()));
      await Promise.all(started.map((s) => s.idle()));
      expect(runs).toHaveLength(1);
    });

    it('reads the cron in the timezone, DST included (09:00 CEST is 07:00Z)', async () => {
      const task = taskName();
      const runs: Fire[] = [];
      // Sunday 29 March 2026, the morning after clocks went forward.
      const s = scheduler({ replicaId: 'a', now: () => new Date('2026-03-29T07:30:00Z') });
      s.add({ name: task, cron: '0 9 * * *', run: async (f) => void runs.push(f) });
      await s.start();
      await s.idle();
      expect(runs.map((r) => r.fireTime.toISOString())).toEqual(['2026-03-29T07:00:00.000Z']);
    });

    it('leaves alone a firing beyond the horizon, or one when catch-up is off', async () => {
      const runs: string[] = [];
      const now = () => new Date('2026-03-30T08:30:00Z'); // 90 minutes after 09:00 CEST
      const s = scheduler({ replicaId: 'a', now });
      const run = async (f: Fire) => void runs.push(f.task);
      s.add({ name: taskName(), cron: '0 9 * * *', catchUp: { maxLateMs: 60 * 60_000 }, run });
      s.add({
        name: taskName(),
        cron: '0 9 * * *',
        catchUp: { notBefore: new Date('2026-03-30T08:00:00Z') }, // e.g. the rule's creation
        run,
      });
      s.add({ name: taskName(), cron: '0 9 * * *', catchUp: false, run });
      const within = taskName();
      s.add({ name: within, cron: '0 9 * * *', catchUp: { maxLateMs: 2 * 60 * 60_000 }, run });
      await s.start();
      await s.idle();
      expect(runs).toEqual([within]);
    });

    it('takes over a firing whose replica died mid-run, but not one still running', async () => {
      const clock = manualClock('2026-03-30T08:30:00Z');
      const fireTime = new Date('2026-03-30T07:00:00Z');
      const abandoned = taskName();
      const busy = taskName();
      await claimRun(db, abandoned, fireTime, 'dead', new Date('2026-03-30T07:00:00Z'));
      await claimRun(db, busy, fireTime, 'alive', new Date('2026-03-30T08:25:00Z'));
      const runs: Fire[] = [];
      const s = scheduler({ replicaId: 'a', now: clock.now });
      for (const name of [abandoned, busy]) {
        s.add({ name, cron: '0 9 * * *', run: async (f) => void runs.push(f) });
      }
      await s.start();
      await s.idle();
      expect(runs.map((r) => [r.task, r.late])).toEqual([[abandoned, true]]);
      expect((await getRun(db, abandoned, fireTime))?.claimedBy).toBe('a');
    });

    it('records a failed run with its error; the failure is not retried', async () => {
      const task = taskName();
      const now = () => new Date('2026-03-30T08:30:00Z');
      let calls = 0;
      const add = (s: Scheduler) =>
        s.add({
          name: task,
          cron: '0 9 * * *',
          run: async () => {
            calls++;
            throw new Error('boom');
          },
        });
      const s = scheduler({ replicaId: 'a', now });
      add(s);
      await s.start();
      await s.idle();
      const row = await getRun(db, task, new Date('2026-03-30T07:00:00Z'));
      expect(row).toMatchObject({ error: 'boom' });
      expect(row?.finishedAt).toBeInstanceOf(Date);
      await s.stop();
      const again = scheduler({ replicaId: 'b', now });
      add(again);
      await again.start();
      await again.idle();
      expect(calls).toBe(1);
    });
  });

  describe('runNow', () => {
    it('runs under its own key and leaves the scheduled firing of that minute free', async () => {
      const task = taskName();
      const clock = manualClock('2026-03-30T07:00:00Z'); // the scheduled minute itself
      const runs: Fire[] = [];
      const s = scheduler({ replicaId: 'a', now: clock.now });
      s.add({ name: task, cron: '0 9 * * *', catchUp: false, run: async (f) => void runs.push(f) });
      const fire = await s.runNow(task);
      expect(fire).toEqual({
        task,
        fireTime: new Date('2026-03-30T07:00:00Z'),
        late: false,
        manual: true,
        key: `${task}#manual@2026-03-30T07:00:00.000Z`,
      });
      expect(runs).toEqual([fire]);
      expect(await claimRun(db, task, new Date('2026-03-30T07:00:00Z'), 'b')).toBe(true);
      clock.advance(1500);
      expect(await s.runNow(task)).toMatchObject({ manual: true });
      expect(runs).toHaveLength(2);
    });

    it("rejects with the handler's error and records it", async () => {
      const task = taskName();
      const now = () => new Date('2026-03-30T10:00:00Z');
      const s = scheduler({ replicaId: 'a', now });
      s.add({
        name: task,
        cron: '0 9 * * *',
        catchUp: false,
        run: async () => {
          throw new Error('no data source');
        },
      });
      await expect(s.runNow(task)).rejects.toThrow('no data source');
      expect((await getRun(db, `${task}#manual`, now()))?.error).toBe('no data source');
      await expect(s.runNow('nope')).rejects.toThrow(/no task/);
    });
  });

  it('stop() waits for a run in flight', async () => {
    const task = taskName();
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    const s = scheduler({ replicaId: 'a', now: () => new Date('2026-03-30T08:30:00Z') });
    s.add({
      name: task,
      cron: '0 9 * * *',
      run: async () => {
        await gate;
        finished = true;
      },
    });
    await s.start();
    let stopped = false;
    const stopping = s.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(true);
  });

  it('rejects a bad cron or a duplicate name when the task is added', () => {
    const s = scheduler({ replicaId: 'a' });
    expect(() => s.add({ name: 'x', cron: '61 * * * *', run: async () => {} })).toThrow();
    s.add({ name: 'y', cron: '0 9 * * *', run: async () => {} });
    expect(() => s.add({ name: 'y', cron: '0 9 * * *', run: async () => {} })).toThrow(/exists/);
  });
});

/** The same store, counting the claims (inserts into task_runs) made through it. */
function counting(db: Db, counter: { n: number }): Db {
  return {
    ...db,
    query: <R>(sql: string, params?: unknown[]) => {
      if (sql.includes('insert into task_runs')) counter.n++;
      return db.query<R>(sql, params);
    },
  };
}
