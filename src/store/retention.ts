// Retention: rows kept only for a while are purged after their age, in bounded batches (one
// short statement each, so a purge never holds long locks or a long transaction):
// - outbox messages delivered (`sent`) longer ago than `outboxDays`; dead ones stay for a look.
//   Kept whatever their age: a message an open one replies under or updates, and the current
//   alert message (and no-data message) of an alert state, since a reply threads under it.
// - task_runs claims finished (or abandoned) longer ago than `taskRunsDays`, except each task's
//   latest firing: catch-up on start looks for that one, and without its row would run it again.
// - audit_log rows older than `auditDays`.
import { z } from 'zod';
import type { Db } from './db.ts';

const days = (fallback: number) => z.number().int().min(1).max(36_500).default(fallback);

/** How long rows kept only for a while stay, in days (src/store/retention.ts). */
export const retentionSchema = z.strictObject({
  /** Delivered outbox messages. */
  outboxDays: days(30),
  /** Finished scheduler claims (each task's latest is always kept). */
  taskRunsDays: days(30),
  /** Who changed which alert rule, goal or subscription. */
  auditDays: days(365),
});

export type RetentionPolicy = z.infer<typeof retentionSchema>;

type Queries = Pick<Db, 'query'>;

/** Rows deleted per statement. */
export const PURGE_BATCH = 1_000;

export interface PurgeCount {
  deleted: number;
  /** Statements run (the last one deleted fewer than a batch). */
  batches: number;
}

export type PurgeResult = Record<'outbox' | 'taskRuns' | 'audit', PurgeCount>;

/** Each statement deletes at most $2 rows older than $1. */
const PURGES: Record<keyof PurgeResult, { sql: string; days: keyof RetentionPolicy }> = {
  outbox: {
    days: 'outboxDays',
    sql: `delete from outbox where id in (
            select o.id from outbox o
            where o.status = 'sent' and o.sent_at < $1::timestamptz
              and not exists (
                select 1 from outbox r
                where r.status in ('pending', 'sending')
                  and (r.thread_of = o.idempotency_key or r.update_of = o.idempotency_key))
              and not exists (
                select 1 from alert_states s
                where s.message_key = o.idempotency_key or s.no_data_key = o.idempotency_key)
            order by o.id limit $2)`,
  },
  taskRuns: {
    days: 'taskRunsDays',
    sql: `delete from task_runs where (task, fire_time) in (
            select t.task, t.fire_time from task_runs t
            where coalesce(t.finished_at, t.claimed_at) < $1::timestamptz
              and t.fire_time < (select max(l.fire_time) from task_runs l where l.task = t.task)
            order by t.fire_time limit $2)`,
  },
  audit: {
    days: 'auditDays',
    sql: `delete from audit_log where id in (
            select id from audit_log where at < $1::timestamptz order by id limit $2)`,
  },
};

const DAY_MS = 86_400_000;

/** Purges what the policy no longer keeps, as of `now`. */
export async function purgeExpired(
  db: Queries,
  policy: RetentionPolicy,
  now: Date,
  batchSize: number = PURGE_BATCH,
): Promise<PurgeResult> {
  const result = {} as PurgeResult;
  for (const [name, purge] of Object.entries(PURGES) as Array<
    [keyof PurgeResult, (typeof PURGES)[keyof PurgeResult]]
  >) {
    const before = new Date(now.getTime() - policy[purge.days] * DAY_MS).toISOString();
    const count: PurgeCount = { deleted: 0, batches: 0 };
    for (;;) {
      // `returning 1` counts the rows the same way on PGlite and pg.
      const rows = await db.query(`${purge.sql} returning 1`, [before, batchSize]);
      count.batches++;
      count.deleted += rows.length;
      if (rows.length < batchSize) break;
    }
    result[name] = count;
  }
  return result;
}
