// Shared by the scheduler and outbox tests: stores with the scheduling schema, and a second
// connection to the same store (another "replica").
import type { Db } from '../../src/store/db.ts';
import { openStore } from '../../src/store/db.ts';
import { MIGRATIONS, type Migration, migrate } from '../../src/store/migrations.ts';
import { SCHEDULING_MIGRATIONS } from '../../src/store/schema-scheduling.ts';
import type { StoreKind } from '../helpers/test-db.ts';

/** Applies task_runs/outbox unless the store's migrations already include them. */
export async function withSchedulingSchema(db: Db): Promise<Db> {
  const byVersion = new Map<number, Migration>();
  for (const m of [...MIGRATIONS, ...SCHEDULING_MIGRATIONS]) byVersion.set(m.version, m);
  await migrate(db, { migrations: [...byVersion.values()] });
  return db;
}

export async function createSchedulingDb(kind: StoreKind): Promise<Db> {
  return withSchedulingSchema(await kind.create());
}

/**
 * Another connection to the same store, as a second replica has: on the server a second pool
 * on the same schema; PGlite is one in-process connection, so the same Db (close is a no-op).
 */
export async function secondConnection(db: Db): Promise<Db> {
  const url = process.env.TEST_DATABASE_URL;
  if (db.dialect !== 'postgres' || !url) {
    return { ...db, close: async () => {} };
  }
  const [row] = await db.query<{ schema: string }>('select current_schema() as schema');
  return openStore({ databaseUrl: url, dataDir: '', schema: row!.schema });
}

/** A clock the test moves by hand. */
export function manualClock(start: Date | string) {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (at: Date | string) => {
      t = new Date(at).getTime();
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}
