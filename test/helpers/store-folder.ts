// Embedded store folders on disk for tests that run processes beside each other, and the
// integrity check they end with. The first folder is booted from the migrated template
// (test/setup/pglite-template.ts, seconds rather than initdb's ten); later ones are copies of it.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type Db, openStore } from '../../src/store/db.ts';
import { ensurePgliteTemplate } from '../setup/pglite-template.ts';

let pristine: string | undefined;

/** A new, migrated, empty store folder under a temporary directory; `cleanup` removes it. */
export async function createStoreFolder(): Promise<{ dataDir: string; cleanup(): void }> {
  if (!pristine) {
    const root = mkdtempSync(join(tmpdir(), 'kpibot-pristine-'));
    process.once('exit', () => rmSync(root, { recursive: true, force: true }));
    const dir = join(root, 'data');
    const pglite = await PGlite.create(dir, {
      loadDataDir: new Blob([readFileSync(await ensurePgliteTemplate())]),
    });
    await pglite.close();
    pristine = dir;
  }
  const root = mkdtempSync(join(tmpdir(), 'kpibot-lock-'));
  const dataDir = join(root, 'data');
  cpSync(pristine, dataDir, { recursive: true });
  return { dataDir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * The integrity check: the folder opens (lock taken, migrations up to date) and every table's
 * rows are counted. Compare two results to show nothing changed.
 */
export async function storeRowCounts(dataDir: string): Promise<Record<string, number>> {
  const db = await openStore({ dataDir });
  try {
    return await rowCounts(db);
  } finally {
    await db.close();
  }
}

/** Every table's row count in an open store. */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = await db.query<{ name: string }>(
    `select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    // `name` comes from the catalog, not from input; quoted as an identifier.
    const [row] = await db.query<{ n: number }>(
      `select count(*)::int as n from "${name.replaceAll('"', '""')}"`,
    );
    counts[name] = row?.n ?? 0;
  }
  return counts;
}
