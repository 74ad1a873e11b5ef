// Shared helpers for the ingest tests (not a test file itself).
import { fileURLToPath } from 'node:url';
import type { Db } from '../../src/store/db.ts';

export const fixture = (name: string) =>
  fileURLToPath(new URL(`../fixtures/ingest/${name}`, import.meta.url));

export interface FactRow {
  measure: string;
  day: string;
  channel: string;
  campaign: string;
  value: number;
}

/** Every fact in the store, in key order: to compare the store before and after. */
export function snapshot(db: Db): Promise<FactRow[]> {
  return db.query<FactRow>(
    'select measure, day, channel, campaign, value from facts order by measure, day, channel, campaign',
  );
}

/** Sum of a measure's facts. */
export async function sumOf(db: Db, measure: string): Promise<number> {
  const rows = await db.query<{ s: number | null }>(
    'select sum(value) as s from facts where measure = $1',
    [measure],
  );
  return rows[0]?.s ?? 0;
}

export async function clearFacts(db: Db): Promise<void> {
  await db.exec('delete from facts; delete from measure_freshness; delete from dimension_values;');
}
