// Backup and restore of the embedded store (PGlite). A backup is PGlite's own dump of its data
// folder (a gzipped tarball), taken from the open store, so it is consistent while the store is
// in use; a restore unpacks it into a new folder, checks that it opens and migrates, and only
// then puts it in place. A store on a PostgreSQL server is backed up with pg_dump instead
// (README.md, "Backup and restore").

import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { z } from 'zod';
import { ErrorCode, type ErrorOptions, UserError } from '../errors.ts';
import { type Db, openStore } from './db.ts';
import { isKpibotFile } from './pglite-folder.ts';

/** Nightly backups of the embedded store by the running bot (src/scheduler/backup-task.ts). */
export const backupSchema = z.strictObject({
  /** Folder for the backups; unset: no nightly backup. */
  dir: z.string().min(1).optional(),
  /** Newest backups kept there. */
  keep: z.number().int().min(1).default(7),
});

export type BackupPolicy = z.infer<typeof backupSchema>;

/** A backup or restore that cannot be done as asked; the message says why and what would work. */
export class BackupError extends UserError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super(ErrorCode.Backup, message, opts);
  }
}

const isEmptyFolder = (dir: string) => !existsSync(dir) || readdirSync(dir).length === 0;

/**
 * The tarball in a backup file, checked before PGlite sees it (PGlite fails on a file that is
 * not one with an error thrown where nobody can catch it).
 */
function readBackup(file: string): Buffer {
  const bytes = readFileSync(file);
  let tar: Buffer;
  try {
    tar = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  } catch (err) {
    throw new BackupError(`${file} is not a kpibot backup (a damaged gzip file).`, { cause: err });
  }
  // Every tar entry's header says "ustar" at byte 257; a PGlite data folder holds PG_VERSION.
  if (tar.subarray(257, 262).toString('latin1') !== 'ustar' || !tar.includes('PG_VERSION')) {
    throw new BackupError(`${file} is not a kpibot backup (no store data folder in it).`);
  }
  return tar;
}

/** Writes a snapshot of the open embedded store to `file` (whole, or not at all). */
export async function backupStore(
  db: Db,
  file: string,
  opts: { force?: boolean } = {},
): Promise<{ bytes: number }> {
  if (!db.snapshot) {
    throw new BackupError(
      'The store is a PostgreSQL server (DATABASE_URL): back it up with pg_dump (README.md, "Backup and restore").',
    );
  }
  if (existsSync(file) && !opts.force) {
    throw new BackupError(`${file} exists already; pass --force to replace it.`);
  }
  const bytes = Buffer.from(await (await db.snapshot()).arrayBuffer());
  const partial = `${file}.partial`;
  writeFileSync(partial, bytes);
  renameSync(partial, file);
  return { bytes: bytes.length };
}

export interface RestoreResult {
  /** Where the store that was there before went (only with `force`). */
  previous?: string;
}

/**
 * Restores the backup `file` into the folder `dataDir`: a missing or empty folder, or (with
 * `force`) a store that is then moved aside, never deleted. The folder is replaced only once the
 * restored store has opened and migrated.
 */
export async function restoreStore(
  file: string,
  dataDir: string,
  opts: { force?: boolean; now?: Date } = {},
): Promise<RestoreResult> {
  if (!existsSync(file)) throw new BackupError(`No backup file ${file}.`);
  const occupied = !isEmptyFolder(dataDir);
  if (occupied && !opts.force) {
    throw new BackupError(
      `${dataDir} already holds a store; pass --force to move it aside and restore over it.`,
    );
  }
  const stamp = (opts.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const staging = join(dirname(dataDir), `.${basename(dataDir)}.restoring-${stamp}`);
  const tarball = readBackup(file);
  mkdirSync(dirname(dataDir), { recursive: true });
  try {
    const pglite = await PGlite.create(staging, { loadDataDir: new Blob([tarball]) });
    await pglite.close();
    // The lock (and the CLI endpoint file) of the process that took the backup, not ours.
    for (const name of readdirSync(staging).filter(isKpibotFile)) rmSync(join(staging, name));
    await (await openStore({ dataDir: staging })).close();
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  let previous: string | undefined;
  if (occupied) {
    previous = `${dataDir}.before-restore-${stamp}`;
    renameSync(dataDir, previous);
  } else {
    rmSync(dataDir, { recursive: true, force: true });
  }
  renameSync(staging, dataDir);
  return previous ? { previous } : {};
}
