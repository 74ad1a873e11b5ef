// The migrated PGlite template that test/helpers/test-db.ts boots each test store from: a tarball
// of a migrated data folder in os.tmpdir(), keyed by a hash of the migrations and the PGlite
// version (a schema change builds a new one). As a vitest globalSetup it is built once before the
// workers start; otherwise the first test file that needs it builds it, and a lock folder keeps
// parallel workers from all building it at once. No vitest import here: this runs in the main
// vitest process too.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_PARSERS, pgliteDb } from '../../src/store/db.ts';
import { MIGRATIONS, migrate } from '../../src/store/migrations.ts';

export default async function setup(): Promise<void> {
  await ensurePgliteTemplate();
}

const LOCK_STALE_MS = 120_000;

/** Path of the migrated PGlite data-folder tarball, built first if missing. */
export async function ensurePgliteTemplate(): Promise<string> {
  const path = join(tmpdir(), `kpibot-pglite-template-${templateKey()}.tar`);
  const lock = `${path}.lock`;
  for (;;) {
    if (existsSync(path)) return path;
    try {
      mkdirSync(lock);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // Another worker is building it: wait for the tarball, or take over a stale lock.
      if (lockAge(lock) > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    try {
      if (!existsSync(path)) await buildTemplate(path);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

async function buildTemplate(path: string): Promise<void> {
  const pglite = await PGlite.create({ parsers: PGLITE_PARSERS });
  try {
    await migrate(pgliteDb(pglite));
    await pglite.exec('vacuum analyze');
    const dump = await pglite.dumpDataDir('none');
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, path); // atomic: readers see the whole file or none
  } finally {
    await pglite.close();
  }
}

function lockAge(lock: string): number {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return 0;
  }
}

function templateKey(): string {
  let version = 'unknown';
  try {
    const pkg = new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url);
    version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  } catch {
    // no version: the hash of the migrations alone still invalidates schema changes
  }
  return createHash('sha256')
    .update(JSON.stringify({ version, MIGRATIONS }))
    .digest('hex')
    .slice(0, 16);
}
