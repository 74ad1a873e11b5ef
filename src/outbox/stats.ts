// The outbox at a glance, for the metrics gauges read on each scrape (src/metrics.ts): how many
// messages are open (pending or being sent) and how long the oldest has waited.
import type { OutboxStats } from '../metrics.ts';
import type { Db } from '../store/db.ts';

export async function outboxStats(db: Pick<Db, 'query'>, now = new Date()): Promise<OutboxStats> {
  const [row] = await db.query<{ open: number; oldest: Date | string | null }>(
    `select count(*)::int as open, min(created_at) as oldest
       from outbox where status in ('pending', 'sending')`,
  );
  const oldest = row?.oldest ? new Date(row.oldest).getTime() : undefined;
  return {
    open: row?.open ?? 0,
    oldestOpenSeconds: oldest === undefined ? 0 : Math.max(0, (now.getTime() - oldest) / 1000),
  };
}
