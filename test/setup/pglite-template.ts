// The migrated PGlite template that test/helpers/test-db.ts boots each test store from: the
// store's template (src/store/template-build.ts), uncompressed, in os.tmpdir(), under the same key
// of the migrations and the PGlite version (a schema change builds a new one). As a vitest globalSetup it is built once before the
// workers start; otherwise the first test file that needs it builds it, and a lock folder keeps
// parallel workers from all building it at once. No vitest import here: this runs in the main
// vitest process too.
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeTemplateKey } from '../../src/store/template.ts';
import { buildStoreTemplate } from '../../src/store/template-build.ts';

export default async function setup(): Promise<void> {
  await ensurePgliteTemplate();
}

const LOCK_STALE_MS = 120_000;

/** Path of the migrated PGlite data-folder tarball, built first if missing. */
export async function ensurePgliteTemplate(): Promise<string> {
  const path = join(tmpdir(), `kpibot-pglite-template-${storeTemplateKey()}.tar`);
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
      if (!existsSync(path)) await buildStoreTemplate(path, 'none');
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

function lockAge(lock: string): number {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return 0;
  }
}
