// Nightly backups of the embedded store, taken by the running bot (the only process that may
// have the store open): a snapshot (src/store/backup.ts) into `backup.dir` as
// `kpibot-<fire time>.tar.gz`, keeping the newest `backup.keep`. A store on a PostgreSQL server
// has no such task: pg_dump it (README.md, "Backup and restore").
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.ts';
import type { BackupPolicy } from '../store/backup.ts';
import { backupStore } from '../store/backup.ts';
import type { Db } from '../store/db.ts';
import type { TaskDefinition } from './scheduler.ts';

export const BACKUP_TASK = 'backup';

const NAME = /^kpibot-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.tar\.gz$/;

/** The task, or undefined when there is nothing to do (no folder set, or a server store). */
export function backupTask(deps: {
  db: Db;
  logger: Logger;
  backup: BackupPolicy;
  /** Default: every night at 03:00 in the scheduler's timezone. */
  cron?: string;
}): TaskDefinition | undefined {
  const { dir, keep } = deps.backup;
  if (!dir || !deps.db.snapshot) return undefined;
  return {
    name: BACKUP_TASK,
    cron: deps.cron ?? '0 3 * * *',
    run: async (fire) => {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `kpibot-${fire.fireTime.toISOString().replace(/[:.]/g, '-')}.tar.gz`);
      const { bytes } = await backupStore(deps.db, file, { force: true });
      const old = readdirSync(dir)
        .filter((name) => NAME.test(name))
        .sort()
        .slice(0, -keep);
      for (const name of old) rmSync(join(dir, name));
      deps.logger.info({ task: BACKUP_TASK, file, bytes, removed: old }, 'backup: written');
    },
  };
}
