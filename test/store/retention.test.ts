// Retention on PGlite and (with TEST_DATABASE_URL) the Postgres server: only rows past their age
// go (delivered messages, finished task runs, audit rows), in bounded batches; what is still
// needed stays (a parent an open reply threads under, the current alert message, each task's
// latest run); and the daily purge runs on one replica only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { listRuns } from '../../src/scheduler/coordinator.ts';
import { RETENTION_TASK, retentionTask } from '../../src/scheduler/retention-task.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import type { Db } from '../../src/store/db.ts';
import type { RetentionPolicy } from '../../src/store/retention.ts';
import { purgeExpired } from '../../src/store/retention.ts';
import { storeKinds } from '../helpers/test-db.ts';
import { secondConnection } from '../scheduler/store.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const OLD = '2026-01-10T08:00:00Z'; // past every age below
const RECENT = '2026-05-31T08:00:00Z';
const POLICY: RetentionPolicy = { outboxDays: 30, taskRunsDays: 30, auditDays: 90 };

async function seed(db: Db): Promise<void> {
  await db.exec(`delete from outbox; delete from task_runs; delete from audit_log;
                 delete from alert_states; delete from alert_rules`);
  const message = (key: string, status: string, at: string, extra: { threadOf?: string } = {}) =>
    db.query(
      `insert into outbox (idempotency_key, kind, channel, payload, status, created_at, sent_at,
                           thread_of)
       values ($1, $2, 'C1', '{"text":"x"}', $3, $4::timestamptz,
               case when $3 = 'sent' then $4::timestamptz end, $5)`,
      [key, extra.threadOf ? 'thread-reply' : 'post', status, at, extra.threadOf ?? null],
    );
  for (let i = 0; i < 5; i++) await message(`old-sent-${i}`, 'sent', OLD);
  await message('recent-sent', 'sent', RECENT);
  await message('old-dead', 'dead', OLD);
  await message('old-parent', 'sent', OLD);
  await message('open-reply', 'pending', OLD, { threadOf: 'old-parent' });
  await message('old-alert-message', 'sent', OLD);
  await db.query(
    `insert into alert_rules (id, source, definition, created_by, created_at, updated_at)
     values ('r1', 'slack', '{}', 'U1', $1::timestamptz, $1::timestamptz)`,
    [OLD],
  );
  await db.query(
    `insert into alert_states (rule_id, group_key, status, state, evaluated_at, message_key)
     values ('r1', '', 'firing', '{}', $1::timestamptz, 'old-alert-message')`,
    [RECENT],
  );
  const run = (task: string, fire: string, finished: boolean) =>
    db.query(
      `insert into task_runs (task, fire_time, claimed_by, claimed_at, finished_at)
       values ($1, $2::timestamptz, 'r', $2::timestamptz, case when $3 then $2::timestamptz end)`,
      [task, fire, finished],
    );
  await run('weekly', '2026-01-05T07:00:00Z', true);
  await run('weekly', '2026-01-12T07:00:00Z', false); // abandoned long ago
  await run('weekly', '2026-01-19T07:00:00Z', true); // old, but the latest: catch-up needs it
  await run('daily', OLD, true);
  await run('daily', RECENT, true);
  for (const at of [OLD, OLD, OLD, RECENT]) {
    await db.query(
      `insert into audit_log (at, actor, action, subject, subject_id)
       values ($1::timestamptz, 'U1', 'x', 'alert', 'r1')`,
      [at],
    );
  }
  for (const at of [OLD, RECENT]) {
    await db.query(
      `insert into audit_log (at, actor, action, subject, subject_id)
       values ($1::timestamptz, 'U1', 'x', 'goal', 'g1')`,
      [at],
    );
  }
}

describe.each(storeKinds())('$name store: retention', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await kind.create();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('purges only rows past their age, at most a batch per statement', async () => {
    await seed(db);
    const result = await purgeExpired(db, POLICY, NOW, 2);

    const keys = await db.query<{ k: string }>(
      'select idempotency_key as k from outbox order by id',
    );
    expect(keys.map((r) => r.k)).toEqual([
      'recent-sent',
      'old-dead',
      'old-parent',
      'open-reply',
      'old-alert-message',
    ]);
    const runs = await db.query<{ task: string; fire: Date }>(
      'select task, fire_time as fire from task_runs order by task, fire_time',
    );
    expect(runs.map((r) => `${r.task} ${r.fire.toISOString()}`)).toEqual([
      `daily ${new Date(RECENT).toISOString()}`,
      'weekly 2026-01-19T07:00:00.000Z',
    ]);
    const audit = await db.query<{ n: number }>('select count(*)::int as n from audit_log');
    expect(audit[0]?.n).toBe(2);
    // 5 old messages, 2 a statement: 2 + 2 + 1.
    expect(result).toEqual({
      outbox: { deleted: 5, batches: 3 },
      taskRuns: { deleted: 3, batches: 2 },
      // 3 old alert entries and 1 old goal entry, 2 a statement: 2 + 2 + an empty one.
      audit: { deleted: 4, batches: 3 },
    });
    // Nothing more to do: a second purge deletes nothing.
    expect(Object.values(await purgeExpired(db, POLICY, NOW, 2)).map((c) => c.deleted)).toEqual([
      0, 0, 0,
    ]);
  });

  it('runs nightly as a scheduled task, on one replica of two', async () => {
    await seed(db);
    const db2 = await secondConnection(db);
    const now = () => new Date('2026-06-01T04:00:00Z'); // after the 03:30 firing: caught up
    const logger = createLogger('silent');
    const replicas = [db, db2].map((store, i) => {
      const s = createScheduler({ db: store, logger, timeZone: 'UTC', replicaId: `r${i}`, now });
      s.add(retentionTask({ db: store, logger, retention: POLICY, now }));
      return s;
    });
    try {
      await Promise.all(replicas.map((s) => s.start()));
      await Promise.all(replicas.map((s) => s.idle()));
      const runs = await listRuns(db, RETENTION_TASK);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ error: null, finishedAt: expect.any(Date) });
      const [left] = await db.query<{ n: number }>(`select count(*)::int as n from outbox`);
      expect(left?.n).toBe(5);
    } finally {
      await Promise.all(replicas.map((s) => s.stop()));
      await db2.close();
    }
  });
});
