// Makes the embedded store's template (src/store/template.ts): a PGlite created in memory,
// migrated, dumped as a gzipped tarball. Used by the build and by the tests' stores.
import { renameSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_PARSERS, pgliteDb } from './db.ts';
import { migrate } from './migrations.ts';

/**
 * Writes the template to `path` atomically: readers see the whole file or none. Gzipped for an
 * install (a tenth of the size); the tests' copy stays plain, as each test store unpacks it.
 */
export async function buildStoreTemplate(
  path: string,
  compression: 'gzip' | 'none' = 'gzip',
): Promise<void> {
  const pglite = await PGlite.create({ parsers: PGLITE_PARSERS });
  try {
    // Not analysed: statistics of empty tables would tell the planner they stay empty, and the
    // first import into a new store would be planned as if they were (19 s for the demo's 90,520
    // facts instead of 3 s). Never analysed, a table is assumed to have some pages.
    await migrate(pgliteDb(pglite));
    const dump = await pglite.dumpDataDir(compression);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, path);
  } finally {
    await pglite.close();
  }
}
