// `kpibot backup FILE` and `kpibot restore FILE`: the embedded store to one file and back
// (src/store/backup.ts). A store on a PostgreSQL server is backed up with pg_dump instead.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { BackupError, backupStore, restoreStore } from '../store/backup.ts';
import { openStore } from '../store/db.ts';

export const BACKUP_USAGE = `  kpibot backup FILE [--force]                       a snapshot of the embedded store
  kpibot restore FILE [--data-dir DIR] [--force]     restore one (into an empty folder)`;

const PG_WAY = 'use pg_dump / pg_restore (README.md, "Backup and restore")';

export interface BackupIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export async function runBackupCli(
  command: 'backup' | 'restore',
  args: string[],
  io: BackupIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  },
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { force: { type: 'boolean', default: false }, 'data-dir': { type: 'string' } },
  });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0 || (command === 'backup' && values['data-dir'])) {
    io.stderr(`Usage:\n${BACKUP_USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const target = resolve(file);
  try {
    if (config.store.databaseUrl) {
      throw new BackupError(`DATABASE_URL is set: the store is a PostgreSQL server; ${PG_WAY}.`);
    }
    if (command === 'backup') {
      const db = await openStore({ dataDir: config.store.dataDir });
      try {
        const { bytes } = await backupStore(db, target, { force: values.force });
        io.stdout(
          `Backed up ${config.store.dataDir} to ${target} (${bytes.toLocaleString('en-US')} bytes).\n`,
        );
      } finally {
        await db.close();
      }
      return 0;
    }
    const dataDir = resolve(values['data-dir'] ?? config.store.dataDir);
    const { previous } = await restoreStore(target, dataDir, { force: values.force });
    io.stdout(
      `Restored ${target} into ${dataDir}.${previous ? `\nThe store that was there is in ${previous}.` : ''}\n`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof BackupError)) throw err;
    io.stderr(`${err.message}\n`);
    return 1;
  }
}
