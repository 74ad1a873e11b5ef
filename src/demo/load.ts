// The demo data written into a store: two years up to `end`, in one transaction under the demo
// source, then the facts table vacuumed (a first load rewrites most of it). Used by `kpibot demo`
// and by the local workspace's first start.
import type { IsoDate } from '../kpi/types.ts';
import type { Db } from '../store/db.ts';
import { upsertFacts, vacuumFacts } from '../store/facts.ts';
import { generateDemoFacts } from './generate.ts';

export const DEMO_SOURCE = 'demo';

/** Writes the demo facts up to `end`; resolves to how many were written. */
export async function writeDemoFacts(db: Db, end: IsoDate): Promise<number> {
  const facts = generateDemoFacts({ end });
  await db.transaction((tx) => upsertFacts(tx, facts, { source: DEMO_SOURCE }));
  await vacuumFacts(db);
  return facts.length;
}
