// The summary pins made in Slack (table summary_pins, migration 340): one row per KPI someone
// pinned or unpinned, its latest state, ordered by when that was (`seq`). Every function takes
// the caller's `tx` (or the Db) so a change and its audit entry are written together.
import { z } from 'zod';
import type { Db } from '../store/db.ts';

type Queries = Pick<Db, 'query'>;

export interface PinChange {
  kpi: string;
  pinned: boolean;
  by: string;
  at: Date;
}

const rowSchema = z.object({
  kpi: z.string(),
  pinned: z.boolean(),
  changed_by: z.string(),
  changed_at: z.union([z.date(), z.string()]).transform((d) => new Date(d)),
});

/** The changes made in Slack, oldest first. */
export async function loadPinChanges(db: Queries): Promise<PinChange[]> {
  const rows = await db.query<unknown>(
    'select kpi, pinned, changed_by, changed_at from summary_pins order by seq',
  );
  return rows.map((r) => {
    const row = rowSchema.parse(r);
    return { kpi: row.kpi, pinned: row.pinned, by: row.changed_by, at: row.changed_at };
  });
}

/** Records a pin or unpin of `kpi`: it replaces the KPI's earlier change and becomes the latest. */
export async function savePinChange(tx: Queries, change: PinChange): Promise<void> {
  await tx.query(
    `insert into summary_pins (kpi, pinned, changed_by, changed_at, seq)
     values ($1, $2, $3, $4::timestamptz, nextval('summary_pin_number'))
     on conflict (kpi) do update set pinned = excluded.pinned, changed_by = excluded.changed_by,
       changed_at = excluded.changed_at, seq = excluded.seq`,
    [change.kpi, change.pinned, change.by, change.at.toISOString()],
  );
}
