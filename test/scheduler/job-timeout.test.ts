// A scheduled job that hangs, on PGlite and (with TEST_DATABASE_URL) the Postgres server: cut
// off at its time limit, logged, its claim released and the firing run again at once, so a
// stuck handler holds a firing for its limit, never until the stale-claim takeover (15 min).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { getRun } from '../../src/scheduler/coordinator.ts';
import { createScheduler, MANUAL_SUFFIX, type Scheduler } from '../../src/scheduler/scheduler.ts';
import type { Db } from '../../src/store/db.ts';
import { storeKinds } from '../helpers/test-db.ts';
import { createSchedulingDb, manualClock } from './store.ts';

const LIMIT_MS = 300;
const never = () => new Promise<void>(() => {});

describe.each(storeKinds())('$name store: job time limits', (kind) => {
  let db: Db;
  let seq = 0;
  const schedulers: Scheduler[] = [];
  let logs: Array<{ msg: string; task?: string; attempt?: number }>;

  beforeAll(async () => {
    db = await createSchedulingDb(kind);
  });
  afterAll(async () => {
    await db?.close();
  });
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((s) => s.stop()));
  });

  function scheduler(now: () => Date) {
    logs = [];
    const logger = createLogger('info', {
      write: (line: string) => void logs.push(JSON.parse(line)),
    });
    const s = createScheduler({
      db,
      logger,
      timeZone: 'UTC',
      replicaId: 'replica-a',
      now,
      jobTimeoutMs: LIMIT_MS,
    });
    schedulers.push(s);
    return s;
  }

  it('a hung scheduled firing is cut off, logged, released and run again at once', async () => {
    const task = `hang-${kind.name}-${++seq}`;
    const clock = manualClock('2026-03-30T09:30:00Z');
    const s = scheduler(clock.now);
    const signals: AbortSignal[] = [];
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    s.add({
      name: task,
      cron: '0 9 * * *', // the 09:00 firing was missed: caught up on start
      run: async (_fire, signal) => {
        signals.push(signal);
        if (signals.length === 1) return never();
        finish();
      },
    });
    const t0 = Date.now();
    await s.start();
    await finished;
    await s.idle();

    expect(signals).toHaveLength(2);
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[1]!.aborted).toBe(false);
    expect(Date.now() - t0).toBeLessThan(10_000);
    const run = await getRun(db, task, new Date('2026-03-30T09:00:00Z'));
    expect(run).toMatchObject({ claimedBy: 'replica-a', error: null });
    expect(run?.finishedAt).toBeInstanceOf(Date);
    expect(logs).toContainEqual(
      expect.objectContaining({
        task,
        attempt: 1,
        msg: 'task: cut off at its time limit; released for a retry',
      }),
    );
  });

  it('a job that always hangs: cut off each time, recorded as failed, stop() does not wait', async () => {
    const task = `always-${kind.name}-${++seq}`;
    const clock = manualClock('2026-03-30T09:30:00Z');
    const s = scheduler(clock.now);
    let runs = 0;
    s.add({
      name: task,
      cron: '0 9 * * *',
      catchUp: false,
      run: async () => {
        runs++;
        return never();
      },
    });
    await expect(s.runNow(task)).rejects.toThrow(`still running after ${LIMIT_MS} ms`);
    expect(runs).toBe(2);
    const run = await getRun(db, `${task}${MANUAL_SUFFIX}`, clock.now());
    expect(run?.error).toContain('cut off');
    expect(run?.finishedAt).toBeInstanceOf(Date);
    await s.stop();
  });
});
