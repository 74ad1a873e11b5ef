// A damaged embedded store: opening it says which folder is damaged, that nothing was changed
// and how to restore it, and leaves every byte of the folder as it was (PGlite's own failure is
// "Aborted(). Build with -sASSERTIONS…", and it wrote postmaster.pid on the way; a folder
// without PG_VERSION it silently replaced with a new, empty store). Embedded store only: a
// Postgres server's files are not ours to guard.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { StoreDamagedError } from '../../src/store/pglite-folder.ts';
import { createPgliteFolder } from '../helpers/test-db.ts';

const run = promisify(execFile);
let root: string;
let healthy: string;

/** Every path and every byte under `dir`. */
function fingerprint(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const p = join(d, e.name);
      hash.update(`${p}\n`);
      if (e.isDirectory()) walk(p);
      else hash.update(readFileSync(p));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kpibot-damaged-'));
  healthy = join(root, 'healthy');
  await createPgliteFolder(healthy);
  const db = await openStore({ dataDir: healthy });
  await db.query(`insert into task_runs (task, fire_time, claimed_by, claimed_at)
                  values ('keep-me', now(), 'test', now())`);
  await db.close();
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const damages: Array<[string, (dir: string) => void]> = [
  // the case of the issue: PGlite aborts
  ['an empty pg_control', (dir) => writeFileSync(join(dir, 'global/pg_control'), '')],
  [
    'a scribbled-over pg_control',
    (dir) => writeFileSync(join(dir, 'global/pg_control'), Buffer.alloc(8192, 7)),
  ],
  // PGlite would initdb over it
  ['no PG_VERSION', (dir) => unlinkSync(join(dir, 'PG_VERSION'))],
];

describe('a damaged store folder', () => {
  it.each(damages)(
    '%s: a clear message, and the folder is byte-identical',
    async (name, damage) => {
      const dir = join(root, name.replaceAll(' ', '-'));
      cpSync(healthy, dir, { recursive: true });
      damage(dir);
      const before = fingerprint(dir);

      const error = await openStore({ dataDir: dir }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(StoreDamagedError);
      const message = (error as Error).message;
      expect(message).toContain(`The store folder ${dir} is damaged`);
      expect(message).toContain('Nothing in it was changed');
      expect(message).toContain('kpibot restore');
      expect(message).not.toContain('ASSERTIONS');
      expect(fingerprint(dir)).toBe(before);
    },
  );

  it('kpibot says so on stderr, exit code 1, no stack', async () => {
    const dir = join(root, 'cli');
    cpSync(healthy, dir, { recursive: true });
    writeFileSync(join(dir, 'global/pg_control'), '');
    const before = fingerprint(dir);
    const failure = await run('node', ['bin/kpibot.js', 'status'], {
      env: { ...process.env, KPIBOT_DATA_DIR: dir, LOG_LEVEL: 'silent' },
    }).then(
      () => undefined,
      (err: { code?: number; stderr?: string }) => err,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`The store folder ${dir} is damaged`);
    expect(failure?.stderr).not.toMatch(/ASSERTIONS|\n\s+at /);
    expect(fingerprint(dir)).toBe(before);
  });

  it('a healthy folder still opens, with its data', async () => {
    const dir = join(root, 'healthy-copy');
    cpSync(healthy, dir, { recursive: true });
    const db = await openStore({ dataDir: dir });
    try {
      expect(await db.query(`select task from task_runs`)).toEqual([{ task: 'keep-me' }]);
    } finally {
      await db.close();
    }
  });
});
